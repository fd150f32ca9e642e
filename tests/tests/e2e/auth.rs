//! Login, logout, password changes, login throttling, and what happens without a valid
//! session.

use scrm_e2e::{PASSWORD, TestApp};
use serde_json::json;

const PAGE: &str = "/wechat_api/customer/customerPage";

both_stores! {
    async fn login_with_json_or_form_and_logout(store: Store) {
        let app = TestApp::spawn(store).await;
        let r = app
            .post_json(
                "/wechat_api/login",
                None,
                json!({"loginName": "a_sales1", "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status, 200);
        let body = r.json();
        assert_eq!(body["code"], 200);
        assert_eq!(body["msg"], "操作成功!");
        assert_eq!(body["data"]["adminUserId"], 2);
        assert_eq!(body["data"]["expiresIn"], 28_800);
        let token = body["data"]["token"].as_str().unwrap().to_owned();
        assert_eq!(token.len(), 64);
        assert_eq!(app.get(PAGE, Some(&token)).await.status, 200);

        let r = app
            .post_form(
                "/wechat_api/login",
                None,
                &[("loginName", "a_admin"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());

        let r = app
            .post_json("/wechat_api/logout", Some(&token), json!({}))
            .await;
        assert_eq!(r.status, 200);
        let r = app.get(PAGE, Some(&token)).await;
        assert_eq!(r.status, 401);
        assert_eq!(r.json()["code"], 401);
    }

    async fn wrong_credentials_and_missing_fields(store: Store) {
        let app = TestApp::spawn(store).await;
        for body in [
            json!({"loginName": "a_admin", "password": "wrong"}),
            json!({"loginName": "nobody", "password": PASSWORD}),
        ] {
            let r = app.post_json("/wechat_api/login", None, body).await;
            assert_eq!(r.status, 401);
            assert_eq!(r.json()["code"], 401);
            assert!(r.json()["data"].is_null());
        }
        let r = app
            .post_json("/wechat_api/login", None, json!({"password": "x"}))
            .await;
        assert_eq!(r.status, 400);
        assert!(r.json()["msg"].as_str().unwrap().contains("loginName"));
        let r = app
            .post_json("/wechat_api/login", None, json!({"loginName": "a_admin"}))
            .await;
        assert_eq!(r.status, 400);
        assert!(r.json()["msg"].as_str().unwrap().contains("password"));
    }

    async fn too_many_failed_logins_of_a_name_are_429_until_a_success_resets_it(store: Store) {
        let app = TestApp::spawn(store).await;
        let login = |name: &'static str, password: &'static str| {
            app.post_json(
                "/wechat_api/login",
                None,
                json!({"loginName": name, "password": password}),
            )
        };
        for i in 0..10 {
            assert_eq!(login("a_admin", "wrong").await.status, 401, "attempt {i}");
        }
        // The 11th attempt is refused before the password is looked at, in any letter case.
        for name in ["a_admin", "A_Admin"] {
            let r = login(name, PASSWORD).await;
            assert_eq!(r.status, 429, "{name}: {}", r.text());
            assert_eq!(
                r.json(),
                json!({"code": 429, "msg": "登錄嘗試過多,請稍後再試", "data": null})
            );
            let retry: u64 = r.header("Retry-After").parse().unwrap();
            assert!((1..=600).contains(&retry), "Retry-After: {retry}");
        }
        // An accented spelling of the locked name is another name (MariaDB's collation would
        // take it for the same account): a wrong name, refused with its right password too.
        for name in ["á_admin", "a_admín"] {
            let r = login(name, PASSWORD).await;
            assert_eq!(r.status, 401, "{name}: {}", r.text());
        }
        // Another name from the same address still logs in.
        assert_eq!(login("a_sales1", PASSWORD).await.status, 200);
        // A success clears the name's count: 9 failures, a success, 9 failures, no 429.
        for round in 0..2 {
            for i in 0..9 {
                let r = login("a_sales2", "wrong").await;
                assert_eq!(r.status, 401, "round {round}, attempt {i}");
            }
            assert_eq!(login("a_sales2", PASSWORD).await.status, 200, "round {round}");
        }
    }

    async fn every_endpoint_needs_a_valid_token(store: Store) {
        let app = TestApp::spawn(store).await;
        let gets = [
            PAGE,
            "/wechat_api/customer/downLoad",
            "/wechat_api/customer/recycleBin",
            "/wechat_api/customer/findcontactbytagAll",
            "/wechat_api/customer/getManualTaskDetail",
            "/wechat_api/message/getRedisMessageRecord",
        ];
        let posts = [
            "/wechat_api/customer/updateCustomer",
            "/wechat_api/customer/delete",
            "/wechat_api/customer/restore",
            "/wechat_api/customer/batchSaveNickName",
            "/wechat_api/customer/addManualTask",
            "/wechat_api/message/record",
            "/wechat_api/logout",
        ];
        // Good parameters, then bad ones: the caller is refused before its parameters are.
        let queries = ["", "?pageNo=0&limit=0&tagIds=x&beginTime=x"];
        let bodies = [json!({"customerId": 6001}), json!({})];
        for token in [None, Some("not-a-token"), Some(&*"f".repeat(64))] {
            for path in gets {
                for query in queries {
                    let r = app.get(&format!("{path}{query}"), token).await;
                    assert_eq!(r.status, 401, "GET {path}{query} with {token:?}");
                    assert_eq!(r.json()["code"], 401);
                }
            }
            for path in posts {
                for body in &bodies {
                    let r = app.post_json(path, token, body.clone()).await;
                    assert_eq!(r.status, 401, "POST {path} {body} with {token:?}");
                    assert_eq!(r.json()["code"], 401);
                }
            }
        }
        let admin = app.login("a_admin").await;
        let r = app
            .post_json("/wechat_api/customer/delete", Some(&admin), json!({}))
            .await;
        assert_eq!(r.status, 400, "a known caller learns what is wrong");
        assert_eq!(r.json()["msg"], "customerId為空");
        let r = app
            .client
            .get(format!("{}{PAGE}", app.base))
            .insert_header(("Authorization", "Basic abc"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401);
    }

    async fn sessions_expire_when_idle(store: Store) {
        let app = TestApp::spawn_with(store, scrm_e2e::fixture(), |c| {
            c.session_ttl = std::time::Duration::from_secs(1)
        })
        .await;
        let token = app.login("a_admin").await;
        assert_eq!(app.get(PAGE, Some(&token)).await.status, 200);
        tokio::time::sleep(std::time::Duration::from_millis(2200)).await;
        assert_eq!(app.get(PAGE, Some(&token)).await.status, 401);
    }

    async fn logout_ends_every_session_of_the_account(store: Store) {
        let app = TestApp::spawn(store).await;
        let phone = app.login("a_admin").await;
        let laptop = app.login("a_admin").await;
        let colleague = app.login("a_sales1").await;
        let r = app.post_json("/wechat_api/logout", Some(&phone), json!({})).await;
        assert_eq!(r.status, 200);
        assert_eq!(app.get(PAGE, Some(&phone)).await.status, 401);
        assert_eq!(app.get(PAGE, Some(&laptop)).await.status, 401, "every device is logged out");
        assert_eq!(app.get(PAGE, Some(&colleague)).await.status, 200, "other accounts are not");
        let again = app.login("a_admin").await;
        assert_eq!(app.get(PAGE, Some(&again)).await.status, 200);
    }

    async fn a_password_change_ends_every_session_of_the_account(store: Store) {
        let app = TestApp::spawn(store).await;
        let phone = app.login("a_admin").await;
        let laptop = app.login("a_admin").await;
        let colleague = app.login("a_sales1").await;
        // What `scrm passwd` runs (its own test covers the command on MariaDB), from beside
        // the server.
        app.direct
            .auth_service()
            .change_password("a_admin", "a-new-passw0rd")
            .await
            .unwrap();
        for token in [&phone, &laptop] {
            assert_eq!(app.get(PAGE, Some(token)).await.status, 401, "logged out everywhere");
        }
        assert_eq!(app.get(PAGE, Some(&colleague)).await.status, 200, "other accounts are not");
        let old = app
            .post_json(
                "/wechat_api/login",
                None,
                json!({"loginName": "a_admin", "password": PASSWORD}),
            )
            .await;
        assert_eq!(old.status, 401, "the old password no longer works");
        let new = app.login_with("a_admin", "a-new-passw0rd").await;
        assert_eq!(app.get(PAGE, Some(&new)).await.status, 200);
    }
}
