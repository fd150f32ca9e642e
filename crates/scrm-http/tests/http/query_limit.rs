//! Query strings up to 8 KiB pass; a longer one is a 414 in the envelope before any extractor
//! or handler runs.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::session::MockSessionStore;

use crate::hardened::{assert_security_headers, call, call_all};
use crate::support::{Mocks, assert_error};

fn query(len: usize) -> String {
    let mut q = "nickName=".to_owned();
    q.push_str(&"a".repeat(len - q.len()));
    q
}

#[actix_web::test]
async fn eight_kib_pass() {
    let answers = call_all(
        Mocks::new(),
        &[],
        vec![
            TestRequest::get().uri(&format!("/healthz?{}", query(8192))),
            TestRequest::get().uri("/healthz?"),
        ],
    )
    .await;
    for answer in &answers {
        assert_eq!(answer.status, StatusCode::OK);
    }
}

#[actix_web::test]
async fn one_byte_more_is_414_before_any_handler() {
    // A session store without expectations: the auth extractor would panic if it ran.
    let mocks = Mocks::with_sessions(MockSessionStore::new());
    let answer = call(
        mocks,
        &["https://crm.example.com"],
        TestRequest::get()
            .uri(&format!(
                "/wechat_api/customer/customerPage?{}",
                query(8193)
            ))
            .insert_header(("Authorization", "Bearer good-token"))
            .insert_header(("Origin", "https://crm.example.com")),
    )
    .await;
    assert_error(
        answer.status,
        &answer.json(),
        StatusCode::URI_TOO_LONG,
        "query string: longer than 8192 bytes",
    );
    assert_security_headers(&answer.headers);
    assert!(answer.headers.contains_key("x-request-id"));
    assert_eq!(
        answer.header("access-control-allow-origin"),
        "https://crm.example.com",
        "the frontend can read the 414"
    );
}
