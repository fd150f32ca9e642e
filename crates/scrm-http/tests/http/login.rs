//! login and logout: JSON and form bodies, the session data, wrong credentials, the session
//! ended by logout.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::AdminUserId;
use scrm_domain::account::Account;
use scrm_domain::session::SessionData;
use serde_json::json;

use crate::support::{Kind, Mocks, TOKEN, assert_error, assert_shape, call_json, post_form};

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
async fn logout_ends_the_callers_session() {
    let mut mocks = Mocks::new();
    mocks
        .sessions
        .expect_delete()
        .withf(|t| t == TOKEN)
        .times(1)
        .returning(|_| Ok(()));
    let (status, body) = call_json(mocks, post_form("/wechat_api/logout", "")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"code": 200, "msg": "操作成功!", "data": null}));
}
