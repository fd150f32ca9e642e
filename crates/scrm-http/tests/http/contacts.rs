//! findcontactbytagAll (and its lower-case path): the query handed to the repository and
//! exactly the spec's keys with their JSON types.

use actix_web::http::StatusCode;
use scrm_domain::contact::ContactTagQuery;
use scrm_domain::{TagId, WechatUserId};

use crate::shapes::{assert_ok, contact_item_shape};
use crate::support::{Kind, Mocks, assert_shape, call_json, contact, get, scope};

fn expecting(query: ContactTagQuery) -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_find_by_tags()
        .withf(move |s, q| *s == scope() && *q == query)
        .times(1)
        .returning(|_, _| Ok(vec![contact(1_000_004_734)]));
    mocks
}

#[actix_web::test]
async fn the_spec_example_query_and_every_key() {
    let query = ContactTagQuery {
        tag_ids: vec![TagId(81_100_608)],
        wechat_user_id: Some(WechatUserId(746)),
        include_offline: false,
        ..Default::default()
    };
    let (status, body) = call_json(
        expecting(query),
        get("/wechat_api/customer/findcontactbytagAll?wechatUserId=746&tagIds=81100608"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_ok(&body, Kind::Arr, &[]);
    let item = &body["data"][0];
    assert_shape(item, &contact_item_shape());
    assert_eq!(item["wechatContactId"], 1_000_004_734_i64);
    assert_eq!(item["seq"], item["userName"]);
    assert_eq!(item["pyinitial"], "SQHH");
    assert_eq!(item["adminUserId"], 1);
}

#[actix_web::test]
async fn the_lower_case_path_and_is_off_line() {
    let query = ContactTagQuery {
        tag_ids: vec![TagId(1), TagId(2)],
        wechat_user_id: None,
        include_offline: true,
        ..Default::default()
    };
    let (status, _) = call_json(
        expecting(query),
        get("/wechat_api/customer/findcontactbytagall?tagIds=1,2&wechatUserId=&isOffLine=1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[actix_web::test]
async fn an_empty_is_off_line_is_not_given() {
    let (status, _) = call_json(
        expecting(ContactTagQuery::default()),
        get("/wechat_api/customer/findcontactbytagAll?isOffLine=&tagIds="),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}
