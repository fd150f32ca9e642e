//! x-request-id: taken from the request when usable, else a fresh UUID per request; on errors
//! too; and on every log line of the request (access line, 5xx cause, a failing export).

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::StoreError;
use scrm_domain::customer::{EXPORT_BATCH, ExportCursor};
use tracing::Level;
use uuid::Uuid;

use crate::hardened::{Logs, call, call_all};
use crate::support::{Mocks, customer, get};

fn health() -> TestRequest {
    TestRequest::get().uri("/healthz")
}

fn is_fresh_uuid(id: &str) -> bool {
    Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4 && u.hyphenated().to_string() == id)
}

#[actix_web::test]
async fn a_usable_incoming_id_is_echoed() {
    let longest = "x".repeat(128);
    for id in [
        "abc-123",
        "a",
        "~!@#$%^&*()_+{}|:<>?[];',./`",
        longest.as_str(),
    ] {
        let answer = call(
            Mocks::new(),
            &[],
            health().insert_header(("X-Request-Id", id)),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.header("x-request-id"), id);
    }
}

#[actix_web::test]
async fn each_request_without_a_usable_id_gets_its_own_uuid() {
    let too_long = "x".repeat(129);
    let unusable: [&[u8]; 4] = [
        b"",
        b"has space",
        too_long.as_bytes(),
        "caf\u{e9}".as_bytes(),
    ];
    let mut reqs = vec![health(), health()];
    for id in unusable {
        reqs.push(health().insert_header((
            "x-request-id",
            actix_web::http::header::HeaderValue::from_bytes(id).unwrap(),
        )));
    }
    let answers = call_all(Mocks::new(), &[], reqs).await;
    let ids: Vec<&str> = answers.iter().map(|a| a.header("x-request-id")).collect();
    for id in &ids {
        assert!(is_fresh_uuid(id), "{id}");
    }
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), ids.len(), "{ids:?}");
}

#[actix_web::test]
async fn errors_carry_the_id() {
    let reqs = vec![
        TestRequest::get().uri("/wechat_api/customer/customerPage"),
        TestRequest::get().uri("/no/such/route"),
        TestRequest::delete().uri("/healthz"),
        TestRequest::get()
            .uri("/wechat_api/customer/customerPage")
            .insert_header(("x-request-id", "mine")),
    ];
    let answers = call_all(Mocks::new(), &[], reqs).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses[..3],
        [
            StatusCode::UNAUTHORIZED,
            StatusCode::NOT_FOUND,
            StatusCode::METHOD_NOT_ALLOWED
        ]
    );
    for answer in &answers[..3] {
        assert!(is_fresh_uuid(answer.header("x-request-id")));
    }
    assert_eq!(answers[3].status, StatusCode::UNAUTHORIZED);
    assert_eq!(answers[3].header("x-request-id"), "mine");
}

#[actix_web::test]
async fn a_5xx_cause_is_logged_with_the_id_even_at_warn() {
    let (logs, _guard) = Logs::capture(Level::WARN);
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_find_by_tags()
        .returning(|_, _| Err(StoreError::Unexpected("syntax error near SELECT".into())));
    let answer = call(
        mocks,
        &[],
        get("/wechat_api/customer/findcontactbytagAll?tagIds=3")
            .insert_header(("x-request-id", "req-500")),
    )
    .await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer.header("x-request-id"), "req-500");
    let line = logs.line("request failed");
    assert!(line.contains("ERROR"), "{line}");
    assert!(line.contains("syntax error near SELECT"), "{line}");
    assert!(line.contains(r#"request_id="req-500""#), "{line}");
    assert!(
        line.contains(r#"path="/wechat_api/customer/findcontactbytagAll""#),
        "{line}"
    );
    assert!(
        logs.lines().iter().all(|l| !l.contains("request finished")),
        "the access line is info"
    );
}

#[actix_web::test]
async fn one_access_line_per_request_names_id_method_path_status_and_latency_not_the_query() {
    let (logs, _guard) = Logs::capture(Level::INFO);
    let answer = call(
        Mocks::new(),
        &[],
        TestRequest::get()
            .uri("/healthz?customerPhone=13800138000")
            .insert_header(("x-request-id", "req-200")),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let line = logs.line("request finished");
    for part in [
        "INFO",
        r#"request_id="req-200""#,
        "method=GET",
        r#"path="/healthz""#,
        "status=200",
        "latency_ms=",
    ] {
        assert!(line.contains(part), "{part} in {line}");
    }
    assert!(
        logs.lines().iter().all(|l| !l.contains("13800138000")),
        "{:#?}",
        logs.lines()
    );
}

#[actix_web::test]
async fn an_export_failing_mid_stream_is_logged_with_the_id() {
    let (logs, _guard) = Logs::capture(Level::WARN);
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_export_batch()
        .returning(|_, _, after: Option<ExportCursor>, _| match after {
            None => Ok((0..i64::from(EXPORT_BATCH))
                .map(|i| customer(5000 - i))
                .collect()),
            Some(_) => Err(StoreError::Unavailable("mysql went away".into())),
        });
    let answer = call(
        mocks,
        &[],
        get("/wechat_api/customer/downLoad?tagIds=3").insert_header(("x-request-id", "req-csv")),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("x-request-id"), "req-csv");
    assert!(answer.body.is_err(), "the body ends with an error");
    let line = logs.line("customer export aborted");
    assert!(line.contains(r#"request_id="req-csv""#), "{line}");
    assert!(line.contains("mysql went away"), "{line}");
}
