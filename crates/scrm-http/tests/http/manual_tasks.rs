//! getManualTaskList and getManualTaskDetail: the queries reaching the repository, paging
//! defaults (20), the page wrapper inside `data`, every key with its type, the spec's 400.

use actix_web::http::StatusCode;
use scrm_domain::manual::{AssigneeQuery, AssigneeSummary, DetailQuery};
use scrm_domain::{AdminUserId, DepartmentId, Page, PageRequest, StoreError};
use serde_json::json;

use crate::fixtures::{bare_entry, entry};
use crate::shapes::{assert_manual_page, assignee_shape, entry_shape};
use crate::support::{
    Kind, Mocks, assert_error, assert_shape, assert_unavailable, call_json, empty_page, enc, get,
    scope,
};

const LIST: &str = "/wechat_api/customer/getManualTaskList";
const DETAIL: &str = "/wechat_api/customer/getManualTaskDetail";

fn summary(id: i64, name: Option<&str>) -> AssigneeSummary {
    AssigneeSummary {
        admin_user_id: AdminUserId(id),
        real_name: name.map(str::to_owned),
        entries: 4,
        dialled: 3,
        friend_requests_sent: 2,
        added: 1,
    }
}

#[actix_web::test]
async fn the_list_defaults_to_page_1_of_20_and_shows_the_totals() {
    let mut mocks = Mocks::new();
    mocks
        .entries
        .expect_assignees()
        .withf(|s, q, p| {
            *s == scope()
                && *q == AssigneeQuery::default()
                && *p == PageRequest::new(1, 20).unwrap()
        })
        .times(1)
        .returning(|_, _, _| {
            Ok(Page {
                items: vec![summary(11_855, Some("hhhaaa")), summary(12_206, None)],
                total: 2,
            })
        });
    let (status, body) = call_json(mocks, get(&format!("{LIST}?pageNo=&limit="))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_manual_page(&body, 2, 1, 20);
    assert_shape(&body["data"]["data"][0], &assignee_shape(Kind::Str));
    assert_shape(&body["data"]["data"][1], &assignee_shape(Kind::Null));
    assert_eq!(
        body["data"]["data"][0],
        json!({"adminUserId": 11855, "realName": "hhhaaa", "entries": 4, "dialled": 3,
               "friendRequestsSent": 2, "added": 1})
    );
}

#[actix_web::test]
async fn the_list_filters_by_account_and_either_department_spelling() {
    for query in [
        "adminUserId=12206&pepartId=5&pageNo=2&limit=7",
        "adminUserId=12206&departId=5&pageNo=2&limit=7",
        "adminUserId=12206&pepartId=5&departId=5&pageNo=2&limit=7",
    ] {
        let mut mocks = Mocks::new();
        mocks
            .entries
            .expect_assignees()
            .withf(|_, q, p| {
                *q == AssigneeQuery {
                    admin_user_id: Some(AdminUserId(12_206)),
                    depart_id: Some(DepartmentId(5)),
                } && *p == PageRequest::new(2, 7).unwrap()
            })
            .times(1)
            .returning(|_, _, _| Ok(empty_page()));
        let (status, body) = call_json(mocks, get(&format!("{LIST}?{query}"))).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_manual_page(&body, 0, 2, 7);
    }
}

#[actix_web::test]
async fn the_list_names_bad_values() {
    for (query, msg) in [
        ("adminUserId=abc", "adminUserId: must be an integer"),
        ("pepartId=x", "pepartId: must be an integer"),
        ("departId=1.5", "departId: must be an integer"),
        (
            "pepartId=1&departId=2",
            "pepartId: differs from departId (give one of them)",
        ),
        ("limit=0", "limit: must be between 1 and 100"),
        ("limit=101", "limit: must be between 1 and 100"),
        ("pageNo=0", "pageNo: must be 1 or more"),
    ] {
        let (status, body) = call_json(Mocks::new(), get(&format!("{LIST}?{query}"))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, msg);
    }
}

#[actix_web::test]
async fn the_detail_passes_every_filter_and_shows_every_key() {
    let expected = DetailQuery {
        admin_user_id: AdminUserId(12_206),
        company: Some("公司".into()),
        customer_name: Some("客戶".into()),
        user_name: Some("wxid".into()),
        dial_status: Some(0),
        add_status: Some(2),
    };
    let mut mocks = Mocks::new();
    mocks
        .entries
        .expect_entries()
        .withf(move |s, q, p| {
            *s == scope() && *q == expected && *p == PageRequest::new(3, 2).unwrap()
        })
        .times(1)
        .returning(|_, _, _| {
            Ok(Page {
                items: vec![entry(19_380, -1), bare_entry(19_381)],
                total: 6,
            })
        });
    let uri = format!(
        "{DETAIL}?adminUserId=12206&company={}&customerName={}&userName=wxid&dialStatus=0\
         &addStatus=2&pageNo=3&limit=2",
        enc(" 公司 "),
        enc("客戶"),
    );
    let (status, body) = call_json(mocks, get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_manual_page(&body, 6, 3, 2);
    let full = &body["data"]["data"][0];
    assert_shape(full, &entry_shape(Kind::Str));
    assert_eq!(full["customerId"], 19_380);
    assert_eq!(full["createTime"], "2019-11-28 17:17:45");
    assert_eq!(full["lastUpdateTime"], "2019-08-07 15:55:17");
    assert_eq!(full["assignTime"], "2019-08-07 15:55:17");
    assert_eq!(full["adminUserId"], 12_206);
    assert_eq!(full["taskId"], -1);
    assert_eq!(full["orderNum"], 3);
    assert_eq!(full["syn"], 1);
    assert_eq!(full["dialStatus"], 1);
    assert_eq!(full["addStatus"], 2);
    assert_eq!(full["xfield1"], "x1");
    assert!(full["xfield2"].is_null());
    assert_shape(&body["data"]["data"][1], &entry_shape(Kind::Null));
}

#[actix_web::test]
async fn the_detail_defaults_to_20_and_empty_filters_are_not_given() {
    let mut mocks = Mocks::new();
    mocks
        .entries
        .expect_entries()
        .withf(|_, q, p| {
            *q == DetailQuery {
                admin_user_id: AdminUserId(12_206),
                company: None,
                customer_name: None,
                user_name: None,
                dial_status: None,
                add_status: None,
            } && *p == PageRequest::new(1, 20).unwrap()
        })
        .times(1)
        .returning(|_, _, _| Ok(empty_page()));
    let uri = format!(
        "{DETAIL}?adminUserId=12206&company=&customerName=&userName=&dialStatus=&addStatus="
    );
    let (status, body) = call_json(mocks, get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_manual_page(&body, 0, 1, 20);
}

#[actix_web::test]
async fn the_detail_needs_an_account_and_names_bad_values() {
    for query in ["", "?adminUserId=", "?pageNo=1&limit=20"] {
        let (status, body) = call_json(Mocks::new(), get(&format!("{DETAIL}{query}"))).await;
        assert_error(
            status,
            &body,
            StatusCode::BAD_REQUEST,
            "指定查詢的任務詳情不能為空",
        );
    }
    for (query, msg) in [
        ("adminUserId=abc", "adminUserId: must be an integer"),
        (
            "adminUserId=1&dialStatus=x",
            "dialStatus: must be an integer",
        ),
        (
            "adminUserId=1&dialStatus=2",
            "dialStatus: must be between 0 and 1",
        ),
        (
            "adminUserId=1&addStatus=3",
            "addStatus: must be between 0 and 2",
        ),
        (
            "adminUserId=1&addStatus=99999999999",
            "addStatus: is out of range",
        ),
        ("adminUserId=1&limit=0", "limit: must be between 1 and 100"),
        ("adminUserId=1&pageNo=x", "pageNo: must be an integer"),
    ] {
        let (status, body) = call_json(Mocks::new(), get(&format!("{DETAIL}?{query}"))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, msg);
    }
    let long = enc(&"長".repeat(129));
    let (status, body) = call_json(
        Mocks::new(),
        get(&format!("{DETAIL}?adminUserId=1&company={long}")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["msg"].as_str().unwrap().starts_with("company: "),
        "{body}"
    );
}

#[actix_web::test]
async fn a_store_outage_is_503() {
    let mut mocks = Mocks::new();
    mocks
        .entries
        .expect_assignees()
        .returning(|_, _, _| Err(StoreError::Unavailable("mysql down".into())));
    let (status, body) = call_json(mocks, get(LIST)).await;
    assert_unavailable(status, &body);
}
