//! delete (to the recycle bin), recycleBin and restore, within the scope only.

use scrm_e2e::{Reply, TestApp, ids};
use serde_json::{Value, json};

const PAGE: &str = "/wechat_api/customer/customerPage";
const BIN: &str = "/wechat_api/customer/recycleBin";

/// `delete` or `restore` (`action`) of the customer `id`, as the JSON `{"customerId": id}`.
async fn customer_action(app: &TestApp, action: &str, token: &str, id: Value) -> Reply {
    let path = format!("/wechat_api/customer/{action}");
    app.post_json(&path, Some(token), json!({ "customerId": id }))
        .await
}

both_stores! {
    async fn delete_moves_to_the_bin_and_restore_brings_back(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        // The spec's request: a form with customerId as a string.
        let r = app
            .post_form(
                "/wechat_api/customer/delete",
                Some(&admin),
                &[("customerId", "6001")],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(
            r.json(),
            json!({"code": 200, "msg": "操作成功!", "data": [], "pageNo": 1, "count": 0})
        );
        assert_eq!(
            ids(&app.get(PAGE, Some(&admin)).await),
            vec![6004, 6003, 6002]
        );
        let bin = app.get(BIN, Some(&admin)).await;
        assert_eq!(ids(&bin), vec![6001]);
        assert_eq!(bin.json()["count"], 1);
        assert!(bin.json()["data"][0]["deletedTime"].is_i64());
        // Deleting again: it is no longer a live customer.
        let r = customer_action(&app, "delete", &admin, json!(6001)).await;
        assert_eq!(r.status, 404);

        let r = customer_action(&app, "restore", &admin, json!("6001")).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(
            ids(&app.get(PAGE, Some(&admin)).await),
            vec![6004, 6003, 6002, 6001]
        );
        assert!(ids(&app.get(BIN, Some(&admin)).await).is_empty());
        let r = customer_action(&app, "restore", &admin, json!(6001)).await;
        assert_eq!(r.status, 404, "restoring a live customer");
    }

    async fn out_of_scope_ids_answer_like_nonexistent_and_change_nothing(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let sales2 = app.login("a_sales2").await;
        let b_admin = app.login("b_admin").await;
        let nonexistent = customer_action(&app, "delete", &admin, json!(777)).await;
        let other_tenant = customer_action(&app, "delete", &admin, json!(9101)).await;
        let sibling = customer_action(&app, "delete", &sales2, json!(6001)).await;
        assert_eq!(nonexistent.status, 404);
        assert_eq!(other_tenant.status, 404);
        assert_eq!(other_tenant.json(), nonexistent.json());
        assert_eq!(sibling.json(), nonexistent.json());
        assert_eq!(ids(&app.get(PAGE, Some(&b_admin)).await), vec![9101]);
        assert_eq!(ids(&app.get(PAGE, Some(&admin)).await).len(), 4);

        // B deletes its own; A can neither see it in its bin nor restore it.
        let r = customer_action(&app, "delete", &b_admin, json!(9101)).await;
        assert_eq!(r.status, 200);
        assert!(ids(&app.get(BIN, Some(&admin)).await).is_empty());
        let r = customer_action(&app, "restore", &admin, json!(9101)).await;
        assert_eq!(r.status, 404);
        assert_eq!(ids(&app.get(BIN, Some(&b_admin)).await), vec![9101]);

        // A main account deletes and restores its sub-accounts' customers.
        let r = customer_action(&app, "delete", &admin, json!(6003)).await;
        assert_eq!(r.status, 200);
        assert_eq!(ids(&app.get(BIN, Some(&sales2)).await), vec![6003]);
        let sales1 = app.login("a_sales1").await;
        assert!(ids(&app.get(BIN, Some(&sales1)).await).is_empty());
        let r = customer_action(&app, "restore", &sales1, json!(6003)).await;
        assert_eq!(r.status, 404, "a sibling cannot restore");
        let r = customer_action(&app, "restore", &sales2, json!(6003)).await;
        assert_eq!(r.status, 200);
    }

    async fn missing_or_bad_ids_are_400(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        for path in [
            "/wechat_api/customer/delete",
            "/wechat_api/customer/restore",
        ] {
            let r = app.post_json(path, Some(&admin), json!({})).await;
            assert_eq!(r.status, 400);
            assert_eq!(r.json()["msg"], "customerId為空");
            let r = app
                .post_form(path, Some(&admin), &[("customerId", "")])
                .await;
            assert_eq!(r.status, 400);
            let r = app
                .post_form(path, Some(&admin), &[("customerId", "abc")])
                .await;
            assert_eq!(r.status, 400);
            assert!(r.json()["msg"].as_str().unwrap().contains("customerId"));
        }
        let r = app.get_query(BIN, &admin, &[("limit", "1000")]).await;
        assert_eq!(r.status, 400);
        assert_eq!(
            ids(&app.get(PAGE, Some(&admin)).await).len(),
            4,
            "nothing changed"
        );
    }
}
