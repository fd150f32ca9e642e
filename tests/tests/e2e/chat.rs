//! Chat records: ingest from the connector and the newest-first record, within the scope.

use deadpool_redis::redis::AsyncCommands;
use scrm_e2e::{Store, TestApp};
use serde_json::{Value, json};

const RECORD: &str = "/wechat_api/message/record";
const PAGE: &str = "/wechat_api/message/getRedisMessageRecord";

fn msg(id: &str, user: i64, contact: i64, time: i64) -> Value {
    json!({"msgId": id, "wechatUserId": user, "wechatContactId": contact, "isSend": 1, "msgType": 1, "content": format!("內容{id}"), "createTime": time})
}

fn msg_ids(r: &scrm_e2e::Reply) -> Vec<String> {
    r.json()["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", r.text()))
        .iter()
        .map(|m| m["msgId"].as_str().unwrap().to_owned())
        .collect()
}

/// 2019-08-07 15:55:17.924 +08:00 is the fixture's message 7301.
const T0: i64 = 1_565_164_517_924;

/// Adapter-specific (it writes a broken body into Redis): MariaDB + Redis only; the memory
/// store keeps typed messages, so it has no undecodable ones.
#[actix_web::test]
async fn a_malformed_stored_message_is_skipped() {
    let app = TestApp::spawn(Store::MySql).await;
    let sales1 = app.login("a_sales1").await;
    app.post_json(
        RECORD,
        Some(&sales1),
        json!([
            msg("good", 200, 5001, T0 + 1),
            msg("bad", 200, 5001, T0 + 2)
        ]),
    )
    .await;
    let mut conn = app.redis_conn().await;
    let key = format!("{}:chat:{{200:5001}}:msg", app.redis.prefix());
    let _: () = conn.hset(&key, "bad", "{not json").await.unwrap();
    let r = app
        .get_query(PAGE, &sales1, &[("wechatContactIds", "5001")])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(msg_ids(&r), vec!["good", "7301"]);
}

both_stores! {
    async fn ingest_is_idempotent_and_the_record_pages_newest_first(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        let batch = json!([
            msg("a1", 200, 5001, T0 + 1000),
            msg("a2", 200, 5001, T0 + 2000),
            msg("a3", 200, 5001, T0 + 2000)
        ]);
        let r = app.post_json(RECORD, Some(&sales1), batch.clone()).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["data"], json!({"received": 3, "stored": 3}));
        let r = app.post_json(RECORD, Some(&sales1), batch).await;
        assert_eq!(
            r.json()["data"],
            json!({"received": 3, "stored": 0}),
            "re-sent msgIds are not stored twice"
        );

        let r = app
            .get(&format!("{PAGE}?adminUserId=2&wechatUserIds=200&wechatContactIds=5001&beginTime=&endTime=&limit=&pageNo="), Some(&sales1))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let body = r.json();
        assert_eq!(body["code"], 200);
        assert_eq!(body["pageNo"], 1);
        assert_eq!(body["count"], 4);
        assert_eq!(
            msg_ids(&r),
            vec!["a3", "a2", "a1", "7301"],
            "createTime then msgId, newest first"
        );
        let first = &body["data"][3];
        assert_eq!(
            *first,
            json!({"msgId": "7301", "wechatUserId": 200, "wechatContactId": 5001, "isSend": 1, "msgType": 1, "content": "您好", "createTime": T0})
        );
        // The caller is the default adminUserId; the main account reads its sub-account's too.
        let r = app
            .get_query(PAGE, &sales1, &[("wechatContactIds", "5001")])
            .await;
        assert_eq!(r.json()["count"], 4);
        let admin = app.login("a_admin").await;
        let r = app
            .get_query(
                PAGE,
                &admin,
                &[("adminUserId", "2"), ("wechatContactIds", "5001")],
            )
            .await;
        assert_eq!(r.json()["count"], 4);
        let r = app
            .get_query(PAGE, &admin, &[("wechatContactIds", "5001")])
            .await;
        assert_eq!(r.json()["count"], 4);
    }

    async fn time_bounds_are_inclusive_in_both_formats(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        // 2024-01-01 00:00:00 +08:00, then one a second, one at 00:00:03.500 and one at
        // 23:59:59.500 of that day.
        let day = 1_704_038_400_000i64;
        let batch: Vec<Value> = (0..5)
            .map(|i| msg(&format!("t{i}"), 200, 5002, day + i * 1000))
            .chain([msg("mid", 200, 5002, day + 3500)])
            .chain([msg("late", 200, 5002, day + 86_399_500)])
            .collect();
        app.post_json(RECORD, Some(&sales1), json!(batch)).await;
        let q = |begin: String, end: String| {
            let (app, token) = (&app, sales1.clone());
            async move {
                let r = app
                    .get_query(
                        PAGE,
                        &token,
                        &[
                            ("wechatContactIds", "5002"),
                            ("beginTime", &begin),
                            ("endTime", &end),
                        ],
                    )
                    .await;
                assert_eq!(r.status, 200, "{}", r.text());
                (msg_ids(&r), r.json()["count"].as_u64().unwrap())
            }
        };
        let (ids, count) = q((day + 1000).to_string(), (day + 3000).to_string()).await;
        assert_eq!(ids, vec!["t3", "t2", "t1"]);
        assert_eq!(count, 3);
        // The wire shows whole seconds: an end of 00:00:03 takes in all of that second.
        let (ids, _) = q("2024-01-01 00:00:01".into(), "2024-01-01 00:00:03".into()).await;
        assert_eq!(ids, vec!["mid", "t3", "t2", "t1"]);
        let (ids, _) = q("2024-01-01 00:00:03".into(), "2024-01-01 00:00:03".into()).await;
        assert_eq!(ids, vec!["mid", "t3"]);
        let (_, count) = q("2024-01-01".into(), "2024-01-01".into()).await;
        assert_eq!(count, 7, "a date as endTime is the end of that day");
        let (_, count) = q(String::new(), "2024-01-01 00:00:00".into()).await;
        assert_eq!(count, 1);
        let r = app
            .get_query(
                PAGE,
                &sales1,
                &[
                    ("wechatContactIds", "5002"),
                    ("beginTime", "2024-02-01"),
                    ("endTime", "2024-01-01"),
                ],
            )
            .await;
        assert_eq!(r.status, 400);
        let r = app
            .get_query(
                PAGE,
                &sales1,
                &[("wechatContactIds", "5002"), ("endTime", "soon")],
            )
            .await;
        assert_eq!(r.status, 400);
        assert!(r.json()["msg"].as_str().unwrap().contains("endTime"));
    }

    async fn two_conversations_merge_into_one_page(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        let mut batch = Vec::new();
        for i in 0..7 {
            batch.push(msg(&format!("x{i}"), 200, 5001, T0 + 10_000 + i * 2));
            batch.push(msg(&format!("y{i}"), 200, 5002, T0 + 10_000 + i * 2 + 1));
        }
        app.post_json(RECORD, Some(&sales1), json!(batch)).await;
        let page = |n: &'static str| {
            let (app, token) = (&app, sales1.clone());
            async move {
                app.get_query(
                    PAGE,
                    &token,
                    &[
                        ("wechatUserIds", "200"),
                        ("wechatContactIds", "5001,5002"),
                        ("limit", "4"),
                        ("pageNo", n),
                    ],
                )
                .await
            }
        };
        let r = page("1").await;
        assert_eq!(r.json()["count"], 15);
        assert_eq!(msg_ids(&r), vec!["y6", "x6", "y5", "x5"]);
        assert_eq!(msg_ids(&page("2").await), vec!["y4", "x4", "y3", "x3"]);
        assert_eq!(msg_ids(&page("4").await), vec!["y0", "x0", "7301"]);
        assert!(msg_ids(&page("5").await).is_empty());
    }

    async fn scope_is_enforced_on_ingest_and_read(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales2 = app.login("a_sales2").await;
        let admin = app.login("a_admin").await;
        let b_admin = app.login("b_admin").await;
        let nonexistent = app
            .post_json(RECORD, Some(&admin), json!([msg("n", 200, 424_242, T0)]))
            .await;
        assert_eq!(nonexistent.status, 404);
        for (token, batch, what) in [
            (&sales2, json!([msg("s", 200, 5001, T0)]), "a sibling's conversation"),
            (
                &admin,
                json!([msg("ok", 200, 5001, T0 + 5), msg("b", 900, 9001, T0)]),
                "a batch mixing one's own with another tenant's",
            ),
            (
                &admin,
                json!([msg("w", 100, 5001, T0)]),
                "a contact under the wrong WeChat account is not a conversation either",
            ),
        ] {
            let r = app.post_json(RECORD, Some(token), batch).await;
            assert_eq!(r.status, 404, "{what}");
            assert_eq!(r.json(), nonexistent.json(), "{what}");
        }
        let r = app
            .get_query(PAGE, &admin, &[("wechatContactIds", "5001")])
            .await;
        assert_eq!(
            msg_ids(&r),
            vec!["7301"],
            "nothing of the rejected calls was stored"
        );

        for (token, query, what) in [
            (
                &sales2,
                &[("adminUserId", "2"), ("wechatContactIds", "5001")][..],
                "a sibling's conversations read as an empty page",
            ),
            (&sales2, &[("wechatContactIds", "5001")][..], "a sibling's, no adminUserId"),
            (
                &b_admin,
                &[("adminUserId", "1"), ("wechatContactIds", "5001")][..],
                "another tenant's admin user",
            ),
            (
                &b_admin,
                &[("wechatUserIds", "200"), ("wechatContactIds", "5001")][..],
                "another tenant's WeChat account",
            ),
        ] {
            let r = app.get_query(PAGE, token, query).await;
            assert_eq!(r.status, 200, "{what}");
            assert_eq!(r.json()["count"], 0, "{what}");
        }
        if store == Store::MySql {
            let keys = app.redis.keys().await;
            assert!(keys.iter().all(|k| !k.contains("900:9001")), "{keys:?}");
        }
    }

    async fn limits_and_bad_input(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        let many: Vec<Value> = (0..1001)
            .map(|i| msg(&format!("m{i}"), 200, 5001, T0 + i))
            .collect();
        let r = app.post_json(RECORD, Some(&sales1), json!(many)).await;
        assert_eq!(r.status, 413, "{}", r.text());
        assert_eq!(r.json()["code"], 413);
        let thousand: Vec<Value> = (0..1000)
            .map(|i| msg(&format!("m{i}"), 200, 5001, T0 + i))
            .collect();
        let r = app.post_json(RECORD, Some(&sales1), json!(thousand)).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["data"]["stored"], 1000);
        for bad in [
            json!([{"wechatUserId": 200, "wechatContactId": 5001, "createTime": T0}]),
            json!([{"msgId": "x", "wechatUserId": "abc", "wechatContactId": 5001, "createTime": T0}]),
            json!({"not": "an array"}),
        ] {
            let r = app.post_json(RECORD, Some(&sales1), bad.clone()).await;
            assert_eq!(r.status, 400, "{bad}: {}", r.text());
        }
        for (param, value) in [
            ("wechatContactIds", "a"),
            ("limit", "0"),
            ("pageNo", "x"),
            ("adminUserId", "me"),
        ] {
            let r = app
                .get_query(
                    PAGE,
                    &sales1,
                    &[("wechatContactIds", "5001"), (param, value)],
                )
                .await;
            assert_eq!(r.status, 400, "{param}={value}");
            assert!(r.json()["msg"].as_str().unwrap().contains(param));
        }
    }
}
