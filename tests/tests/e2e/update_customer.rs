//! updateCustomer: the legacy form, partial updates, tags, stars, creation, and scope.

use scrm_e2e::{Reply, TestApp, ids};
use serde_json::{Value, json};

const UPDATE: &str = "/wechat_api/customer/updateCustomer";
const PAGE: &str = "/wechat_api/customer/customerPage";

/// updateCustomer with a JSON body.
async fn update(app: &TestApp, token: &str, body: Value) -> Reply {
    app.post_json(UPDATE, Some(token), body).await
}

async fn customer(app: &TestApp, token: &str, id: i64) -> Value {
    let r = app.get_query(PAGE, token, &[("limit", "100")]).await;
    r.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["customerId"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

fn spec_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("customerPhone", "11111122222"),
        ("customerName", "售前-紅海"),
        ("nickName", "售前紅海"),
        ("xfield1", ""),
        ("remarks", "售前-紅海哥"),
        ("tags", ""),
        ("customerId", "6001"),
        ("wechatContactId", "5001"),
        ("isStar", ""),
    ]
}

both_stores! {
    async fn the_spec_example_as_a_form_answers_the_legacy_shape(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let r = app.post_form(UPDATE, Some(&admin), &spec_form()).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let body = r.json();
        assert_eq!(body["code"], 200);
        assert_eq!(body["msg"], "操作成功!");
        let c = &body["customer"];
        assert_eq!(c["customerId"], 6001);
        assert_eq!(c["customerName"], "售前-紅海");
        assert_eq!(c["customerPhone"], "11111122222");
        assert_eq!(c["remarks"], "售前-紅海哥");
        assert_eq!(c["wechatContactId"], 5001);
        assert!(c["lastUpdateTime"].is_i64());
        assert_eq!(c["tags"], "", "tags: \"\" empties the tag set");
        assert_eq!(c["isCust"], 0);
        assert_eq!(c["nickName"], "售前紅海");
        assert!(c["xfield1"].is_null(), "an empty text field clears it");
        let w = &body["wechatContact"];
        assert_eq!(w["wechatContactId"], 5001);
        assert_eq!(w["wechatUserId"], 200);
        assert_eq!(w["uin"], "0");
        assert_eq!(w["userName"], "wxid_8twmv8pkgvox22");
        assert_eq!(w["nickName"], "售前-紅海");
        assert_eq!(w["pYInitial"], "SQHH");
        assert_eq!(w["pYQuanPin"], "shouqianhonghai");
        assert_eq!(w["pyinitial"], "SQHH");
        assert_eq!(w["pyquanPin"], "shouqianhonghai");
        assert_eq!(w["sex"], "1");
        assert_eq!(w["verifyFlag"], "0");
        assert_eq!(w["isDelete"], 0);
        assert_eq!(w["isSaving"], 0);
        assert_eq!(w["wechatUserName"], "wxid_oo8w553uj5g612");
        assert_eq!(w["contactFlag"], "3");
        assert_eq!(w["wechatUserUin"], "663329897");
        assert_eq!(w["chatRoomSettings"], 0);
        assert_eq!(w["contactType"], 0);
        assert_eq!(w["seq"], "wxid_8twmv8pkgvox22");
        assert!(!r.text().contains("<ul>"), "no server-rendered HTML");
        let listed = customer(&app, &admin, 6001).await;
        assert_eq!(listed["tags"], "");
    }

    async fn json_bodies_with_numbers_and_partial_updates(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let r = update(&app, &admin, json!({"customerId": 6002, "remarks": "新備注", "isStar": 1, "tags": "1000"})).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let c = customer(&app, &admin, 6002).await;
        assert_eq!(c["remarks"], "新備注");
        assert_eq!(c["customerName"], "王偉", "absent fields are left alone");
        assert_eq!(c["customerPhone"], "+86 187-5092-8186");
        assert_eq!(c["tags"], "1000");
        assert_eq!(c["isStar"], 1);
        assert_eq!(r.json()["wechatContact"]["isStar"], 1);

        let r = update(&app, &admin, json!({"customerId": "6002", "customerPhone": "", "tags": [1000, "1001"]})).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let c = customer(&app, &admin, 6002).await;
        assert!(c["customerPhone"].is_null(), "an empty phone clears it");
        assert_eq!(c["tags"], "1000,1001");
        let r = app
            .get_query(PAGE, &admin, &[("customerPhone", "8186")])
            .await;
        assert!(ids(&r).is_empty(), "the cleared phone no longer matches");

        let r = update(&app, &admin, json!({"customerId": 6002, "customerPhone": "+86 139-0000-2222"})).await;
        assert_eq!(r.status, 200);
        assert_eq!(
            ids(&app
                .get_query(PAGE, &admin, &[("customerPhone", "13900002222")])
                .await),
            vec![6002]
        );
    }

    async fn creates_a_profile_for_a_contact_once(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        let r = app
            .post_form(
                UPDATE,
                Some(&sales1),
                &[
                    ("customerId", ""),
                    ("wechatContactId", "5005"),
                    ("customerName", "張三"),
                    ("customerPhone", "13512345678"),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let id = r.json()["customer"]["customerId"].as_i64().unwrap();
        assert_eq!(r.json()["customer"]["wechatContactId"], 5005);
        assert_eq!(
            ids(&app
                .get_query(PAGE, &sales1, &[("customerName", "張三")])
                .await),
            vec![id]
        );
        let r = update(&app, &sales1, json!({"wechatContactId": 5005, "customerName": "again"})).await;
        assert_eq!(r.status, 409);
        assert_eq!(r.json()["code"], 409);
    }

    async fn out_of_scope_ids_answer_like_nonexistent_and_change_nothing(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let sales2 = app.login("a_sales2").await;
        let b_admin = app.login("b_admin").await;
        let before = customer(&app, &b_admin, 9101).await;
        let nonexistent = update(&app, &admin, json!({"customerId": 123_456, "remarks": "x"})).await;
        let other = update(&app, &admin, json!({"customerId": 9101, "remarks": "x"})).await;
        assert_eq!(nonexistent.status, 404);
        assert_eq!(other.status, 404);
        assert_eq!(other.json(), nonexistent.json());
        let sibling = update(&app, &sales2, json!({"customerId": 6001, "remarks": "x"})).await;
        assert_eq!(sibling.json(), nonexistent.json());
        let create_other = update(&app, &admin, json!({"wechatContactId": 9001})).await;
        let create_none = update(&app, &admin, json!({"wechatContactId": 987_654})).await;
        assert_eq!(create_other.status, 404);
        assert_eq!(create_other.json(), create_none.json());
        assert_eq!(customer(&app, &b_admin, 9101).await, before);
        assert_eq!(customer(&app, &admin, 6001).await["remarks"], "售前-紅海哥");

        // Another tenant's tag id is refused like an unknown one, and nothing changes.
        let other_tag = update(&app, &admin, json!({"customerId": 6001, "remarks": "y", "tags": "2000"})).await;
        let no_tag = update(&app, &admin, json!({"customerId": 6001, "remarks": "y", "tags": "31337"})).await;
        assert_eq!(other_tag.status, 400);
        assert!(other_tag.json()["msg"].as_str().unwrap().contains("tags"));
        assert_eq!(no_tag.status, 400);
        let c = customer(&app, &admin, 6001).await;
        assert_eq!(
            c["remarks"], "售前-紅海哥",
            "the whole update was rolled back"
        );
        assert_eq!(c["tags"], "1000");
        // A main account edits its sub-account's customer.
        let r = update(&app, &admin, json!({"customerId": 6003, "remarks": "主賬號改"})).await;
        assert_eq!(r.status, 200);
        assert_eq!(customer(&app, &sales2, 6003).await["remarks"], "主賬號改");
    }

    async fn bad_values_are_400_naming_the_parameter(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let cases = [
            (json!({"customerId": "abc"}), "customerId"),
            (
                json!({"customerId": 6001, "wechatContactId": "x"}),
                "wechatContactId",
            ),
            (json!({"customerId": 6001, "isStar": "maybe"}), "isStar"),
            (json!({"customerId": 6001, "tags": "1,b"}), "tags"),
            (
                json!({"customerId": 6001, "customerPhone": "123"}),
                "customerPhone",
            ),
            (
                json!({"customerId": 6001, "customerPhone": "123456789012345678901"}),
                "customerPhone",
            ),
            (
                json!({"customerId": 6001, "customerName": "名".repeat(200)}),
                "customerName",
            ),
            (
                json!({"customerId": 6001, "xfield10": "x".repeat(300)}),
                "xfield10",
            ),
            (
                json!({"customerId": 6001, "wechatContactId": 5002}),
                "wechatContactId",
            ),
            (json!({"customerName": "no ids"}), "customerId"),
        ];
        for (body, param) in cases {
            let r = update(&app, &admin, body.clone()).await;
            assert_eq!(r.status, 400, "{body}: {}", r.text());
            assert!(
                r.json()["msg"].as_str().unwrap().contains(param),
                "{body}: {}",
                r.json()["msg"]
            );
        }
        assert_eq!(
            customer(&app, &admin, 6001).await["customerPhone"],
            "11111122222"
        );
        let r = app
            .post_raw(
                UPDATE,
                Some(&admin),
                "application/json",
                b"{not json".to_vec(),
            )
            .await;
        assert_eq!(r.status, 400);
        assert_eq!(r.json()["code"], 400);
        let r = app
            .post_raw(
                UPDATE,
                Some(&admin),
                "application/json",
                vec![b' '; 70 * 1024],
            )
            .await;
        assert_eq!(r.status, 413);
        assert_eq!(r.json()["code"], 413);
    }
}
