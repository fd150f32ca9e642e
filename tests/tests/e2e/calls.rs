//! The call endpoints: the pop-up switch, who is calling, call lists and their recycle bin,
//! adding entries and queueing friend requests.

use scrm_e2e::{Case, Reply, TestApp};
use serde_json::{Value, json};

const C: &str = "/wechat_api/customer";

/// POSTs `body` as JSON to the customer endpoint `path` as `token`.
async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> Reply {
    app.post_json(&format!("{C}/{path}"), Some(token), body)
        .await
}

/// POSTs `pairs` as a form to the customer endpoint `path` as `token`.
async fn post_form(app: &TestApp, path: &str, token: &str, pairs: &[(&str, &str)]) -> Reply {
    app.post_form(&format!("{C}/{path}"), Some(token), pairs)
        .await
}

async fn lookup(app: &TestApp, token: &str, phone: &str) -> Value {
    let r = app
        .get_query(
            &format!("{C}/getCustomerInfoByCall"),
            token,
            &[("phone", phone)],
        )
        .await;
    assert_eq!(r.status, 200, "{phone}: {}", r.text());
    r.json()["data"].clone()
}

fn list_ids(data: &Value, key: &str) -> Vec<i64> {
    data[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key}: {data}"))
        .iter()
        .map(|c| c["customerId"].as_i64().unwrap())
        .collect()
}

both_stores! {
    async fn the_pop_up_switch_is_per_account(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        let sales2 = app.login("a_sales2").await;
        let get = |t: String| {
            let app = &app;
            async move {
                app.get(&format!("{C}/getIsOpenAfterCall"), Some(&t))
                    .await
                    .json()
            }
        };
        let body = get(sales1.clone()).await;
        assert_eq!(body, json!({"code": 200, "msg": "操作成功!", "data": 0}));
        let r = post(&app, "updateIsOpenAfterCall", &sales1, json!({"isOpen": 1})).await;
        assert_eq!(
            r.json(),
            json!({"code": 200, "msg": "操作成功!", "data": null})
        );
        assert_eq!(get(sales1.clone()).await["data"], 1);
        assert_eq!(
            get(sales2.clone()).await["data"],
            0,
            "another account's switch is untouched"
        );
        let r = post_form(&app, "updateIsOpenAfterCall", &sales1, &[("isOpen", "0")]).await;
        assert_eq!(r.status, 200);
        assert_eq!(get(sales1.clone()).await["data"], 0);
        for bad in [json!({}), json!({"isOpen": 5}), json!({"isOpen": "yes"})] {
            let r = post(&app, "updateIsOpenAfterCall", &sales1, bad).await;
            assert_eq!(r.status, 400);
            assert!(r.json()["msg"].as_str().unwrap().contains("isOpen"));
        }
    }

    async fn every_source_in_order_with_any_phone_format(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let sales1 = app.login("a_sales1").await;

        // Source 1: a customer of the scope, in every format.
        for phone in [
            "+86 187-5092-8186",
            "008618750928186",
            "18750928186",
            "187 5092 8186",
        ] {
            let data = lookup(&app, &admin, phone).await;
            assert_eq!(data["source"], 1, "{phone}");
            assert_eq!(list_ids(&data, "customerList"), vec![6002], "{phone}");
        }
        let data = lookup(&app, &admin, "11111122222").await;
        assert_eq!(data["customerList"][0]["customerName"], "售前-紅海");
        assert_eq!(data["customerList"][0]["tags"], "1000");

        // Source 2 beats source 3: a_sales1 has the number on two pool entries and by hand.
        let data = lookup(&app, &sales1, "13800138000").await;
        assert_eq!(data["source"], 2);
        assert_eq!(
            list_ids(&data, "customerList"),
            vec![19381, 19383],
            "every match of the source"
        );
        assert_eq!(data["customerList"][0]["taskId"], 5);
        // Source 3: only hand-entered.
        let data = lookup(&app, &sales1, "18750920000").await;
        assert_eq!(data["source"], 3);
        assert_eq!(list_ids(&data, "customerList"), vec![19380]);
        assert_eq!(data["customerList"][0]["createTime"], "2019-11-28 17:17:45");

        // Source 1 beats 2: give a customer of a_sales1 that number.
        let r = post(&app, "updateCustomer", &sales1, json!({"customerId": 6001, "customerPhone": "+86 13800138000"})).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let data = lookup(&app, &sales1, "13800138000").await;
        assert_eq!(data["source"], 1);
        assert_eq!(list_ids(&data, "customerList"), vec![6001]);

        // Several customers with one number.
        post(&app, "updateCustomer", &admin, json!({"customerId": 6004, "customerPhone": "13900001111"})).await;
        let data = lookup(&app, &admin, "13900001111").await;
        assert_eq!(list_ids(&data, "customerList"), vec![6004, 6003]);

        // Source 0: nowhere, or only in another tenant (its customer and its manual entry).
        for phone in ["13012345678", "13700009999"] {
            let data = lookup(&app, &admin, phone).await;
            assert_eq!(data, json!({"source": 0, "customerList": null}), "{phone}");
        }
        let b_sales = app.login("b_sales").await;
        assert_eq!(lookup(&app, &b_sales, "13700009999").await["source"], 3);
        // a_sales2 does not see a_sales1's customer 6002, nor a sibling's entries.
        let sales2 = app.login("a_sales2").await;
        assert_eq!(lookup(&app, &sales2, "18750928186").await["source"], 0);
        assert_eq!(lookup(&app, &sales2, "18750920000").await["source"], 0);

        for bad in ["", "12", "abc"] {
            let r = app
                .get_query(
                    &format!("{C}/getCustomerInfoByCall"),
                    &admin,
                    &[("phone", bad)],
                )
                .await;
            assert_eq!(r.status, 400, "{bad:?}");
            assert!(r.json()["msg"].as_str().unwrap().contains("phone"));
        }
    }

    async fn task_list_groups_by_assignee_with_totals_and_scope(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let path = format!("{C}/getManualTaskList");
        let r = app.get(&path, Some(&admin)).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let data = &r.json()["data"];
        assert_eq!(data["count"], 3);
        assert_eq!(data["pageNo"], 1);
        assert_eq!(data["limit"], 20);
        let rows = data["data"].as_array().unwrap();
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r["adminUserId"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![1, 2, 3]);
        assert_eq!(rows[1]["realName"], "李小琳");
        assert_eq!(
            rows[2],
            json!({"adminUserId": 3, "realName": "王二", "entries": 2, "dialled": 1, "friendRequestsSent": 2, "added": 1})
        );
        assert_eq!(
            rows[1]["entries"], 2,
            "pool entries are not on the manual list"
        );

        let by = |q: &'static [(&'static str, &'static str)], token: String| {
            let (app, path) = (&app, path.clone());
            async move {
                let r = app.get_query(&path, &token, q).await;
                assert_eq!(r.status, 200, "{q:?}: {}", r.text());
                r.json()["data"]["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["adminUserId"].as_i64().unwrap())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(by(&[("pepartId", "1")], admin.clone()).await, vec![2, 3]);
        assert_eq!(by(&[("departId", "1")], admin.clone()).await, vec![2, 3]);
        assert_eq!(by(&[("adminUserId", "3")], admin.clone()).await, vec![3]);
        assert!(by(&[("adminUserId", "11")], admin.clone()).await.is_empty());
        assert!(
            by(&[("pepartId", "2")], admin.clone()).await.is_empty(),
            "another tenant's department"
        );
        assert_eq!(
            by(&[("limit", "2"), ("pageNo", "2")], admin.clone()).await,
            vec![3]
        );
        let sales1 = app.login("a_sales1").await;
        assert_eq!(by(&[], sales1.clone()).await, vec![2]);
        assert!(by(&[("adminUserId", "3")], sales1).await.is_empty());
        let b_admin = app.login("b_admin").await;
        assert_eq!(by(&[], b_admin).await, vec![11]);
        for (param, value) in [("pepartId", "x"), ("adminUserId", "abc"), ("limit", "0")] {
            let r = app.get_query(&path, &admin, &[(param, value)]).await;
            assert_eq!(r.status, 400);
            assert!(r.json()["msg"].as_str().unwrap().contains(param));
        }
    }

    async fn task_detail_filters_orders_and_pages(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let path = format!("{C}/getManualTaskDetail");
        let r = app.get_query(&path, &admin, &[("adminUserId", "3")]).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let data = &r.json()["data"];
        assert_eq!(data["count"], 2);
        assert_eq!(data["limit"], 20);
        let item = &data["data"][0];
        for (key, value) in [
            ("customerId", json!(19384)),
            ("customerName", json!("李四")),
            ("customerPhone", json!("13600136000")),
            ("address", Value::Null),
            ("company", json!("廈門公司")),
            ("nickName", Value::Null),
            ("uin", Value::Null),
            ("adminUserId", json!(3)),
            ("syn", json!(0)),
            ("userName", json!("wxid_li4")),
            ("xfield1", Value::Null),
            ("xfield10", Value::Null),
            ("dialStatus", json!(1)),
            ("addStatus", json!(2)),
            ("taskId", json!(-1)),
            ("orderNum", json!(1)),
            ("tags", Value::Null),
            ("remarks", Value::Null),
        ] {
            assert_eq!(item[key], value, "{key}");
        }
        assert!(item["createTime"].is_string() && item["lastUpdateTime"].is_string());

        let ids = |r: &scrm_e2e::Reply| -> Vec<i64> {
            r.json()["data"]["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["customerId"].as_i64().unwrap())
                .collect()
        };
        let cases: &[Case] = &[
            (&[("company", "廈門")], &[19384]),
            (&[("customerName", "王")], &[19385]),
            (&[("userName", "li4")], &[19384]),
            (&[("dialStatus", "0")], &[19385]),
            (&[("addStatus", "2")], &[19384]),
            (&[("addStatus", "1"), ("company", "公司")], &[19385]),
            (&[("dialStatus", "1"), ("addStatus", "1")], &[]),
            (&[("limit", "1"), ("pageNo", "2")], &[19385]),
        ];
        for (query, expected) in cases {
            let mut q = vec![("adminUserId", "3")];
            q.extend_from_slice(query);
            let r = app.get_query(&path, &admin, &q).await;
            assert_eq!(ids(&r), expected.to_vec(), "{query:?}");
        }
        let sales1 = app.login("a_sales1").await;
        let r = app.get_query(&path, &sales1, &[("adminUserId", "3")]).await;
        assert_eq!(
            r.json()["data"]["count"],
            0,
            "a sibling's list is empty, not an error"
        );
        let r = app.get_query(&path, &sales1, &[("adminUserId", "2")]).await;
        assert_eq!(
            ids(&r),
            vec![19380, 19382],
            "hand-entered only, by orderNum"
        );

        let r = app.get(&path, Some(&admin)).await;
        assert_eq!(r.status, 400);
        assert_eq!(
            r.json(),
            json!({"code": 400, "msg": "指定查詢的任務詳情不能為空", "data": null})
        );
        for (param, value) in [
            ("dialStatus", "x"),
            ("dialStatus", "3"),
            ("addStatus", "9"),
            ("limit", "500"),
        ] {
            let r = app
                .get_query(&path, &admin, &[("adminUserId", "3"), (param, value)])
                .await;
            assert_eq!(r.status, 400, "{param}={value}");
            assert!(r.json()["msg"].as_str().unwrap().contains(param));
        }
    }

    async fn deleting_and_restoring_call_lists_within_the_scope(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let sales1 = app.login("a_sales1").await;
        let sales2 = app.login("a_sales2").await;
        let b_admin = app.login("b_admin").await;
        let detail = |token: String| {
            let app = &app;
            async move {
                let r = app
                    .get_query(
                        &format!("{C}/getManualTaskDetail"),
                        &token,
                        &[("adminUserId", "3")],
                    )
                    .await;
                r.json()["data"]["count"].as_u64().unwrap()
            }
        };
        // A sibling and another tenant cannot delete; the answers equal a nonexistent id's.
        let missing = post(&app, "delManualTaskDetail", &sales1, json!({"customerId": 999_999})).await;
        for (token, id) in [(&sales1, 19384), (&b_admin, 19384)] {
            let r = post(&app, "delManualTaskDetail", token, json!({"customerId": id})).await;
            assert_eq!(r.status, 404);
            assert_eq!(r.json(), missing.json());
        }
        let r = post(&app, "delManualTask", &b_admin, json!({"adminUserId": 3})).await;
        assert_eq!(r.status, 404);
        assert_eq!(detail(admin.clone()).await, 2, "nothing changed");

        let r = post(&app, "delManualTaskDetail", &sales2, json!({"customerId": 19384})).await;
        assert_eq!(
            r.json(),
            json!({"code": 200, "msg": "操作成功!", "data": null})
        );
        assert_eq!(detail(sales2.clone()).await, 1);
        let r = post(&app, "restoreManualTaskDetail", &sales1, json!({"customerId": 19384})).await;
        assert_eq!(r.status, 404, "a sibling cannot restore");
        let r = post_form(&app, "restoreManualTaskDetail", &sales2, &[("customerId", "19384")]).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(detail(sales2.clone()).await, 2);

        // A main account clears and restores a sub-account's whole list.
        let r = post(&app, "delManualTask", &admin, json!({"adminUserId": 3})).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(detail(admin.clone()).await, 0);
        let list = app
            .get(&format!("{C}/getManualTaskList"), Some(&admin))
            .await;
        assert_eq!(list.json()["data"]["count"], 2);
        let r = post(&app, "delManualTask", &admin, json!({"adminUserId": 3})).await;
        assert_eq!(r.status, 404, "nothing left to delete");
        let r = post(&app, "restoreManualTask", &b_admin, json!({"adminUserId": 3})).await;
        assert_eq!(r.status, 404);
        let r = post(&app, "restoreManualTask", &admin, json!({"adminUserId": "3"})).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(detail(admin.clone()).await, 2);

        for (path, msg) in [
            ("delManualTask", "adminUserId為空"),
            ("restoreManualTask", "adminUserId為空"),
            ("delManualTaskDetail", "customerId為空"),
            ("restoreManualTaskDetail", "customerId為空"),
        ] {
            let r = post(&app, path, &admin, json!({})).await;
            assert_eq!(
                r.json(),
                json!({"code": 400, "msg": msg, "data": null}),
                "{path}"
            );
        }
    }

    async fn adding_entries_by_hand(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        let add = "addManualTask";
        let r = post(&app, add, &sales1, json!({"customerName": "ceshi", "customerPhone": 18750928186i64, "phoneGeo": "廈門"})).await;
        assert_eq!(
            r.json(),
            json!({"code": 200, "msg": "操作成功!", "data": null}),
            "{}",
            r.text()
        );
        let r = app
            .get_query(
                &format!("{C}/getManualTaskDetail"),
                &sales1,
                &[("adminUserId", "2"), ("customerName", "ceshi")],
            )
            .await;
        let entry = &r.json()["data"]["data"][0];
        assert_eq!(entry["orderNum"], 3, "after the list's highest");
        assert_eq!(entry["taskId"], -1);
        assert_eq!(entry["adminUserId"], 2);
        assert_eq!(entry["phoneGeo"], "廈門");
        let id = entry["customerId"].as_i64().unwrap();

        let r = post_form(&app, add, &sales1, &[
                    ("customerName", "again"),
                    ("customerPhone", "+86 187-5092-8186"),
                    ("phoneGeo", "x"),
                ]).await;
        assert_eq!(r.status, 409);
        assert!(
            r.json()["msg"].as_str().unwrap().contains(&id.to_string()),
            "{}",
            r.text()
        );
        // Another assignee may have the same number.
        let sales2 = app.login("a_sales2").await;
        let r = post(&app, add, &sales2, json!({"customerName": "x", "customerPhone": "18750928186", "phoneGeo": "y"})).await;
        assert_eq!(r.status, 200);

        let cases = [
            (
                json!({}),
                "聯系方式不能為空客戶姓名不能為空所在地區不能為空",
            ),
            (
                json!({"customerName": "a"}),
                "聯系方式不能為空所在地區不能為空",
            ),
            (
                json!({"customerPhone": "13312345678"}),
                "客戶姓名不能為空所在地區不能為空",
            ),
            (json!({"phoneGeo": "a"}), "聯系方式不能為空客戶姓名不能為空"),
            (
                json!({"customerName": "a", "phoneGeo": "b", "customerPhone": ""}),
                "聯系方式不能為空",
            ),
            (
                json!({"customerName": "a", "customerPhone": "13312345678"}),
                "所在地區不能為空",
            ),
        ];
        for (body, msg) in cases {
            let r = post(&app, add, &sales1, body.clone()).await;
            assert_eq!(
                r.json(),
                json!({"code": 400, "msg": msg, "data": null}),
                "{body}"
            );
        }
        let r = post(&app, add, &sales1, json!({"customerName": "a", "customerPhone": "1234", "phoneGeo": "b"})).await;
        assert_eq!(r.status, 400);
        assert!(r.json()["msg"].as_str().unwrap().contains("customerPhone"));
    }

    async fn dialling_before_adding_a_friend_queues_a_request(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        let path = "addManualTaskBeforeAddFriend";
        let r = post(&app, path, &sales1, json!({"customerPhone": "18756666666", "uin": "663329897", "userName": 18756666666i64})).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let data = r.json()["data"].clone();
        assert_eq!(data["customerPhone"], "18756666666");
        assert_eq!(data["dialStatus"], 1);
        assert_eq!(data["taskId"], -1);
        assert_eq!(data["userName"], "18756666666");
        assert_eq!(data["adminUserId"], 2);
        let id = data["customerId"].as_i64().unwrap();
        for key in [
            "customerName",
            "address",
            "createTime",
            "lastUpdateTime",
            "nickName",
            "company",
            "phoneGeo",
            "tags",
            "assignTime",
            "remarks",
            "v1",
            "addStatus",
            "orderNum",
            "uin",
            "xfield10",
        ] {
            assert!(data.get(key).is_some(), "{key} missing in {data}");
        }

        // The friend request is queued for the connector.
        let queued = app.friend_requests().await;
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0]["entryId"], id);
        assert_eq!(queued[0]["uin"], "663329897");
        assert_eq!(queued[0]["userName"], "18756666666");
        assert_eq!(queued[0]["account"], 2);

        // Dialling the same number again updates that entry.
        let r = post_form(&app, path, &sales1, &[
                    ("customerPhone", "187 5666 6666"),
                    ("uin", "663329897"),
                    ("userName", "wxid_new"),
                    ("v1", "v1data"),
                ]).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["data"]["customerId"], id);
        assert_eq!(r.json()["data"]["userName"], "wxid_new");
        assert_eq!(r.json()["data"]["v1"], "v1data");

        // uin outside the scope: a sibling's WeChat account or another tenant's.
        for uin in ["300300", "900900", "496768729"] {
            let r = post(&app, path, &sales1, json!({"customerPhone": "18756666667", "uin": uin})).await;
            assert_eq!(r.status, 404, "{uin}");
        }
        let admin = app.login("a_admin").await;
        let r = post(&app, path, &admin, json!({"customerPhone": "18756666667", "uin": 300300})).await;
        assert_eq!(
            r.status,
            200,
            "a main account may use its sub-account's WeChat account: {}",
            r.text()
        );

        for (body, msg) in [
            (json!({}), "聯系方式目標微信號不能為空"),
            (json!({"uin": "663329897"}), "聯系方式不能為空"),
            (
                json!({"customerPhone": "18756666666"}),
                "目標微信號不能為空",
            ),
        ] {
            let r = post(&app, path, &sales1, body.clone()).await;
            assert_eq!(
                r.json(),
                json!({"code": 400, "msg": msg, "data": null}),
                "{body}"
            );
        }
    }
}
