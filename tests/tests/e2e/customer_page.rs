//! customerPage: every filter alone and combined, paging, count, scope, bad values.

use scrm_e2e::{Case, TestApp, ids};

const PAGE: &str = "/wechat_api/customer/customerPage";

both_stores! {
    async fn the_spec_example_request_lists_the_scope_newest_first(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let r = app
            .get(
                &format!("{PAGE}?customerName=&customerPhone=&tagIds=&beginTime=&endTime=&remarks=&limit=10&pageNo=1"),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let body = r.json();
        assert_eq!(body["code"], 200);
        assert_eq!(body["msg"], "操作成功!");
        assert_eq!(body["pageNo"], 1);
        assert_eq!(body["count"], 4);
        assert_eq!(ids(&r), vec![6004, 6003, 6002, 6001]);
        // No parameters at all: the same.
        assert_eq!(
            ids(&app.get(PAGE, Some(&admin)).await),
            vec![6004, 6003, 6002, 6001]
        );
    }

    async fn items_carry_every_field_with_its_type(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let r = app
            .get_query(PAGE, &admin, &[("customerName", "紅海")])
            .await;
        let item = &r.json()["data"][0];
        assert_eq!(item["customerId"], 6001);
        assert_eq!(item["wechatContactId"], 5001);
        assert_eq!(item["wechatUserId"], 200);
        assert_eq!(item["adminUserId"], 2);
        assert_eq!(item["customerName"], "售前-紅海");
        assert_eq!(item["customerPhone"], "11111122222");
        assert_eq!(item["nickName"], "售前紅海");
        assert_eq!(item["remarks"], "售前-紅海哥");
        assert_eq!(item["xfield1"], "");
        assert!(item["xfield2"].is_null());
        assert!(item["xfield10"].is_null());
        assert_eq!(item["isCust"], 0);
        assert_eq!(
            item["createTime"], 1_704_852_000_000i64,
            "2024-01-10 10:00:00 +08:00 in epoch ms"
        );
        assert!(item["lastUpdateTime"].is_i64());
        assert_eq!(item["tags"], "1000");
        assert_eq!(item["tagNames"], serde_json::json!(["意向客戶"]));
        assert_eq!(item["contactNickName"], "售前-紅海");
        assert_eq!(item["remarkName"], "紅海哥");
        assert_eq!(item["isStar"], 0);
        assert_eq!(item["wechatUserNickName"], "你看那茶樹滿山");
        assert_eq!(item["customerNickName"], "海哥");
    }

    async fn each_filter_alone(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let cases: &[Case] = &[
            (&[("customerName", "紅海")], &[6001]),
            (&[("customerName", "broc")], &[6004]),
            (&[("customerName", "廈門")], &[6003]),
            (&[("customerName", "沒有這個人")], &[]),
            (&[("customerPhone", "8186")], &[6002]),
            (&[("customerPhone", "+86 187 5092 8186")], &[6002]),
            (&[("customerPhone", "1111")], &[6003, 6001]),
            (&[("tagIds", "1001")], &[6003, 6002]),
            (&[("tagIds", "1000,1001")], &[6003, 6002, 6001]),
            (&[("beginTime", "2024-02-10 10:00:00")], &[6004, 6003, 6002]),
            (&[("endTime", "2024-02-10")], &[6002, 6001]),
            (&[("endTime", "2024-02-10 09:59:59")], &[6001]),
            (&[("beginTime", "1707530400000")], &[6004, 6003, 6002]),
            (&[("remarks", "滿意")], &[6003]),
            (&[("remarks", "%")], &[6003]),
            (&[("remarkName", "紅海")], &[6001]),
            (&[("wechatUserId", "300")], &[6003]),
            (&[("wechatUserId", "200")], &[6002, 6001]),
        ];
        for (query, expected) in cases {
            let r = app.get_query(PAGE, &admin, query).await;
            assert_eq!(r.status, 200, "{query:?}: {}", r.text());
            assert_eq!(ids(&r), expected.to_vec(), "{query:?}");
            assert_eq!(r.json()["count"], expected.len(), "{query:?}");
        }
    }

    async fn filters_combine(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let cases: &[Case] = &[
            (&[("customerName", "王"), ("tagIds", "1001")], &[6002]),
            (&[("customerName", "李"), ("tagIds", "1000")], &[]),
            (
                &[
                    ("tagIds", "1000,1001"),
                    ("beginTime", "2024-02-01"),
                    ("endTime", "2024-03-10"),
                ],
                &[6003, 6002],
            ),
            (
                &[
                    ("customerPhone", "1"),
                    ("wechatUserId", "200"),
                    ("remarks", "紅海"),
                ],
                &[6001],
            ),
        ];
        for (query, expected) in cases {
            let r = app.get_query(PAGE, &admin, query).await;
            assert_eq!(ids(&r), expected.to_vec(), "{query:?}");
        }
    }

    async fn paging_keeps_the_exact_count(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let r = app
            .get_query(PAGE, &admin, &[("limit", "3"), ("pageNo", "1")])
            .await;
        assert_eq!(ids(&r), vec![6004, 6003, 6002]);
        assert_eq!(r.json()["count"], 4);
        let r = app
            .get_query(PAGE, &admin, &[("limit", "3"), ("pageNo", "2")])
            .await;
        assert_eq!(ids(&r), vec![6001]);
        assert_eq!(r.json()["pageNo"], 2);
        assert_eq!(r.json()["count"], 4);
        let r = app
            .get_query(PAGE, &admin, &[("limit", "3"), ("pageNo", "9")])
            .await;
        assert!(ids(&r).is_empty());
        assert_eq!(r.json()["count"], 4);
    }

    async fn scope_main_sees_all_sub_sees_own_other_tenant_nothing(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        let sales2 = app.login("a_sales2").await;
        let b_admin = app.login("b_admin").await;
        let b_sales = app.login("b_sales").await;
        assert_eq!(ids(&app.get(PAGE, Some(&sales1)).await), vec![6002, 6001]);
        assert_eq!(ids(&app.get(PAGE, Some(&sales2)).await), vec![6003]);
        assert_eq!(ids(&app.get(PAGE, Some(&b_admin)).await), vec![9101]);
        assert!(ids(&app.get(PAGE, Some(&b_sales)).await).is_empty());
        // A sub-account asking for its sibling's WeChat account or the other tenant's tag gets an
        // empty page, not the rows.
        let r = app
            .get_query(PAGE, &sales1, &[("wechatUserId", "300")])
            .await;
        assert!(ids(&r).is_empty());
        assert_eq!(r.json()["count"], 0);
        let admin = app.login("a_admin").await;
        let r = app.get_query(PAGE, &admin, &[("tagIds", "2000")]).await;
        assert!(ids(&r).is_empty());
        let r = app
            .get_query(PAGE, &admin, &[("wechatUserId", "900")])
            .await;
        assert!(ids(&r).is_empty());
        // The same name and phone exist in tenant B: never counted here.
        let r = app
            .get_query(PAGE, &admin, &[("customerPhone", "18750928186")])
            .await;
        assert_eq!(ids(&r), vec![6002]);
    }

    async fn bad_values_are_400_naming_the_parameter(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let cases = [
            ("limit", "0"),
            ("limit", "101"),
            ("limit", "abc"),
            ("limit", "-1"),
            ("pageNo", "0"),
            ("pageNo", "x"),
            ("beginTime", "yesterday"),
            ("endTime", "2024-13-01"),
            ("tagIds", "abc"),
            ("tagIds", "1,x"),
            ("wechatUserId", "abc"),
            ("customerPhone", "abc"),
        ];
        for (param, value) in cases {
            let r = app.get_query(PAGE, &admin, &[(param, value)]).await;
            assert_eq!(r.status, 400, "{param}={value}: {}", r.text());
            let body = r.json();
            assert_eq!(body["code"], 400);
            assert!(
                body["msg"].as_str().unwrap().contains(param),
                "{param}: {}",
                body["msg"]
            );
            assert!(body["data"].is_null());
        }
        let r = app
            .get_query(
                PAGE,
                &admin,
                &[("beginTime", "2024-03-01"), ("endTime", "2024-02-01")],
            )
            .await;
        assert_eq!(r.status, 400);
        let r = app
            .get_query(PAGE, &admin, &[("customerName", &"長".repeat(600))])
            .await;
        assert_eq!(r.status, 400);
        assert!(r.json()["msg"].as_str().unwrap().contains("customerName"));
    }
}
