//! login and logout: JSON and form bodies, the session data, wrong credentials, 429 when the
//! throttle refuses (without a password check) and the client address it counts, the session
//! ended by logout.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::AdminUserId;
use scrm_domain::StoreError;
use scrm_domain::account::Account;
use scrm_domain::session::SessionData;
use scrm_domain::throttle::{MockLoginThrottle, RetryAfter};
use serde_json::json;

use crate::support::{
    Kind, Mocks, assert_error, assert_shape, assert_unavailable, call, call_json, post_form,
};

fn login_mocks() -> Mocks {
    let mut mocks = Mocks::new();
    mocks.accounts.expect_find_by_login().returning(|name| {
        Ok((name == "li").then(|| Account {
            id: AdminUserId(7),
            login_name: "li".into(),
            real_name: "李".into(),
            parent_id: Some(AdminUserId(1)),
            depart_id: None,
            password_hash: Some("hash".into()),
            is_open_after_call: false,
        }))
    });
    mocks
        .hasher
        .expect_verify()
        .returning(|plain, hash| plain == "pw" && hash == "hash");
    mocks
        .sessions
        .expect_create()
        .withf(|d| {
            *d == SessionData {
                admin_user_id: AdminUserId(7),
                tenant_id: AdminUserId(1),
            }
        })
        .returning(|_| Ok("new-token".into()));
    mocks.sessions.expect_ttl_secs().return_const(7200_u64);
    mocks
}

#[actix_web::test]
async fn login_with_json_or_form() {
    let requests = [
        TestRequest::post()
            .uri("/wechat_api/login")
            .set_json(json!({"loginName": "li", "password": "pw"})),
        TestRequest::post()
            .uri("/wechat_api/login")
            .set_form([("loginName", "li"), ("password", "pw")]),
    ];
    for req in requests {
        let (status, body) = call_json(login_mocks(), req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["code"], 200);
        assert_eq!(body["msg"], "操作成功!");
        assert_shape(
            &body["data"],
            &[
                ("token", Kind::Str),
                ("adminUserId", Kind::Num),
                ("expiresIn", Kind::Num),
            ],
        );
        assert_eq!(
            body["data"],
            json!({"token": "new-token", "adminUserId": 7, "expiresIn": 7200})
        );
    }
}

#[actix_web::test]
async fn wrong_name_or_password_is_401() {
    for (name, password) in [("li", "bad"), ("nobody", "pw")] {
        let req = TestRequest::post()
            .uri("/wechat_api/login")
            .set_json(json!({"loginName": name, "password": password}));
        let (status, body) = call_json(login_mocks(), req).await;
        assert_error(status, &body, StatusCode::UNAUTHORIZED, "賬號或密碼錯誤");
    }
}

#[actix_web::test]
async fn a_refused_login_is_429_with_retry_after_and_no_password_check() {
    for (name, password) in [("li", "pw"), ("li", "bad"), ("nobody", "pw")] {
        let mut mocks = Mocks::new();
        // Neither the account nor the password is looked at.
        mocks.accounts.expect_find_by_login().never();
        mocks.hasher.expect_verify().never();
        mocks.sessions.expect_create().never();
        mocks.throttle = MockLoginThrottle::new();
        mocks
            .throttle
            .expect_admit()
            .times(1)
            .returning(|_, _| Ok(Some(RetryAfter(431))));
        mocks.throttle.expect_record_success().never();
        let req = TestRequest::post()
            .uri("/wechat_api/login")
            .set_json(json!({"loginName": name, "password": password}));
        let (status, headers, body) = call(mocks, req).await;
        let body = serde_json::from_slice(&body).unwrap();
        assert_error(
            status,
            &body,
            StatusCode::TOO_MANY_REQUESTS,
            "登錄嘗試過多,請稍後再試",
        );
        assert_eq!(
            body,
            json!({"code": 429, "msg": "登錄嘗試過多,請稍後再試", "data": null})
        );
        assert_eq!(headers.get("Retry-After").unwrap(), "431");
    }
}

#[actix_web::test]
async fn the_throttle_counts_the_peer_ip_and_the_name_in_lower_case() {
    let mut mocks = login_mocks();
    mocks.throttle = MockLoginThrottle::new();
    // From a peer that is not a trusted proxy, X-Forwarded-For is the client's to forge:
    // only the TCP peer counts, without its port.
    mocks
        .throttle
        .expect_admit()
        .withf(|name, addr| name == "li" && addr == "203.0.113.9")
        .times(1)
        .returning(|_, _| Ok(None));
    mocks
        .throttle
        .expect_record_success()
        .withf(|name, addr| name == "li" && addr == "203.0.113.9")
        .times(1)
        .returning(|_, _| Ok(()));
    let req = TestRequest::post()
        .uri("/wechat_api/login")
        .peer_addr("203.0.113.9:50123".parse().unwrap())
        .insert_header(("X-Forwarded-For", "198.51.100.1"))
        .insert_header(("Forwarded", "for=198.51.100.2"))
        .set_json(json!({"loginName": " li ", "password": "pw"}));
    let (status, body) = call_json(mocks, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_forwarded_client_is_counted() {
    let mut mocks = login_mocks();
    mocks.trusted_proxies = vec!["10.0.0.1".parse().unwrap()];
    mocks.throttle = MockLoginThrottle::new();
    mocks
        .throttle
        .expect_admit()
        .withf(|name, addr| name == "li" && addr == "198.51.100.1")
        .times(1)
        .returning(|_, _| Ok(None));
    mocks
        .throttle
        .expect_record_success()
        .withf(|_, addr| addr == "198.51.100.1")
        .times(1)
        .returning(|_, _| Ok(()));
    let req = TestRequest::post()
        .uri("/wechat_api/login")
        .peer_addr("10.0.0.1:50123".parse().unwrap())
        .insert_header(("X-Forwarded-For", "6.6.6.6, 198.51.100.1"))
        .set_json(json!({"loginName": "li", "password": "pw"}));
    let (status, body) = call_json(mocks, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[actix_web::test]
async fn a_failed_login_is_not_taken_back_and_a_throttle_outage_is_503() {
    let mut mocks = login_mocks();
    mocks.throttle = MockLoginThrottle::new();
    mocks.throttle.expect_admit().returning(|_, _| Ok(None));
    mocks.throttle.expect_record_success().never();
    let req = TestRequest::post()
        .uri("/wechat_api/login")
        .set_json(json!({"loginName": "li", "password": "bad"}));
    let (status, body) = call_json(mocks, req).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "賬號或密碼錯誤");

    let mut mocks = Mocks::new();
    mocks.hasher.expect_verify().never();
    mocks.throttle = MockLoginThrottle::new();
    mocks
        .throttle
        .expect_admit()
        .returning(|_, _| Err(StoreError::Unavailable("redis down".into())));
    let req = TestRequest::post()
        .uri("/wechat_api/login")
        .set_json(json!({"loginName": "li", "password": "pw"}));
    let (status, body) = call_json(mocks, req).await;
    assert_unavailable(status, &body);
}

#[actix_web::test]
async fn logout_ends_every_session_of_the_callers_account() {
    let mut mocks = Mocks::new();
    mocks
        .sessions
        .expect_delete_account()
        .withf(|a| *a == AdminUserId(1))
        .times(1)
        .returning(|_| Ok(()));
    let (status, body) = call_json(mocks, post_form("/wechat_api/logout", "")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"code": 200, "msg": "操作成功!", "data": null}));
}
