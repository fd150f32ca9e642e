//! batchSaveNickName: the personal form of address, from forms carrying JSON or JSON bodies.

use scrm_e2e::TestApp;
use serde_json::json;

const SAVE: &str = "/wechat_api/customer/batchSaveNickName";
const FIND: &str = "/wechat_api/customer/findcontactbytagAll";

async fn nick_of(app: &TestApp, token: &str, contact: i64) -> serde_json::Value {
    let r = app.get_query(FIND, token, &[("isOffLine", "1")]).await;
    r.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["wechatContactId"] == contact)
        .map(|c| c["customerNickName"].clone())
        .unwrap_or_default()
}

both_stores! {
    async fn the_spec_form_saves_and_answers_its_message(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let r = app
            .post_form(
                SAVE,
                Some(&admin),
                &[(
                    "nickNames",
                    r#"{"wechatContactId":5002,"custName":"陳佳","nickName":"陳佳"}"#,
                )],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let body = r.json();
        assert_eq!(body["msg"], "保存成功!");
        assert_eq!(body["code"], 200);
        assert_eq!(nick_of(&app, &admin, 5002).await, "陳佳");

        let r = app
            .post_json(
                SAVE,
                Some(&admin),
                json!({"nickNames": [
                    {"wechatContactId": "5002", "custName": "王", "nickName": "王總"},
                    {"wechatContactId": 5003, "custName": "李", "nickName": "李姐"}
                ]}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(nick_of(&app, &admin, 5002).await, "王總");
        assert_eq!(nick_of(&app, &admin, 5003).await, "李姐");
    }

    async fn another_tenants_contact_saves_nothing(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let sales2 = app.login("a_sales2").await;
        let body = json!({"nickNames": [
            {"wechatContactId": 5002, "custName": "X", "nickName": "不該保存"},
            {"wechatContactId": 9001, "custName": "Y", "nickName": "別人的"}
        ]});
        let r = app.post_json(SAVE, Some(&admin), body).await;
        assert_eq!(r.status, 404);
        let nonexistent = app
            .post_json(
                SAVE,
                Some(&admin),
                json!({"nickNames": {"wechatContactId": 424242, "nickName": "x"}}),
            )
            .await;
        assert_eq!(r.json(), nonexistent.json());
        assert!(
            nick_of(&app, &admin, 5002).await.is_null(),
            "all or nothing"
        );
        let r = app
            .post_json(
                SAVE,
                Some(&sales2),
                json!({"nickNames": {"wechatContactId": 5001, "nickName": "x"}}),
            )
            .await;
        assert_eq!(r.status, 404, "a sibling's contact");
        assert_eq!(nick_of(&app, &admin, 5001).await, "海哥");
    }

    async fn bad_input_is_400(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let cases = [
            json!({}),
            json!({"nickNames": ""}),
            json!({"nickNames": "{not json"}),
            json!({"nickNames": {"custName": "no id"}}),
            json!({"nickNames": {"wechatContactId": "abc"}}),
            json!({"nickNames": {"wechatContactId": 5002, "nickName": "長".repeat(200)}}),
        ];
        for body in cases {
            let r = app.post_json(SAVE, Some(&admin), body.clone()).await;
            assert_eq!(r.status, 400, "{body}: {}", r.text());
            assert_eq!(r.json()["code"], 400);
        }
    }
}
