//! The parameters of the cases, read from the bench data itself: the tenant with the most
//! customers, its accounts, a phone that hits and one that misses, a common surname, a rare
//! name, a two-character name, its most popular and rarest tag, the assignee with the most
//! manual entries and its biggest conversations; and the `q` terms spelled from those names
//! as the server spells them (`scrm_domain::search::spellings`).

use anyhow::Context;
use deadpool_redis::redis;
use mysql_async::Conn;
use mysql_async::prelude::Queryable;
use scrm_domain::search::spellings;
use serde::{Deserialize, Serialize};

use crate::cases::PAGE_LIMIT;

/// A WeChat account and one of its contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Conversation {
    pub wechat_user_id: i64,
    pub wechat_contact_id: i64,
}

/// Everything the cases need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// The big tenant (its main account's id).
    pub tenant: i64,
    /// Live customers of the big tenant.
    pub tenant_rows: u64,
    /// Its customers live and binned (what the index holds once the tenant is loaded).
    pub tenant_all_rows: u64,
    pub main_login: String,
    /// The sub-account with the most customers.
    pub sub_id: i64,
    pub sub_login: String,
    pub phone_hit: String,
    pub phone_miss: String,
    pub phone_suffix: String,
    pub surname: String,
    pub rare_name: String,
    pub two_char_name: String,
    pub tag_popular: i64,
    pub tag_rare: i64,
    /// `q` terms: the common surname's pinyin, the two-character name's initials, the rare
    /// name's full pinyin.
    pub q_surname: String,
    pub q_initials: String,
    pub q_full_name: String,
    /// Page 10,000, or the last page when the tenant has fewer rows.
    pub deep_page: u64,
    pub manual_assignee: i64,
    /// Up to 10 conversations of the tenant, the biggest first.
    pub conversations: Vec<Conversation>,
    pub redis_prefix: String,
}

impl Params {
    /// A fixed example for unit tests.
    #[cfg(test)]
    pub fn example() -> Self {
        Self {
            tenant: 1000,
            tenant_rows: 130,
            tenant_all_rows: 140,
            main_login: "demo_admin".into(),
            sub_id: 1001,
            sub_login: "demo_sales1".into(),
            phone_hit: "13912345678".into(),
            phone_miss: "10000000000".into(),
            phone_suffix: "5678".into(),
            surname: "王".into(),
            rare_name: "王秀英".into(),
            two_char_name: "李偉".into(),
            tag_popular: 30_000,
            tag_rare: 30_005,
            q_surname: "wang".into(),
            q_initials: "lw".into(),
            q_full_name: "wangxiuying".into(),
            deep_page: 7,
            manual_assignee: 1001,
            conversations: vec![Conversation {
                wechat_user_id: 20_000,
                wechat_contact_id: 100_000,
            }],
            redis_prefix: "scrm_bench".into(),
        }
    }
}

/// Page 10,000 of `PAGE_LIMIT` rows, or the last page of `rows`.
pub fn deep_page(rows: u64) -> u64 {
    rows.div_ceil(PAGE_LIMIT).clamp(1, 10_000)
}

/// The full pinyin of a name as the server spells it (its first reading of each character).
pub fn full_pinyin(name: &str) -> anyhow::Result<String> {
    spellings(name)
        .into_iter()
        .next()
        .with_context(|| format!("{name:?} has no spelling"))
}

/// The initials of a name as the server spells them: its first spelling with one letter per
/// character.
pub fn initials(name: &str) -> anyhow::Result<String> {
    let chars = name.chars().filter(|c| !c.is_whitespace()).count();
    spellings(name)
        .into_iter()
        .find(|s| s.chars().count() == chars)
        .with_context(|| format!("{name:?} has no initials"))
}

/// The tenant's conversations among `(conversation, messages)` (any order), the biggest
/// first, at most 10.
pub fn biggest(mut found: Vec<(Conversation, u64)>) -> Vec<Conversation> {
    found.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    found.into_iter().take(10).map(|(c, _)| c).collect()
}

async fn one<T: mysql_async::prelude::FromRow + Send + 'static>(
    conn: &mut Conn,
    what: &str,
    sql: &str,
) -> anyhow::Result<T> {
    conn.query_first(sql)
        .await
        .with_context(|| format!("{what}: {sql}"))?
        .with_context(|| format!("{what}: no row (is the bench data seeded?)"))
}

/// The tenant with the most live customers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BigTenant {
    /// Its main account's id.
    pub tenant: i64,
    /// Its live customers.
    pub live: u64,
    /// Its customers live and binned.
    pub all: u64,
    pub main_login: String,
}

/// Finds the big tenant (a few statements: `scrm-floor index-load` runs it right after the
/// server starts).
///
/// # Errors
/// When the database cannot be read or holds no customer.
pub async fn big_tenant(conn: &mut Conn) -> anyhow::Result<BigTenant> {
    let (tenant, live): (i64, u64) = one(
        conn,
        "big tenant",
        "SELECT tenant_id, COUNT(*) AS n FROM customer WHERE deleted_at IS NULL \
         GROUP BY tenant_id ORDER BY n DESC, tenant_id LIMIT 1",
    )
    .await?;
    let all: u64 = one(
        conn,
        "the big tenant's customers",
        &format!("SELECT COUNT(*) FROM customer WHERE tenant_id = {tenant}"),
    )
    .await?;
    let main_login: String = one(
        conn,
        "main login",
        &format!("SELECT login_name FROM admin_user WHERE id = {tenant}"),
    )
    .await?;
    Ok(BigTenant {
        tenant,
        live,
        all,
        main_login,
    })
}

/// Reads the parameters from the data.
///
/// # Errors
/// When the database or Redis cannot be read or the data lacks something a case needs.
pub async fn resolve(
    conn: &mut Conn,
    redis: &mut redis::aio::MultiplexedConnection,
    redis_prefix: &str,
) -> anyhow::Result<Params> {
    let BigTenant {
        tenant,
        live: rows,
        all: all_rows,
        main_login,
    } = big_tenant(conn).await?;
    let t = tenant;
    let (sub_id, sub_login): (i64, String) = one(
        conn,
        "sub-account",
        &format!(
            "SELECT a.id, a.login_name FROM admin_user a JOIN customer c ON c.admin_user_id = a.id \
             WHERE a.tenant_id = {t} AND a.id <> {t} AND c.deleted_at IS NULL \
             GROUP BY a.id, a.login_name ORDER BY COUNT(*) DESC, a.id LIMIT 1"
        ),
    )
    .await?;
    let phone_hit: String = one(
        conn,
        "phone that hits",
        &format!(
            "SELECT phone_digits FROM customer WHERE tenant_id = {t} AND deleted_at IS NULL \
             AND CHAR_LENGTH(phone_digits) = 11 ORDER BY id LIMIT 1"
        ),
    )
    .await?;
    let phone_miss = (10_000_000_000u64..)
        .step_by(7_919)
        .map(|n| n.to_string())
        .take(100);
    let mut miss = None;
    for candidate in phone_miss {
        let hits: u64 = one(
            conn,
            "phone that misses",
            &format!(
                "SELECT (SELECT COUNT(*) FROM customer WHERE tenant_id = {t} AND phone_digits = \
                 '{candidate}') + (SELECT COUNT(*) FROM manual_entry WHERE tenant_id = {t} AND \
                 phone_digits = '{candidate}')"
            ),
        )
        .await?;
        if hits == 0 {
            miss = Some(candidate);
            break;
        }
    }
    let phone_miss = miss.context("no missing phone found")?;
    let phone_suffix = phone_hit[phone_hit.len().saturating_sub(4)..].to_owned();
    // The tenant's live customer names (or a part of them) grouped, the first by `order`.
    let names = |what: &'static str, part: &str, only: &str, order: &str| {
        let sql = format!(
            "SELECT {part} AS v FROM customer WHERE tenant_id = {t} AND deleted_at IS NULL \
             AND {only} GROUP BY v ORDER BY COUNT(*) {order}, v LIMIT 1"
        );
        (what, sql)
    };
    let mut picked = Vec::new();
    for (what, sql) in [
        names(
            "common surname",
            "LEFT(customer_name, 1)",
            "customer_name <> ''",
            "DESC",
        ),
        names(
            "rare name",
            "customer_name",
            "CHAR_LENGTH(customer_name) >= 2",
            "ASC",
        ),
        names(
            "two-character name",
            "customer_name",
            "CHAR_LENGTH(customer_name) = 2",
            "DESC",
        ),
    ] {
        picked.push(one::<String>(conn, what, &sql).await?);
    }
    let [surname, rare_name, two_char_name]: [String; 3] = picked
        .try_into()
        .map_err(|_| anyhow::anyhow!("three names were asked for"))?;
    let tag_order = |dir: &str| {
        format!(
            "SELECT tag_id FROM contact_tag WHERE tenant_id = {t} GROUP BY tag_id \
             ORDER BY COUNT(*) {dir}, tag_id LIMIT 1"
        )
    };
    let tag_popular: i64 = one(conn, "popular tag", &tag_order("DESC")).await?;
    let tag_rare: i64 = one(conn, "rare tag", &tag_order("ASC")).await?;
    let manual_assignee: i64 = one(
        conn,
        "manual assignee",
        &format!(
            "SELECT admin_user_id FROM manual_entry WHERE tenant_id = {t} AND task_id = -1 AND \
             deleted_at IS NULL GROUP BY admin_user_id ORDER BY COUNT(*) DESC, admin_user_id \
             LIMIT 1"
        ),
    )
    .await?;
    let conversations = conversations(conn, redis, redis_prefix, t).await?;
    Ok(Params {
        tenant,
        tenant_rows: rows,
        tenant_all_rows: all_rows,
        main_login,
        sub_id,
        sub_login,
        phone_hit,
        phone_miss,
        phone_suffix,
        q_surname: full_pinyin(&surname)?,
        q_initials: initials(&two_char_name)?,
        q_full_name: full_pinyin(&rare_name)?,
        surname,
        rare_name,
        two_char_name,
        tag_popular,
        tag_rare,
        deep_page: deep_page(rows),
        manual_assignee,
        conversations,
        redis_prefix: redis_prefix.to_owned(),
    })
}

/// `<prefix>:chat:{<user>:<contact>}:idx` as a conversation.
pub fn parse_index_key(prefix: &str, key: &str) -> Option<Conversation> {
    let rest = key.strip_prefix(prefix)?.strip_prefix(":chat:{")?;
    let (user, contact) = rest.strip_suffix("}:idx")?.split_once(':')?;
    Some(Conversation {
        wechat_user_id: user.parse().ok()?,
        wechat_contact_id: contact.parse().ok()?,
    })
}

/// The biggest conversations (by messages) of the tenant under the prefix.
async fn conversations(
    conn: &mut Conn,
    redis: &mut redis::aio::MultiplexedConnection,
    prefix: &str,
    tenant: i64,
) -> anyhow::Result<Vec<Conversation>> {
    let mut cursor: u64 = 0;
    let mut found = Vec::new();
    loop {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}:chat:*:idx"))
            .arg("COUNT")
            .arg(1000)
            .query_async(redis)
            .await
            .context("SCAN of the chat indexes")?;
        let convs: Vec<(String, Conversation)> = keys
            .into_iter()
            .filter_map(|k| parse_index_key(prefix, &k).map(|c| (k, c)))
            .collect();
        if !convs.is_empty() {
            let mut pipe = redis::pipe();
            for (k, _) in &convs {
                pipe.cmd("ZCARD").arg(k);
            }
            let sizes: Vec<u64> = pipe.query_async(redis).await?;
            found.extend(convs.into_iter().map(|(_, c)| c).zip(sizes));
        }
        cursor = next;
        if cursor == 0 {
            break;
        }
    }
    let ids: Vec<String> = found
        .iter()
        .map(|(c, _)| c.wechat_contact_id.to_string())
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mine: Vec<(i64, i64)> = conn
        .query(format!(
            "SELECT wechat_user_id, id FROM wechat_contact WHERE tenant_id = {tenant} AND id IN ({})",
            ids.join(",")
        ))
        .await?;
    let mine: Vec<Conversation> = mine
        .into_iter()
        .map(|(u, c)| Conversation {
            wechat_user_id: u,
            wechat_contact_id: c,
        })
        .collect();
    found.retain(|(c, _)| mine.contains(c));
    Ok(biggest(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_page_is_page_10000_or_the_last() {
        assert_eq!(deep_page(1_000_000), 10_000);
        assert_eq!(deep_page(200_000), 10_000);
        assert_eq!(deep_page(130), 7);
        assert_eq!(deep_page(0), 1);
    }

    #[test]
    fn index_keys_parse() {
        let c = parse_index_key("scrm_bench", "scrm_bench:chat:{20000:100001}:idx");
        assert_eq!(
            c,
            Some(Conversation {
                wechat_user_id: 20_000,
                wechat_contact_id: 100_001
            })
        );
        assert_eq!(
            parse_index_key("scrm_bench", "scrm_bench:chat:{1:2}:msg"),
            None
        );
        assert_eq!(parse_index_key("scrm_bench", "other:chat:{1:2}:idx"), None);
    }

    #[test]
    fn biggest_first_at_most_ten() {
        let conv = |c| Conversation {
            wechat_user_id: 1,
            wechat_contact_id: c,
        };
        let found: Vec<(Conversation, u64)> = (0..15).map(|c| (conv(c), c as u64 % 7)).collect();
        let top = biggest(found);
        assert_eq!(top.len(), 10);
        assert_eq!(top[0], conv(6));
        assert_eq!(top[1], conv(13));
    }

    #[test]
    fn q_terms_are_spelled_as_the_server_spells_names() {
        let p = Params::example();
        assert_eq!(full_pinyin(&p.surname).unwrap(), p.q_surname);
        assert_eq!(initials(&p.two_char_name).unwrap(), p.q_initials);
        assert_eq!(full_pinyin(&p.rare_name).unwrap(), p.q_full_name);
        // Simplified and traditional alike; a name whose full pinyin is one letter a character.
        assert_eq!(initials("张伟").unwrap(), "zw");
        assert_eq!(initials("阿娥").unwrap(), "ae");
        assert!(full_pinyin(" ").is_err());
    }
}
