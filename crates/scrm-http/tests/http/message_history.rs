//! getRedisMessageRecord: the query reaching the account, contact and message stores, defaults,
//! the legacy paged shape with every message key, bad values named.

use actix_web::http::StatusCode;
use scrm_domain::account::Account;
use scrm_domain::message::{StoredMessage, TimeRange};
use scrm_domain::time::{self, DateBound};
use scrm_domain::{AdminUserId, ContactId, Page, PageRequest, WechatUserId};
use serde_json::json;

use crate::fixtures::{chat, conversation};
use crate::shapes::{assert_paged, message_shape};
use crate::support::{
    Mocks, assert_error, assert_shape, call_json, empty_page, enc, get, scope, zone,
};

const HISTORY: &str = "/wechat_api/message/getRedisMessageRecord";

#[actix_web::test]
async fn history_passes_the_query_through_and_answers_the_legacy_shape() {
    let begin = time::parse("2019-08-01 00:00:00", zone(), DateBound::Start).unwrap();
    let end = time::parse("2019-08-07", zone(), DateBound::End).unwrap();
    let mut mocks = Mocks::new();
    mocks
        .accounts
        .expect_find_by_id()
        .withf(|id| *id == AdminUserId(33_726))
        .times(1)
        .returning(|id| {
            Ok(Some(Account {
                id,
                login_name: "sub".into(),
                real_name: "sub".into(),
                parent_id: Some(AdminUserId(1)),
                depart_id: None,
                password_hash: None,
                is_open_after_call: false,
            }))
        });
    mocks
        .contacts
        .expect_conversations()
        .withf(|s, u, c| {
            s.account == AdminUserId(33_726)
                && u == [WechatUserId(13_806), WechatUserId(13_807)]
                && c == [ContactId(19_564_131)]
        })
        .times(1)
        .returning(|_, _, _| Ok(vec![conversation()]));
    mocks
        .messages
        .expect_page()
        .withf(move |c, r, p| {
            c == [conversation()]
                && *r
                    == TimeRange {
                        begin: Some(begin.timestamp_millis()),
                        end: Some(end.timestamp_millis()),
                    }
                && *p == PageRequest::new(2, 5).unwrap()
        })
        .times(1)
        .returning(|_, _, _| {
            Ok(Page {
                items: vec![
                    StoredMessage::of(&chat("7302", 1_565_164_517_925)).unwrap(),
                    StoredMessage::of(&chat("7301", 1_565_164_517_924)).unwrap(),
                ],
                total: 7,
            })
        });
    let uri = format!(
        "{HISTORY}?adminUserId=33726&wechatUserIds=13806,13807&wechatContactIds=19564131\
         &beginTime={}&endTime=2019-08-07&limit=5&pageNo=2",
        enc("2019-08-01 00:00:00")
    );
    let (status, body) = call_json(mocks, get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_paged(&body, 2, 7);
    let item = &body["data"][0];
    assert_shape(item, &message_shape());
    assert_eq!(item["msgId"], "7302");
    assert_eq!(item["createTime"], 1_565_164_517_925_i64);
}

#[actix_web::test]
async fn history_defaults_to_the_caller_and_20_per_page() {
    let mut mocks = Mocks::new();
    mocks
        .contacts
        .expect_conversations()
        .withf(|s, u, c| *s == scope() && u.is_empty() && c == [ContactId(19_564_131)])
        .times(1)
        .returning(|_, _, _| Ok(vec![conversation()]));
    mocks
        .messages
        .expect_page()
        .withf(|_, r, p| *r == TimeRange::default() && *p == PageRequest::new(1, 20).unwrap())
        .times(1)
        .returning(|_, _, _| Ok(empty_page()));
    let uri = format!(
        "{HISTORY}?adminUserId=&wechatUserIds=&wechatContactIds=19564131&beginTime=&endTime=\
         &limit=&pageNo="
    );
    let (status, body) = call_json(mocks, get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"code": 200, "msg": "操作成功!", "data": [], "pageNo": 1, "count": 0})
    );
}

#[actix_web::test]
async fn history_names_bad_values() {
    let many = vec!["1"; 1001].join(",");
    for (query, msg) in [
        (
            "wechatContactIds=a".to_owned(),
            "wechatContactIds: must be a comma-separated list of integers",
        ),
        (
            "wechatUserIds=1,x".to_owned(),
            "wechatUserIds: must be a comma-separated list of integers",
        ),
        (
            format!("wechatContactIds={many}"),
            "wechatContactIds: at most 1000 ids",
        ),
        (
            format!("wechatUserIds={many}"),
            "wechatUserIds: at most 1000 ids",
        ),
        (
            "adminUserId=abc".to_owned(),
            "adminUserId: must be an integer",
        ),
        (
            "beginTime=yesterday".to_owned(),
            "beginTime: must be yyyy-MM-dd HH:mm:ss, yyyy-MM-dd or epoch milliseconds",
        ),
        (
            "endTime=2019-13-01".to_owned(),
            "endTime: must be yyyy-MM-dd HH:mm:ss, yyyy-MM-dd or epoch milliseconds",
        ),
        (
            "wechatContactIds=1&beginTime=2019-08-02&endTime=2019-08-01".to_owned(),
            "beginTime: must not be after endTime",
        ),
        ("limit=0".to_owned(), "limit: must be between 1 and 100"),
        ("pageNo=0".to_owned(), "pageNo: must be 1 or more"),
    ] {
        let (status, body) = call_json(Mocks::new(), get(&format!("{HISTORY}?{query}"))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, msg);
    }
}
