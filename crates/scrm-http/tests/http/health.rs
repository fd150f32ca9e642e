//! /healthz touches no store; /readyz pings every probe and names the ones that are down.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::StoreError;
use scrm_domain::health::MockHealthProbe;
use serde_json::json;

use crate::support::{Mocks, call_json};

fn probe(name: &'static str, up: bool) -> MockHealthProbe {
    let mut p = MockHealthProbe::new();
    p.expect_name().return_const(name);
    p.expect_ping().times(1).returning(move || {
        if up {
            Ok(())
        } else {
            Err(StoreError::Unavailable(format!("{name} refused")))
        }
    });
    p
}

#[actix_web::test]
async fn healthz_is_up_without_a_token_or_a_store() {
    let mut mocks = Mocks::new();
    mocks.probes.push(MockHealthProbe::new());
    let (status, body) = call_json(mocks, TestRequest::get().uri("/healthz")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"code": 200, "msg": "操作成功!", "data": {"status": "up"}})
    );
}

#[actix_web::test]
async fn readyz_is_200_when_every_store_answers() {
    let mut mocks = Mocks::new();
    mocks.probes = vec![probe("mysql", true), probe("redis", true)];
    let (status, body) = call_json(mocks, TestRequest::get().uri("/readyz")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"code": 200, "msg": "操作成功!", "data": {"mysql": "up", "redis": "up"}})
    );
}

#[actix_web::test]
async fn readyz_is_503_naming_the_store_that_is_down() {
    let mut mocks = Mocks::new();
    mocks.probes = vec![probe("mysql", true), probe("redis", false)];
    let (status, body) = call_json(mocks, TestRequest::get().uri("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        body,
        json!({"code": 503, "msg": "服務暫時不可用,請稍後重試", "data": {"mysql": "up", "redis": "down"}})
    );
}
