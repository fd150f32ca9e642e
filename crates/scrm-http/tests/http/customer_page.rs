//! customerPage and recycleBin: the filter handed to the repository, paging defaults, the
//! legacy paged shape and every key of an item with its JSON type.

use crate::shapes::{assert_paged, customer_item_shape};
use crate::support::{
    Kind, Mocks, assert_shape, call_json, customer, empty_page, enc, get, scope, zone,
};
use actix_web::http::StatusCode;
use scrm_domain::customer::{BinFilter, CustomerFilter};
use scrm_domain::search::{TagMode, parse_terms};
use scrm_domain::time::{self, DateBound};
use scrm_domain::{Page, PageRequest, TagId, WechatUserId};

#[actix_web::test]
async fn a_full_query_reaches_the_repository_as_one_filter() {
    let expected = CustomerFilter {
        terms: parse_terms("chen 8186"),
        tag_mode: TagMode::All,
        name: Some("紅海".into()),
        phone_digits: Some("18750928186".into()),
        tag_ids: vec![TagId(3), TagId(7)],
        begin: time::parse("2019-08-01 00:00:00", zone(), DateBound::Start),
        end: time::parse("2019-08-31", zone(), DateBound::End),
        remarks: Some("哥".into()),
        remark_name: Some("備注".into()),
        wechat_user_id: Some(WechatUserId(13_806)),
    };
    assert_eq!(
        expected.end.map(|t| time::format(t, zone())).as_deref(),
        Some("2019-08-31 23:59:59")
    );
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_page()
        .withf(move |s, f, p| {
            *s == scope() && *f == expected && *p == PageRequest::new(2, 5).unwrap()
        })
        .times(1)
        .returning(|_, _, _| {
            Ok(Page {
                items: vec![customer(3_063_060)],
                total: 6,
            })
        });
    let uri = format!(
        "/wechat_api/customer/customerPage?customerName={}&customerPhone={}&tagIds=3,7\
         &beginTime={}&endTime=2019-08-31&remarks={}&remarkName={}&wechatUserId=13806\
         &limit=5&pageNo=2&unknown=ignored&q={}&tagMode=all",
        enc(" 紅海 "),
        enc("+86 187-5092-8186"),
        enc("2019-08-01 00:00:00"),
        enc("哥"),
        enc("備注"),
        enc(" chen  8186 "),
    );
    let (status, body) = call_json(mocks, get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_paged(&body, 2, 6);
    let item = &body["data"][0];
    assert_shape(item, &customer_item_shape());
    assert_eq!(item["customerId"], 3_063_060);
    assert_eq!(item["tags"], "3,7");
    assert_eq!(item["tagNames"], serde_json::json!(["VIP", "老客"]));
    assert_eq!(item["lastUpdateTime"], 1_565_164_517_924_i64);
    assert_eq!(item["xfield1"], "x1");
    assert!(item["xfield2"].is_null());
}

#[actix_web::test]
async fn empty_parameters_are_not_given_and_paging_defaults_to_1_and_10() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_page()
        .withf(|_, f, p| *f == CustomerFilter::default() && *p == PageRequest::new(1, 10).unwrap())
        .times(1)
        .returning(|_, _, _| {
            let mut c = customer(1);
            c.tags.clear();
            c.tag_names.clear();
            Ok(Page {
                items: vec![c],
                total: 1,
            })
        });
    let uri = "/wechat_api/customer/customerPage?customerName=&customerPhone=&tagIds=\
               &beginTime=&endTime=&remarks=&limit=&pageNo=";
    let (status, body) = call_json(mocks, get(uri)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_paged(&body, 1, 1);
    assert_eq!(body["data"][0]["tags"], "", "no tags is an empty string");
    assert_eq!(body["data"][0]["tagNames"], serde_json::json!([]));
}

#[actix_web::test]
async fn tag_ids_may_repeat_and_times_may_be_epoch_ms() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_page()
        .withf(|_, f, _| {
            f.tag_ids == vec![TagId(1), TagId(2), TagId(5)]
                && f.begin.map(|t| t.timestamp_millis()) == Some(1_565_164_517_924)
        })
        .times(1)
        .returning(|_, _, _| Ok(empty_page()));
    let uri =
        "/wechat_api/customer/customerPage?tagIds%5B%5D=1&tagIds%5B%5D=2,5&beginTime=1565164517924";
    let (status, body) = call_json(mocks, get(uri)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_paged(&body, 1, 0);
}

#[actix_web::test]
async fn recycle_bin_items_add_deleted_time() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_recycle_bin()
        .withf(|s, f, p| {
            *s == scope()
                && *f
                    == BinFilter {
                        terms: parse_terms("wang"),
                        tag_ids: vec![TagId(5)],
                        tag_mode: TagMode::None,
                    }
                && *p == PageRequest::new(3, 10).unwrap()
        })
        .times(1)
        .returning(|_, _, _| {
            let mut c = customer(9);
            c.deleted_at = Some(crate::support::t0());
            Ok(Page {
                items: vec![c],
                total: 21,
            })
        });
    let (status, body) = call_json(
        mocks,
        get("/wechat_api/customer/recycleBin?pageNo=3&q=wang&tagIds=5&tagMode=none"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_paged(&body, 3, 21);
    let mut shape = customer_item_shape();
    shape.push(("deletedTime", Kind::Num));
    assert_shape(&body["data"][0], &shape);
    assert_eq!(body["data"][0]["deletedTime"], 1_565_164_517_924_i64);
}
