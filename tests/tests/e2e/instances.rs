//! Two instances of one deployment: two servers over one database and Redis prefix, each with
//! its own pools and its own customer index (on, the default). A write through one is in the
//! other's lists and counts (and findcontactbytagAll's selections) at once, with the other's
//! index loaded and answering.

use std::time::Duration;

use scrm_e2e::{Reply, Store, TestApp, customer_in, ids};

use crate::find_contact::contact_ids as contacts;
use serde_json::json;

const PAGE: &str = "/wechat_api/customer/customerPage";
const UPDATE: &str = "/wechat_api/customer/updateCustomer";

/// Waits until `app`'s index has loaded tenant 1 (its first list started the load).
async fn index_warm(app: &TestApp) {
    let mut index = serde_json::Value::Null;
    for _ in 0..100 {
        let r = app.get("/readyz", None).await;
        assert_eq!(r.status, 200, "{}", r.text());
        index = r.json()["data"]["index"].clone();
        if index["state"] == "warm" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the index never loaded tenant 1: {index}");
}

fn page(reply: &Reply) -> (u64, Vec<i64>) {
    assert_eq!(reply.status, 200, "{}", reply.text());
    (reply.json()["count"].as_u64().unwrap(), ids(reply))
}

#[actix_web::test]
async fn a_write_through_one_instance_is_read_through_the_other_at_once() {
    let a = TestApp::spawn(Store::MySql).await;
    let b = a.sibling().await;
    assert!(a.config.index && b.config.index, "the index is on");
    // A session made through A works on B (one Redis).
    let token = a.login("a_admin").await;
    let tagged = [("tagIds", "1000"), ("limit", "10"), ("pageNo", "1")];
    let all = [("limit", "10"), ("pageNo", "1")];
    let named = [("customerName", "新名"), ("limit", "10"), ("pageNo", "1")];
    assert_eq!(
        page(&b.get_query(PAGE, &token, &tagged).await),
        (2, vec![6002, 6001])
    );
    index_warm(&b).await;
    assert_eq!(page(&b.get_query(PAGE, &token, &named).await), (0, vec![]));
    assert_eq!(
        page(&b.get_query(PAGE, &token, &all).await),
        (4, vec![6004, 6003, 6002, 6001])
    );

    // A tag and a name through A: B's filtered count and page have them at once.
    let done = a
        .post_json(
            UPDATE,
            Some(&token),
            json!({"customerId": 6004, "customerName": "新名字", "tags": "1000"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(
        page(&b.get_query(PAGE, &token, &tagged).await),
        (3, vec![6004, 6002, 6001])
    );
    let found = b.get_query(PAGE, &token, &named).await;
    assert_eq!(page(&found), (1, vec![6004]));
    assert_eq!(customer_in(&found.json(), 6004)["customerName"], "新名字");

    // A delete through A: gone from B's list and count, in B's recycle bin; a restore
    // through B is in A's list at once.
    let deleted = a
        .post_json(
            "/wechat_api/customer/delete",
            Some(&token),
            json!({"customerId": 6003}),
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text());
    assert_eq!(
        page(&b.get_query(PAGE, &token, &all).await),
        (3, vec![6004, 6002, 6001])
    );
    let bin = b
        .get_query("/wechat_api/customer/recycleBin", &token, &all)
        .await;
    assert_eq!(page(&bin), (1, vec![6003]));
    let restored = b
        .post_json(
            "/wechat_api/customer/restore",
            Some(&token),
            json!({"customerId": 6003}),
        )
        .await;
    assert_eq!(restored.status, 200, "{}", restored.text());
    assert_eq!(
        page(&a.get_query(PAGE, &token, &all).await),
        (4, vec![6004, 6003, 6002, 6001])
    );
    assert_eq!(
        page(&b.get_query(PAGE, &token, &all).await),
        (4, vec![6004, 6003, 6002, 6001])
    );
    // B's index stayed loaded and its last list read the log to the end.
    let index = b.index_report().await;
    assert_eq!(
        (&index["state"], &index["tenants"], &index["behind"]),
        (&json!("warm"), &json!(1), &json!(0)),
        "{index}"
    );
}

/// Another writer's statement on the shared database.
async fn sql(app: &TestApp, statement: &str) {
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
    let mut conn = AsyncMysqlConnection::establish(&app.config.database_url)
        .await
        .unwrap();
    diesel::sql_query(statement)
        .execute(&mut conn)
        .await
        .unwrap();
}

#[actix_web::test]
async fn a_contact_write_through_one_instance_is_selected_through_the_other_at_once() {
    const FIND: &str = "/wechat_api/customer/findcontactbytagAll";
    let a = TestApp::spawn(Store::MySql).await;
    let b = a.sibling().await;
    let token = a.login("a_admin").await;
    let sales1 = a.login("a_sales1").await;
    let tagged = [("tagIds", "1000")];
    let untagged = [("tagIds", "1000"), ("tagMode", "none")];
    assert_eq!(
        contacts(&b.get_query(FIND, &token, &tagged).await),
        [5001, 5002]
    );
    index_warm(&b).await;
    let answered = |app: &TestApp| {
        let stats = app.stores.index_stats().expect("the index is on");
        stats.answered
    };
    let before = answered(&b);
    assert_eq!(
        contacts(&b.get_query(FIND, &token, &untagged).await),
        [5004, 5005]
    );

    // A re-tag through A (5004's customer 6004 gets tag 1000): in B's selection at once.
    let done = a
        .post_json(
            UPDATE,
            Some(&token),
            json!({"customerId": 6004, "tags": "1000"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(
        contacts(&b.get_query(FIND, &token, &tagged).await),
        [5001, 5002, 5004]
    );
    assert_eq!(
        contacts(&b.get_query(FIND, &token, &untagged).await),
        [5005]
    );

    // A new contact without tags or customer (an import), and 5005 deleted by another
    // writer: B lists the one and not the other, in the main account's and the owner's scope.
    a.import(json!({"wechatContacts": [
        {"id": 5006, "wechatUserId": 200, "userName": "wxid_new", "nickName": "新朋友"}
    ]}))
    .await
    .unwrap();
    sql(&a, "DELETE FROM wechat_contact WHERE id = 5005").await;
    assert_eq!(
        contacts(&b.get_query(FIND, &token, &untagged).await),
        [5006]
    );
    assert_eq!(
        contacts(
            &b.get_query(FIND, &sales1, &[("tagMode", "none"), ("tagIds", "1001")])
                .await
        ),
        [5001, 5006]
    );
    // An account going offline (not logged: read at the request) drops its contacts.
    sql(&a, "UPDATE wechat_user SET is_online = 0 WHERE id = 200").await;
    assert_eq!(contacts(&b.get(FIND, Some(&token)).await), [5004]);
    assert_eq!(
        contacts(&b.get_query(FIND, &token, &[("isOffLine", "1")]).await),
        [5001, 5002, 5003, 5004, 5006]
    );
    // B's index answered them (each of the seven, unless a catch-up passed its bound on a
    // busy machine and SQL answered it).
    assert!(answered(&b) > before, "the index answered none");
}
