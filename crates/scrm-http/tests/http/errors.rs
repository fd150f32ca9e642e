//! The envelope on every error kind: 401, 404, 405, 409, 413, 415, 500, 503 and bad JSON.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::StoreError;
use scrm_domain::customer::SaveOutcome;
use scrm_domain::session::MockSessionStore;
use serde_json::json;

use crate::support::{
    Mocks, TOKEN, assert_error, assert_unavailable, call_json, empty_page, get, post_form,
    post_json,
};

const UNAUTHORIZED: &str = "未登錄或登錄已過期";

#[actix_web::test]
async fn no_token_is_401_on_every_protected_route() {
    let routes = [
        ("GET", "/wechat_api/customer/customerPage"),
        ("GET", "/wechat_api/customer/downLoad"),
        ("GET", "/wechat_api/customer/recycleBin"),
        ("GET", "/wechat_api/customer/findcontactbytagAll"),
        ("GET", "/wechat_api/customer/findcontactbytagall"),
        ("POST", "/wechat_api/customer/updateCustomer"),
        ("POST", "/wechat_api/customer/delete"),
        ("POST", "/wechat_api/customer/restore"),
        ("POST", "/wechat_api/customer/batchSaveNickName"),
        ("POST", "/wechat_api/logout"),
        ("GET", "/wechat_api/customer/getIsOpenAfterCall"),
        ("POST", "/wechat_api/customer/updateIsOpenAfterCall"),
        ("GET", "/wechat_api/customer/getCustomerInfoByCall"),
        ("GET", "/wechat_api/customer/getManualTaskList"),
        ("GET", "/wechat_api/customer/getManualTaskDetail"),
        ("POST", "/wechat_api/customer/delManualTask"),
        ("POST", "/wechat_api/customer/delManualTaskDetail"),
        ("POST", "/wechat_api/customer/restoreManualTask"),
        ("POST", "/wechat_api/customer/restoreManualTaskDetail"),
        ("POST", "/wechat_api/customer/addManualTask"),
        ("POST", "/wechat_api/customer/addManualTaskBeforeAddFriend"),
        ("POST", "/wechat_api/message/record"),
        ("GET", "/wechat_api/message/getRedisMessageRecord"),
    ];
    for (method, path) in routes {
        let req = match method {
            "GET" => TestRequest::get(),
            _ => TestRequest::post(),
        }
        .uri(path);
        let (status, body) = call_json(Mocks::new(), req).await;
        assert_error(status, &body, StatusCode::UNAUTHORIZED, UNAUTHORIZED);
    }
}

#[actix_web::test]
async fn bad_token_and_bad_scheme_are_401() {
    for header in ["Bearer nope", "Basic Zm9vOmJhcg==", "Bearer ", TOKEN] {
        let req = TestRequest::get()
            .uri("/wechat_api/customer/customerPage")
            .insert_header(("Authorization", header));
        let (status, body) = call_json(Mocks::new(), req).await;
        assert_error(status, &body, StatusCode::UNAUTHORIZED, UNAUTHORIZED);
    }
    let req = TestRequest::get()
        .uri("/wechat_api/customer/customerPage")
        .insert_header(("Authorization", format!("bearer {TOKEN}")));
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_page()
        .returning(|_, _, _| Ok(empty_page()));
    let (status, _) = call_json(mocks, req).await;
    assert_eq!(status, StatusCode::OK, "the scheme is case-insensitive");
}

#[actix_web::test]
async fn unknown_path_is_404_in_the_envelope() {
    for uri in ["/nothing", "/wechat_api/customer/nothing", "/wechat_api"] {
        let (status, body) = call_json(Mocks::new(), get(uri)).await;
        assert_error(status, &body, StatusCode::NOT_FOUND, "接口不存在");
    }
}

#[actix_web::test]
async fn wrong_method_is_405_in_the_envelope() {
    let cases = [
        TestRequest::post().uri("/wechat_api/customer/customerPage"),
        TestRequest::delete().uri("/wechat_api/customer/downLoad"),
        TestRequest::get().uri("/wechat_api/customer/updateCustomer"),
        TestRequest::get().uri("/wechat_api/login"),
        TestRequest::post().uri("/healthz"),
    ];
    for req in cases {
        let (status, body) = call_json(Mocks::new(), req).await;
        assert_error(
            status,
            &body,
            StatusCode::METHOD_NOT_ALLOWED,
            "請求方法不支持",
        );
    }
}

#[actix_web::test]
async fn conflict_is_409_with_its_text() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_save()
        .returning(|_, _, _, _| Ok(SaveOutcome::AlreadyExists(scrm_domain::CustomerId(4))));
    let (status, body) = call_json(
        mocks,
        post_json(
            "/wechat_api/customer/updateCustomer",
            &json!({"wechatContactId": "19564131", "customerName": "王"}),
        ),
    )
    .await;
    assert_error(
        status,
        &body,
        StatusCode::CONFLICT,
        "wechatContactId: this contact already has customer 4",
    );
}

#[actix_web::test]
async fn bodies_over_64_kib_are_413() {
    let big = "x".repeat(64 * 1024 + 1);
    let json_req = post_json(
        "/wechat_api/customer/updateCustomer",
        &json!({ "remarks": big }),
    );
    let (status, body) = call_json(Mocks::new(), json_req).await;
    assert_error(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "請求體過大");

    let form_req = post_form(
        "/wechat_api/customer/delete",
        &format!("customerId=1&x={big}"),
    );
    let (status, body) = call_json(Mocks::new(), form_req).await;
    assert_error(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "請求體過大");

    let login = TestRequest::post()
        .uri("/wechat_api/login")
        .insert_header(("Content-Type", "application/json"))
        .set_payload(big);
    let (status, body) = call_json(Mocks::new(), login).await;
    assert_error(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "請求體過大");

    // A body longer than its declared length is counted while it is read.
    let lying = post_form(
        "/wechat_api/customer/restore",
        &format!("customerId=1&x={}", "y".repeat(70_000)),
    )
    .insert_header(("Content-Length", "20"));
    let (status, body) = call_json(Mocks::new(), lying).await;
    assert_error(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "請求體過大");
}

#[actix_web::test]
async fn other_content_types_are_415_and_bad_json_is_400() {
    let req = post_form("/wechat_api/customer/delete", "customerId=1")
        .insert_header(("Content-Type", "text/plain"));
    let (status, body) = call_json(Mocks::new(), req).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(body["code"], 415);
    assert!(body["data"].is_null());

    let req = post_form("/wechat_api/customer/delete", "{\"customerId\":")
        .insert_header(("Content-Type", "application/json"));
    let (status, body) = call_json(Mocks::new(), req).await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "request body: must be valid JSON",
    );
}

#[actix_web::test]
async fn store_unavailable_is_503_and_the_cause_is_not_sent() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_page()
        .returning(|_, _, _| Err(StoreError::Unavailable("mysql pool timed out".into())));
    let (status, body) = call_json(mocks, get("/wechat_api/customer/customerPage")).await;
    assert_unavailable(status, &body);

    let mut sessions = MockSessionStore::new();
    sessions
        .expect_get()
        .returning(|_| Err(StoreError::Unavailable("redis down".into())));
    let (status, body) = call_json(
        Mocks::with_sessions(sessions),
        get("/wechat_api/customer/recycleBin"),
    )
    .await;
    assert_unavailable(status, &body);
}

#[actix_web::test]
async fn unexpected_store_errors_are_500_with_a_generic_message() {
    let mut mocks = Mocks::new();
    mocks.contacts.expect_find_by_tags().returning(|_, _| {
        Err(StoreError::Unexpected(
            "syntax error near SELECT secret".into(),
        ))
    });
    let (status, body) = call_json(mocks, get("/wechat_api/customer/findcontactbytagAll")).await;
    assert_error(
        status,
        &body,
        StatusCode::INTERNAL_SERVER_ERROR,
        "服務器內部錯誤",
    );
    assert!(!body.to_string().contains("secret"));
}
