//! The call pop-up: getIsOpenAfterCall, updateIsOpenAfterCall (JSON, form, numbers as
//! strings, bad values) and getCustomerInfoByCall for each source with its list shape.

use actix_web::http::StatusCode;
use scrm_domain::account::Account;
use scrm_domain::call::CallerInfo;
use scrm_domain::manual::EntryKind;
use scrm_domain::{AdminUserId, StoreError};
use serde_json::{Value, json};

use crate::fixtures::entry;
use crate::shapes::{customer_item_shape, entry_shape};
use crate::support::{
    Kind, Mocks, assert_error, assert_shape, assert_unavailable, call_json, customer, enc, get,
    post_form, post_json, scope,
};

const INFO: &str = "/wechat_api/customer/getCustomerInfoByCall";
const UPDATE: &str = "/wechat_api/customer/updateIsOpenAfterCall";

fn account(open: bool) -> Account {
    Account {
        id: AdminUserId(1),
        login_name: "boss".into(),
        real_name: "老板".into(),
        parent_id: None,
        depart_id: None,
        password_hash: None,
        is_open_after_call: open,
    }
}

#[actix_web::test]
async fn get_is_open_after_call_answers_0_or_1() {
    for (open, data) in [(false, 0), (true, 1)] {
        let mut mocks = Mocks::new();
        mocks
            .accounts
            .expect_find_by_id()
            .withf(|id| *id == AdminUserId(1))
            .times(1)
            .returning(move |_| Ok(Some(account(open))));
        let (status, body) = call_json(mocks, get("/wechat_api/customer/getIsOpenAfterCall")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({"code": 200, "msg": "操作成功!", "data": data}));
    }
    let mut mocks = Mocks::new();
    mocks.accounts.expect_find_by_id().returning(|_| Ok(None));
    let (status, body) = call_json(mocks, get("/wechat_api/customer/getIsOpenAfterCall")).await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "account not found");
}

#[actix_web::test]
async fn update_is_open_after_call_takes_json_and_forms_with_numbers_or_strings() {
    let cases = [
        (post_json(UPDATE, &json!({"isOpen": 1})), true),
        (post_json(UPDATE, &json!({"isOpen": "1"})), true),
        (post_json(UPDATE, &json!({"isOpen": 0})), false),
        (post_json(UPDATE, &json!({"isOpen": " 0 "})), false),
        (post_form(UPDATE, "isOpen=1"), true),
        (post_form(UPDATE, "isOpen=0"), false),
    ];
    for (req, open) in cases {
        let mut mocks = Mocks::new();
        mocks
            .accounts
            .expect_set_open_after_call()
            .withf(move |id, o| *id == AdminUserId(1) && *o == open)
            .times(1)
            .returning(|_, _| Ok(true));
        let (status, body) = call_json(mocks, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"code": 200, "msg": "操作成功!", "data": null}));
    }
}

#[actix_web::test]
async fn update_is_open_after_call_names_is_open() {
    let cases = [
        (post_json(UPDATE, &json!({})), "isOpen: is required"),
        (
            post_json(UPDATE, &json!({"isOpen": ""})),
            "isOpen: is required",
        ),
        (post_form(UPDATE, "isOpen="), "isOpen: is required"),
        (
            post_json(UPDATE, &json!({"isOpen": 5})),
            "isOpen: must be 0 or 1",
        ),
        (post_form(UPDATE, "isOpen=5"), "isOpen: must be 0 or 1"),
        (
            post_json(UPDATE, &json!({"isOpen": "on"})),
            "isOpen: must be 0 or 1",
        ),
        (
            post_json(UPDATE, &json!({"isOpen": [1]})),
            "isOpen: must be one value, not a list",
        ),
    ];
    for (req, msg) in cases {
        let (status, body) = call_json(Mocks::new(), req).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, msg);
    }
}

#[actix_web::test]
async fn an_unknown_number_is_source_0_with_a_null_list() {
    let mut mocks = Mocks::new();
    mocks
        .callers
        .expect_caller_by_phone()
        .withf(|s, d| *s == scope() && d == "18750928186")
        .times(1)
        .returning(|_, _| Ok(CallerInfo::Unknown));
    let uri = format!("{INFO}?phone={}", enc("+86 187-5092-8186"));
    let (status, body) = call_json(mocks, get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"code": 200, "msg": "操作成功!", "data": {"source": 0, "customerList": null}})
    );
}

#[actix_web::test]
async fn customers_are_source_1_in_the_customer_page_shape() {
    let mut mocks = Mocks::new();
    mocks
        .callers
        .expect_caller_by_phone()
        .withf(|s, d| *s == scope() && d == "11111122222")
        .times(1)
        .returning(|_, _| {
            Ok(CallerInfo::Customers(vec![
                customer(3_063_060),
                customer(3_063_061),
            ]))
        });
    let (status, body) = call_json(mocks, get(&format!("{INFO}?phone=11111122222"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_shape(
        &body["data"],
        &[("source", Kind::Num), ("customerList", Kind::Arr)],
    );
    assert_eq!(body["data"]["source"], 1);
    let list = body["data"]["customerList"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_shape(&list[0], &customer_item_shape());
    assert_eq!(list[1]["customerId"], 3_063_061);
}

async fn entries_source(kind: EntryKind, source: u64) -> Value {
    let mut mocks = Mocks::new();
    mocks
        .callers
        .expect_caller_by_phone()
        .withf(|s, d| *s == scope() && d == "18750920000")
        .returning(move |_, _| {
            Ok(match kind {
                EntryKind::Pool => CallerInfo::PoolEntries(vec![entry(19_380, 7)]),
                EntryKind::HandEntered => CallerInfo::HandEntries(vec![entry(19_381, -1)]),
            })
        });
    let (status, body) = call_json(mocks, get(&format!("{INFO}?phone=18750920000"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["source"], source);
    let list = body["data"]["customerList"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_shape(&list[0], &entry_shape(Kind::Str));
    list[0].clone()
}

#[actix_web::test]
async fn entries_are_sources_2_and_3_in_the_manual_entry_shape() {
    let pool = entries_source(EntryKind::Pool, 2).await;
    assert_eq!(pool["customerId"], 19_380);
    assert_eq!(pool["taskId"], 7);
    let hand = entries_source(EntryKind::HandEntered, 3).await;
    assert_eq!(hand["customerId"], 19_381);
    assert_eq!(hand["taskId"], -1);
    assert_eq!(hand["createTime"], "2019-11-28 17:17:45");
}

#[actix_web::test]
async fn phone_is_required_and_must_be_a_phone() {
    for (uri, msg) in [
        (INFO.to_owned(), "phone: is required"),
        (format!("{INFO}?phone="), "phone: is required"),
        (
            format!("{INFO}?phone=12"),
            "phone: must be a phone number of 5 to 20 digits",
        ),
        (
            format!("{INFO}?phone=abcdefg"),
            "phone: must be a phone number of 5 to 20 digits",
        ),
    ] {
        let (status, body) = call_json(Mocks::new(), get(&uri)).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, msg);
    }
}

#[actix_web::test]
async fn a_store_outage_during_lookup_is_503() {
    let mut mocks = Mocks::new();
    mocks
        .callers
        .expect_caller_by_phone()
        .returning(|_, _| Err(StoreError::Unavailable("mysql down".into())));
    let (status, body) = call_json(mocks, get(&format!("{INFO}?phone=18750928186"))).await;
    assert_unavailable(status, &body);
}
