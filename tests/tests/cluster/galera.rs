//! The Galera steps (see the crate doc).

use std::cell::RefCell;
use std::rc::Rc;

use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_e2e::{Reply, TestApp, customer_in, fixture, remarks_and_tags, tags_of};
use serde_json::json;

use crate::cluster::Cluster;
use crate::instance;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count(url: &str, sql: &str) -> i64 {
    let mut conn = AsyncMysqlConnection::establish(url).await.unwrap();
    let rows: Vec<Count> = diesel::sql_query(sql).load(&mut conn).await.unwrap();
    rows[0].n
}

#[derive(diesel::QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    s: String,
}

/// The text column `s` of every row `sql` selects, read directly through the node of `url`.
pub async fn text(url: &str, sql: &str) -> Vec<String> {
    let mut conn = AsyncMysqlConnection::establish(url).await.unwrap();
    let rows: Vec<Text> = diesel::sql_query(sql).load(&mut conn).await.unwrap();
    rows.into_iter().map(|r| r.s).collect()
}

/// The database of this run (on the Galera cluster).
pub fn db_name() -> String {
    format!("scrm_cl_{}", std::process::id())
}

/// The migrations of the repository (one folder each).
fn migrations() -> i64 {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let n = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().join("up.sql").exists()))
        .count();
    i64::try_from(n).unwrap()
}

/// Step 1; returns instance A (node 1) and B (node 2), the fixture loaded through A.
pub async fn both_instances_start_at_once_and_migrate_once(
    cluster: &Cluster,
) -> (TestApp, TestApp) {
    let db = db_name();
    // One prefix for both: one deployment's keys.
    let prefix = format!("scrm_cl{}", std::process::id());
    let config_a = instance::config(cluster, cluster.galera_url(1, &db), &prefix);
    let config_b = instance::config(cluster, cluster.galera_url(2, &db), &prefix);
    // Both migrate from scratch at the same moment (scrm_app::migrate, which open_stores
    // runs, would hide a failure behind its background retry: call it directly).
    let (ma, mb) = tokio::join!(scrm_app::migrate(&config_a), scrm_app::migrate(&config_b));
    ma.expect("instance A migrates");
    mb.expect("instance B migrates");
    let node3 = cluster.galera_url(3, &db);
    let applied = count(
        &node3,
        "SELECT COUNT(*) AS n FROM __diesel_schema_migrations",
    )
    .await;
    assert_eq!(applied, migrations(), "every migration recorded once");
    let locks = count(&node3, "SELECT COUNT(*) AS n FROM scrm_migrate_lock").await;
    assert_eq!(locks, 0, "the migration lock is released");
    let without_key = count(
        &node3,
        "SELECT COUNT(*) AS n FROM information_schema.tables t
         WHERE t.table_schema = DATABASE() AND (t.engine <> 'InnoDB' OR NOT EXISTS (
             SELECT 1 FROM information_schema.table_constraints c
             WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
               AND c.constraint_type = 'PRIMARY KEY'))",
    )
    .await;
    assert_eq!(
        without_key, 0,
        "a table without a primary key or not InnoDB"
    );

    let stores_a = scrm_app::open_stores(&config_a).await.expect("stores of A");
    let stores_b = scrm_app::open_stores(&config_b).await.expect("stores of B");
    let a = instance::serve(config_a, stores_a);
    let b = instance::serve(config_b, stores_b);
    a.import(fixture())
        .await
        .expect("the fixture loads through A");
    for app in [&a, &b] {
        let ready = app.get("/readyz", None).await;
        assert_eq!(ready.status, 200, "{}", ready.text());
    }
    (a, b)
}

pub const UPDATE: &str = "/wechat_api/customer/updateCustomer";
pub const PAGE: &str = "/wechat_api/customer/customerPage";
pub const RECORD: &str = "/wechat_api/message/record";
pub const MESSAGES: &str = "/wechat_api/message/getRedisMessageRecord";
pub const ADD_TASK: &str = "/wechat_api/customer/addManualTask";
pub const TASK_DETAIL: &str = "/wechat_api/customer/getManualTaskDetail";

/// Step 2: a session made through A works on B, and each write through A (on node 1) is read
/// through B (on node 2) at once, and through node 3 directly.
pub async fn a_write_through_one_node_is_read_through_the_other(
    cluster: &Cluster,
    a: &TestApp,
    b: &TestApp,
) {
    let token = a.login("a_admin").await;
    let before = b
        .get_query(PAGE, &token, &[("limit", "10"), ("pageNo", "1")])
        .await;
    assert_eq!(
        before.status,
        200,
        "A's session works on B: {}",
        before.text()
    );
    let count = before.json()["count"].clone();
    // Customer 6003 has tag 1001 only: the update moves it from the 1001 list to the 1000 one.
    let tagged = |tag: &'static str| [("tagIds", tag), ("limit", "10"), ("pageNo", "1")];
    let (t1000, t1001) = (
        page_of(&b.get_query(PAGE, &token, &tagged("1000")).await),
        page_of(&b.get_query(PAGE, &token, &tagged("1001")).await),
    );
    assert_eq!(t1000, (2, vec![6002, 6001]));
    assert_eq!(t1001, (2, vec![6003, 6002]));
    let done = a
        .post_json(
            UPDATE,
            Some(&token),
            json!({"customerId": 6003, "remarks": "via A", "tags": "1000"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text());
    let after = b
        .get_query(PAGE, &token, &[("limit", "10"), ("pageNo", "1")])
        .await;
    assert_eq!(after.status, 200, "{}", after.text());
    assert_eq!(
        customer_in(&after.json(), 6003)["remarks"],
        "via A",
        "B reads A's write at once"
    );
    assert_eq!(after.json()["count"], count);
    assert_eq!(
        page_of(&b.get_query(PAGE, &token, &tagged("1000")).await),
        (3, vec![6003, 6002, 6001]),
        "B's exact count of a tag A gave"
    );
    assert_eq!(
        page_of(&b.get_query(PAGE, &token, &tagged("1001")).await),
        (1, vec![6002]),
        "B's exact count of a tag A took away"
    );
    let node3 = cluster.galera_url(3, &db_name());
    assert_eq!(
        text(&node3, "SELECT remarks AS s FROM customer WHERE id = 6003").await,
        ["via A"]
    );

    // A chat message through A is in B's record.
    let sales1 = a.login("a_sales1").await;
    let message = json!([{"msgId": "x1", "wechatUserId": 200, "wechatContactId": 5002, "isSend": 0,
        "msgType": 1, "content": "經 A", "createTime": 1_600_000_000_000_i64}]);
    let r = a.post_json(RECORD, Some(&sales1), message).await;
    assert_eq!(
        r.json()["data"],
        json!({"received": 1, "stored": 1}),
        "{}",
        r.text()
    );
    let r = b
        .get_query(MESSAGES, &sales1, &[("wechatContactIds", "5002")])
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["count"], 1, "{}", r.text());
    assert_eq!(r.json()["data"][0]["content"], "經 A");

    // The after-call switch turned on through A is on through B.
    let switch = "/wechat_api/customer/getIsOpenAfterCall";
    assert_eq!(b.get(switch, Some(&sales1)).await.json()["data"], 0);
    let r = a
        .post_json(
            "/wechat_api/customer/updateIsOpenAfterCall",
            Some(&sales1),
            json!({"isOpen": 1}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(b.get(switch, Some(&sales1)).await.json()["data"], 1);

    // An entry added to a call list through A is in B's list and its count.
    let detail = [("adminUserId", "2"), ("limit", "100"), ("pageNo", "1")];
    let r = b.get_query(TASK_DETAIL, &sales1, &detail).await;
    let entries = r.json()["data"]["count"].as_u64().expect("a count");
    let body = json!({"customerName": "經A加", "customerPhone": "13912340000", "phoneGeo": "廈門"});
    let r = a.post_json(ADD_TASK, Some(&sales1), body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = b.get_query(TASK_DETAIL, &sales1, &detail).await;
    let list = r.json()["data"].clone();
    assert_eq!(list["count"], entries + 1, "{list}");
    let added = list["data"].as_array().expect("entries");
    assert!(
        added.iter().any(|e| e["customerPhone"] == "13912340000"),
        "{list}"
    );
}

/// The total and the customer ids of a customerPage reply.
fn page_of(reply: &Reply) -> (u64, Vec<i64>) {
    assert_eq!(reply.status, 200, "{}", reply.text());
    (
        reply.json()["count"].as_u64().expect("a count"),
        scrm_e2e::ids(reply),
    )
}

/// Step 3.
pub async fn concurrent_updates_through_two_nodes(a: &TestApp, b: &TestApp) {
    const CUSTOMERS: [i64; 3] = [6001, 6002, 6003];
    const ROUNDS: u64 = 15;
    let token = a.login("a_admin").await;
    let answers: Rc<RefCell<Vec<u16>>> = Rc::default();
    let mut writers = Vec::new();
    for (side, app) in [(1_u64, a), (2, b)] {
        for w in 0..2_u64 {
            let (answers, token) = (answers.clone(), token.clone());
            writers.push(async move {
                for round in 0..ROUNDS {
                    // Update keys: side * 10000 + writer * 1000 + round; odd sides, even rounds.
                    let k = side * 10_000 + w * 1000 + round;
                    for id in CUSTOMERS {
                        let body = json!({"customerId": id, "remarks": format!("r{k}"), "tags": tags_of(k)});
                        let reply = app.post_json(UPDATE, Some(&token), body).await;
                        assert!(
                            reply.status == 200 || reply.status == 503,
                            "update {k} of {id}: {} {}",
                            reply.status,
                            reply.text()
                        );
                        answers.borrow_mut().push(reply.status);
                    }
                }
            });
        }
    }
    futures_util::future::join_all(writers).await;
    let answers = answers.take();
    let refused = answers.iter().filter(|s| **s == 503).count();
    eprintln!(
        "concurrent updates through two Galera nodes: {} answers, {refused} of them 503",
        answers.len()
    );
    assert!(
        refused * 10 <= answers.len(),
        "more than a tenth refused: {refused}"
    );
    for app in [a, b] {
        let page = app
            .get_query(PAGE, &token, &[("limit", "10"), ("pageNo", "1")])
            .await;
        assert_eq!(page.status, 200, "{}", page.text());
        for id in CUSTOMERS {
            let (remarks, tags) = remarks_and_tags(customer_in(&page.json(), id));
            let k: u64 = remarks
                .strip_prefix('r')
                .and_then(|k| k.parse().ok())
                .unwrap_or_else(|| panic!("{id}: remarks {remarks:?} were never written"));
            assert_eq!(
                tags,
                tags_of(k),
                "{id}: remarks of update {k} with tags of another"
            );
        }
    }
}
