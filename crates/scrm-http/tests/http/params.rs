//! A bad value of every parameter of every endpoint is a 400 whose message names it, and the
//! store is never reached (the mocks have no expectations, so a call would fail the test).

use actix_web::http::StatusCode;
use serde_json::json;

use crate::support::{Mocks, call_json, enc, get, post_form, post_json};

/// `(query, message prefix)` pairs for the filters of customerPage and downLoad.
fn filter_cases() -> Vec<(String, &'static str)> {
    let long = "長".repeat(513);
    vec![
        ("customerPhone=abc".into(), "customerPhone: "),
        ("customerPhone=---".into(), "customerPhone: "),
        (
            format!("customerPhone={}", "1".repeat(40)),
            "customerPhone: ",
        ),
        ("tagIds=1,x".into(), "tagIds: "),
        ("tagIds=1.5".into(), "tagIds: "),
        (
            format!("tagIds={}", vec!["1"; 1001].join(",")),
            "tagIds: at most 1000 ids",
        ),
        ("beginTime=yesterday".into(), "beginTime: "),
        ("endTime=2019-13-01".into(), "endTime: "),
        (
            "beginTime=2020-01-02&endTime=2020-01-01".into(),
            "beginTime: must not be after endTime",
        ),
        (
            "wechatUserId=abc".into(),
            "wechatUserId: must be an integer",
        ),
        (format!("customerName={}", enc(&long)), "customerName: "),
        (format!("remarks={}", enc(&long)), "remarks: "),
        (format!("remarkName={}", enc(&long)), "remarkName: "),
        ("limit=0".into(), "limit: must be between 1 and 100"),
        ("limit=101".into(), "limit: must be between 1 and 100"),
        ("limit=ten".into(), "limit: must be an integer"),
        ("pageNo=0".into(), "pageNo: must be 1 or more"),
        ("pageNo=-3".into(), "pageNo: must be 1 or more"),
        ("pageNo=x".into(), "pageNo: must be an integer"),
        (
            "pageNo=4294967296".into(),
            "pageNo: must be at most 4294967295",
        ),
        (
            "pageNo=9223372036854775807".into(),
            "pageNo: must be at most 4294967295",
        ),
    ]
}

async fn assert_400(req: actix_web::test::TestRequest, prefix: &str, what: &str) {
    let (status, body) = call_json(Mocks::new(), req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
    assert_eq!(body["code"], 400, "{what}");
    assert!(body["data"].is_null(), "{what}");
    let msg = body["msg"].as_str().unwrap();
    assert!(
        msg.starts_with(prefix),
        "{what}: {msg:?} should start with {prefix:?}"
    );
}

#[actix_web::test]
async fn customer_page_and_download_name_every_bad_filter() {
    for path in [
        "/wechat_api/customer/customerPage",
        "/wechat_api/customer/downLoad",
    ] {
        for (query, prefix) in filter_cases() {
            let uri = format!("{path}?{query}");
            assert_400(get(&uri), prefix, &uri).await;
        }
    }
}

#[actix_web::test]
async fn recycle_bin_names_bad_paging() {
    for (query, prefix) in [
        ("limit=0", "limit: "),
        ("limit=abc", "limit: must be an integer"),
        ("pageNo=0", "pageNo: "),
        ("pageNo=1.5", "pageNo: must be an integer"),
    ] {
        let uri = format!("/wechat_api/customer/recycleBin?{query}");
        assert_400(get(&uri), prefix, &uri).await;
    }
}

#[actix_web::test]
async fn find_contact_by_tag_names_bad_values() {
    for (query, prefix) in [
        ("wechatUserId=abc", "wechatUserId: must be an integer"),
        ("tagIds=a,b", "tagIds: "),
    ] {
        let uri = format!("/wechat_api/customer/findcontactbytagAll?{query}");
        assert_400(get(&uri), prefix, &uri).await;
    }
}

#[actix_web::test]
async fn update_customer_names_bad_values() {
    let long = "x".repeat(256);
    let cases = [
        (
            json!({"customerId": "abc"}),
            "customerId: must be an integer",
        ),
        (
            json!({"customerId": 1, "wechatContactId": "x1"}),
            "wechatContactId: must be an integer",
        ),
        (
            json!({"customerId": 1, "isStar": "2"}),
            "isStar: must be 0 or 1",
        ),
        (
            json!({"customerId": 1, "isStar": [1]}),
            "isStar: must be one value, not a list",
        ),
        (json!({"customerId": 1, "tags": "1,b"}), "tags: "),
        (
            json!({"customerId": 1, "customerPhone": "12"}),
            "customerPhone: ",
        ),
        (
            json!({"customerId": 1, "customerName": {"a": 1}}),
            "customerName: must be a string",
        ),
        (
            json!({"customerId": 1, "customerName": "名".repeat(129)}),
            "customerName: ",
        ),
        (
            json!({"customerId": 1, "nickName": "名".repeat(129)}),
            "nickName: ",
        ),
        (
            json!({"customerId": 1, "remarks": "名".repeat(513)}),
            "remarks: ",
        ),
        (json!({"customerId": 1, "xfield3": long}), "xfield3: "),
        (
            json!({"customerId": 1, "xfield10": [1]}),
            "xfield10: must be one value, not a list",
        ),
        (
            json!({"customerId": "", "wechatContactId": ""}),
            "customerId: ",
        ),
    ];
    for (body, prefix) in cases {
        let what = body.to_string();
        assert_400(
            post_json("/wechat_api/customer/updateCustomer", &body),
            prefix,
            &what,
        )
        .await;
    }
    assert_400(
        post_form(
            "/wechat_api/customer/updateCustomer",
            "customerId=3063060&isStar=yes",
        ),
        "isStar: ",
        "form isStar",
    )
    .await;
}

#[actix_web::test]
async fn delete_and_restore_need_a_customer_id() {
    for path in [
        "/wechat_api/customer/delete",
        "/wechat_api/customer/restore",
    ] {
        assert_400(post_json(path, &json!({})), "customerId為空", path).await;
        assert_400(post_form(path, "customerId="), "customerId為空", path).await;
        assert_400(
            post_json(path, &json!({"customerId": "12a"})),
            "customerId: must be an integer",
            path,
        )
        .await;
        assert_400(
            post_form(path, "customerId=1.5"),
            "customerId: must be an integer",
            path,
        )
        .await;
    }
}

#[actix_web::test]
async fn batch_save_nick_name_names_bad_items() {
    let path = "/wechat_api/customer/batchSaveNickName";
    let cases = [
        (json!({}), "nickNames: is required"),
        (json!({"nickNames": "{not json"}), "nickNames: must be JSON"),
        (
            json!({"nickNames": 5}),
            "nickNames: must be an object or an array of objects",
        ),
        (json!({"nickNames": [1]}), "nickNames[0]: must be an object"),
        (
            json!({"nickNames": {"custName": "陳佳"}}),
            "nickNames[0].wechatContactId: is required",
        ),
        (
            json!({"nickNames": [{"wechatContactId": 1}, {"wechatContactId": "abc"}]}),
            "nickNames[1].wechatContactId: must be an integer",
        ),
        (
            json!({"nickNames": [{"wechatContactId": 1, "nickName": ["a"]}]}),
            "nickNames[0].nickName: must be one value, not a list",
        ),
        (json!({"nickNames": []}), "nickNames: is required"),
        (
            json!({"nickNames": {"wechatContactId": 1, "custName": "陳".repeat(129)}}),
            "nickNames[0].custName: at most 128 characters",
        ),
        (
            json!({"nickNames": [
                {"wechatContactId": 1, "nickName": "好"},
                {"wechatContactId": 2, "nickName": "陳".repeat(129)},
            ]}),
            "nickNames[1].nickName: at most 128 characters",
        ),
    ];
    for (body, prefix) in cases {
        let what = body.to_string();
        assert_400(post_json(path, &body), prefix, &what).await;
    }
    assert_400(
        post_form(
            path,
            &format!("nickNames={}", enc("{\"wechatContactId\":\"x\"}")),
        ),
        "nickNames[0].wechatContactId: must be an integer",
        "form",
    )
    .await;
}

#[actix_web::test]
async fn login_names_empty_fields() {
    let req = |body: serde_json::Value| {
        actix_web::test::TestRequest::post()
            .uri("/wechat_api/login")
            .set_json(body)
    };
    assert_400(
        req(json!({"password": "pw"})),
        "loginName: is required",
        "no name",
    )
    .await;
    assert_400(
        req(json!({"loginName": "li", "password": ""})),
        "password: is required",
        "empty password",
    )
    .await;
    assert_400(
        req(json!({"loginName": ["li"]})),
        "loginName: must be one value, not a list",
        "array",
    )
    .await;
}

/// Bytes that are not UTF-8, percent-encoded in a query string or raw in a form body (a page
/// that posts GBK), are a 400 naming the parameter, never text with U+FFFD in their place.
/// Percent-encoded UTF-8 and `+` for a space still read as before.
#[actix_web::test]
async fn text_that_is_not_utf8_is_a_400_naming_its_parameter() {
    let page = "/wechat_api/customer/customerPage";
    assert_400(
        get(&format!("{page}?customerName=%FF")),
        "customerName: must be UTF-8 text",
        "%FF",
    )
    .await;
    assert_400(
        get(&format!("{page}?limit=10&remarks=%D5%C5%C8%FD")),
        "remarks: must be UTF-8 text",
        "GBK in a query",
    )
    .await;
    assert_400(
        get(&format!("{page}?%FF=1")),
        "query string: a parameter name is not UTF-8 text",
        "a name",
    )
    .await;
    let gbk_form = post_form("/wechat_api/customer/updateCustomer", "")
        .set_payload(b"customerId=500010&remarks=\xd5\xc5\xc8\xfd".to_vec());
    assert_400(gbk_form, "remarks: must be UTF-8 text", "GBK in a form").await;
}

/// A single-valued parameter sent twice (a form or query field repeated, which arrives as a
/// list) is a 400 that says so, not "must be an integer" of a value that is one.
#[actix_web::test]
async fn a_single_value_sent_twice_says_so() {
    let twice = post_form(
        "/wechat_api/customer/updateCustomer",
        "customerId=500002&customerId=500003&remarks=x",
    );
    assert_400(
        twice,
        "customerId: must be one value, not a list",
        "a form field twice",
    )
    .await;
    assert_400(
        get("/wechat_api/customer/customerPage?pageNo=1&pageNo=2"),
        "pageNo: must be one value, not a list",
        "a query parameter twice",
    )
    .await;
    assert_400(
        get("/wechat_api/customer/customerPage?customerName=a&customerName=b"),
        "customerName: must be one value, not a list",
        "a text twice",
    )
    .await;
}
