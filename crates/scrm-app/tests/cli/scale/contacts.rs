//! findcontactbytagAll over the seed at scale: every tag mode, with and without offline
//! accounts and a WeChat account, as main account and sub-account, equal to a naive reference
//! computed in Rust from all the contacts, their tag rows and the WeChat accounts: through
//! the service over SQL alone, then with the customer index (which must answer each, and
//! whose rows, loaded by id, are SQL's own).

use std::sync::Arc;
use std::time::Duration;

use mysql_async::prelude::Queryable;
use scrm_domain::contact::{ContactIndex, ContactRecord, ContactService, ContactTagQuery};
use scrm_domain::search::TagMode;
use scrm_domain::{Scope, TagId, WechatUserId};
use scrm_mysql::MySql;

use super::{loaded_index, scope};

/// One contact as the reference sees it.
struct Contact {
    id: i64,
    tenant: i64,
    owner: i64,
    wechat_user: i64,
    /// Its WeChat account's `is_online`; `None` when the account is missing.
    online: Option<i32>,
}

/// One `contact_tag` row: (contact, tag, tenant, owner).
type TagRow = (i64, i64, i64, i64);

async fn all_contacts(url: &str) -> (Vec<Contact>, Vec<TagRow>) {
    let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(url).unwrap())
        .await
        .unwrap();
    let contacts: Vec<(i64, i64, i64, i64, Option<i32>)> = conn
        .query(
            "SELECT w.id, w.tenant_id, w.admin_user_id, w.wechat_user_id, u.is_online \
             FROM wechat_contact w LEFT JOIN wechat_user u ON u.id = w.wechat_user_id",
        )
        .await
        .unwrap();
    let tags: Vec<TagRow> = conn
        .query("SELECT contact_id, tag_id, tenant_id, admin_user_id FROM contact_tag")
        .await
        .unwrap();
    let contacts = contacts
        .into_iter()
        .map(|(id, tenant, owner, wechat_user, online)| Contact {
            id,
            tenant,
            owner,
            wechat_user,
            online,
        })
        .collect();
    (contacts, tags)
}

/// The naive reference: the scope's contacts (by owner for a sub-account), their tag rows of
/// the scope (`tenant_id` for a main account, `admin_user_id` for a sub-account), the
/// account filter and the WeChat account's flag, by contact id.
fn reference(contacts: &[Contact], tags: &[TagRow], s: &Scope, q: &ContactTagQuery) -> Vec<i64> {
    let main = s.account == s.tenant;
    let wanted: Vec<i64> = q.tag_ids.iter().map(|t| t.0).collect();
    let mut ids: Vec<i64> = contacts
        .iter()
        .filter(|c| {
            if main {
                c.tenant == s.tenant.0
            } else {
                c.owner == s.account.0
            }
        })
        .filter(|c| {
            q.tag_mode.holds(&wanted, |tag| {
                tags.iter().any(|t| {
                    t.0 == c.id
                        && t.1 == tag
                        && if main {
                            t.2 == s.tenant.0
                        } else {
                            t.3 == s.account.0
                        }
                })
            })
        })
        .filter(|c| q.wechat_user_id.is_none_or(|w| w.0 == c.wechat_user))
        .filter(|c| c.online.is_some_and(|o| q.include_offline || o == 1))
        .map(|c| c.id)
        .collect();
    ids.sort_unstable();
    ids
}

/// The queries checked: each tag mode on the top tags, with and without offline accounts,
/// no tags, and one WeChat account.
fn queries() -> Vec<(&'static str, ContactTagQuery)> {
    let q = |tags: &[i64], mode: TagMode, offline: bool| ContactTagQuery {
        tag_ids: tags.iter().copied().map(TagId).collect(),
        tag_mode: mode,
        wechat_user_id: None,
        include_offline: offline,
    };
    vec![
        (
            "every contact on online accounts",
            q(&[], TagMode::Any, false),
        ),
        ("every contact", q(&[], TagMode::None, true)),
        ("the top tag", q(&[30_000], TagMode::Any, true)),
        (
            "any of two tags, online",
            q(&[30_001, 30_150], TagMode::Any, false),
        ),
        ("all of two tags", q(&[30_000, 30_001], TagMode::All, true)),
        (
            "all of two tags, online",
            q(&[30_000, 30_001], TagMode::All, false),
        ),
        (
            "none of two tags",
            q(&[30_000, 30_001], TagMode::None, true),
        ),
        (
            "none of the top tag, online",
            q(&[30_000], TagMode::None, false),
        ),
        (
            "none of the top tag on one WeChat account",
            ContactTagQuery {
                wechat_user_id: Some(WechatUserId(21_001)),
                ..q(&[30_000], TagMode::None, true)
            },
        ),
    ]
}

fn ids(rows: &[ContactRecord]) -> Vec<i64> {
    rows.iter().map(|r| r.id.0).collect()
}

/// Every query in the big tenant's main account, one of its sub-accounts and tenant 1's main
/// account, against the reference, with the index off and on.
pub async fn check(repo: &Arc<MySql>, url: &str) {
    let (contacts, tags) = all_contacts(url).await;
    assert!(contacts.len() > 3000, "{}", contacts.len());
    let index = loaded_index(repo).await;
    let off = ContactService::new(repo.clone());
    let on = ContactService::with_index(repo.clone(), Arc::new(index.clone()));
    for s in [scope(1000, 1000), scope(1001, 1000), scope(1100, 1100)] {
        for (what, q) in queries() {
            let what = format!("{what} as {}", s.account.0);
            let expected = reference(&contacts, &tags, &s, &q);
            if s.account.0 == 1000 {
                assert!(!expected.is_empty(), "{what} selects nothing");
            }
            let sql = off.find_by_tags(&s, &q).await.unwrap();
            assert_eq!(ids(&sql), expected, "SQL: {what}");
            // The index answers (asked again while a catch-up passes its bound).
            let mut answered = None;
            for _ in 0..10 {
                answered = index.select(&s, &q).await;
                if answered.is_some() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let selected: Vec<i64> = answered
                .unwrap_or_else(|| panic!("the index declined {what}"))
                .iter()
                .map(|c| c.0)
                .collect();
            assert_eq!(selected, expected, "index: {what}");
            let through = on.find_by_tags(&s, &q).await.unwrap();
            assert_eq!(through, sql, "the service with the index: {what}");
        }
    }
    let stats = index.stats();
    assert_eq!(stats.declined, 0, "{stats:?}");
    assert!(stats.contacts > 1000, "{stats:?}");
}
