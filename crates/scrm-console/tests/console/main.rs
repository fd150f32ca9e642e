//! The console's serving, through actix-web's test server: the page on `/` and on client-side
//! routes with its own CSP, the embedded files with their types and ETags, and what the
//! console leaves to the API (its paths, other methods, missing files). Also the assets
//! themselves: no inline script, and every module import resolves to an embedded file.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use actix_web::{App, HttpResponse, test as atest, web};
use scrm_console::{Assets, CSP};

/// What the API's default service stands in for here: anything the console does not answer.
const FALLTHROUGH: &str = "not the console";

fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .route(
            "/healthz",
            web::get().to(|| async { HttpResponse::Ok().body("up") }),
        )
        .configure(scrm_console::configure)
        .default_service(web::to(|req: actix_web::HttpRequest| async move {
            if scrm_console::is_page_request(&req) {
                scrm_console::page(&req)
            } else {
                HttpResponse::NotFound().body(FALLTHROUGH)
            }
        }))
}

async fn get(path: &str) -> (StatusCode, actix_web::http::header::HeaderMap, String) {
    let app = atest::init_service(app()).await;
    let res = atest::call_service(&app, atest::TestRequest::get().uri(path).to_request()).await;
    let status = res.status();
    let headers = res.headers().clone();
    let body = atest::read_body(res).await;
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn header(headers: &actix_web::http::header::HeaderMap, name: impl AsRef<str>) -> String {
    headers
        .get(name.as_ref())
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[actix_web::test]
async fn the_page_answers_root_and_client_routes_with_its_csp() {
    for path in [
        "/",
        "/customers?tagIds=1,2&pageNo=3",
        "/call",
        "/login",
        "/x/y/z",
    ] {
        let (status, headers, body) = get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(
            header(&headers, CONTENT_TYPE),
            "text/html; charset=utf-8",
            "{path}"
        );
        assert_eq!(header(&headers, CONTENT_SECURITY_POLICY), CSP, "{path}");
        assert!(
            body.contains(r#"<script type="module" src="/assets/js/main.js"></script>"#),
            "{path}: {body}"
        );
    }
    assert!(CSP.contains("script-src 'self'") && CSP.contains("connect-src 'self'"));
    assert!(!CSP.contains("unsafe"), "{CSP}");
}

#[actix_web::test]
async fn files_have_their_types_and_revalidate_by_etag() {
    let (status, headers, body) = get("/assets/js/main.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        header(&headers, CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(header(&headers, CONTENT_SECURITY_POLICY), CSP);
    assert!(body.contains("import"), "{body}");
    let (_, headers, _) = get("/assets/app.css").await;
    assert_eq!(header(&headers, CONTENT_TYPE), "text/css; charset=utf-8");
    let (_, headers, _) = get("/assets/vendor/preact.mjs").await;
    assert_eq!(
        header(&headers, CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );

    let etag = header(&headers, ETAG);
    assert!(etag.len() > 10, "{etag}");
    let app = atest::init_service(app()).await;
    let res = atest::call_service(
        &app,
        atest::TestRequest::get()
            .uri("/assets/vendor/preact.mjs")
            .insert_header((IF_NONE_MATCH, etag.as_str()))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    let res = atest::call_service(
        &app,
        atest::TestRequest::get()
            .uri("/assets/vendor/preact.mjs")
            .insert_header((IF_NONE_MATCH, "\"other\""))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[actix_web::test]
async fn the_api_missing_files_and_other_methods_are_left_to_the_app() {
    for path in [
        "/wechat_api/nope",
        "/wechat_api",
        "/assets/nope.js",
        "/assets/",
        "/favicon.ico",
    ] {
        let (status, _, body) = get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body, FALLTHROUGH, "{path}");
    }
    let (status, _, body) = get("/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "up"));

    let app = atest::init_service(app()).await;
    for req in [
        atest::TestRequest::post().uri("/"),
        atest::TestRequest::delete().uri("/customers"),
        atest::TestRequest::post().uri("/assets/app.css"),
    ] {
        let res = atest::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    let res = atest::call_service(
        &app,
        atest::TestRequest::default()
            .method(actix_web::http::Method::HEAD)
            .uri("/")
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[test]
fn every_route_is_a_route_of_the_app() {
    let app = String::from_utf8_lossy(&Assets::get("js/app.js").unwrap().data).into_owned();
    for route in scrm_console::ROUTES {
        assert!(
            app.contains(&format!("\"{route}\": ")),
            "{route} is not in js/app.js"
        );
    }
}

#[test]
fn no_inline_script_and_nothing_from_another_origin() {
    for name in Assets::iter() {
        let text = String::from_utf8_lossy(&Assets::get(&name).unwrap().data).into_owned();
        if name.ends_with(".html") {
            let lower = text.to_lowercase();
            for tag in lower.split("<script").skip(1) {
                let open = &tag[..tag.find('>').unwrap()];
                assert!(open.contains("src="), "{name}: inline script");
                assert!(tag[tag.find('>').unwrap() + 1..].starts_with("</script>"));
            }
            assert!(!lower.contains(" on"), "{name}: an event handler attribute");
            assert!(!lower.contains("style="), "{name}: an inline style");
        }
        if name.ends_with(".html") || name.ends_with(".css") || name.starts_with("js/") {
            for origin in ["http://", "https://", "//fonts.", "url(//"] {
                assert!(!text.contains(origin), "{name} names {origin}");
            }
        }
    }
}

/// The specifiers of a module's static imports and re-exports (`from "x"`, `import "x"`).
fn imports(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for keyword in ["from", "import"] {
        let mut rest = text;
        while let Some(at) = rest.find(keyword) {
            // A keyword, not part of a word or of a string such as `class="from"`.
            let standalone = !rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || "_$.\"'-".contains(c));
            let after = rest[at + keyword.len()..].trim_start();
            if standalone
                && let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'')
                && let Some(end) = after[1..].find(quote)
            {
                found.push(after[1..=end].to_owned());
            }
            rest = &rest[at + keyword.len()..];
        }
    }
    found
}

#[test]
fn every_module_import_resolves_to_an_embedded_file() {
    let mut modules = 0;
    for name in Assets::iter() {
        if !(name.ends_with(".js") || name.ends_with(".mjs")) {
            continue;
        }
        modules += 1;
        let text = String::from_utf8_lossy(&Assets::get(&name).unwrap().data).into_owned();
        let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
        for spec in imports(&text) {
            assert!(
                spec.starts_with("./") || spec.starts_with("../"),
                "{name}: import {spec:?} is not relative (a browser cannot resolve it)"
            );
            let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
            for part in spec.split('/') {
                match part {
                    "." => {}
                    ".." => {
                        parts.pop();
                    }
                    p => parts.push(p),
                }
            }
            let target = parts.join("/");
            assert!(
                Assets::get(&target).is_some(),
                "{name}: import {spec:?} ({target}) is not embedded"
            );
        }
    }
    assert!(modules >= 4, "{modules} modules");
    assert_eq!(
        imports(r#"import{a}from"./x.mjs";import "./y.js"; export {b} from './z.js'"#),
        ["./x.mjs", "./z.js", "./y.js"]
    );
    assert!(imports(r#"<span class="from">${x}"from" "import" ximport "a""#).is_empty());
}
