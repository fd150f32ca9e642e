//! delete and restore: JSON and form bodies with the spec's example, ids as strings or
//! numbers, the spec's response shapes, 404 outside the scope.

use actix_web::http::StatusCode;
use scrm_domain::CustomerId;
use serde_json::json;

use crate::support::{Mocks, assert_error, call_json, post_form, post_json, scope};

#[actix_web::test]
async fn delete_answers_the_spec_shape_for_json_and_form() {
    let requests = [
        post_json(
            "/wechat_api/customer/delete",
            &json!({"customerId": "3063253"}),
        ),
        post_json(
            "/wechat_api/customer/delete",
            &json!({"customerId": 3_063_253}),
        ),
        post_form("/wechat_api/customer/delete", "customerId=3063253"),
    ];
    for req in requests {
        let mut mocks = Mocks::new();
        mocks
            .customers
            .expect_soft_delete()
            .withf(|s, id, _| *s == scope() && *id == CustomerId(3_063_253))
            .times(1)
            .returning(|_, _, _| Ok(true));
        let (status, body) = call_json(mocks, req).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body,
            json!({"code": 200, "msg": "操作成功!", "data": [], "pageNo": 1, "count": 0})
        );
    }
}

#[actix_web::test]
async fn delete_of_an_unknown_customer_is_404() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_soft_delete()
        .returning(|_, _, _| Ok(false));
    let (status, body) = call_json(
        mocks,
        post_form("/wechat_api/customer/delete", "customerId=9"),
    )
    .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "customer not found");
}

#[actix_web::test]
async fn a_post_may_carry_its_id_in_the_query_string() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_restore()
        .withf(|_, id, _| *id == CustomerId(12))
        .times(1)
        .returning(|_, _, _| Ok(true));
    let req = post_form("/wechat_api/customer/restore?customerId=12", "");
    let (status, body) = call_json(mocks, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"code": 200, "msg": "操作成功!", "data": null}));
}

#[actix_web::test]
async fn the_body_wins_over_the_query_string() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_restore()
        .withf(|_, id, _| *id == CustomerId(34))
        .times(1)
        .returning(|_, _, _| Ok(true));
    let req = post_json(
        "/wechat_api/customer/restore?customerId=12",
        &json!({"customerId": "34"}),
    );
    let (status, _) = call_json(mocks, req).await;
    assert_eq!(status, StatusCode::OK);
}

#[actix_web::test]
async fn restore_of_a_customer_not_in_the_bin_is_404() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_restore()
        .returning(|_, _, _| Ok(false));
    let (status, body) = call_json(
        mocks,
        post_json("/wechat_api/customer/restore", &json!({"customerId": 5})),
    )
    .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "customer not found");
}
