//! batchSaveNickName: the spec's example as a JSON value, as a form string holding JSON, as
//! an array, as a bare body; ids as strings; the spec's response.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::ContactId;
use scrm_domain::contact::NickNameInput;
use serde_json::json;

use crate::support::{Mocks, TOKEN, assert_error, call_json, enc, post_form, post_json, scope};

const PATH: &str = "/wechat_api/customer/batchSaveNickName";

fn chen(id: i64) -> NickNameInput {
    NickNameInput {
        wechat_contact_id: ContactId(id),
        cust_name: Some("陳佳".into()),
        nick_name: Some("陳佳".into()),
    }
}

fn expecting(items: Vec<NickNameInput>) -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_save_nick_names()
        .withf(move |s, got| *s == scope() && got == items.as_slice())
        .times(1)
        .returning(|_, _| Ok(None));
    mocks
}

async fn assert_saved(mocks: Mocks, req: TestRequest) {
    let (status, body) = call_json(mocks, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"msg": "保存成功!", "code": 200, "data": null}));
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3);
}

#[actix_web::test]
async fn the_spec_example_as_a_json_value() {
    let body = json!({"nickNames": {"wechatContactId": 47_666_822, "custName": "陳佳", "nickName": "陳佳"}});
    assert_saved(expecting(vec![chen(47_666_822)]), post_json(PATH, &body)).await;
}

#[actix_web::test]
async fn the_spec_example_as_a_form_string() {
    let value = r#"{"wechatContactId":47666822,"custName":"陳佳","nickName":"陳佳"}"#;
    let req = post_form(PATH, &format!("nickNames={}", enc(value)));
    assert_saved(expecting(vec![chen(47_666_822)]), req).await;
}

#[actix_web::test]
async fn an_array_with_string_ids_in_a_json_string() {
    let value = r#"[{"wechatContactId":"1","custName":"陳佳","nickName":"陳佳"},{"wechatContactId":2,"custName":"陳佳","nickName":"陳佳"}]"#;
    let req = post_json(PATH, &json!({ "nickNames": value }));
    assert_saved(expecting(vec![chen(1), chen(2)]), req).await;
}

#[actix_web::test]
async fn a_bare_body_object_or_array() {
    let item = json!({"wechatContactId": "47666822", "custName": "陳佳", "nickName": "陳佳"});
    assert_saved(expecting(vec![chen(47_666_822)]), post_json(PATH, &item)).await;
    let req = TestRequest::post()
        .uri(PATH)
        .insert_header(("Authorization", format!("Bearer {TOKEN}")))
        .set_json(json!([item, {"wechatContactId": 5, "custName": "陳佳", "nickName": "陳佳"}]));
    assert_saved(expecting(vec![chen(47_666_822), chen(5)]), req).await;
}

#[actix_web::test]
async fn empty_names_are_not_given() {
    let items = vec![NickNameInput {
        wechat_contact_id: ContactId(3),
        cust_name: None,
        nick_name: Some("佳".into()),
    }];
    let body = json!({"nickNames": [{"wechatContactId": 3, "custName": "", "nickName": "佳"}]});
    assert_saved(expecting(items), post_json(PATH, &body)).await;
}

#[actix_web::test]
async fn a_contact_outside_the_scope_is_404() {
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_save_nick_names()
        .returning(|_, _| Ok(Some(ContactId(9))));
    let body = json!({"nickNames": {"wechatContactId": 9, "custName": "a", "nickName": "b"}});
    let (status, body) = call_json(mocks, post_json(PATH, &body)).await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "wechatContact not found",
    );
}
