//! Customer lists: every filter alone and combined, LIKE escaping, paging, ordering ties,
//! records' side data and export batches.

use chrono::{DateTime, Utc};
use scrm_domain::customer::{CustomerFilter, ExportCursor};
use scrm_domain::{TagId, WechatUserId};

use crate::contracts::RelationalPorts;
use crate::contracts::fixture::{MAIN_A, at, customer, customer_ids, customers, loaded};

fn f() -> CustomerFilter {
    CustomerFilter::default()
}

fn tags(ids: &[i64]) -> Vec<TagId> {
    ids.iter().map(|t| TagId(*t)).collect()
}

pub async fn unfiltered_is_newest_first_with_id_desc_on_ties(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &f()).await,
        (vec![3005, 3004, 3003, 3002, 3001], 5)
    );
}

pub async fn each_filter_alone(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let cases: Vec<(CustomerFilter, Vec<i64>)> = vec![
        // name: customer name, contact nick name or remark name.
        (
            CustomerFilter {
                name: Some("王".into()),
                ..f()
            },
            vec![3001],
        ),
        (
            CustomerFilter {
                name: Some("小明".into()),
                ..f()
            },
            vec![3001],
        ),
        (
            CustomerFilter {
                name: Some("華哥".into()),
                ..f()
            },
            vec![3002],
        ),
        (
            CustomerFilter {
                name: Some("老闆".into()),
                ..f()
            },
            vec![3005],
        ),
        (
            CustomerFilter {
                name: Some("nobody".into()),
                ..f()
            },
            vec![],
        ),
        (
            CustomerFilter {
                phone_digits: Some("0000".into()),
                ..f()
            },
            vec![3003, 3002, 3001],
        ),
        (
            CustomerFilter {
                phone_digits: Some("88886666".into()),
                ..f()
            },
            vec![3005],
        ),
        (
            CustomerFilter {
                tag_ids: tags(&[11]),
                ..f()
            },
            vec![3002, 3001],
        ),
        (
            CustomerFilter {
                tag_ids: tags(&[12]),
                ..f()
            },
            vec![3003, 3002],
        ),
        (
            CustomerFilter {
                tag_ids: tags(&[11, 12]),
                ..f()
            },
            vec![3003, 3002, 3001],
        ),
        (
            CustomerFilter {
                tag_ids: tags(&[13]),
                ..f()
            },
            vec![],
        ),
        (
            CustomerFilter {
                tag_ids: tags(&[21]),
                ..f()
            },
            vec![],
        ),
        (
            CustomerFilter {
                begin: Some(at(2026, 1, 2, 10, 0, 0)),
                ..f()
            },
            vec![3005, 3004, 3003, 3002],
        ),
        (
            CustomerFilter {
                end: Some(at(2026, 1, 2, 10, 0, 0)),
                ..f()
            },
            vec![3003, 3002, 3001],
        ),
        (
            CustomerFilter {
                begin: Some(at(2026, 1, 2, 10, 0, 0)),
                end: Some(at(2026, 1, 3, 9, 59, 59)),
                ..f()
            },
            vec![3003, 3002],
        ),
        // Bounds beyond what a store's time column holds (year 0 in +08:00 is year -1 in
        // UTC; epoch milliseconds reach ±262,000 years) select as any bound: everything
        // after the earliest, nothing before it, and so on.
        (
            CustomerFilter {
                begin: Some(DateTime::<Utc>::MIN_UTC),
                ..f()
            },
            vec![3005, 3004, 3003, 3002, 3001],
        ),
        (
            CustomerFilter {
                end: Some(DateTime::<Utc>::MIN_UTC),
                ..f()
            },
            vec![],
        ),
        (
            CustomerFilter {
                begin: Some(DateTime::<Utc>::MAX_UTC),
                ..f()
            },
            vec![],
        ),
        (
            CustomerFilter {
                end: Some(DateTime::<Utc>::MAX_UTC),
                ..f()
            },
            vec![3005, 3004, 3003, 3002, 3001],
        ),
        (
            CustomerFilter {
                begin: Some(at(-1, 12, 31, 16, 0, 0)),
                end: Some(at(10_000, 1, 1, 0, 0, 0)),
                ..f()
            },
            vec![3005, 3004, 3003, 3002, 3001],
        ),
        (
            CustomerFilter {
                remarks: Some("普通".into()),
                ..f()
            },
            vec![3002],
        ),
        (
            CustomerFilter {
                remark_name: Some("哥".into()),
                ..f()
            },
            vec![3003, 3002],
        ),
        (
            CustomerFilter {
                remark_name: Some("敏".into()),
                ..f()
            },
            vec![3005],
        ),
        (
            CustomerFilter {
                wechat_user_id: Some(WechatUserId(1001)),
                ..f()
            },
            vec![3002, 3001],
        ),
        (
            CustomerFilter {
                wechat_user_id: Some(WechatUserId(1201)),
                ..f()
            },
            vec![],
        ),
    ];
    for (filter, want) in cases {
        let total = want.len() as u64;
        assert_eq!(
            customer_ids(&ctx, &MAIN_A, &filter).await,
            (want, total),
            "{filter:?}"
        );
    }
}

pub async fn filters_combine(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let filter = CustomerFilter {
        tag_ids: tags(&[12]),
        phone_digits: Some("0000".into()),
        wechat_user_id: Some(WechatUserId(1002)),
        ..f()
    };
    assert_eq!(customer_ids(&ctx, &MAIN_A, &filter).await, (vec![3003], 1));
    let filter = CustomerFilter {
        name: Some("李".into()),
        tag_ids: tags(&[11]),
        begin: Some(at(2026, 1, 2, 0, 0, 0)),
        remarks: Some("普".into()),
        ..f()
    };
    assert_eq!(customer_ids(&ctx, &MAIN_A, &filter).await, (vec![3002], 1));
    let filter = CustomerFilter {
        name: Some("李".into()),
        wechat_user_id: Some(WechatUserId(1002)),
        ..f()
    };
    assert_eq!(customer_ids(&ctx, &MAIN_A, &filter).await, (vec![], 0));
}

pub async fn like_wildcards_in_input_match_literally(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let by_remarks = |r: &str| CustomerFilter {
        remarks: Some(r.into()),
        ..f()
    };
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &by_remarks("%")).await,
        (vec![3001], 1)
    );
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &by_remarks("100%")).await,
        (vec![3001], 1)
    );
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &by_remarks("_")).await,
        (vec![3003], 1)
    );
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &by_remarks("0_o")).await,
        (vec![3003], 1)
    );
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &by_remarks("!")).await,
        (vec![], 0)
    );
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &by_remarks("\\")).await,
        (vec![], 0)
    );
    let by_remark_name = CustomerFilter {
        remark_name: Some("偉%".into()),
        ..f()
    };
    assert_eq!(
        customer_ids(&ctx, &MAIN_A, &by_remark_name).await,
        (vec![3003], 1)
    );
    let by_name = CustomerFilter {
        name: Some("明_".into()),
        ..f()
    };
    assert_eq!(customer_ids(&ctx, &MAIN_A, &by_name).await, (vec![3001], 1));
}

pub async fn pages_have_exact_totals(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let mut seen = Vec::new();
    for no in 1..=3 {
        let page = customers(&ctx, &MAIN_A, &f(), no, 2).await;
        assert_eq!(page.total, 5);
        seen.extend(page.items.iter().map(|r| r.id.0));
    }
    assert_eq!(seen, vec![3005, 3004, 3003, 3002, 3001]);
    let beyond = customers(&ctx, &MAIN_A, &f(), 4, 2).await;
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 5);
}

pub async fn records_carry_contact_tags_and_names(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let r = customer(&ctx, &MAIN_A, 3002).await.unwrap();
    assert_eq!(r.tags, tags(&[11, 12]));
    assert_eq!(r.tag_names, vec!["VIP".to_owned(), "新客".to_owned()]);
    assert_eq!(r.contact_nick_name.as_deref(), Some("李華"));
    assert_eq!(r.remark_name.as_deref(), Some("華哥"));
    assert_eq!(r.wechat_user_nick_name.as_deref(), Some("銷售一號"));
    assert_eq!(r.wechat_user_id, WechatUserId(1001));
    assert_eq!(r.admin_user_id.0, 101);
    assert_eq!(r.create_time, at(2026, 1, 2, 10, 0, 0));
    assert_eq!(r.customer_nick_name, None);
    assert_eq!(r.deleted_at, None);
    let r = customer(&ctx, &MAIN_A, 3001).await.unwrap();
    assert_eq!(r.customer_nick_name.as_deref(), Some("明哥"));
    assert_eq!(r.xfields[0].as_deref(), Some("甲"));
    assert_eq!(r.customer_phone.as_deref(), Some("13800001111"));
    let r = customer(&ctx, &MAIN_A, 3004).await.unwrap();
    assert!(r.tags.is_empty() && r.tag_names.is_empty());
}

pub async fn export_batches_cover_every_row_once(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    for batch in [1, 2, 3, 10] {
        let mut after = None;
        let mut seen = Vec::new();
        loop {
            let rows = ctx
                .customers
                .export_batch(&MAIN_A, &f(), after, batch)
                .await
                .unwrap();
            if rows.is_empty() {
                break;
            }
            assert!(rows.len() <= batch as usize);
            let last = rows.last().unwrap();
            after = Some(ExportCursor {
                create_time: last.create_time,
                id: last.id,
            });
            seen.extend(rows.iter().map(|r| r.id.0));
        }
        assert_eq!(seen, vec![3005, 3004, 3003, 3002, 3001], "batch {batch}");
    }
    let filter = CustomerFilter {
        tag_ids: tags(&[12]),
        ..f()
    };
    let rows = ctx
        .customers
        .export_batch(&MAIN_A, &filter, None, 10)
        .await
        .unwrap();
    let ids: Vec<i64> = rows.iter().map(|r| r.id.0).collect();
    assert_eq!(ids, vec![3003, 3002]);
}
