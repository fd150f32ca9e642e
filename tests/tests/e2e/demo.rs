//! The demo data of `scrm seed` (what `make run` serves) and the import's all-or-nothing rule.

use scrm_app::seed;
use scrm_domain::phone;
use scrm_domain::search::{parse_terms, term_matches};
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

    // The README's search examples on the demo data: each `q` finds exactly the customers of
    // the scope that the domain's rule (`term_matches`) finds in the demo document, and the
    // showcase customer it is shown with.
    async fn the_readme_search_examples_find_the_demo_customers(store: Store) {
        let doc = seed::document(seed::SeedSize::default());
        let app = TestApp::spawn_document(store, doc.clone(), |_| {}).await;
        for (login, accounts) in [("demo_admin", 20_000..20_003), ("demo_sales1", 20_001..20_002)] {
            let token = app.login_with(login, seed::DEMO_PASSWORD).await;
            for (q, shown) in [
                ("zhangweiming", "張偉明"),
                ("zwm", "張偉明"),
                ("8186", "陳志強"),
                ("chen 8186", "陳志強"),
                ("chang", "長青"),
                ("zhang", "長青"),
                ("WENDY", "長青"),
            ] {
                let terms = parse_terms(q);
                let mut expected: Vec<i64> = doc
                    .customers
                    .iter()
                    .filter_map(|c| {
                        let contact = doc.wechat_contacts.iter().find(|w| w.id == c.wechat_contact_id)?;
                        let names = [
                            c.customer_name.as_deref(),
                            contact.nick_name.as_deref(),
                            contact.remark_name.as_deref(),
                        ];
                        let phone = c.customer_phone.as_deref().map(phone::digits);
                        (accounts.contains(&contact.wechat_user_id)
                            && terms.iter().all(|t| term_matches(t, names, phone.as_deref())))
                        .then_some(c.id)
                    })
                    .collect();
                expected.sort_unstable();
                let page = app
                    .get(
                        &format!(
                            "/wechat_api/customer/customerPage?limit=100&q={}",
                            q.replace(' ', "%20")
                        ),
                        Some(&token),
                    )
                    .await;
                assert_eq!(page.status, 200, "{q}: {}", page.text());
                let mut found = ids(&page);
                found.sort_unstable();
                assert_eq!(found, expected, "{login}: q={q}");
                assert_eq!(page.json()["count"].as_u64(), Some(expected.len() as u64));
                assert!(
                    page.json()["data"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|c| c["customerName"] == shown),
                    "{login}: q={q} shows {shown}"
                );
            }
        }
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
