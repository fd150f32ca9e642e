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
