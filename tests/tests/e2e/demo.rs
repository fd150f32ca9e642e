//! The demo data of `scrm seed` (what `make run` serves) and the import's all-or-nothing rule.

use scrm_app::seed;
use scrm_e2e::{TestApp, ids};
use serde_json::json;

both_stores! {
    async fn the_demo_logins_work_and_see_their_scope(store: Store) {
        let app = TestApp::spawn_document(store, seed::document(seed::SeedSize::default()), |_| {}).await;
        let mut counts = Vec::new();
        for login in ["demo_admin", "demo_sales1", "acme_admin"] {
            let r = app
                .post_json(
                    "/wechat_api/login",
                    None,
                    json!({"loginName": login, "password": seed::DEMO_PASSWORD}),
                )
                .await;
            assert_eq!(r.status, 200, "{login}: {}", r.text());
            let token = r.json()["data"]["token"].as_str().unwrap().to_owned();
            let page = app
                .get("/wechat_api/customer/customerPage", Some(&token))
                .await;
            assert_eq!(page.status, 200);
            assert_eq!(ids(&page).len(), 10, "{login} sees a full first page");
            counts.push(page.json()["count"].as_u64().unwrap());
        }
        assert!(
            counts[1] < counts[0],
            "a sub-account sees part of its tenant: {counts:?}"
        );
        assert!(counts[2] > 0);
    }

    async fn an_import_with_one_bad_record_writes_nothing(store: Store) {
        let app = TestApp::spawn(store).await;
        let mut doc = json!({
            "adminUsers": [{"id": 50, "loginName": "new_admin", "password": "pw-new"}],
            "wechatUsers": [{"id": 5000, "adminUserId": 50}],
            "wechatContacts": [],
            "customers": []
        });
        // 1 account + 1 WeChat account + 4,999 contacts + 4,999 customers: the last customer is
        // the document's 10,000th record.
        for i in 0..4_999 {
            doc["wechatContacts"]
                .as_array_mut()
                .unwrap()
                .push(json!({"id": 700_000 + i, "wechatUserId": 5000}));
            doc["customers"]
                .as_array_mut()
                .unwrap()
                .push(json!({"id": 800_000 + i, "wechatContactId": 700_000 + i}));
        }
        doc["customers"][4_998]["customerPhone"] = json!("12");
        let err = app.import(doc.clone()).await.unwrap_err();
        assert!(
            format!("{err:#}").contains("customers[4998] (id 804998)"),
            "{err:#}"
        );
        let r = app
            .post_json(
                "/wechat_api/login",
                None,
                json!({"loginName": "new_admin", "password": "pw-new"}),
            )
            .await;
        assert_eq!(r.status, 401, "the account was not written");

        doc["customers"][4_998]["customerPhone"] = json!("13800001111");
        let summary = app.import(doc.clone()).await.unwrap();
        assert_eq!(summary.rows, 10_000);
        app.import(doc).await.unwrap();
        let token = app.login_with("new_admin", "pw-new").await;
        let r = app
            .get("/wechat_api/customer/customerPage", Some(&token))
            .await;
        assert_eq!(
            r.json()["count"],
            4_999,
            "a second import of the same document changes nothing"
        );
    }
}
