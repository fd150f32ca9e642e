//! Health, readiness and the envelope on routing errors.

use scrm_e2e::{Store, TestApp};

/// Store-specific (a Redis that is down): MariaDB + Redis only.
#[actix_web::test]
async fn readyz_names_the_store_that_is_down() {
    let app = TestApp::spawn_with(Store::MySql, scrm_e2e::fixture(), |_| {}).await;
    // A second server over the same data but a Redis that is not there.
    let mut config = app.config.clone();
    config.redis_url = "redis://127.0.0.1:1".into();
    config.store_timeout = std::time::Duration::from_millis(500);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    actix_web::rt::spawn(
        scrm_app::build(&config, scrm_app::Initial::Nothing, listener)
            .await
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let mut res = app
        .client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], 503);
    assert_eq!(body["data"]["redis"], "down");
    assert_eq!(body["data"]["mysql"], "up");
    // A request that needs the session store answers 503 in the envelope, not 401 or 500.
    let mut res = app
        .client
        .get(format!("{base}/wechat_api/customer/customerPage"))
        .insert_header(("Authorization", format!("Bearer {}", "a".repeat(64))))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
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
        let probes = match store {
            Store::MySql => serde_json::json!({"mysql": "up", "redis": "up"}),
            Store::Memory => serde_json::json!({"memory": "up"}),
        };
        assert_eq!(r.json()["data"], probes);

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
