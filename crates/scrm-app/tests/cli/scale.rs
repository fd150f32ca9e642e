//! `scrm seed --customers N`: a few thousand skewed rows bulk-loaded into a fresh database,
//! refused into one that holds rows, and every customer list (counts and pages, with each
//! filter, as main account and sub-account, deep pages, exports, the recycle bin) equal to a
//! naive reference computed in Rust from all the rows: through the service over the MySQL
//! adapter alone, and again with the customer index (whose answers it counts, so that run is
//! not SQL's twice); findcontactbytagAll alike (`contacts`).

mod contacts;

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use mysql_async::prelude::Queryable;
use scrm_domain::customer::{
    BinFilter, CustomerFilter, CustomerIndex, CustomerRecord, CustomerRepository, CustomerService,
    ExportCursor,
};
use scrm_domain::search::{TagMode, parse_terms, spellings, term_matches};
use scrm_domain::{AdminUserId, PageRequest, Scope, TagId, WechatUserId};
use scrm_index::{IndexSettings, RoaringIndex};
use scrm_mysql::{MySql, PoolSettings, build_pool};
use scrm_test_support::{TestDatabase, TestRedis, name_gram_drift, phone_gram_drift};

use crate::{scrm, text};

/// One customer as the reference sees it.
#[derive(Debug, Clone)]
struct Row {
    id: i64,
    tenant: i64,
    account: i64,
    wechat_user: i64,
    names: [Option<String>; 3],
    phone_digits: Option<String>,
    remarks: Option<String>,
    created: NaiveDateTime,
    deleted: Option<NaiveDateTime>,
    tags: Vec<i64>,
}

/// How many change-log rows name a customer, a contact and a manual entry, and how many
/// hand-entered manual entries there are.
async fn change_rows(url: &str) -> (i64, i64, i64, i64) {
    let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(url).unwrap())
        .await
        .unwrap();
    conn.query_first(
        "SELECT CAST(COUNT(customer_id) AS SIGNED), CAST(COUNT(contact_id) AS SIGNED), \
         CAST(COUNT(manual_entry_id) AS SIGNED), \
         (SELECT CAST(COUNT(*) AS SIGNED) FROM manual_entry WHERE task_id = -1) \
         FROM customer_change",
    )
    .await
    .unwrap()
    .unwrap()
}

async fn contact_count(url: &str) -> i64 {
    let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(url).unwrap())
        .await
        .unwrap();
    conn.query_first("SELECT CAST(COUNT(*) AS SIGNED) FROM wechat_contact")
        .await
        .unwrap()
        .unwrap()
}

async fn all_rows(url: &str) -> Vec<Row> {
    let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(url).unwrap())
        .await
        .unwrap();
    type Raw = (
        i64,
        i64,
        i64,
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
    );
    let raw: Vec<Raw> = conn
        .query(
            "SELECT c.id, c.tenant_id, c.admin_user_id, c.wechat_user_id, c.customer_name, \
             w.nick_name, w.remark_name, c.phone_digits, c.remarks, DATE_FORMAT(c.create_time, '%Y-%m-%d %H:%i:%s.%f'), \
             DATE_FORMAT(c.deleted_at, '%Y-%m-%d %H:%i:%s.%f'), \
             (SELECT GROUP_CONCAT(t.tag_id) FROM contact_tag t WHERE t.contact_id = w.id) \
             FROM customer c JOIN wechat_contact w ON w.id = c.wechat_contact_id",
        )
        .await
        .unwrap();
    raw.into_iter()
        .map(|r| Row {
            id: r.0,
            tenant: r.1,
            account: r.2,
            wechat_user: r.3,
            names: [r.4, r.5, r.6],
            phone_digits: r.7,
            remarks: r.8,
            created: stored_time(&r.9),
            deleted: r.10.as_deref().map(stored_time),
            tags: r
                .11
                .map(|t| t.split(',').map(|x| x.parse().unwrap()).collect())
                .unwrap_or_default(),
        })
        .collect()
}

fn stored_time(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
}

fn has(v: Option<&String>, needle: &str) -> bool {
    v.is_some_and(|v| v.contains(needle))
}

/// The naive reference: every row checked against the scope and filter, sorted newest first.
fn reference(rows: &[Row], scope: &Scope, f: &CustomerFilter, live: bool) -> Vec<i64> {
    let mut hits: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            let in_scope = if scope.account == scope.tenant {
                r.tenant == scope.tenant.0
            } else {
                r.account == scope.account.0
            };
            in_scope
                && r.deleted.is_none() == live
                && f.name
                    .as_deref()
                    .is_none_or(|n| r.names.iter().any(|v| has(v.as_ref(), n)))
                && f.phone_digits
                    .as_deref()
                    .is_none_or(|p| has(r.phone_digits.as_ref(), p))
                && f.remarks
                    .as_deref()
                    .is_none_or(|p| has(r.remarks.as_ref(), p))
                && f.tag_mode
                    .holds(&f.tag_ids.iter().map(|t| t.0).collect::<Vec<_>>(), |t| {
                        r.tags.contains(&t)
                    })
                && f.terms.iter().all(|t| {
                    term_matches(
                        t,
                        [
                            r.names[0].as_deref(),
                            r.names[1].as_deref(),
                            r.names[2].as_deref(),
                        ],
                        r.phone_digits.as_deref(),
                    )
                })
                && f.wechat_user_id.is_none_or(|w| w.0 == r.wechat_user)
                && f.begin.is_none_or(|b| r.created >= b.naive_utc())
                && f.end.is_none_or(|e| r.created <= e.naive_utc())
        })
        .collect();
    if live {
        hits.sort_by_key(|r| std::cmp::Reverse((r.created, r.id)));
    } else {
        hits.sort_by_key(|r| std::cmp::Reverse((r.deleted, r.id)));
    }
    hits.iter().map(|r| r.id).collect()
}

/// The lists of one run: through the service over SQL alone, or with the customer index.
struct Lists {
    repo: Arc<MySql>,
    service: CustomerService,
    index: Option<RoaringIndex>,
}

impl Lists {
    /// One export batch of `n`: from the index's ids (loaded by id, as the service does)
    /// when it answers, else SQL's.
    async fn export_batch(
        &self,
        scope: &Scope,
        f: &CustomerFilter,
        after: Option<ExportCursor>,
        n: u32,
    ) -> Vec<CustomerRecord> {
        let ids = match &self.index {
            Some(index) => index.export_ids(scope, f, after, n).await,
            None => None,
        };
        match ids {
            Some(ids) if ids.is_empty() => Vec::new(),
            Some(ids) => self.repo.by_ids(scope, &ids).await.unwrap(),
            None => self.repo.export_batch(scope, f, after, n).await.unwrap(),
        }
    }

    async fn check(&self, rows: &[Row], scope: &Scope, f: &CustomerFilter, what: &str) {
        let expected = reference(rows, scope, f, true);
        // Every batch of an export, each batch planned on its own.
        let mut exported: Vec<i64> = Vec::new();
        let mut after = None;
        loop {
            let batch = self.export_batch(scope, f, after, 50).await;
            exported.extend(batch.iter().map(|c| c.id.0));
            match batch.last() {
                Some(last) if batch.len() == 50 => {
                    after = Some(ExportCursor {
                        create_time: last.create_time,
                        id: last.id,
                    });
                }
                _ => break,
            }
        }
        assert_eq!(exported, expected, "export of {what}");
        for limit in [10u32, 100] {
            let pages = u32::try_from(expected.len().div_ceil(limit as usize)).unwrap();
            for page_no in [1, 2, pages.max(1), pages + 1] {
                let page = self
                    .service
                    .page(scope, f, PageRequest::new(page_no, limit).unwrap())
                    .await
                    .unwrap();
                assert_eq!(page.total, expected.len() as u64, "count of {what}");
                let ids: Vec<i64> = page.items.iter().map(|c| c.id.0).collect();
                let from = ((page_no - 1) * limit) as usize;
                let want: Vec<i64> = expected
                    .iter()
                    .skip(from)
                    .take(limit as usize)
                    .copied()
                    .collect();
                assert_eq!(ids, want, "page {page_no} of {limit} of {what}");
            }
        }
    }
}

fn scope(account: i64, tenant: i64) -> Scope {
    Scope {
        account: AdminUserId(account),
        tenant: AdminUserId(tenant),
    }
}

#[tokio::test]
async fn a_seed_at_scale_loads_skewed_rows_that_every_list_reads_exactly() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let args = ["seed", "--customers", "3000", "--tenants", "3"];
    let out = scrm(&db, &redis, &args);
    assert!(out.status.success(), "{}", text(&out));
    let printed = text(&out);
    assert!(printed.contains("customer: 3000 rows"), "{printed}");
    assert!(
        printed.contains("big tenant main account demo_admin"),
        "{printed}"
    );
    assert!(printed.contains("sub-accounts demo_sales1"), "{printed}");
    // 300 messages in the hot conversation (N / 10) and the small ones, all in Redis.
    assert!(!redis.keys().await.is_empty());
    let again = scrm(&db, &redis, &args);
    assert!(!again.status.success());
    assert!(text(&again).contains("is not empty"), "{}", text(&again));
    // The load's own sessions logged no change (one row per customer and per tag before
    // migration 2026-12-07-000002); `after_load` logged each loaded customer, contact (one
    // in ten has no customer) and hand-entered manual entry once.
    let (customers, contacts, entries, hand_entered) = change_rows(db.url()).await;
    assert_eq!(customers, 3000, "change-log rows of customers");
    assert_eq!(
        contacts,
        contact_count(db.url()).await,
        "change-log rows of contacts"
    );
    assert!(contacts > 3300, "{contacts}");
    assert!(hand_entered > 0);
    assert_eq!(entries, hand_entered, "change-log rows of manual entries");

    // The seed's name grams (made in Rust) are those the adapter's SQL makes from the names.
    let (missing, stale, grams) = name_gram_drift(db.url()).await;
    assert_eq!((missing, stale), (0, 0));
    assert!(grams > 3000, "{grams}");
    let (missing, stale, grams) = phone_gram_drift(db.url()).await;
    assert_eq!((missing, stale), (0, 0));
    assert!(grams > 3000, "{grams}");

    let rows = all_rows(db.url()).await;
    assert_eq!(rows.len(), 3000);
    assert_eq!(rows.iter().filter(|r| r.tenant == 1000).count(), 900);
    let repo = Arc::new(MySql::new(
        build_pool(db.url(), &PoolSettings::default()).unwrap(),
    ));
    let some_phone = rows.iter().find_map(|r| r.phone_digits.clone()).unwrap();
    // A rare compound surname if the seed drew one, else the rarest name it drew.
    let rare = ["諸葛", "司馬", "上官"]
        .into_iter()
        .find(|s| rows.iter().any(|r| has(r.names[0].as_ref(), s)))
        .map(str::to_owned)
        .unwrap_or_else(|| {
            rows.iter()
                .filter_map(|r| r.names[0].clone())
                .min()
                .unwrap()
        });
    let time = |s: &str| {
        DateTime::<Utc>::from_naive_utc_and_offset(
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap(),
            Utc,
        )
    };
    let name = |n: &str| CustomerFilter {
        name: Some(n.to_owned()),
        ..Default::default()
    };
    let phone = |d: &str| CustomerFilter {
        phone_digits: Some(d.to_owned()),
        ..Default::default()
    };
    let tags = |ids: &[i64]| CustomerFilter {
        tag_ids: ids.iter().copied().map(TagId).collect(),
        ..Default::default()
    };
    let q = |text: &str| CustomerFilter {
        terms: parse_terms(text),
        ..Default::default()
    };
    let mode = |ids: &[i64], tag_mode: TagMode| CustomerFilter {
        tag_mode,
        ..tags(ids)
    };
    // A full name's pinyin, the initials of its first two characters, a Latin nickname's
    // letters in upper case, a phone with separators, from rows the seed drew.
    let named = rows
        .iter()
        .filter_map(|r| r.names[0].clone())
        .find(|n| n.chars().count() >= 3)
        .unwrap();
    let full = spellings(&named)[0].clone();
    let two: String = named.chars().take(2).collect();
    let initials = spellings(&two)[1].clone();
    let latin = rows
        .iter()
        .filter_map(|r| r.names[1].clone())
        .find_map(|n| {
            let letters: String = n
                .chars()
                .filter(char::is_ascii_alphabetic)
                .take(3)
                .collect();
            (letters.len() == 3).then(|| letters.to_ascii_uppercase())
        })
        .unwrap_or_else(|| "SUN".to_owned());
    let tail = &some_phone[some_phone.len() - 7..];
    let separated = format!("({})-{}", &tail[..3], &tail[3..]);
    let last4 = some_phone[some_phone.len() - 4..].to_owned();
    let filters = [
        ("no filter", CustomerFilter::default()),
        ("q: a common surname in pinyin", q("wang")),
        ("q: a polyphonic reading", q("chang")),
        ("q: characters", q("王")),
        ("q: a full name in pinyin", q(&full)),
        ("q: initials of two characters", q(&initials)),
        ("q: Latin letters in another case", q(&latin)),
        ("q: a phone with separators", q(&separated)),
        ("q: four phone digits", q(&last4)),
        ("q: mixed terms", q(&format!("chen {}", &last4[..3]))),
        ("q: two digits are no phone term", q("86")),
        (
            "q with tags all and a time range",
            CustomerFilter {
                begin: Some(time("2024-06-01 00:00:00")),
                ..CustomerFilter {
                    terms: parse_terms("zh"),
                    ..mode(&[30_000, 30_001], TagMode::Any)
                }
            },
        ),
        (
            "q with a name, a remark and a WeChat account",
            CustomerFilter {
                terms: parse_terms("li"),
                remarks: Some("回訪".into()),
                wechat_user_id: Some(WechatUserId(21_001)),
                ..name("李")
            },
        ),
        ("all of two tags", mode(&[30_000, 30_001], TagMode::All)),
        ("none of two tags", mode(&[30_000, 30_001], TagMode::None)),
        (
            "q and none of the top tag",
            CustomerFilter {
                terms: parse_terms("wang"),
                ..mode(&[30_000], TagMode::None)
            },
        ),
        ("a common surname", name("王")),
        ("a two-character name", name("建華")),
        ("a rare compound surname", name(&rare)),
        ("three characters", name("小太陽")),
        (
            "a name and the top tag",
            CustomerFilter {
                tag_ids: vec![TagId(30_000)],
                ..name("張")
            },
        ),
        ("a nickname", name("陽光")),
        ("the top tag", tags(&[30_000])),
        ("two tags", tags(&[30_001, 30_150])),
        ("a phone suffix", phone(&some_phone[some_phone.len() - 4..])),
        (
            "three phone digits",
            phone(&some_phone[some_phone.len() - 3..]),
        ),
        ("eight phone digits", phone(&some_phone[2..10])),
        ("two phone digits", phone("86")),
        (
            "remarks and a time range",
            CustomerFilter {
                remarks: Some("回訪".into()),
                begin: Some(time("2024-06-01 00:00:00")),
                end: Some(time("2025-01-01 00:00:00")),
                ..Default::default()
            },
        ),
        (
            "a WeChat account and a name",
            CustomerFilter {
                wechat_user_id: Some(WechatUserId(21_001)),
                ..name("李")
            },
        ),
    ];
    // The search cases find something in the big tenant (they test more than empty lists).
    for (what, f) in filters.iter().filter(|(w, _)| {
        w.starts_with("q: ") && !w.contains("two digits") || w.ends_with("of two tags")
    }) {
        let n = reference(&rows, &scope(1000, 1000), f, true).len();
        assert!(n > 0, "{what} finds nothing");
    }
    // SQL alone, then with the customer index (its tenants loaded first, as at start).
    for with_index in [false, true] {
        let lists = lists(&repo, with_index).await;
        check_scopes(&lists, &rows, &filters).await;
        if let Some(index) = &lists.index {
            // It declines remarks (not covered); it answered the rest.
            let stats = index.stats();
            assert!(stats.answered > 4 * stats.declined, "{stats:?}");
        }
    }
    contacts::check(&repo, db.url()).await;
}

/// The lists through the service over `repo`, with a customer index holding the tenants of
/// the scopes below when `with_index`.
async fn lists(repo: &Arc<MySql>, with_index: bool) -> Lists {
    let index = if with_index {
        Some(loaded_index(repo).await)
    } else {
        None
    };
    let service = match &index {
        Some(index) => CustomerService::with_index(repo.clone(), Arc::new(index.clone())),
        None => CustomerService::new(repo.clone()),
    };
    Lists {
        repo: repo.clone(),
        service,
        index,
    }
}

/// A customer index holding the tenants of the scopes below (1000 and 1100).
async fn loaded_index(repo: &Arc<MySql>) -> RoaringIndex {
    let index = RoaringIndex::new(repo.clone(), IndexSettings::default());
    // A load gives up when it cannot catch up with the log in time (a busy machine).
    for tenant in [1000, 1100] {
        let mut tries = 0;
        while !index.load_tenant(AdminUserId(tenant)).await.unwrap() {
            tries += 1;
            assert!(tries < 10, "tenant {tenant} never loaded");
        }
    }
    index
}

/// Whether the index answers page 1 of the filter, asked a few times (a catch-up may pass
/// its bound on a busy machine, and the index then declines).
async fn answers(index: &RoaringIndex, scope: &Scope, f: &CustomerFilter) -> bool {
    for _ in 0..10 {
        if index
            .page(scope, f, PageRequest::new(1, 10).unwrap())
            .await
            .is_some()
        {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

/// Every filter and the recycle bin in the big tenant's main account, one of its
/// sub-accounts, and tenant 1's main account, against the reference.
async fn check_scopes(lists: &Lists, rows: &[Row], filters: &[(&str, CustomerFilter)]) {
    for s in [scope(1000, 1000), scope(1001, 1000), scope(1100, 1100)] {
        for (what, f) in filters {
            let what = format!("{what} as {}, index {}", s.account.0, lists.index.is_some());
            lists.check(rows, &s, f, &what).await;
            // The seed's names are all sure: the index answers every filter but remarks.
            if let Some(index) = &lists.index {
                assert_eq!(answers(index, &s, f).await, f.remarks.is_none(), "{what}");
            }
        }
        let binned = reference(rows, &s, &CustomerFilter::default(), false);
        let bin = lists
            .service
            .recycle_bin(&s, &BinFilter::default(), PageRequest::new(1, 100).unwrap())
            .await
            .unwrap();
        assert_eq!(bin.total, binned.len() as u64);
        let ids: Vec<i64> = bin.items.iter().map(|c| c.id.0).collect();
        assert_eq!(ids, binned.iter().take(100).copied().collect::<Vec<_>>());
        // The bin with `q` and the tags.
        for (text, tag_mode) in [
            ("wang", TagMode::Any),
            ("zh", TagMode::None),
            ("", TagMode::All),
        ] {
            let f = BinFilter {
                terms: parse_terms(text),
                tag_ids: vec![TagId(30_000), TagId(30_001)],
                tag_mode,
            };
            let as_list = CustomerFilter {
                terms: f.terms.clone(),
                tag_ids: f.tag_ids.clone(),
                tag_mode,
                ..Default::default()
            };
            let binned = reference(rows, &s, &as_list, false);
            let bin = lists
                .service
                .recycle_bin(&s, &f, PageRequest::new(1, 100).unwrap())
                .await
                .unwrap();
            assert_eq!(bin.total, binned.len() as u64, "bin count of {f:?}");
            let ids: Vec<i64> = bin.items.iter().map(|c| c.id.0).collect();
            assert_eq!(ids, binned.iter().take(100).copied().collect::<Vec<_>>());
        }
    }
}
