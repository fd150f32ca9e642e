//! The security headers on every kind of response: JSON 200, 401, 404, 405, the CSV file, an
//! error returned by a middleware; a handler's own Cache-Control wins.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::CACHE_CONTROL;
use actix_web::middleware::{Next, from_fn};
use actix_web::test::{self, TestRequest};
use actix_web::{App, HttpResponse, web};

use crate::hardened::{assert_security_headers, call_all};
use crate::support::{Mocks, get};

#[actix_web::test]
async fn every_response_carries_them() {
    let mocks = Mocks::with_one_customer();
    let reqs = vec![
        TestRequest::get().uri("/healthz"),
        TestRequest::get().uri("/wechat_api/customer/customerPage"),
        get("/no/such/route"),
        TestRequest::put().uri("/healthz"),
        get("/wechat_api/customer/downLoad?limit=10&pageNo=1"),
    ];
    let answers = call_all(mocks, &[], reqs).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::UNAUTHORIZED,
            StatusCode::NOT_FOUND,
            StatusCode::METHOD_NOT_ALLOWED,
            StatusCode::OK,
        ]
    );
    assert_eq!(answers[4].header("content-type"), "text/csv; charset=utf-8");
    for answer in &answers {
        assert_security_headers(&answer.headers);
    }
}

#[actix_web::test]
async fn a_handler_cache_control_is_kept_and_an_error_from_a_middleware_gets_them_too() {
    async fn failing(
        _req: ServiceRequest,
        _next: Next<BoxBody>,
    ) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
        Err(actix_web::error::ErrorBadGateway("upstream"))
    }
    let app = test::init_service(
        scrm_http::harden(App::new(), &[], std::time::Duration::from_secs(30))
            .route(
                "/cached",
                web::get().to(|| async {
                    HttpResponse::Ok()
                        .insert_header((CACHE_CONTROL, "max-age=60"))
                        .finish()
                }),
            )
            .service(
                web::scope("/failing")
                    .wrap(from_fn(failing))
                    .route("", web::get().to(HttpResponse::Ok)),
            ),
    )
    .await;
    let resp = test::call_service(&app, TestRequest::get().uri("/cached").to_request()).await;
    assert_eq!(resp.headers().get(CACHE_CONTROL).unwrap(), "max-age=60");
    assert_eq!(resp.headers().get("x-frame-options").unwrap(), "DENY");

    // An error returned by a middleware reaches actix's dispatcher, which makes the response.
    let err = test::try_call_service(&app, TestRequest::get().uri("/failing").to_request())
        .await
        .err()
        .expect("the error is passed on");
    let resp = err.error_response();
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    assert_security_headers(resp.headers());
    assert!(resp.headers().contains_key("x-request-id"));
}
