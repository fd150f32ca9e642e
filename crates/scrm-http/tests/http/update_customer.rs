//! updateCustomer: the spec's example as JSON and as a form, keep/clear semantics reaching the
//! repository's patch, creation for a contact, and every key of the legacy response.

use actix_web::http::StatusCode;
use scrm_domain::customer::{CustomerPatch, FieldChange, SaveOutcome, SaveTarget, SavedCustomer};
use scrm_domain::{ContactId, CustomerId, TagId};
use serde_json::{Value, json};

use crate::shapes::{assert_ok, customer_shape, wechat_contact_shape};
use crate::support::{
    Kind, Mocks, assert_error, assert_shape, call_json, contact, customer, post_form, post_json,
    scope,
};

const PATH: &str = "/wechat_api/customer/updateCustomer";

fn spec_example_json() -> Value {
    json!({
        "customerPhone": "11111122222", "customerName": "售前-紅海", "nickName": "售前紅海",
        "xfield1": "", "remarks": "售前-紅海哥", "tags": "", "customerId": "3063060",
        "wechatContactId": "19564131", "isStar": ""
    })
}

fn spec_example_form() -> String {
    serde_urlencoded::to_string([
        ("customerPhone", "11111122222"),
        ("customerName", "售前-紅海"),
        ("nickName", "售前紅海"),
        ("xfield1", ""),
        ("remarks", "售前-紅海哥"),
        ("tags", ""),
        ("customerId", "3063060"),
        ("wechatContactId", "19564131"),
        ("isStar", ""),
    ])
    .unwrap()
}

/// The patch the spec's example must produce.
fn spec_patch() -> CustomerPatch {
    let mut xfields: [FieldChange; 10] = Default::default();
    xfields[0] = FieldChange::Clear;
    CustomerPatch {
        customer_name: FieldChange::Set("售前-紅海".into()),
        customer_phone: FieldChange::Set("11111122222".into()),
        phone_digits: Some("11111122222".into()),
        nick_name: FieldChange::Set("售前紅海".into()),
        remarks: FieldChange::Set("售前-紅海哥".into()),
        xfields,
        tags: Some(vec![]),
        is_star: None,
    }
}

/// Mocks expecting one save with this target and patch (which answers the profile and its
/// contact as saved: no read after it).
pub fn mocks_expecting(target: SaveTarget, patch: CustomerPatch) -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_save()
        .withf(move |s, t, p, _| *s == scope() && *t == target && *p == patch)
        .times(1)
        .returning(|_, _, _, _| {
            Ok(SaveOutcome::Saved(Box::new(SavedCustomer {
                customer: customer(3_063_060),
                contact: contact(19_564_131),
            })))
        });
    mocks
}

fn assert_response(body: &Value) {
    assert_ok(
        body,
        Kind::Null,
        &[("wechatContact", Kind::Obj), ("customer", Kind::Obj)],
    );
    let mut updated_customer = customer_shape();
    updated_customer.push(("sqlMap", Kind::Obj));
    assert_shape(&body["customer"], &updated_customer);
    assert_eq!(body["customer"]["customerId"], 3_063_060);
    assert_eq!(body["customer"]["lastUpdateTime"], 1_565_164_517_924_i64);
    assert_eq!(body["customer"]["tags"], "3,7");
    assert_shape(&body["wechatContact"], &wechat_contact_shape());
    let c = &body["wechatContact"];
    assert_eq!(c["seq"], c["userName"]);
    assert_eq!(c["pyinitial"], c["pYInitial"]);
    assert_eq!(c["pyquanPin"], "shouqianhonghai");
    assert_eq!(c["chatRoomSettings"], 0);
    assert_eq!(c["sqlMap"], json!({}));
    assert_eq!(
        body["customer"]["sqlMap"],
        json!({}),
        "as the spec's example has it"
    );
}

#[actix_web::test]
async fn the_spec_example_as_json() {
    let target = SaveTarget::Existing(CustomerId(3_063_060), Some(ContactId(19_564_131)));
    let mocks = mocks_expecting(target, spec_patch());
    let (status, body) = call_json(mocks, post_json(PATH, &spec_example_json())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_response(&body);
}

#[actix_web::test]
async fn the_spec_example_as_a_form() {
    let target = SaveTarget::Existing(CustomerId(3_063_060), Some(ContactId(19_564_131)));
    let mocks = mocks_expecting(target, spec_patch());
    let (status, body) = call_json(mocks, post_form(PATH, &spec_example_form())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_response(&body);
}

#[actix_web::test]
async fn absent_fields_are_kept_and_numbers_may_be_numbers() {
    let mut patch = CustomerPatch {
        remarks: FieldChange::Clear,
        tags: Some(vec![TagId(3), TagId(7)]),
        is_star: Some(true),
        ..Default::default()
    };
    patch.xfields[9] = FieldChange::Set("十".into());
    let target = SaveTarget::Existing(CustomerId(3_063_060), None);
    let mocks = mocks_expecting(target, patch);
    let body = json!({
        "customerId": 3_063_060, "remarks": null, "tags": [3, "7"], "isStar": 1,
        "xfield10": "十", "wechatContactId": ""
    });
    let (status, body) = call_json(mocks, post_json(PATH, &body)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[actix_web::test]
async fn is_star_false_and_comma_tags_in_a_form() {
    let patch = CustomerPatch {
        tags: Some(vec![TagId(8), TagId(9)]),
        is_star: Some(false),
        ..Default::default()
    };
    let target = SaveTarget::Existing(CustomerId(3_063_060), None);
    let mocks = mocks_expecting(target, patch);
    let (status, body) = call_json(
        mocks,
        post_form(PATH, "customerId=3063060&tags=8%2C9&isStar=false"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[actix_web::test]
async fn no_customer_id_creates_the_contacts_profile() {
    let patch = CustomerPatch {
        customer_name: FieldChange::Set("新".into()),
        ..Default::default()
    };
    let mocks = mocks_expecting(SaveTarget::NewFor(ContactId(19_564_131)), patch);
    let (status, body) = call_json(
        mocks,
        post_json(
            PATH,
            &json!({"customerId": "", "wechatContactId": 19_564_131, "customerName": "新"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[actix_web::test]
async fn a_customer_outside_the_scope_is_404() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_save()
        .returning(|_, _, _, _| Ok(SaveOutcome::NotFound));
    let (status, body) = call_json(mocks, post_json(PATH, &json!({"customerId": "5"}))).await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "customer not found");
}
