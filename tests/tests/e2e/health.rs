//! Health, readiness and the envelope on routing errors.

use scrm_e2e::{Store, TestApp};

/// Sends `req`: the status and the JSON body of the answer.
async fn status_and_body(req: awc::ClientRequest) -> (u16, serde_json::Value) {
    let mut res = req.send().await.unwrap();
    let body = res.json().await.unwrap();
    (res.status().as_u16(), body)
}

/// Store-specific (a Redis that is down): MariaDB + Redis only.
#[actix_web::test]
async fn readyz_names_the_store_that_is_down() {
    let app = TestApp::spawn_with(Store::MySql, scrm_e2e::fixture(), |_| {}).await;
    // A second server over the same data but a Redis that is not there.
    let mut config = app.config.clone();
    config.redis_url = "redis://127.0.0.1:1".into();
    config.redis_cluster_nodes.clear();
    config.store_timeout = std::time::Duration::from_millis(500);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    actix_web::rt::spawn(
        scrm_app::build(&config, scrm_app::Initial::Nothing, listener)
            .await
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let (status, body) = status_and_body(app.client.get(format!("{base}/readyz"))).await;
    assert_eq!(status, 503);
    assert_eq!(body["code"], 503);
    assert_eq!(body["data"]["redis"], "down");
    assert_eq!(body["data"]["mysql"], "up");
    // A request that needs the session store answers 503 in the envelope, not 401 or 500.
    let (status, body) = status_and_body(
        app.client
            .get(format!("{base}/wechat_api/customer/customerPage"))
            .insert_header(("Authorization", format!("Bearer {}", "a".repeat(64)))),
    )
    .await;
    assert_eq!(status, 503);
    assert_eq!(body["code"], 503);
    assert!(body["data"].is_null());
}

both_stores! {
    async fn healthz_readyz_and_unknown_routes(store: Store) {
        let app = TestApp::spawn(store).await;
        let r = app.get("/healthz", None).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["code"], 200);
        let r = app.get("/readyz", None).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let mut data = r.json()["data"].clone();
        if store == Store::MySql {
            // The customer index is on by default: reported, cold until a tenant is used.
            let index = data.as_object_mut().unwrap().remove("index").unwrap();
            assert_eq!(index["state"], "cold", "{index}");
        }
        let probes = match store {
            Store::MySql => serde_json::json!({"mysql": "up", "redis": "up"}),
            Store::Memory => serde_json::json!({"memory": "up"}),
        };
        assert_eq!(data, probes);

        let r = app.get("/wechat_api/nope", None).await;
        assert_eq!(r.status, 404);
        assert_eq!(r.json()["code"], 404);
        assert!(r.json()["data"].is_null());

        // Prometheus text, no token: the requests above are counted, and for MariaDB + Redis
        // the pools' connections are reported.
        let r = app.get("/metrics", None).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let text = r.text();
        assert!(text.contains("scrm_http_requests_total{"), "{text}");
        assert!(
            text.contains(r#"scrm_http_requests_total{method="GET",route="unmatched",status="404"} 1"#),
            "{text}"
        );
        match store {
            Store::MySql => {
                assert!(text.contains(r#"scrm_pool_connections{state="idle",store="mysql"}"#), "{text}");
                assert!(text.contains(r#"scrm_pool_connections{state="in_use",store="redis"}"#), "{text}");
            }
            Store::Memory => assert!(!text.contains("scrm_pool_connections{"), "{text}"),
        }
    }
}

/// With the customer index on, /readyz and /metrics report it: cold (and still ready, SQL
/// answers) before a tenant is used, then warm with the tenant's customers, its size and its
/// lag; with `SCRM_INDEX=off` it is not reported.
#[actix_web::test]
async fn readyz_and_metrics_report_the_customer_index() {
    let app = TestApp::spawn(Store::MySql).await;
    let cold = app.index_report().await;
    assert_eq!(
        (
            cold["state"].as_str(),
            cold["tenants"].as_u64(),
            cold["bytes"].as_u64()
        ),
        (Some("cold"), Some(0), Some(0)),
        "{cold}"
    );
    assert!(cold["headSeq"].as_i64().is_some(), "{cold}");
    // The first list of tenant 1 is answered by SQL and starts loading it.
    let admin = app.login("a_admin").await;
    let r = app
        .get("/wechat_api/customer/customerPage", Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let mut warm = serde_json::Value::Null;
    for _ in 0..100 {
        warm = app.index_report().await;
        if warm["state"] == "warm" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(warm["state"], "warm", "{warm}");
    assert_eq!(warm["tenants"], 1, "{warm}");
    assert_eq!(warm["customers"], 4, "tenant 1's customers: {warm}");
    assert!(warm["bytes"].as_u64().unwrap() > 0, "{warm}");
    assert!(warm["sinceCatchUpSecs"].as_f64().is_some(), "{warm}");
    assert_eq!(warm["behind"], 0, "nothing written since: {warm}");
    // `/metrics` reads the head within the same bound (NaN past it): asked again likewise.
    let mut text = String::new();
    for _ in 0..50 {
        text = app.get("/metrics", None).await.text();
        if !text.contains("scrm_index_log_behind NaN") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    for line in [
        "scrm_index_tenants 1",
        "scrm_index_customers 4",
        "scrm_index_log_behind 0",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in {text}");
    }
    assert!(text.contains("\nscrm_index_bytes "), "{text}");

    let off = TestApp::spawn_with(Store::MySql, scrm_e2e::fixture(), |c| c.index = false).await;
    let r = off.get("/readyz", None).await;
    assert_eq!(
        r.json()["data"],
        serde_json::json!({"mysql": "up", "redis": "up"})
    );
    assert!(
        !off.get("/metrics", None)
            .await
            .text()
            .contains("scrm_index_")
    );
}

/// The framework's own answer to a connection that sends no request (docs/api.md: outside the
/// envelope, as actix-http writes it before any middleware): after its 5 s head timeout, an
/// empty `408` and the connection closed. If actix ever lets it be shaped, this test says so.
#[actix_web::test]
async fn a_connection_that_sends_nothing_gets_the_frameworks_bare_408() {
    use tokio::io::AsyncReadExt;
    let app = TestApp::spawn(scrm_e2e::Store::Memory).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("closed within 10 s")
    .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.ends_with("\r\n\r\n"), "no body: {answer}");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}
