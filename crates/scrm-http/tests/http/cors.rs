//! CORS: a preflight from an allowed origin, actual requests (their errors too) from it, another
//! origin, and no CORS at all when no origin is configured.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::Page;

use crate::hardened::{Answer, assert_security_headers, call, call_all};
use crate::support::{Mocks, assert_error, get};

const FRONTEND: &str = "https://crm.example.com";
const ORIGINS: &[&str] = &[FRONTEND, "http://localhost:5173"];

fn preflight(origin: &str) -> TestRequest {
    TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/wechat_api/customer/customerPage")
        .insert_header(("Origin", origin))
        .insert_header(("Access-Control-Request-Method", "GET"))
        .insert_header((
            "Access-Control-Request-Headers",
            "authorization,x-request-id",
        ))
}

/// The comma-separated items of a header, lower-cased and sorted.
fn items(answer: &Answer, name: &str) -> Vec<String> {
    let mut items: Vec<String> = answer
        .header(name)
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .collect();
    items.sort_unstable();
    items
}

fn has_no_cors_header(answer: &Answer) -> bool {
    answer
        .headers
        .keys()
        .all(|k| !k.as_str().starts_with("access-control-"))
}

#[actix_web::test]
async fn a_preflight_from_an_allowed_origin_is_answered() {
    let answer = call(Mocks::new(), ORIGINS, preflight(FRONTEND)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("access-control-allow-origin"), FRONTEND);
    assert_eq!(
        items(&answer, "access-control-allow-methods"),
        ["get", "post"]
    );
    assert_eq!(
        items(&answer, "access-control-allow-headers"),
        ["authorization", "content-type", "x-request-id"]
    );
    assert_eq!(answer.header("access-control-max-age"), "3600");
    assert!(
        answer
            .header("vary")
            .to_ascii_lowercase()
            .contains("origin")
    );
    assert_security_headers(&answer.headers);
    assert!(answer.headers.contains_key("x-request-id"));
}

#[actix_web::test]
async fn requests_from_an_allowed_origin_and_their_errors_are_readable() {
    let mocks = Mocks::with_one_customer();
    let reqs = vec![
        get("/wechat_api/customer/customerPage").insert_header(("Origin", "http://localhost:5173")),
        TestRequest::get()
            .uri("/wechat_api/customer/customerPage")
            .insert_header(("Origin", FRONTEND)),
    ];
    let answers = call_all(mocks, ORIGINS, reqs).await;
    assert_eq!(answers[0].status, StatusCode::OK);
    assert_eq!(
        answers[0].header("access-control-allow-origin"),
        "http://localhost:5173"
    );
    assert_eq!(answers[1].status, StatusCode::UNAUTHORIZED);
    assert_eq!(answers[1].header("access-control-allow-origin"), FRONTEND);
    for answer in &answers {
        assert_eq!(
            items(answer, "access-control-expose-headers"),
            ["content-disposition", "x-request-id"]
        );
        assert!(
            !answer
                .headers
                .contains_key("access-control-allow-credentials")
        );
    }
}

#[actix_web::test]
async fn another_origin_gets_no_allow_origin() {
    let mut mocks = Mocks::new();
    mocks.customers.expect_page().returning(|_, _, _| {
        Ok(Page {
            items: Vec::new(),
            total: 0,
        })
    });
    let reqs = vec![
        preflight("https://evil.example.com"),
        preflight("https://crm.example.com.evil.example"),
        // A non-browser client with any Origin is served, without CORS headers.
        get("/wechat_api/customer/customerPage")
            .insert_header(("Origin", "https://evil.example.com")),
    ];
    let answers = call_all(mocks, ORIGINS, reqs).await;
    for answer in &answers[..2] {
        assert!(has_no_cors_header(answer), "{:?}", answer.headers);
        assert_error(
            answer.status,
            &answer.json(),
            StatusCode::BAD_REQUEST,
            "CORS preflight: Origin is not allowed to make this request",
        );
        assert_security_headers(&answer.headers);
    }
    assert_eq!(answers[2].status, StatusCode::OK);
    assert!(
        !answers[2]
            .headers
            .contains_key("access-control-allow-origin")
    );
}

#[actix_web::test]
async fn a_preflight_for_another_method_or_header_is_refused() {
    let reqs = vec![
        preflight(FRONTEND).insert_header(("Access-Control-Request-Method", "DELETE")),
        preflight(FRONTEND).insert_header(("Access-Control-Request-Headers", "x-secret")),
    ];
    let answers = call_all(Mocks::new(), ORIGINS, reqs).await;
    for answer in &answers {
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(!answer.headers.contains_key("access-control-allow-origin"));
        assert!(
            answer.json()["msg"]
                .as_str()
                .unwrap()
                .starts_with("CORS preflight: ")
        );
    }
}

#[actix_web::test]
async fn without_origins_there_is_no_cors_at_all() {
    let reqs = vec![
        preflight(FRONTEND),
        TestRequest::get()
            .uri("/healthz")
            .insert_header(("Origin", FRONTEND)),
    ];
    let answers = call_all(Mocks::new(), &[], reqs).await;
    // The preflight is routed like any OPTIONS request: a known path, another method.
    assert_error(
        answers[0].status,
        &answers[0].json(),
        StatusCode::METHOD_NOT_ALLOWED,
        "請求方法不支持",
    );
    assert_eq!(answers[1].status, StatusCode::OK);
    for answer in &answers {
        assert!(has_no_cors_header(answer), "{:?}", answer.headers);
        assert!(!answer.headers.contains_key("vary"));
    }
}
