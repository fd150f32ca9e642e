//! Two instances of one deployment: two servers over one database and Redis prefix, each with
//! its own pools and its own customer index (on, the default). A write through one is in the
//! other's lists and counts at once, with the other's index loaded and answering.

use std::time::Duration;

use scrm_e2e::{Reply, Store, TestApp, customer_in, ids};
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
