//! downLoad: a streamed CSV of every match, Excel-friendly and formula-safe.

use scrm_e2e::TestApp;
use serde_json::json;

const DOWNLOAD: &str = "/wechat_api/customer/downLoad";
const PAGE: &str = "/wechat_api/customer/customerPage";

fn parse(body: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(&body[3..]);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn rows_len(body: &[u8]) -> usize {
    parse(body).1.len()
}

both_stores! {
    async fn csv_with_bom_chinese_titles_and_neutralised_formulas(store: Store) {
        let app = TestApp::spawn(store).await;
        let admin = app.login("a_admin").await;
        let r = app
            .get(
                &format!("{DOWNLOAD}?customerName=&customerPhone=&tagIds=&beginTime=&endTime=&remarkName=&wechatUserId="),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r.header("content-type").starts_with("text/csv"));
        let disposition = r.header("content-disposition");
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        let (header, rows) = parse(&r.body);
        assert_eq!(header[0], "客戶ID");
        assert!(header.contains(&"客戶名".to_owned()) && header.contains(&"手機號".to_owned()));
        assert_eq!(rows.len(), 4);
        let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(ids, vec!["6004", "6003", "6002", "6001"]);
        let wang = &rows[2];
        assert!(
            wang.iter().any(|c| c == "'=cmd|' /C calc'!A0"),
            "formula neutralised: {wang:?}"
        );
        assert!(
            wang.iter().any(|c| c == "'+86 187-5092-8186"),
            "a leading + is neutralised too: {wang:?}"
        );
        assert!(
            rows[3].iter().any(|c| c == "2024-01-10 10:00:00"),
            "times in the zone: {:?}",
            rows[3]
        );
        for row in &rows {
            for cell in row {
                assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
            }
        }
    }

    async fn filters_scope_and_paging_apply(store: Store) {
        let app = TestApp::spawn(store).await;
        let sales1 = app.login("a_sales1").await;
        let (_, rows) = parse(&app.get(DOWNLOAD, Some(&sales1)).await.body);
        assert_eq!(
            rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
            vec!["6002", "6001"]
        );
        let admin = app.login("a_admin").await;
        let r = app
            .get_query(
                DOWNLOAD,
                &admin,
                &[("tagIds", "1001"), ("remarkName", "廈門")],
            )
            .await;
        let (_, rows) = parse(&r.body);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][0], "6003");
        let r = app
            .get_query(DOWNLOAD, &admin, &[("limit", "2"), ("pageNo", "2")])
            .await;
        let (_, rows) = parse(&r.body);
        assert_eq!(
            rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
            vec!["6002", "6001"]
        );
        let r = app
            .get_query(DOWNLOAD, &admin, &[("wechatUserId", "900")])
            .await;
        assert_eq!(
            rows_len(&r.body),
            0,
            "another tenant's account exports nothing"
        );
        let r = app
            .get_query(DOWNLOAD, &admin, &[("beginTime", "nope")])
            .await;
        assert_eq!(r.status, 400);
        assert!(r.json()["msg"].as_str().unwrap().contains("beginTime"));
    }

    async fn an_export_larger_than_one_batch_matches_the_count(store: Store) {
        let mut doc = scrm_e2e::fixture();
        let contacts = doc["wechatContacts"].as_array_mut().unwrap();
        for i in 0..2_345 {
            contacts
                .push(json!({"id": 100_000 + i, "wechatUserId": 100, "nickName": format!("批量{i}")}));
        }
        let customers = doc["customers"].as_array_mut().unwrap();
        for i in 0..2_345 {
            customers.push(json!({
                "id": 200_000 + i,
                "wechatContactId": 100_000 + i,
                "customerName": format!("批量客戶{i}"),
                "customerPhone": format!("139{i:08}"),
                "createTime": 1_600_000_000_000i64 + i64::from(i % 7) * 1000,
            }));
        }
        let app = TestApp::spawn_with(store, doc, |_| {}).await;
        let admin = app.login("a_admin").await;
        let count = app
            .get_query(PAGE, &admin, &[("customerName", "批量")])
            .await
            .json()["count"]
            .as_u64()
            .unwrap();
        assert_eq!(count, 2_345);
        let r = app
            .get_query(DOWNLOAD, &admin, &[("customerName", "批量")])
            .await;
        assert_eq!(r.status, 200);
        let (_, rows) = parse(&r.body);
        assert_eq!(rows.len() as u64, count);
        let mut ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(
            ids.len() as u64,
            count,
            "every row exactly once across batches (ties in createTime)"
        );
        let all = rows_len(&app.get(DOWNLOAD, Some(&admin)).await.body);
        assert_eq!(all, 2_345 + 4);
    }
}
