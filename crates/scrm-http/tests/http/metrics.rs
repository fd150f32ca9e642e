//! GET /metrics: no token, the Prometheus text format, every request counted by route
//! pattern (`unmatched` for unknown paths), method and status, the latency histogram, and the
//! pools' connections read at the scrape.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::Page;
use scrm_domain::customer::{IndexStatus, MockCustomerIndex};
use scrm_http::{PoolConnections, PoolGauge};

use crate::hardened::{Answer, call_all};
use crate::support::{Mocks, customer, get};

const PAGE: &str = "/wechat_api/customer/customerPage";

/// A pool with fixed connections.
struct FakePool;

impl PoolGauge for FakePool {
    fn store(&self) -> &str {
        "fake"
    }

    fn connections(&self) -> PoolConnections {
        PoolConnections { in_use: 3, idle: 5 }
    }
}

fn scrape() -> TestRequest {
    TestRequest::get().uri("/metrics")
}

fn body(answer: &Answer) -> &str {
    std::str::from_utf8(answer.body.as_ref().unwrap()).unwrap()
}

fn assert_line(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l == line),
        "no line `{line}` in:\n{text}"
    );
}

#[actix_web::test]
async fn requests_are_counted_by_route_method_and_status_and_pools_are_read() {
    let mut mocks = Mocks::new();
    mocks.customers.expect_page().times(1).returning(|_, _, _| {
        Ok(Page {
            items: vec![customer(1)],
            total: 1,
        })
    });
    mocks.pools.push(Arc::new(FakePool));
    let answers = call_all(
        mocks,
        &[],
        vec![
            get(PAGE),
            TestRequest::get().uri(PAGE),
            get("/wp-admin/setup.php?x=1"),
            get("/.env"),
            scrape(),
        ],
    )
    .await;
    let statuses: Vec<StatusCode> = answers.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::UNAUTHORIZED,
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
            StatusCode::OK
        ]
    );
    let scraped = &answers[4];
    assert_eq!(
        scraped.header("content-type"),
        "text/plain; version=0.0.4",
        "no token needed, Prometheus text"
    );
    let text = body(scraped);
    for line in [
        format!(r#"scrm_http_requests_total{{method="GET",route="{PAGE}",status="200"}} 1"#),
        format!(r#"scrm_http_requests_total{{method="GET",route="{PAGE}",status="401"}} 1"#),
        r#"scrm_http_requests_total{method="GET",route="unmatched",status="404"} 2"#.to_owned(),
        format!(r#"scrm_http_request_duration_seconds_count{{method="GET",route="{PAGE}"}} 2"#),
        r#"scrm_http_request_duration_seconds_count{method="GET",route="unmatched"} 2"#.to_owned(),
        r#"scrm_pool_connections{state="in_use",store="fake"} 3"#.to_owned(),
        r#"scrm_pool_connections{state="idle",store="fake"} 5"#.to_owned(),
        "# TYPE scrm_http_requests_total counter".to_owned(),
        "# TYPE scrm_http_request_duration_seconds histogram".to_owned(),
        "# TYPE scrm_pool_connections gauge".to_owned(),
    ] {
        assert_line(text, &line);
    }
    assert!(
        text.contains(&format!(
            r#"scrm_http_request_duration_seconds_bucket{{method="GET",route="{PAGE}",le="+Inf"}} 2"#
        )),
        "{text}"
    );
    assert!(
        !text.contains("wp-admin") && !text.contains(".env"),
        "{text}"
    );
}

#[actix_web::test]
async fn the_scrape_itself_is_counted_and_each_app_counts_apart() {
    let answers = call_all(Mocks::new(), &[], vec![scrape(), scrape()]).await;
    let text = body(&answers[1]);
    assert_line(
        text,
        r#"scrm_http_requests_total{method="GET",route="/metrics",status="200"} 1"#,
    );
    assert!(!text.contains("scrm_pool_connections{"), "no pools: {text}");
    assert!(!text.contains("scrm_index_"), "no index: {text}");
    // A second app starts from zero.
    let answers = call_all(Mocks::new(), &[], vec![scrape(), scrape()]).await;
    assert_line(
        body(&answers[1]),
        r#"scrm_http_requests_total{method="GET",route="/metrics",status="200"} 1"#,
    );
}

#[actix_web::test]
async fn other_methods_keep_their_route_and_extension_methods_are_other() {
    let answers = call_all(
        Mocks::new(),
        &[],
        vec![
            TestRequest::post().uri("/healthz"),
            TestRequest::default()
                .method(actix_web::http::Method::from_bytes(b"PROPFIND").unwrap())
                .uri("/nowhere"),
            scrape(),
        ],
    )
    .await;
    assert_eq!(answers[0].status, StatusCode::METHOD_NOT_ALLOWED);
    let text = body(&answers[2]);
    assert_line(
        text,
        r#"scrm_http_requests_total{method="POST",route="/healthz",status="405"} 1"#,
    );
    assert_line(
        text,
        r#"scrm_http_requests_total{method="OTHER",route="unmatched",status="404"} 1"#,
    );
}

#[actix_web::test]
async fn the_index_is_reported_when_there_is_one() {
    let mut mocks = Mocks::new();
    let mut index = MockCustomerIndex::new();
    let mut statuses = vec![
        IndexStatus {
            tenants: 2,
            customers: 3000,
            contacts: 3300,
            bytes: 81_920,
            since_catch_up: Some(0.25),
            applied_seq: Some(40),
            head_seq: Some(43),
        },
        IndexStatus {
            tenants: 0,
            customers: 0,
            contacts: 0,
            bytes: 0,
            since_catch_up: None,
            applied_seq: None,
            head_seq: Some(43),
        },
    ]
    .into_iter();
    index
        .expect_status()
        .times(2)
        .returning(move || statuses.next());
    mocks.index = Some(index);
    let answers = call_all(mocks, &[], vec![scrape(), scrape()]).await;
    let warm = body(&answers[0]);
    for line in [
        "scrm_index_tenants 2",
        "scrm_index_customers 3000",
        "scrm_index_contacts 3300",
        "scrm_index_bytes 81920",
        "scrm_index_catch_up_age_seconds 0.25",
        "scrm_index_log_behind 3",
        "# TYPE scrm_index_bytes gauge",
    ] {
        assert_line(warm, line);
    }
    // Cold after a reset: zeros, and NaN for what is not known.
    let cold = body(&answers[1]);
    for line in [
        "scrm_index_tenants 0",
        "scrm_index_bytes 0",
        "scrm_index_catch_up_age_seconds NaN",
        "scrm_index_log_behind NaN",
    ] {
        assert_line(cold, line);
    }
}
