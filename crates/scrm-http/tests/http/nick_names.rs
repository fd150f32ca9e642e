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

#[actix_web::test]
async fn every_other_shape_of_the_items() {
    let item = |id: i64| json!({"wechatContactId": id, "custName": "陳佳", "nickName": "陳佳"});
    let array = json!([item(1), item(2)]);
    let form_item = format!(
        "wechatContactId=7&custName={}&nickName={}",
        enc("陳佳"),
        enc("陳佳")
    );
    let cases = [
        (
            post_json(PATH, &json!({ "nickNames": array })),
            vec![chen(1), chen(2)],
        ),
        (
            post_json(PATH, &json!({ "nickNames": item(4).to_string() })),
            vec![chen(4)],
        ),
        (
            post_form(PATH, &format!("nickNames={}", enc(&array.to_string()))),
            vec![chen(1), chen(2)],
        ),
        (post_form(PATH, &form_item), vec![chen(7)]),
        (
            post_form(
                &format!("{PATH}?nickNames={}", enc(&item(8).to_string())),
                "",
            ),
            vec![chen(8)],
        ),
        // `nickNames` wins over the item's own fields.
        (
            post_json(PATH, &json!({"nickNames": [item(9)], "wechatContactId": 3})),
            vec![chen(9)],
        ),
    ];
    for (req, items) in cases {
        assert_saved(expecting(items), req).await;
    }
}

#[actix_web::test]
async fn bad_shapes_are_400_naming_the_parameter_and_save_nothing() {
    let bare_array = |items: serde_json::Value| {
        TestRequest::post()
            .uri(PATH)
            .insert_header(("Authorization", format!("Bearer {TOKEN}")))
            .set_json(items)
    };
    let cases = [
        (
            bare_array(json!([{"wechatContactId": 1}, {"wechatContactId": "abc"}])),
            "nickNames[1].wechatContactId: must be an integer",
        ),
        (bare_array(json!([1])), "nickNames[0]: must be an object"),
        (
            bare_array(json!([{"custName": "a"}])),
            "nickNames[0].wechatContactId: is required",
        ),
        (
            post_form(PATH, "wechatContactId=x&custName=a"),
            "wechatContactId: must be an integer",
        ),
        (
            post_form(PATH, "nickNames=5"),
            "nickNames: must be an object or an array of objects",
        ),
        (
            post_form(
                PATH,
                &format!("nickNames={}", enc("[{\"custName\":\"a\"}]")),
            ),
            "nickNames[0].wechatContactId: is required",
        ),
        (
            post_form(
                PATH,
                &format!("nickNames={}", enc("[{\"wechatContactId\":1},7]")),
            ),
            "nickNames[1]: must be an object",
        ),
        (
            post_form(PATH, "nickNames=%5B1%2C"),
            "nickNames: must be JSON",
        ),
        (
            post_form(PATH, "nickNames=&custName=a"),
            "nickNames: is required",
        ),
        (post_json(PATH, &json!("text")), "nickNames: is required"),
        (
            post_json(PATH, &json!({"nickNames": "\"text\""})),
            "nickNames: must be an object or an array of objects",
        ),
    ];
    for (req, msg) in cases {
        // No expectation on the mocks: any store call would fail the test.
        let (status, body) = call_json(Mocks::new(), req).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, msg);
    }
}
