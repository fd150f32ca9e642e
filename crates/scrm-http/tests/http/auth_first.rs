//! The caller before the parameters, on every authenticated endpoint: an unknown or missing
//! token with a bad parameter is the 401 (the caller learns nothing about parameters and the
//! legacy frontend goes to its login), a good token with the same parameter the 400 naming
//! it. The session mock answers only after yielding (`support`), so `Caller` is still
//! pending while the parameters are read, as with Redis. The table must list exactly the
//! document's authenticated operations, which `openapi::every_route_is_documented` ties to
//! the routes: a new endpoint fails here until it has a row.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_http::error::MSG_UNAUTHORIZED;
use serde_json::{Value, json};

use crate::openapi::document;
use crate::support::{Mocks, TOKEN, assert_error, call_json};

/// A well-formed token no session has (a 64-hex token, as the stores make).
const UNKNOWN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The bad parameters of one request: a GET's query or a POST's JSON body.
#[derive(Debug, Clone, Copy)]
enum Bad {
    Query(&'static str),
    Json(fn() -> Value),
}

/// One authenticated operation, a bad request to it, and the 400 a known caller gets for it
/// (`None` for the endpoints without parameters: the request is only junk for them).
struct Case {
    method: &'static str,
    path: &'static str,
    bad: Bad,
    msg: Option<&'static str>,
}

const fn get(path: &'static str, query: &'static str, msg: Option<&'static str>) -> Case {
    Case {
        method: "GET",
        path,
        bad: Bad::Query(query),
        msg,
    }
}

const fn post(path: &'static str, body: fn() -> Value, msg: Option<&'static str>) -> Case {
    Case {
        method: "POST",
        path,
        bad: Bad::Json(body),
        msg,
    }
}

fn empty() -> Value {
    json!({})
}

// The spec's texts of a missing id.
const MSG_NO_CUSTOMER_ID: &str = "customerId為空";
const MSG_ADMIN_USER_ID_EMPTY: &str = "adminUserId為空";
const MSG_DETAIL_NEEDS_ASSIGNEE: &str = "指定查詢的任務詳情不能為空";

const TIME_MSG: &str = "beginTime: must be yyyy-MM-dd HH:mm:ss, yyyy-MM-dd or epoch milliseconds";

fn cases() -> Vec<Case> {
    vec![
        post("/wechat_api/logout", || json!({"customerId": "abc"}), None),
        get("/wechat_api/account/me", "pageNo=0", None),
        get(
            "/wechat_api/customer/customerPage",
            "pageNo=0",
            Some("pageNo: must be 1 or more"),
        ),
        get(
            "/wechat_api/customer/downLoad",
            "beginTime=x",
            Some(TIME_MSG),
        ),
        post(
            "/wechat_api/customer/updateCustomer",
            || json!({"customerId": "abc"}),
            Some("customerId: must be an integer"),
        ),
        post(
            "/wechat_api/customer/delete",
            empty,
            Some(MSG_NO_CUSTOMER_ID),
        ),
        get(
            "/wechat_api/customer/recycleBin",
            "limit=0",
            Some("limit: must be between 1 and 100"),
        ),
        post(
            "/wechat_api/customer/restore",
            empty,
            Some(MSG_NO_CUSTOMER_ID),
        ),
        post(
            "/wechat_api/customer/batchSaveNickName",
            empty,
            Some("nickNames: is required"),
        ),
        get(
            "/wechat_api/customer/findcontactbytagAll",
            "tagIds=x",
            Some("tagIds: must be a comma-separated list of integers"),
        ),
        get(
            "/wechat_api/customer/findcontactbytagall",
            "tagIds=x",
            Some("tagIds: must be a comma-separated list of integers"),
        ),
        get("/wechat_api/customer/getIsOpenAfterCall", "isOpen=x", None),
        post(
            "/wechat_api/customer/updateIsOpenAfterCall",
            empty,
            Some("isOpen: is required"),
        ),
        get(
            "/wechat_api/customer/getCustomerInfoByCall",
            "phone=",
            Some("phone: is required"),
        ),
        get(
            "/wechat_api/customer/getManualTaskList",
            "adminUserId=abc",
            Some("adminUserId: must be an integer"),
        ),
        get(
            "/wechat_api/customer/getManualTaskDetail",
            "",
            Some(MSG_DETAIL_NEEDS_ASSIGNEE),
        ),
        post(
            "/wechat_api/customer/delManualTask",
            empty,
            Some(MSG_ADMIN_USER_ID_EMPTY),
        ),
        post(
            "/wechat_api/customer/delManualTaskDetail",
            empty,
            Some(MSG_NO_CUSTOMER_ID),
        ),
        post(
            "/wechat_api/customer/restoreManualTask",
            empty,
            Some(MSG_ADMIN_USER_ID_EMPTY),
        ),
        post(
            "/wechat_api/customer/restoreManualTaskDetail",
            empty,
            Some(MSG_NO_CUSTOMER_ID),
        ),
        post(
            "/wechat_api/customer/addManualTask",
            empty,
            Some("聯系方式不能為空客戶姓名不能為空所在地區不能為空"),
        ),
        post(
            "/wechat_api/customer/addManualTaskBeforeAddFriend",
            || json!({"customerPhone": "abc", "uin": "1"}),
            Some("customerPhone: must be a phone number of 5 to 20 digits"),
        ),
        post(
            "/wechat_api/message/record",
            || json!({"messages": "[1,"}),
            Some("messages: must be JSON"),
        ),
        get(
            "/wechat_api/message/getRedisMessageRecord",
            "pageNo=0",
            Some("pageNo: must be 1 or more"),
        ),
    ]
}

/// The bad request of `case`, with this `Authorization` token (none for `None`).
fn request(case: &Case, token: Option<&str>) -> TestRequest {
    let req = match case.bad {
        Bad::Query(query) => TestRequest::get().uri(&format!("{}?{query}", case.path)),
        Bad::Json(body) => TestRequest::post().uri(case.path).set_json(body()),
    };
    match token {
        Some(token) => req.insert_header(("Authorization", format!("Bearer {token}"))),
        None => req,
    }
}

/// The `(METHOD, path)` operations of the document that need the bearer token: all but
/// those whose own `security` is the empty requirement (login, health, metrics).
fn authenticated(doc: &Value) -> BTreeSet<(String, String)> {
    let open = json!([{}]);
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if op.get("responses").is_some() && op.get("security") != Some(&open) {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

#[actix_web::test]
async fn the_table_is_every_authenticated_operation() {
    let doc = document().await;
    let documented = authenticated(&doc);
    let table: BTreeSet<_> = cases()
        .iter()
        .map(|c| (c.method.to_owned(), c.path.to_owned()))
        .collect();
    assert_eq!(table, documented);
    assert!(documented.contains(&("POST".to_owned(), "/wechat_api/logout".to_owned())));
    assert!(!documented.contains(&("POST".to_owned(), "/wechat_api/login".to_owned())));
}

#[actix_web::test]
async fn an_unknown_or_missing_token_is_401_before_a_bad_parameter() {
    for case in cases() {
        for token in [Some(UNKNOWN), None] {
            let (status, body) = call_json(Mocks::new(), request(&case, token)).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{} {} with {token:?}: {body}",
                case.method,
                case.path
            );
            assert_error(status, &body, StatusCode::UNAUTHORIZED, MSG_UNAUTHORIZED);
        }
    }
}

#[actix_web::test]
async fn a_known_caller_gets_the_400_naming_the_parameter() {
    for case in cases() {
        let Some(msg) = case.msg else { continue };
        // No expectation on the stores: a bad parameter reaches none of them.
        let (status, body) = call_json(Mocks::new(), request(&case, Some(TOKEN))).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{} {}: {body}",
            case.method,
            case.path
        );
        assert_error(status, &body, StatusCode::BAD_REQUEST, msg);
    }
}

/// What a body can do wrong besides a parameter (malformed JSON, another media type, too
/// large) is no answer to an unknown caller either.
#[actix_web::test]
async fn an_unknown_token_is_401_before_a_bad_body() {
    const DELETE: &str = "/wechat_api/customer/delete";
    let unknown = ("Authorization", format!("Bearer {UNKNOWN}"));
    let known = ("Authorization", format!("Bearer {TOKEN}"));
    let bodies = [
        (
            "application/json",
            "{\"customerId\":".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "text/plain",
            "customerId=1".to_owned(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "application/json",
            " ".repeat(70 * 1024),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (media_type, payload, refused) in bodies {
        let req = |auth: &(&'static str, String)| {
            TestRequest::post()
                .uri(DELETE)
                .insert_header(auth.clone())
                .insert_header(("Content-Type", media_type))
                .set_payload(payload.clone())
        };
        let (status, body) = call_json(Mocks::new(), req(&unknown)).await;
        assert_error(status, &body, StatusCode::UNAUTHORIZED, MSG_UNAUTHORIZED);
        let (status, body) = call_json(Mocks::new(), req(&known)).await;
        assert_eq!(status, refused, "{media_type}: {body}");
        assert_eq!(body["code"], refused.as_u16(), "{body}");
    }
}
