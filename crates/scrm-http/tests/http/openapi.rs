//! The OpenAPI document and Swagger UI: `/openapi.json` is an OpenAPI 3.1 document whose
//! operations are exactly the app's routes, `/docs/` serves Swagger UI from the binary (no
//! network), both without a token, and only Swagger UI's files get the looser CSP.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use actix_web::App;
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::from_fn;
use actix_web::test::{self, TestRequest};
use serde_json::Value;

use crate::hardened::{assert_security_headers, call_all};
use crate::support::Mocks;

/// The methods a route could be registered for.
const METHODS: [Method; 7] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::PATCH,
    Method::HEAD,
    Method::OPTIONS,
];

/// The served document.
pub async fn document() -> Value {
    let answers = call_all(
        Mocks::new(),
        &[],
        vec![TestRequest::get().uri("/openapi.json")],
    )
    .await;
    assert_eq!(answers[0].status, StatusCode::OK);
    assert_eq!(answers[0].header("content-type"), "application/json");
    answers[0].json()
}

/// Every `(METHOD, path)` operation of the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let paths = doc["paths"].as_object().expect("paths");
    let mut ops = BTreeSet::new();
    for (path, item) in paths {
        for method in item.as_object().expect("path item").keys() {
            if METHODS
                .iter()
                .any(|m| m.as_str().eq_ignore_ascii_case(method))
            {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

/// The resource patterns of the real app, read from actix's resource map (its `Debug` form is
/// the only public view of every registered pattern).
async fn registered_patterns() -> BTreeSet<String> {
    let seen = Rc::new(RefCell::new(String::new()));
    let capture = Rc::clone(&seen);
    let state = Mocks::new().state();
    let app = test::init_service(
        scrm_http::harden(App::new(), &[], std::time::Duration::from_secs(30))
            .configure(|cfg| scrm_http::configure(cfg, state.clone()))
            .wrap(from_fn(
                move |req: actix_web::dev::ServiceRequest, next: actix_web::middleware::Next<_>| {
                    *capture.borrow_mut() = format!("{:?}", req.request().resource_map());
                    async move { next.call(req).await }
                },
            )),
    )
    .await;
    test::call_service(&app, TestRequest::get().uri("/healthz").to_request()).await;
    let map = seen.borrow().clone();
    patterns_in(&map)
}

/// Every `Single("..")` pattern of a `Debug`-printed resource map.
fn patterns_in(debug: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = debug;
    while let Some(at) = rest.find("patterns: Single(\"") {
        rest = &rest[at + "patterns: Single(\"".len()..];
        let end = rest.find("\")").expect("end of pattern");
        let pattern = &rest[..end];
        // The root of the map is the app itself (pattern "").
        if !pattern.is_empty() {
            found.insert(pattern.to_owned());
        }
        rest = &rest[end..];
    }
    // Only flat maps are read: one container (the app) holding resources. A scope (a nested
    // container, its patterns relative to its prefix) or a resource with several patterns
    // fails here rather than hiding its routes.
    assert!(
        !debug.contains("patterns: List("),
        "a resource with several patterns: teach this test to read it"
    );
    assert_eq!(
        debug.matches("nodes: Some(").count(),
        1,
        "a scope or nested service: teach this test to read nested resource maps"
    );
    found
}

/// A concrete path for a pattern (`{tail:.*}` → `x`).
fn concrete(pattern: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in pattern.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push('x');
                }
                depth += 1;
            }
            '}' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[actix_web::test]
async fn the_document_is_openapi_3_1_and_every_reference_resolves() {
    let doc = document().await;
    let version = doc["openapi"].as_str().expect("openapi");
    assert!(version.starts_with("3.1."), "{version}");
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let mut rest = text.as_str();
    while let Some(at) = rest.find("\"$ref\":\"#/components/schemas/") {
        rest = &rest[at + "\"$ref\":\"#/components/schemas/".len()..];
        let name = &rest[..rest.find('"').expect("end of ref")];
        assert!(schemas.contains_key(name), "dangling $ref to {name}");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearerAuth"]["scheme"],
        "bearer"
    );
}

#[actix_web::test]
async fn the_spec_names_and_lenient_types_are_in_it() {
    let doc = document().await;
    let page = &doc["paths"]["/wechat_api/customer/customerPage"]["get"];
    let names: BTreeSet<&str> = page["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    for name in [
        "customerName",
        "customerPhone",
        "tagIds",
        "beginTime",
        "endTime",
        "remarks",
        "remarkName",
        "wechatUserId",
        "limit",
        "pageNo",
    ] {
        assert!(names.contains(name), "customerPage lacks {name}");
    }
    let lenient = &doc["components"]["schemas"]["LenientInt"]["oneOf"];
    assert_eq!(lenient[0]["type"], "integer");
    assert_eq!(lenient[1]["type"], "string");
    let responses = page["responses"].as_object().expect("responses");
    for status in ["200", "400", "401", "414", "500", "503"] {
        assert!(
            responses.contains_key(status),
            "customerPage lacks {status}"
        );
    }
    let login = &doc["paths"]["/wechat_api/login"]["post"];
    assert!(login["responses"]["429"]["headers"]["Retry-After"].is_object());
    assert_eq!(login["security"], serde_json::json!([{}]));
    let csv = &doc["paths"]["/wechat_api/customer/downLoad"]["get"]["responses"]["200"];
    assert!(csv["content"]["text/csv; charset=utf-8"].is_object());
    let update = &doc["paths"]["/wechat_api/customer/updateCustomer"]["post"]["requestBody"];
    assert!(update["content"]["application/json"].is_object());
    assert!(update["content"]["application/x-www-form-urlencoded"].is_object());
}

#[actix_web::test]
async fn every_route_is_documented() {
    let doc = document().await;
    let documented = documented(&doc);
    let patterns = registered_patterns().await;
    assert!(
        patterns.contains("/wechat_api/customer/customerPage"),
        "{patterns:?}"
    );
    let state = Mocks::new().state();
    let app = test::init_service(
        scrm_http::harden(App::new(), &[], std::time::Duration::from_secs(30))
            .configure(|cfg| scrm_http::configure(cfg, state.clone())),
    )
    .await;
    let mut routed = BTreeSet::new();
    for pattern in &patterns {
        if scrm_http::openapi::UNDOCUMENTED.contains(&pattern.as_str()) {
            continue;
        }
        for method in METHODS {
            let req = TestRequest::default()
                .method(method.clone())
                .uri(&concrete(pattern))
                .to_request();
            let status = test::call_service(&app, req).await.status();
            if status != StatusCode::METHOD_NOT_ALLOWED && status != StatusCode::NOT_FOUND {
                routed.insert((method.as_str().to_owned(), pattern.clone()));
            }
        }
    }
    let missing: Vec<_> = routed.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from /openapi.json: {missing:?}"
    );
    let phantom: Vec<_> = documented.difference(&routed).collect();
    assert!(
        phantom.is_empty(),
        "documented operations with no route: {phantom:?}"
    );
}

#[actix_web::test]
async fn swagger_ui_is_served_from_the_binary_without_a_token() {
    let answers = call_all(
        Mocks::new(),
        &[],
        vec![
            TestRequest::get().uri("/docs"),
            TestRequest::get().uri("/docs/"),
            TestRequest::get().uri("/docs/swagger-initializer.js"),
            TestRequest::get().uri("/docs/swagger-ui-bundle.js"),
            TestRequest::get().uri("/docs/no-such-file.js"),
        ],
    )
    .await;
    assert_eq!(answers[0].status, StatusCode::FOUND);
    assert_eq!(answers[0].header("location"), "/docs/");
    assert_eq!(answers[1].status, StatusCode::OK);
    assert!(answers[1].header("content-type").starts_with("text/html"));
    let html = String::from_utf8_lossy(answers[1].body.as_ref().unwrap()).into_owned();
    assert!(html.contains("swagger-ui"), "{html}");
    for tag in ["<script", "<link"] {
        for piece in html.split(tag).skip(1) {
            let head = &piece[..piece.find('>').unwrap()];
            assert!(
                !head.contains("http:") && !head.contains("https:"),
                "external: {head}"
            );
        }
    }
    let init = String::from_utf8_lossy(answers[2].body.as_ref().unwrap()).into_owned();
    assert!(init.contains("\"url\": \"/openapi.json\""), "{init}");
    // No call to the online validator (the page must work without internet access).
    assert!(init.contains("\"validatorUrl\": \"none\""), "{init}");
    assert_eq!(answers[3].status, StatusCode::OK);
    assert!(answers[3].body.as_ref().unwrap().len() > 100_000);
    assert_eq!(answers[4].status, StatusCode::NOT_FOUND);
    for answer in &answers[1..4] {
        assert_eq!(
            answer.header("content-security-policy"),
            scrm_http::openapi::ui::DOCS_CSP
        );
        assert_eq!(answer.header("x-frame-options"), "DENY");
    }
}

#[actix_web::test]
async fn the_api_and_the_document_keep_the_strict_headers() {
    let answers = call_all(
        Mocks::new(),
        &[],
        vec![
            TestRequest::get().uri("/openapi.json"),
            TestRequest::get().uri("/healthz"),
            TestRequest::get().uri("/wechat_api/customer/customerPage"),
            TestRequest::get().uri("/docs/no-such-file.js"),
        ],
    )
    .await;
    for answer in &answers {
        assert_security_headers(&answer.headers);
    }
}

/// The `$ref` of a parameter's schema, or of a body property's (unwrapping `oneOf [T, null]`).
fn schema_ref(schema: &Value) -> &str {
    schema["$ref"]
        .as_str()
        .or_else(|| schema["oneOf"][0]["$ref"].as_str())
        .unwrap_or_default()
}

#[actix_web::test]
async fn every_list_parameter_is_an_id_list_of_text_or_array() {
    let doc = document().await;
    let ids = "#/components/schemas/IdList";
    for (path, name) in [
        ("/wechat_api/customer/customerPage", "tagIds"),
        ("/wechat_api/customer/downLoad", "tagIds"),
        ("/wechat_api/customer/findcontactbytagAll", "tagIds"),
        ("/wechat_api/message/getRedisMessageRecord", "wechatUserIds"),
        (
            "/wechat_api/message/getRedisMessageRecord",
            "wechatContactIds",
        ),
    ] {
        let params = doc["paths"][path]["get"]["parameters"]
            .as_array()
            .expect("parameters");
        let param = params
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} lacks {name}"));
        assert_eq!(schema_ref(&param["schema"]), ids, "{path} {name}");
        assert_eq!(param["required"], false, "{path} {name}");
    }
    let update = &doc["components"]["schemas"]["UpdateCustomerBody"]["allOf"][1];
    assert_eq!(schema_ref(&update["properties"]["tags"]), ids);
    let variants = doc["components"]["schemas"]["IdList"]["oneOf"]
        .as_array()
        .expect("oneOf");
    let types: Vec<&str> = variants
        .iter()
        .map(|v| v["type"].as_str().expect("type"))
        .collect();
    assert_eq!(types, ["string", "array", "integer"]);
    let examples: Vec<&str> = variants[0]["examples"]
        .as_array()
        .expect("examples")
        .iter()
        .map(|e| e.as_str().expect("text"))
        .collect();
    assert!(examples.contains(&"81100608,81100609"), "{examples:?}");
    assert!(examples.contains(&"[81100608,81100609]"), "{examples:?}");
    assert_eq!(variants[1]["maxItems"], 1000);
}
