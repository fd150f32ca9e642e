//! findcontactbytagAll: contacts of the scope by tag, online accounts unless isOffLine.

use scrm_e2e::TestApp;

const FIND: &str = "/wechat_api/customer/findcontactbytagAll";

/// The contact ids of a findcontactbytagAll reply, in order.
pub fn contact_ids(r: &scrm_e2e::Reply) -> Vec<i64> {
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", r.text()))
        .iter()
        .map(|c| c["wechatContactId"].as_i64().unwrap())
        .collect()
}

both_stores! {
    async fn the_spec_example_and_every_field(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        let r = app
            .get(
                &format!("{FIND}?wechatUserId=200&tagIds=1000"),
                Some(&sales1),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["msg"], "操作成功!");
        assert_eq!(contact_ids(&r), vec![5001, 5002]);
        let c = &r.json()["data"][0];
        for (key, value) in [
            ("wechatContactId", serde_json::json!(5001)),
            ("wechatUserId", serde_json::json!(200)),
            ("uin", serde_json::json!("0")),
            ("userName", serde_json::json!("wxid_8twmv8pkgvox22")),
            ("nickName", serde_json::json!("售前-紅海")),
            ("remarkName", serde_json::json!("紅海哥")),
            ("sex", serde_json::json!("1")),
            ("verifyFlag", serde_json::json!("0")),
            ("isDelete", serde_json::json!(0)),
            ("isSaving", serde_json::json!(0)),
            ("wechatUserName", serde_json::json!("wxid_oo8w553uj5g612")),
            ("alias", serde_json::Value::Null),
            ("contactFlag", serde_json::json!("3")),
            ("wechatUserUin", serde_json::json!("663329897")),
            ("chatRoomSettings", serde_json::json!(0)),
            ("contactType", serde_json::json!(0)),
            ("seq", serde_json::json!("wxid_8twmv8pkgvox22")),
            ("adminUserId", serde_json::json!(2)),
            ("wechatUserNickName", serde_json::json!("你看那茶樹滿山")),
            ("customerNickName", serde_json::json!("海哥")),
            ("pyinitial", serde_json::json!("SQHH")),
            ("pyquanPin", serde_json::json!("shouqianhonghai")),
            ("remarkPYInitial", serde_json::json!("HHG")),
            ("remarkPYQuanPin", serde_json::json!("honghaige")),
            ("memberCount", serde_json::Value::Null),
            ("groupId", serde_json::Value::Null),
            ("op", serde_json::Value::Null),
            ("groupName", serde_json::Value::Null),
        ] {
            assert_eq!(c[key], value, "{key}");
        }
        assert!(
            c.get("headImgUrl").is_some() && c.get("province").is_some() && c.get("city").is_some()
        );
    }

    async fn online_offline_scope_and_other_tenants(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let sales2 = app.login("a_sales2").await;
        let b_admin = app.login("b_admin").await;
        assert_eq!(
            contact_ids(&app.get_query(FIND, &admin, &[("tagIds", "1001")]).await),
            vec![5002]
        );
        assert_eq!(
            contact_ids(
                &app.get_query(FIND, &admin, &[("tagIds", "1001"), ("isOffLine", "1")])
                    .await
            ),
            vec![5002, 5003]
        );
        assert_eq!(
            contact_ids(
                &app.get_query(FIND, &admin, &[("tagIds", "1000,1001"), ("isOffLine", "0")])
                    .await
            ),
            vec![5001, 5002, 5003],
            "any given isOffLine includes offline accounts"
        );
        assert_eq!(
            contact_ids(
                &app.get_query(
                    FIND,
                    &sales2,
                    &[("tagIds", "1000,1001"), ("isOffLine", "1")]
                )
                .await
            ),
            vec![5003]
        );
        assert!(contact_ids(&app.get_query(FIND, &admin, &[("tagIds", "2000")]).await).is_empty());
        assert!(contact_ids(&app.get_query(FIND, &b_admin, &[("tagIds", "1000")]).await).is_empty());
        assert!(
            contact_ids(
                &app.get_query(FIND, &sales2, &[("wechatUserId", "200")])
                    .await
            )
            .is_empty()
        );
        assert_eq!(
            contact_ids(&app.get_query(FIND, &b_admin, &[("tagIds", "2000")]).await),
            vec![9001]
        );
        // No tags: every contact of the scope on online accounts.
        assert_eq!(
            contact_ids(&app.get(FIND, Some(&admin)).await),
            vec![5001, 5002, 5004, 5005]
        );
        // The lower-case path of the spec's change log works too.
        let r = app
            .get_query(
                "/wechat_api/customer/findcontactbytagall",
                &admin,
                &[("tagIds", "1001")],
            )
            .await;
        assert_eq!(contact_ids(&r), vec![5002]);
        for (param, value) in [("tagIds", "x"), ("wechatUserId", "y")] {
            let r = app.get_query(FIND, &admin, &[(param, value)]).await;
            assert_eq!(r.status, 400);
            assert!(r.json()["msg"].as_str().unwrap().contains(param));
        }
    }
}
