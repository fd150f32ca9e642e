//! /healthz touches no store; /readyz pings every probe and names the ones that are down.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::StoreError;
use scrm_domain::customer::{IndexStatus, MockCustomerIndex};
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

fn index_reporting(status: IndexStatus) -> MockCustomerIndex {
    let mut index = MockCustomerIndex::new();
    index
        .expect_status()
        .times(1)
        .returning(move || Some(status.clone()));
    index
}

#[actix_web::test]
async fn readyz_reports_a_cold_index_without_failing() {
    let mut mocks = Mocks::new();
    mocks.probes = vec![probe("mysql", true), probe("redis", true)];
    mocks.index = Some(index_reporting(IndexStatus {
        tenants: 0,
        customers: 0,
        contacts: 0,
        bytes: 0,
        since_catch_up: None,
        applied_seq: None,
        head_seq: None,
    }));
    let (status, body) = call_json(mocks, TestRequest::get().uri("/readyz")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"code": 200, "msg": "操作成功!", "data": {"mysql": "up", "redis": "up",
            "index": {"state": "cold", "tenants": 0, "customers": 0, "contacts": 0, "bytes": 0,
                "sinceCatchUpSecs": null, "appliedSeq": null, "headSeq": null, "behind": null}}})
    );
}

#[actix_web::test]
async fn readyz_reports_what_a_warm_index_holds_and_its_lag() {
    let mut mocks = Mocks::new();
    mocks.probes = vec![probe("mysql", true)];
    mocks.index = Some(index_reporting(IndexStatus {
        tenants: 2,
        customers: 3000,
        contacts: 3300,
        bytes: 81_920,
        since_catch_up: Some(1.5),
        applied_seq: Some(40),
        head_seq: Some(43),
    }));
    let (status, body) = call_json(mocks, TestRequest::get().uri("/readyz")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["data"],
        json!({"mysql": "up", "index": {"state": "warm", "tenants": 2, "customers": 3000,
            "contacts": 3300, "bytes": 81_920, "sinceCatchUpSecs": 1.5, "appliedSeq": 40, "headSeq": 43,
            "behind": 3}})
    );
}

#[actix_web::test]
async fn readyz_is_503_for_a_store_that_is_down_and_still_reports_the_index() {
    let mut mocks = Mocks::new();
    mocks.probes = vec![probe("mysql", false)];
    mocks.index = Some(index_reporting(IndexStatus {
        tenants: 1,
        customers: 10,
        contacts: 12,
        bytes: 4096,
        since_catch_up: Some(30.0),
        applied_seq: Some(7),
        head_seq: None,
    }));
    let (status, body) = call_json(mocks, TestRequest::get().uri("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["data"]["mysql"], "down");
    assert_eq!(body["data"]["index"]["state"], "warm");
    assert_eq!(body["data"]["index"]["headSeq"], json!(null));
    assert_eq!(body["data"]["index"]["behind"], json!(null));
}
