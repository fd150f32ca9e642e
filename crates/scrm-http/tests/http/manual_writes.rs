//! delManualTask, delManualTaskDetail, restoreManualTask, restoreManualTaskDetail: the spec's
//! examples as JSON and forms (ids as numbers or strings), the ids reaching the repository,
//! the spec's 400 texts, 404 and 409.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::manual::RestoreOutcome;
use scrm_domain::{AdminUserId, ManualEntryId};
use serde_json::json;

use crate::support::{Mocks, assert_error, call_json, post_form, post_json, scope};

const DEL: &str = "/wechat_api/customer/delManualTask";
const DEL_DETAIL: &str = "/wechat_api/customer/delManualTaskDetail";
const RESTORE: &str = "/wechat_api/customer/restoreManualTask";
const RESTORE_DETAIL: &str = "/wechat_api/customer/restoreManualTaskDetail";

fn ok_body() -> serde_json::Value {
    json!({"code": 200, "msg": "操作成功!", "data": null})
}

#[actix_web::test]
async fn del_manual_task_moves_an_assignees_entries() {
    let requests = [
        post_json(DEL, &json!({"adminUserId": 12_206})),
        post_json(DEL, &json!({"adminUserId": "12206"})),
        post_form(DEL, "adminUserId=12206"),
    ];
    for req in requests {
        let mut mocks = Mocks::new();
        mocks
            .entries
            .expect_delete_assignee()
            .withf(|s, a, _| *s == scope() && *a == AdminUserId(12_206))
            .times(1)
            .returning(|_, _, _| Ok(4));
        let (status, body) = call_json(mocks, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, ok_body());
    }
    let mut mocks = Mocks::new();
    mocks
        .entries
        .expect_delete_assignee()
        .returning(|_, _, _| Ok(0));
    let (status, body) = call_json(mocks, post_json(DEL, &json!({"adminUserId": 99}))).await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "manual entries not found",
    );
}

#[actix_web::test]
async fn del_manual_task_detail_moves_one_entry() {
    let requests = [
        post_json(DEL_DETAIL, &json!({"customerId": 19_905})),
        post_json(DEL_DETAIL, &json!({"customerId": "19905"})),
        post_form(DEL_DETAIL, "customerId=19905"),
    ];
    for req in requests {
        let mut mocks = Mocks::new();
        mocks
            .entries
            .expect_delete_entry()
            .withf(|s, id, _| *s == scope() && *id == ManualEntryId(19_905))
            .times(1)
            .returning(|_, _, _| Ok(true));
        let (status, body) = call_json(mocks, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, ok_body());
    }
    let mut mocks = Mocks::new();
    mocks
        .entries
        .expect_delete_entry()
        .returning(|_, _, _| Ok(false));
    let (status, body) = call_json(mocks, post_form(DEL_DETAIL, "customerId=1")).await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "manual entry not found",
    );
}

/// A restore answers each outcome of the repository: 200 (`restored` entries back), 404
/// `not_found`, 409 naming the live entry `duplicate`; `expect` sets the mock up for one
/// outcome, `request` is the restore.
async fn assert_restore_outcomes(
    expect: impl Fn(&mut Mocks, RestoreOutcome),
    request: impl Fn() -> TestRequest,
    (restored, not_found, duplicate): (u64, &str, i64),
) {
    let dup_msg = format!("customerPhone: already on this call list as entry {duplicate}");
    let cases = [
        (
            RestoreOutcome::Restored(restored),
            StatusCode::OK,
            "操作成功!",
        ),
        (RestoreOutcome::NotFound, StatusCode::NOT_FOUND, not_found),
        (
            RestoreOutcome::DuplicatePhone(ManualEntryId(duplicate)),
            StatusCode::CONFLICT,
            dup_msg.as_str(),
        ),
    ];
    for (outcome, status_want, msg) in cases {
        let mut mocks = Mocks::new();
        expect(&mut mocks, outcome);
        let (status, body) = call_json(mocks, request()).await;
        assert_eq!(status, status_want, "{body}");
        assert_eq!(body["code"], status_want.as_u16());
        assert_eq!(body["msg"], msg);
        assert!(body["data"].is_null());
    }
}

#[actix_web::test]
async fn restore_manual_task_maps_each_outcome() {
    assert_restore_outcomes(
        |mocks, outcome| {
            mocks
                .entries
                .expect_restore_assignee()
                .withf(|s, a, _| *s == scope() && *a == AdminUserId(12_206))
                .times(1)
                .return_once(move |_, _, _| Ok(outcome));
        },
        || post_form(RESTORE, "adminUserId=12206"),
        (3, "manual entries not found", 7),
    )
    .await;
}

#[actix_web::test]
async fn restore_manual_task_detail_maps_each_outcome() {
    assert_restore_outcomes(
        |mocks, outcome| {
            mocks
                .entries
                .expect_restore_entry()
                .withf(|s, id, _| *s == scope() && *id == ManualEntryId(19_905))
                .times(1)
                .return_once(move |_, _, _| Ok(outcome));
        },
        || post_json(RESTORE_DETAIL, &json!({"customerId": "19905"})),
        (1, "manual entry not found", 8),
    )
    .await;
}

#[actix_web::test]
async fn a_missing_id_is_the_specs_400_and_a_bad_one_is_named() {
    for (path, param, missing) in [
        (DEL, "adminUserId", "adminUserId為空"),
        (RESTORE, "adminUserId", "adminUserId為空"),
        (DEL_DETAIL, "customerId", "customerId為空"),
        (RESTORE_DETAIL, "customerId", "customerId為空"),
    ] {
        for req in [
            post_json(path, &json!({})),
            post_json(path, &json!({ param: "" })),
            post_json(path, &json!({ param: null })),
            post_form(path, &format!("{param}=")),
            post_form(path, ""),
        ] {
            let (status, body) = call_json(Mocks::new(), req).await;
            assert_error(status, &body, StatusCode::BAD_REQUEST, missing);
        }
        let bad = format!("{param}: must be an integer");
        for req in [
            post_json(path, &json!({ param: "abc" })),
            post_form(path, &format!("{param}=1.5")),
        ] {
            let (status, body) = call_json(Mocks::new(), req).await;
            assert_error(status, &body, StatusCode::BAD_REQUEST, &bad);
        }
    }
}
