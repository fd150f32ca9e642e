//! Every list parameter of every endpoint in every form of the wire (issue 13): as text
//! (`1,2`, ` 1 , 2 `, `[1,2]`, `["1","2"]`, `[ 1, 2 ]`) in a query string, a form field or a
//! JSON string, as a repeated name (`tagIds=1&tagIds[]=2`), and as a JSON array (or one
//! number) in a JSON body, each reaching the store as the ids 1 and 2. Anything else is a 400
//! naming the parameter that reaches no store (the mocks of the bad cases expect nothing, so
//! a call would fail the test).

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use scrm_domain::customer::{CustomerPatch, SaveTarget};
use scrm_domain::{ContactId, CustomerId, TagId, WechatUserId};
use serde_json::{Value, json};

use crate::expecting;
use crate::support::{Mocks, assert_error, call, call_json, enc, get, post_form, post_json};
use crate::update_customer::mocks_expecting;

/// The text forms of the ids 1 and 2.
const TEXT_FORMS: [&str; 5] = ["1,2", " 1 , 2 ", "[1,2]", "[\"1\",\"2\"]", "[ 1, 2 ]"];

/// Text that is no list of ids.
const BAD_TEXT: [&str; 8] = [
    "[1,",
    "[1,\"a\"]",
    "{}",
    "1;2",
    "[[1],[2]]",
    "[1.5]",
    "1,x",
    "[{\"a\":1}]",
];

fn tags() -> Vec<TagId> {
    vec![TagId(1), TagId(2)]
}

/// customerPage's `tagIds`.
fn customer_page() -> Mocks {
    expecting::page(|f| f.tag_ids == tags())
}

/// downLoad's `tagIds` (the streamed export).
fn download() -> Mocks {
    expecting::export(|f| f.tag_ids == tags())
}

/// recycleBin's `tagIds`.
fn recycle_bin() -> Mocks {
    expecting::recycle_bin(|f| f.tag_ids == tags())
}

/// findcontactbytagAll's `tagIds`.
fn find_contacts() -> Mocks {
    expecting::contacts(|q| q.tag_ids == tags())
}

/// getRedisMessageRecord's `wechatUserIds` (with `wechatContactIds=9`).
fn chat_users() -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_conversations()
        .withf(|_, u, c| u == [WechatUserId(1), WechatUserId(2)] && c == [ContactId(9)])
        .times(1)
        .returning(|_, _, _| Ok(vec![]));
    mocks
}

/// getRedisMessageRecord's `wechatContactIds`.
fn chat_contacts() -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_conversations()
        .withf(|_, u, c| u.is_empty() && c == [ContactId(1), ContactId(2)])
        .times(1)
        .returning(|_, _, _| Ok(vec![]));
    mocks
}

/// updateCustomer's `tags` (of customer 5, nothing else changed).
fn update_tags() -> Mocks {
    let patch = CustomerPatch {
        tags: Some(tags()),
        ..CustomerPatch::default()
    };
    mocks_expecting(SaveTarget::Existing(CustomerId(5), None), patch)
}

/// A list parameter: its name, the mocks expecting the ids 1 and 2 from it, and the GET
/// query around it (`{}` is the value).
struct QueryList {
    name: &'static str,
    expecting: fn() -> Mocks,
    uri: &'static str,
}

const QUERY_LISTS: [QueryList; 6] = [
    QueryList {
        name: "tagIds",
        expecting: customer_page,
        uri: "/wechat_api/customer/customerPage?tagIds={}",
    },
    QueryList {
        name: "tagIds",
        expecting: download,
        uri: "/wechat_api/customer/downLoad?tagIds={}",
    },
    QueryList {
        name: "tagIds",
        expecting: recycle_bin,
        uri: "/wechat_api/customer/recycleBin?tagIds={}",
    },
    QueryList {
        name: "tagIds",
        expecting: find_contacts,
        uri: "/wechat_api/customer/findcontactbytagAll?tagIds={}",
    },
    QueryList {
        name: "wechatUserIds",
        expecting: chat_users,
        uri: "/wechat_api/message/getRedisMessageRecord?wechatContactIds=9&wechatUserIds={}",
    },
    QueryList {
        name: "wechatContactIds",
        expecting: chat_contacts,
        uri: "/wechat_api/message/getRedisMessageRecord?wechatContactIds={}",
    },
];

const UPDATE: &str = "/wechat_api/customer/updateCustomer";

/// updateCustomer with `tags` as a form field holding `text`.
fn tags_form(text: &str) -> TestRequest {
    post_form(UPDATE, &format!("customerId=5&tags={}", enc(text)))
}

/// updateCustomer with `tags` as this JSON value.
fn tags_json(tags: Value) -> TestRequest {
    post_json(UPDATE, &json!({"customerId": 5, "tags": tags}))
}

/// The requests of updateCustomer's `tags` in every form, `text` as text.
fn update_requests(text: &str) -> [(String, TestRequest); 3] {
    [
        (format!("query string {text:?}"), {
            let uri = format!("{UPDATE}?tags={}", enc(text));
            post_json(&uri, &json!({"customerId": 5}))
        }),
        (format!("form {text:?}"), tags_form(text)),
        (format!("JSON string {text:?}"), tags_json(json!(text))),
    ]
}

async fn assert_ok(mocks: Mocks, req: TestRequest, what: &str) {
    let (status, _, body) = call(mocks, req).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{what}: {}",
        String::from_utf8_lossy(&body)
    );
}

async fn assert_refused(req: TestRequest, name: &str, what: &str) {
    let (status, body) = call_json(Mocks::new(), req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        &format!("{name}: must be a comma-separated list of integers"),
    );
}

#[actix_web::test]
async fn every_query_list_reads_every_text_form() {
    for list in QUERY_LISTS {
        for text in TEXT_FORMS {
            let uri = list.uri.replace("{}", &enc(text));
            assert_ok((list.expecting)(), get(&uri), &uri).await;
        }
    }
}

#[actix_web::test]
async fn every_query_list_refuses_anything_else_by_name() {
    for list in QUERY_LISTS {
        for text in BAD_TEXT {
            let uri = list.uri.replace("{}", &enc(text));
            assert_refused(get(&uri), list.name, &uri).await;
        }
    }
}

#[actix_web::test]
async fn update_tags_read_every_text_form_and_json_arrays() {
    for text in TEXT_FORMS {
        for (what, req) in update_requests(text) {
            assert_ok(update_tags(), req, &what).await;
        }
    }
    for array in [json!([1, 2]), json!(["1", "2"]), json!([" 1 ", 2])] {
        assert_ok(update_tags(), tags_json(array.clone()), &array.to_string()).await;
    }
    for repeated in ["tags=1&tags=2", "tags[]=1&tags[]=2"] {
        let form = post_form(UPDATE, &format!("customerId=5&{repeated}"));
        assert_ok(update_tags(), form, repeated).await;
    }
    // One number is a list of one id.
    let one = CustomerPatch {
        tags: Some(vec![TagId(7)]),
        ..CustomerPatch::default()
    };
    let mocks = mocks_expecting(SaveTarget::Existing(CustomerId(5), None), one);
    assert_ok(mocks, tags_json(json!(7)), "7").await;
}

#[actix_web::test]
async fn update_tags_refuse_anything_else_by_name() {
    for text in BAD_TEXT {
        for (what, req) in update_requests(text) {
            assert_refused(req, "tags", &what).await;
        }
    }
    for bad in [
        json!({}),
        json!([[1], [2]]),
        json!([1, "a"]),
        json!([1.5]),
        json!(true),
        json!([{"a": 1}]),
    ] {
        assert_refused(tags_json(bad.clone()), "tags", &bad.to_string()).await;
    }
}

#[actix_web::test]
async fn repeated_query_names_are_one_list() {
    let uri = "/wechat_api/customer/customerPage?tagIds=1&tagIds[]=2";
    assert_ok(customer_page(), get(uri), uri).await;
    for list in QUERY_LISTS {
        let name = list.name;
        for repeated in [
            format!("1&{name}=2"),
            format!("1&{name}[]=2"),
            format!("1,2&{name}="),
        ] {
            let uri = list.uri.replace("{}", &repeated);
            assert_ok((list.expecting)(), get(&uri), &uri).await;
        }
        let uri = list.uri.replace("{}", &format!("1&{name}=x"));
        assert_refused(get(&uri), name, &uri).await;
    }
}

#[actix_web::test]
async fn unknown_body_parameters_of_any_shape_are_ignored() {
    let body = json!({"customerId": "5", "tags": "[1,2]", "unknown": {"x": [1, {}]}, "n": null});
    assert_ok(update_tags(), post_json(UPDATE, &body), "unknown keys").await;
}
