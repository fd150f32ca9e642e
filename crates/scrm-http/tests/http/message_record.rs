//! message/record, the connector's push: arrays, `{"messages"}`, forms, numbers as strings, bad
//! items named by index, 404 with nothing stored, the 1,000-message and 1 MiB limits.

use actix_web::http::StatusCode;
use scrm_domain::{ContactId, WechatUserId};
use serde_json::{Value, json};

use crate::fixtures::{chat, conversation};
use crate::support::{Mocks, assert_error, call_json, enc, post_form, post_json, scope};

const RECORD: &str = "/wechat_api/message/record";

fn wire(msg_id: &str) -> Value {
    json!({"msgId": msg_id, "wechatUserId": 13_806, "wechatContactId": 19_564_131,
           "isSend": 1, "msgType": 1, "content": "你好", "createTime": 1_565_164_517_924_i64})
}

/// Mocks where the conversation is in scope and `n` messages are appended, `new` of them new.
fn mocks_storing(n: usize, new: u64) -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_conversations()
        .withf(|s, u, c| {
            *s == scope() && u == [WechatUserId(13_806)] && c == [ContactId(19_564_131)]
        })
        .times(1)
        .returning(|_, _, _| Ok(vec![conversation()]));
    mocks
        .messages
        .expect_append()
        .withf(move |m| m.len() == n && m[0] == chat("7301", 1_565_164_517_924))
        .times(1)
        .returning(move |_| Ok(new));
    mocks
}

#[actix_web::test]
async fn record_takes_an_array_an_object_or_a_form_with_lenient_numbers() {
    let as_strings = json!([{"msgId": 7301, "wechatUserId": "13806", "wechatContactId": "19564131",
        "isSend": "1", "msgType": "1", "content": "你好", "createTime": "1565164517924"}]);
    let requests = [
        post_json(RECORD, &json!([wire("7301"), wire("7302")])),
        post_json(RECORD, &json!({"messages": [wire("7301"), wire("7302")]})),
        post_form(
            RECORD,
            &format!(
                "messages={}",
                enc(&json!([wire("7301"), wire("7302")]).to_string())
            ),
        ),
    ];
    for req in requests {
        let (status, body) = call_json(mocks_storing(2, 1), req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body,
            json!({"code": 200, "msg": "操作成功!", "data": {"received": 2, "stored": 1}})
        );
    }
    let (status, body) = call_json(mocks_storing(1, 1), post_json(RECORD, &as_strings)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"], json!({"received": 1, "stored": 1}));
}

#[actix_web::test]
async fn record_names_the_bad_item_and_field() {
    let mut no_id = wire("1");
    no_id.as_object_mut().unwrap().remove("msgId");
    let mut blank_id = wire("1");
    blank_id["msgId"] = json!("  ");
    let mut bad_user = wire("1");
    bad_user["wechatUserId"] = json!("abc");
    let mut no_time = wire("1");
    no_time["createTime"] = json!("");
    let mut bad_send = wire("1");
    bad_send["isSend"] = json!(2);
    let mut bad_content = wire("1");
    bad_content["content"] = json!({"a": 1});
    let cases = [
        (json!([wire("0"), no_id]), "[1].msgId: is required"),
        (json!([blank_id]), "[0].msgId: is required"),
        (
            json!([wire("0"), wire("1"), bad_user]),
            "[2].wechatUserId: must be an integer",
        ),
        (json!([no_time]), "[0].createTime: is required"),
        (json!([bad_send]), "[0].isSend: must be 0 or 1"),
        (json!([bad_content]), "[0].content: must be a string"),
        (json!([5]), "[0]: must be an object"),
        (json!({"messages": "x"}), "messages: must be JSON"),
        (
            json!({"messages": {"msgId": 1}}),
            "messages: must be an array",
        ),
        (
            json!({"msgId": 1}),
            "request body: must be a JSON array of messages or {\"messages\": [..]}",
        ),
        (
            json!(7),
            "request body: must be a JSON array of messages or {\"messages\": [..]}",
        ),
    ];
    for (body, msg) in cases {
        let (status, got) = call_json(Mocks::new(), post_json(RECORD, &body)).await;
        assert_error(status, &got, StatusCode::BAD_REQUEST, msg);
    }
}

#[actix_web::test]
async fn record_outside_the_scope_is_404_and_stores_nothing() {
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_conversations()
        .returning(|_, _, _| Ok(vec![]));
    mocks.messages.expect_append().never();
    let (status, body) = call_json(mocks, post_json(RECORD, &json!([wire("7301")]))).await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "conversation not found",
    );
}

#[actix_web::test]
async fn record_takes_a_thousand_messages_past_64_kib_and_rejects_1001() {
    let batch = |n: usize| -> Value {
        (0..n)
            .map(|i| {
                let mut m = wire(&format!("{}", 7301 + i));
                m["content"] = json!("字".repeat(40));
                m
            })
            .collect()
    };
    let thousand = batch(1000);
    assert!(thousand.to_string().len() > 64 * 1024);
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_conversations()
        .returning(|_, _, _| Ok(vec![conversation()]));
    mocks
        .messages
        .expect_append()
        .withf(|m| m.len() == 1000)
        .times(1)
        .returning(|_| Ok(1000));
    let (status, body) = call_json(mocks, post_json(RECORD, &thousand)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"], json!({"received": 1000, "stored": 1000}));

    let (status, body) = call_json(Mocks::new(), post_json(RECORD, &batch(1001))).await;
    assert_error(
        status,
        &body,
        StatusCode::PAYLOAD_TOO_LARGE,
        "at most 1000 messages per call",
    );
    let huge = json!([{"msgId": "1", "content": "x".repeat(1024 * 1024)}]);
    let (status, body) = call_json(Mocks::new(), post_json(RECORD, &huge)).await;
    assert_error(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "請求體過大");
}

#[actix_web::test]
async fn record_takes_messages_as_json_text_in_a_json_body_and_in_the_query() {
    let text = json!([wire("7301"), wire("7302")]).to_string();
    let requests = [
        post_json(RECORD, &json!({ "messages": text })),
        post_form(&format!("{RECORD}?messages={}", enc(&text)), ""),
        post_form(RECORD, &format!("other=1&messages={}", enc(&text))),
    ];
    for req in requests {
        let (status, body) = call_json(mocks_storing(2, 2), req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["data"], json!({"received": 2, "stored": 2}));
    }
}

#[actix_web::test]
async fn record_names_bad_items_of_messages_by_the_parameter_and_stores_nothing() {
    let mut no_id = wire("1");
    no_id.as_object_mut().unwrap().remove("msgId");
    let mut bad_user = wire("1");
    bad_user["wechatUserId"] = json!("abc");
    let text = |v: &Value| enc(&v.to_string());
    let not_a_list = "request body: must be a JSON array of messages or {\"messages\": [..]}";
    let cases = [
        (
            post_json(RECORD, &json!({"messages": [wire("0"), no_id]})),
            "messages[1].msgId: is required",
        ),
        (
            post_json(RECORD, &json!({"messages": json!([bad_user]).to_string()})),
            "messages[0].wechatUserId: must be an integer",
        ),
        (
            post_form(
                RECORD,
                &format!("messages={}", text(&json!([wire("0"), no_id]))),
            ),
            "messages[1].msgId: is required",
        ),
        (
            post_form(RECORD, &format!("messages={}", text(&json!([5])))),
            "messages[0]: must be an object",
        ),
        (
            post_form(RECORD, "messages=%5B1%2C"),
            "messages: must be JSON",
        ),
        (
            post_form(RECORD, &format!("messages={}", text(&wire("1")))),
            "messages: must be an array",
        ),
        (post_form(RECORD, "messages=+"), not_a_list),
        (post_form(RECORD, "msgId=1"), not_a_list),
        (post_json(RECORD, &json!(null)), not_a_list),
        (post_json(RECORD, &json!("[]")), not_a_list),
        (post_json(RECORD, &json!({"messages": null})), not_a_list),
    ];
    for (req, msg) in cases {
        // No expectation on the mocks: any store call would fail the test.
        let (status, got) = call_json(Mocks::new(), req).await;
        assert_error(status, &got, StatusCode::BAD_REQUEST, msg);
    }
}

#[actix_web::test]
async fn record_refuses_1001_messages_in_every_shape_before_reading_them() {
    // The 1,001st message is not even an object: the count is refused first.
    let mut many: Vec<Value> = (0..1000).map(|i| wire(&i.to_string())).collect();
    many.push(json!(5));
    let many = Value::Array(many);
    let requests = [
        post_json(RECORD, &many),
        post_json(RECORD, &json!({ "messages": many })),
        post_json(RECORD, &json!({ "messages": many.to_string() })),
        post_form(RECORD, &format!("messages={}", enc(&many.to_string()))),
    ];
    for req in requests {
        let (status, body) = call_json(Mocks::new(), req).await;
        assert_error(
            status,
            &body,
            StatusCode::PAYLOAD_TOO_LARGE,
            "at most 1000 messages per call",
        );
    }
}
