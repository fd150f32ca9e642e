//! customerPage's floor (the count, the page's ids, the records) and the export's query.

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row, Value};
use scrm_mysql::search::{Plan, contains, of_needle, of_phone_needle};

use super::{marks, rows, scope};
use crate::cases::{Filter, Login, PAGE_LIMIT};
use crate::params::Params;

const CUSTOMER_FROM: &str =
    "FROM (customer INNER JOIN wechat_contact ON (wechat_contact.id = customer.wechat_contact_id))";

const RECORD_COLUMNS: &str = "customer.id, customer.wechat_contact_id, customer.wechat_user_id, \
     customer.admin_user_id, customer.customer_name, customer.customer_phone, customer.nick_name, \
     customer.remarks, customer.xfield1, customer.xfield2, customer.xfield3, customer.xfield4, \
     customer.xfield5, customer.xfield6, customer.xfield7, customer.xfield8, customer.xfield9, \
     customer.xfield10, customer.is_cust, customer.create_time, customer.last_update_time, \
     customer.deleted_at, wechat_contact.nick_name, wechat_contact.remark_name, \
     wechat_contact.head_img_url, wechat_contact.is_star";

/// What [`load_records`] read: one row per customer, `RECORD_COLUMNS` and then the WeChat
/// account's nick name, the form of address and the tags as JSON (`[[id, name], ..]`).
pub type Records = Vec<Row>;

/// scrm-mysql `customers/records.rs`: the SELECT and FROM of the records, and their binds.
fn records_from(p: &Params, login: Login) -> (String, Vec<Value>) {
    let (owner, owner_bind) = scope(p, login, "contact_tag");
    let (user, user_bind) = scope(p, login, "wechat_user");
    let (pred, bind) = scope(p, login, "customer");
    let sql = format!(
        "SELECT {RECORD_COLUMNS}, wechat_user.nick_name, contact_nick_name.nick_name, (SELECT \
         JSON_ARRAYAGG(JSON_ARRAY(tag.id, tag.name) ORDER BY tag.id) FROM contact_tag INNER JOIN \
         tag ON tag.id = contact_tag.tag_id WHERE contact_tag.contact_id = \
         customer.wechat_contact_id AND tag.tenant_id = ? AND {owner}) FROM (((customer INNER \
         JOIN wechat_contact ON (customer.wechat_contact_id = wechat_contact.id)) LEFT OUTER \
         JOIN wechat_user ON ((wechat_user.id = customer.wechat_user_id) AND ({user}))) LEFT \
         OUTER JOIN contact_nick_name ON ((contact_nick_name.wechat_contact_id = \
         customer.wechat_contact_id) AND (contact_nick_name.tenant_id = ?))) WHERE ({pred})"
    );
    let binds = vec![
        Value::from(p.tenant),
        owner_bind,
        user_bind,
        Value::from(p.tenant),
        bind,
    ];
    (sql, binds)
}

/// `load_records`: the records of `ids`, in one statement.
pub(super) async fn load_records(
    conn: &mut Conn,
    p: &Params,
    login: Login,
    ids: &[i64],
) -> mysql_async::Result<Records> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (mut sql, mut binds) = records_from(p, login);
    sql.push_str(&format!(" AND customer.id IN ({})", marks(ids.len())));
    binds.extend(ids.iter().map(|i| Value::from(*i)));
    rows(conn, &sql, binds).await
}

/// `by_phone`: the live customers with the phone `digits`, newest first, in one statement.
pub(super) async fn records_by_phone(
    conn: &mut Conn,
    p: &Params,
    login: Login,
    digits: &str,
) -> mysql_async::Result<Records> {
    let (mut sql, mut binds) = records_from(p, login);
    sql.push_str(
        " AND customer.phone_digits = ? AND customer.deleted_at IS NULL ORDER BY \
         customer.create_time DESC, customer.id DESC",
    );
    binds.push(Value::from(digits));
    rows(conn, &sql, binds).await
}

/// `FilteredList::of` (scrm-mysql `customers/filtered_list.rs`): the FROM and WHERE clauses and binds of
/// customerPage for a plan: on `customer` alone, or joined to `wechat_contact` when the names'
/// `LIKE` must be read (a walk, or name grams that do not decide alone).
fn live_filtered(p: &Params, login: Login, filter: &Filter, plan: Plan) -> (String, Vec<Value>) {
    let (pred, bind) = scope(p, login, "customer");
    let grams = match filter {
        Filter::Name(name) if plan == Plan::Narrow => Some(of_needle(name)),
        _ => None,
    };
    let like = match (filter, &grams) {
        (Filter::Name(_), Some(g)) if g.exact => None,
        (Filter::Name(name), _) => Some(contains(name)),
        _ => None,
    };
    let from = if like.is_some() {
        CUSTOMER_FROM
    } else {
        "FROM customer"
    };
    let mut sql = format!("{from} WHERE ({pred} AND customer.deleted_at IS NULL");
    let mut binds = vec![bind];
    match filter {
        Filter::None | Filter::Name(_) => {}
        Filter::PhoneDigits(digits) => {
            let grams = of_phone_needle(digits).filter(|_| plan == Plan::Narrow);
            if let Some(g) = &grams {
                for gram in &g.equal {
                    sql.push_str(
                        " AND customer.id IN (SELECT customer_phone_gram.customer_id FROM \
                         customer_phone_gram WHERE (customer_phone_gram.tenant_id = ? AND \
                         customer_phone_gram.gram = ?))",
                    );
                    binds.extend([Value::from(p.tenant), Value::from(gram.as_str())]);
                }
            }
            if !grams.is_some_and(|g| g.exact) {
                sql.push_str(" AND customer.phone_digits LIKE ? ESCAPE '!'");
                binds.push(Value::from(contains(digits)));
            }
        }
        Filter::Tag(tag) if plan == Plan::Walk => {
            sql.push_str(&format!(
                " AND (SELECT COUNT(*) FROM contact_tag WHERE contact_tag.contact_id = \
                 customer.wechat_contact_id AND contact_tag.tag_id IN ({tag})) > 0"
            ));
        }
        Filter::Tag(tag) => {
            let (tag_pred, tag_bind) = scope(p, login, "contact_tag");
            sql.push_str(&format!(
                " AND customer.wechat_contact_id IN (SELECT contact_tag.contact_id FROM \
                 contact_tag WHERE ({tag_pred} AND contact_tag.tag_id IN (?)))"
            ));
            binds.extend([tag_bind, Value::from(*tag)]);
        }
    }
    if let Some(g) = &grams {
        let gram_ids = "customer.id IN (SELECT customer_name_gram.customer_id FROM \
             customer_name_gram WHERE (customer_name_gram.tenant_id = ? AND customer_name_gram.gram";
        if let Some(prefix) = &g.prefix {
            sql.push_str(&format!(" AND {gram_ids} LIKE ? ESCAPE '!'))"));
            binds.extend([Value::from(p.tenant), Value::from(prefix.as_str())]);
        }
        for gram in &g.equal {
            sql.push_str(&format!(" AND {gram_ids} = ?))"));
            binds.extend([Value::from(p.tenant), Value::from(gram.as_str())]);
        }
    }
    if let Some(pattern) = like {
        let [name, nick, remark] = [
            "customer.customer_name",
            "wechat_contact.nick_name",
            "wechat_contact.remark_name",
        ]
        .map(text_contains);
        sql.push_str(&format!(" AND (({name} OR {nick}) OR {remark})"));
        binds.extend(std::iter::repeat_n(Value::from(pattern.as_str()), 6));
    }
    sql.push(')');
    (sql, binds)
}

/// scrm-mysql's `like::TextContains` on `col`: the collation's `LIKE`, then the lower-cased
/// text compared exactly (two binds of the pattern).
fn text_contains(col: &str) -> String {
    format!(
        "({col} LIKE ? ESCAPE '!' AND LOWER({col}) COLLATE utf8mb4_bin LIKE LOWER(?) ESCAPE '!')"
    )
}

/// The live customers of the scope (`customer_count`, customers/counts.rs).
async fn live_count(conn: &mut Conn, p: &Params, login: Login) -> mysql_async::Result<u64> {
    let (pred, bind) = scope(p, login, "customer_count");
    let n: Option<i64> = conn
        .exec_first(
            format!(
                "SELECT CAST(COALESCE(SUM(live), 0) AS SIGNED) FROM customer_count WHERE {pred}"
            ),
            vec![bind],
        )
        .await?;
    Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
}

pub(super) async fn customer_page(
    conn: &mut Conn,
    p: &Params,
    login: Login,
    filter: &Filter,
    page_no: u64,
) -> mysql_async::Result<usize> {
    let total = if *filter == Filter::None {
        // An unfiltered list reads the per-account counters (customers/counts.rs).
        live_count(conn, p, login).await?
    } else {
        let (filter_sql, binds) = live_filtered(p, login, filter, Plan::Narrow);
        let n: Option<i64> = conn
            .exec_first(format!("SELECT COUNT(*) {filter_sql}"), binds)
            .await?;
        u64::try_from(n.unwrap_or(0)).unwrap_or(0)
    };
    let offset = (page_no - 1) * PAGE_LIMIT;
    if offset >= total {
        return Ok(0);
    }
    // customers/query.rs `page`: a name, phone or tag filter picks its plan by the count, and
    // reads the live count only when the count alone does not decide.
    let plannable = match filter {
        Filter::Name(_) | Filter::Tag(_) => true,
        Filter::PhoneDigits(digits) => of_phone_needle(digits).is_some(),
        Filter::None => false,
    };
    let wanted = offset + PAGE_LIMIT;
    let plan = match Plan::by_count(wanted, total) {
        _ if !plannable => Plan::Narrow,
        Some(plan) => plan,
        None => Plan::choose(wanted, total, live_count(conn, p, login).await?),
    };
    let (filter_sql, mut binds) = live_filtered(p, login, filter, plan);
    binds.extend([Value::from(PAGE_LIMIT), Value::from(offset)]);
    let ids = rows(
        conn,
        &format!(
            "SELECT customer.id {filter_sql} ORDER BY customer.create_time DESC, \
             customer.id DESC LIMIT ? OFFSET ?"
        ),
        binds,
    )
    .await?;
    let ids: Vec<i64> = ids.iter().filter_map(|r| r.get::<i64, _>(0)).collect();
    Ok(load_records(conn, p, login, &ids).await?.len())
}

/// The export's query for `mariadb --batch`: every live customer of the tenant with what the
/// CSV shows (contact, WeChat account, form of address, tag names), newest first.
pub fn export_sql(p: &Params) -> String {
    format!(
        "SELECT {RECORD_COLUMNS}, wechat_user.nick_name, contact_nick_name.nick_name, \
         (SELECT GROUP_CONCAT(tag.name ORDER BY tag.id) FROM contact_tag INNER JOIN tag ON \
         tag.id = contact_tag.tag_id WHERE contact_tag.tenant_id = {t} AND tag.tenant_id = {t} \
         AND contact_tag.contact_id = customer.wechat_contact_id) \
         {CUSTOMER_FROM} LEFT JOIN wechat_user ON wechat_user.id = customer.wechat_user_id \
         LEFT JOIN contact_nick_name ON contact_nick_name.tenant_id = {t} AND \
         contact_nick_name.wechat_contact_id = customer.wechat_contact_id \
         WHERE customer.tenant_id = {t} AND customer.deleted_at IS NULL \
         ORDER BY customer.create_time DESC, customer.id DESC",
        t = p.tenant
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_bind_one_value_per_placeholder() {
        let p = Params::example();
        for f in [
            Filter::None,
            Filter::Name("王".into()),
            Filter::Name("諸葛亮".into()),
            Filter::PhoneDigits("1234".into()),
            Filter::Tag(5),
        ] {
            for login in [Login::Main, Login::Sub] {
                for plan in [Plan::Narrow, Plan::Walk] {
                    let (sql, binds) = live_filtered(&p, login, &f, plan);
                    assert_eq!(sql.matches('?').count(), binds.len(), "{sql}");
                }
            }
        }
        let (sql, _) = live_filtered(&p, Login::Sub, &Filter::Tag(5), Plan::Narrow);
        assert!(sql.contains("customer.admin_user_id = ?"), "{sql}");
        assert!(sql.contains("contact_tag.admin_user_id = ?"), "{sql}");
        assert!(sql.starts_with("FROM customer WHERE"), "{sql}");
        let (sql, _) = live_filtered(&p, Login::Sub, &Filter::Tag(5), Plan::Walk);
        assert!(sql.contains("contact_tag.tag_id IN (5)) > 0"), "{sql}");
        // A walk reads the names; one character of grams decides alone; three do not.
        let (sql, _) = live_filtered(&p, Login::Sub, &Filter::Name("王".into()), Plan::Walk);
        assert!(sql.starts_with(CUSTOMER_FROM), "{sql}");
        assert!(sql.contains("wechat_contact.remark_name LIKE ?"), "{sql}");
        let (sql, _) = live_filtered(&p, Login::Main, &Filter::Name("王".into()), Plan::Narrow);
        assert!(sql.starts_with("FROM customer WHERE"), "{sql}");
        assert!(sql.contains("customer_name_gram.gram LIKE ?"), "{sql}");
        let phone = Filter::PhoneDigits("5678".into());
        let (sql, _) = live_filtered(&p, Login::Main, &phone, Plan::Narrow);
        assert_eq!(
            sql.matches("customer_phone_gram.gram = ?").count(),
            2,
            "{sql}"
        );
        assert!(sql.contains("customer.phone_digits LIKE ?"), "{sql}");
        let (sql, _) = live_filtered(&p, Login::Main, &phone, Plan::Walk);
        assert!(!sql.contains("customer_phone_gram"), "{sql}");
        let (sql, _) = live_filtered(
            &p,
            Login::Main,
            &Filter::Name("諸葛亮".into()),
            Plan::Narrow,
        );
        assert!(sql.starts_with(CUSTOMER_FROM), "{sql}");
        assert_eq!(
            sql.matches("customer_name_gram.gram = ?").count(),
            2,
            "{sql}"
        );
    }
}
