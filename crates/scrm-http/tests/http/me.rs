//! `GET /wechat_api/account/me`: the caller from its session only (no parameter changes who it
//! is), every field of the answer, a sub-account's scope, and 401 / 503 / 405 in the envelope.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::directory::{AccountSummary, Department, Directory, Tag, WechatAccount};
use scrm_domain::session::{MockSessionStore, SessionData};
use scrm_domain::{AdminUserId, DepartmentId, Scope, StoreError, TagId, WechatUserId};
use scrm_http::error::{MSG_METHOD, MSG_UNAUTHORIZED};
use serde_json::json;

use crate::support::{
    Mocks, TOKEN, assert_error, assert_unavailable, call_json, get, post_json, scope,
};

const ME: &str = "/wechat_api/account/me";

fn account(id: i64, parent: Option<i64>, depart: Option<i64>) -> AccountSummary {
    AccountSummary {
        id: AdminUserId(id),
        login_name: format!("login{id}"),
        real_name: format!("帳號{id}"),
        parent_id: parent.map(AdminUserId),
        depart_id: depart.map(DepartmentId),
    }
}

fn wechat(id: i64, owner: i64, online: bool) -> WechatAccount {
    WechatAccount {
        id: WechatUserId(id),
        admin_user_id: AdminUserId(owner),
        uin: Some(format!("u{id}")),
        user_name: Some(format!("wxid_{id}")),
        nick_name: Some(format!("<b>號{id}</b>")),
        alias: None,
        is_online: online,
    }
}

fn tenant_directory() -> Directory {
    Directory {
        tenant: account(1, None, None),
        accounts: vec![account(1, None, None), account(2, Some(1), Some(10))],
        departments: vec![Department {
            id: DepartmentId(10),
            name: Some("電銷一部".into()),
        }],
        wechat_users: vec![wechat(100, 1, true), wechat(200, 2, false)],
        tags: vec![
            Tag {
                id: TagId(7),
                name: Some("VIP".into()),
            },
            Tag {
                id: TagId(8),
                name: None,
            },
        ],
    }
}

#[actix_web::test]
async fn a_main_account_gets_itself_its_tenant_and_its_directory() {
    let mut mocks = Mocks::new();
    mocks
        .directory
        .expect_directory()
        .withf(|s| *s == scope())
        .times(1)
        .returning(|_| Ok(Some(tenant_directory())));
    // A parameter naming another account changes nothing: the caller is the session's.
    let (status, body) = call_json(mocks, get(&format!("{ME}?adminUserId=2"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"code": 200, "msg": "操作成功!", "data": {
            "adminUserId": 1, "loginName": "login1", "realName": "帳號1", "parentId": null,
            "departId": null, "isMain": true,
            "tenant": {"adminUserId": 1, "loginName": "login1", "realName": "帳號1",
                "parentId": null, "departId": null},
            "accounts": [
                {"adminUserId": 1, "loginName": "login1", "realName": "帳號1", "parentId": null, "departId": null},
                {"adminUserId": 2, "loginName": "login2", "realName": "帳號2", "parentId": 1, "departId": 10}
            ],
            "departments": [{"departId": 10, "name": "電銷一部"}],
            "wechatUsers": [
                {"wechatUserId": 100, "adminUserId": 1, "uin": "u100", "userName": "wxid_100",
                    "nickName": "<b>號100</b>", "alias": null, "isOnline": 1},
                {"wechatUserId": 200, "adminUserId": 2, "uin": "u200", "userName": "wxid_200",
                    "nickName": "<b>號200</b>", "alias": null, "isOnline": 0}
            ],
            "tags": [{"tagId": 7, "name": "VIP"}, {"tagId": 8, "name": null}]
        }})
    );
}

#[actix_web::test]
async fn a_sub_account_is_asked_for_with_its_own_scope() {
    let mut sessions = MockSessionStore::new();
    sessions.expect_get().returning(|token| {
        Ok((token == TOKEN).then_some(SessionData {
            admin_user_id: AdminUserId(2),
            tenant_id: AdminUserId(1),
        }))
    });
    let mut mocks = Mocks::with_sessions(sessions);
    let sub = Scope::for_account(AdminUserId(2), Some(AdminUserId(1)));
    mocks
        .directory
        .expect_directory()
        .withf(move |s| *s == sub)
        .times(1)
        .returning(|_| {
            Ok(Some(Directory {
                accounts: vec![account(2, Some(1), Some(10))],
                wechat_users: vec![wechat(200, 2, false)],
                ..tenant_directory()
            }))
        });
    // Parameters naming its main account or a sibling change nothing: still its own scope.
    let uri = format!("{ME}?adminUserId=1&parentId=&tenantId=1&wechatUserId=100");
    let (status, body) = call_json(mocks, get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let data = &body["data"];
    assert_eq!(data["adminUserId"], 2);
    assert_eq!(data["parentId"], 1);
    assert_eq!(data["departId"], 10);
    assert_eq!(data["isMain"], false);
    assert_eq!(data["tenant"]["adminUserId"], 1);
    assert_eq!(data["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(
        data["wechatUsers"],
        json!([{"wechatUserId": 200, "adminUserId": 2,
        "uin": "u200", "userName": "wxid_200", "nickName": "<b>號200</b>", "alias": null,
        "isOnline": 0}])
    );
}

#[actix_web::test]
async fn no_session_or_a_vanished_account_is_401() {
    let (status, body) = call_json(Mocks::new(), TestRequest::get().uri(ME)).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, MSG_UNAUTHORIZED);

    let mut mocks = Mocks::new();
    mocks.directory.expect_directory().returning(|_| {
        Ok(Some(Directory {
            accounts: vec![account(2, Some(1), None)],
            ..tenant_directory()
        }))
    });
    let (status, body) = call_json(mocks, get(ME)).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, MSG_UNAUTHORIZED);

    let mut mocks = Mocks::new();
    mocks.directory.expect_directory().returning(|_| Ok(None));
    let (status, body) = call_json(mocks, get(ME)).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, MSG_UNAUTHORIZED);
}

#[actix_web::test]
async fn a_store_that_is_down_is_503_and_post_is_405() {
    let mut mocks = Mocks::new();
    mocks
        .directory
        .expect_directory()
        .returning(|_| Err(StoreError::Unavailable("refused".into())));
    let (status, body) = call_json(mocks, get(ME)).await;
    assert_unavailable(status, &body);

    let (status, body) = call_json(Mocks::new(), post_json(ME, &json!({}))).await;
    assert_error(status, &body, StatusCode::METHOD_NOT_ALLOWED, MSG_METHOD);
}
