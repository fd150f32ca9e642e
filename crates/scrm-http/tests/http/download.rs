//! downLoad: BOM, header, rows, formula neutralisation, headers, streaming over several
//! batches, the limit/pageNo page export and errors before and during the stream.

use actix_web::http::StatusCode;
use actix_web::test;
use scrm_domain::customer::{CustomerRecord, EXPORT_BATCH, ExportCursor};
use scrm_domain::{Page, PageRequest, StoreError, TagId};

use crate::support::{Mocks, assert_unavailable, call, call_json, customer, get, send};

const HEADER: &str = "客戶ID,客戶名,手機號,微信昵稱,備注名,客戶備注,個性稱呼,標簽,微信號ID,\
創建時間,最後更新時間,自定義字段1,自定義字段2,自定義字段3,自定義字段4,自定義字段5,自定義字段6,\
自定義字段7,自定義字段8,自定義字段9,自定義字段10";

fn rows(n: usize, first_id: i64) -> Vec<CustomerRecord> {
    (0..n)
        .map(|i| customer(first_id - i64::try_from(i).unwrap()))
        .collect()
}

fn lines(body: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(body).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("starts with a BOM");
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[actix_web::test]
async fn a_full_export_streams_every_batch() {
    let mut mocks = Mocks::new();
    let mut seq = mockall::Sequence::new();
    mocks
        .customers
        .expect_export_batch()
        .withf(|_, f, after, batch| {
            f.tag_ids == vec![TagId(3)] && after.is_none() && *batch == EXPORT_BATCH
        })
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _, _, _| Ok(rows(EXPORT_BATCH as usize, 5000)));
    let last = customer(5000 - i64::from(EXPORT_BATCH) + 1);
    let cursor = ExportCursor {
        create_time: last.create_time,
        id: last.id,
    };
    mocks
        .customers
        .expect_export_batch()
        .withf(move |_, _, after, _| *after == Some(cursor))
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _, _, _| Ok(rows(3, 3000)));
    let (status, headers, body) = call(
        mocks,
        get("/wechat_api/customer/downLoad?tagIds=3&remarkName=&wechatUserId="),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers.get("content-type").unwrap(),
        "text/csv; charset=utf-8"
    );
    let disposition = headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"customers-"),
        "{disposition}"
    );
    assert!(
        disposition.contains(".csv\"; filename*=UTF-8''"),
        "{disposition}"
    );
    // 客戶資料- percent-encoded
    assert!(
        disposition.contains("%E5%AE%A2%E6%88%B6%E8%B3%87%E6%96%99-"),
        "{disposition}"
    );
    let lines = lines(&body);
    assert_eq!(lines[0], HEADER);
    assert_eq!(lines.len(), 1 + EXPORT_BATCH as usize + 3);
    assert!(lines[1].starts_with("5000,"));
    assert!(lines.last().unwrap().starts_with("2998,"));
}

#[actix_web::test]
async fn cells_are_written_and_formulas_neutralised() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_export_batch()
        .times(1)
        .returning(|_, _, _, _| {
            let mut c = customer(7);
            c.customer_name = Some("+SUM(A1)".into());
            c.remarks = Some("@cmd".into());
            c.customer_phone = Some("-1".into());
            c.customer_nick_name = Some("\tx".into());
            Ok(vec![c])
        });
    let (status, _, body) = call(mocks, get("/wechat_api/customer/downLoad")).await;
    assert_eq!(status, StatusCode::OK);
    let lines = lines(&body);
    assert_eq!(lines.len(), 2);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(lines[1].as_bytes());
    let record = reader.records().next().unwrap().unwrap();
    let cells: Vec<&str> = record.iter().collect();
    assert_eq!(cells.len(), 21);
    assert_eq!(cells[0], "7");
    assert_eq!(cells[1], "'+SUM(A1)");
    assert_eq!(cells[2], "'-1");
    assert_eq!(cells[3], "售前紅海");
    assert_eq!(cells[4], "'-備注");
    assert_eq!(cells[5], "'@cmd");
    assert_eq!(cells[6], "'\tx");
    assert_eq!(cells[7], "VIP;老客");
    assert_eq!(cells[8], "13806");
    assert_eq!(cells[9], "2019-08-07 15:55:17");
    assert_eq!(cells[10], "2019-08-07 15:55:17");
    assert_eq!(cells[11], "x1");
    assert_eq!(cells[12], "");
    assert_eq!(cells[20], "'=cmd|' /C calc'!A0");
}

#[actix_web::test]
async fn no_match_is_the_header_alone() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_export_batch()
        .times(1)
        .returning(|_, _, _, _| Ok(vec![]));
    let (status, _, body) = call(mocks, get("/wechat_api/customer/downLoad")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(lines(&body), vec![HEADER.to_owned()]);
}

#[actix_web::test]
async fn limit_or_page_no_exports_that_page_only() {
    for (query, page) in [
        ("limit=2", (1, 2)),
        ("pageNo=3", (3, 10)),
        ("limit=5&pageNo=2", (2, 5)),
    ] {
        let mut mocks = Mocks::new();
        mocks
            .customers
            .expect_page()
            .withf(move |_, _, p| *p == PageRequest::new(page.0, page.1).unwrap())
            .times(1)
            .returning(|_, _, _| {
                Ok(Page {
                    items: rows(2, 10),
                    total: 40,
                })
            });
        let uri = format!("/wechat_api/customer/downLoad?{query}");
        let (status, headers, body) = call(mocks, get(&uri)).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(
            headers.get("content-type").unwrap(),
            "text/csv; charset=utf-8"
        );
        let lines = lines(&body);
        assert_eq!(lines.len(), 3, "{query}");
        assert!(lines[2].starts_with("9,"));
    }
}

#[actix_web::test]
async fn a_store_failure_before_the_first_row_is_an_envelope() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_export_batch()
        .returning(|_, _, _, _| Err(StoreError::Unavailable("down".into())));
    let (status, body) = call_json(mocks, get("/wechat_api/customer/downLoad")).await;
    assert_unavailable(status, &body);
}

#[actix_web::test]
async fn a_store_failure_mid_stream_ends_the_body_with_an_error() {
    let mut mocks = Mocks::new();
    mocks
        .customers
        .expect_export_batch()
        .returning(|_, _, after, _| match after {
            None => Ok(rows(EXPORT_BATCH as usize, 2000)),
            Some(_) => Err(StoreError::Unavailable("down".into())),
        });
    let resp = send(mocks, get("/wechat_api/customer/downLoad")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(test::try_read_body(resp).await.is_err());
}
