//! The web console as the real server mounts it: its page on `/`, on its client-side routes
//! and on unknown ones, with its own CSP; its files; and the API's paths, the docs and the
//! metrics left as they were.

use scrm_e2e::TestApp;

both_stores! {
    async fn the_console_is_served_beside_the_api_as_it_was(store: Store) {
        let app = TestApp::spawn(store).await;
        for path in ["/", "/call", "/?tagIds=1&pageNo=2", "/some/client/route"] {
            let r = app.get(path, None).await;
            assert_eq!(r.status, 200, "{path}");
            assert_eq!(r.header("content-type"), "text/html; charset=utf-8", "{path}");
            assert!(r.header("content-security-policy").contains("script-src 'self'"), "{path}");
            assert!(r.text().contains("/assets/js/main.js"), "{path}");
            assert_eq!(r.header("x-frame-options"), "DENY", "{path}");
        }
        let r = app.get("/assets/js/api.js", None).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), "text/javascript; charset=utf-8");

        for path in ["/wechat_api/nope", "/assets/nope.js", "/favicon.ico"] {
            let r = app.get(path, None).await;
            assert_eq!(r.status, 404, "{path}");
            assert_eq!(r.json()["msg"], "接口不存在", "{path}");
            assert_eq!(r.header("content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
        }
        let r = app.call("POST", "/", None).await;
        assert_eq!((r.status, r.json()["code"].as_i64()), (404, Some(404)));
        let r = app.get("/wechat_api/customer/customerPage", None).await;
        assert_eq!(r.status, 401);
        let r = app.get("/openapi.json", None).await;
        assert!(r.json()["paths"]["/wechat_api/account/me"].is_object());
        let r = app.get("/docs/", None).await;
        assert_eq!(r.status, 200);
        assert!(!r.text().contains("/assets/js/main.js"));

        // The API's unknown paths keep their label (`/wechat_api/nope`, `/favicon.ico`); a
        // missing file is counted under the files' route.
        let metrics = app.get("/metrics", None).await.text();
        assert!(
            metrics.contains(r#"scrm_http_requests_total{method="GET",route="unmatched",status="404"} 2"#),
            "{metrics}"
        );
        assert!(
            metrics.contains(r#"scrm_http_requests_total{method="GET",route="/assets/{file:.*}",status="404"} 1"#),
            "{metrics}"
        );
        assert!(metrics.contains(r#"route="/call",status="200"} 1"#), "{metrics}");
    }
}
