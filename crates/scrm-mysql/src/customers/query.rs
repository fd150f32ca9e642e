//! Customer lists: one filter function shared by every page query and its count, deferred
//! joins (the page's ids first, then its rows) and keyset batches for exports.

use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::customer::{CustomerFilter, CustomerRecord, ExportCursor};
use scrm_domain::{CustomerId, Page, PageRequest, Scope};

use super::records::load_records;
use crate::schema::{contact_tag, customer, wechat_contact};
use crate::support::{
    IN_CHUNK, LIKE_ESCAPE, contact_tag_scope, contains, customer_scope, to_db, unique,
};

type Source = diesel::dsl::InnerJoin<customer::table, wechat_contact::table>;
type Filtered<'a> = diesel::dsl::IntoBoxed<'a, Source, Mysql>;

fn given(value: Option<&String>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(|v| contains(v))
}

/// Live customers of the scope (joined to their contact) matching the filter.
fn live_filtered<'a>(scope: &Scope, f: &CustomerFilter) -> Filtered<'a> {
    let mut q = customer::table
        .inner_join(wechat_contact::table)
        .into_boxed::<Mysql>()
        .filter(customer_scope(scope))
        .filter(customer::deleted_at.is_null());
    if let Some(p) = given(f.name.as_ref()) {
        q = q.filter(
            customer::customer_name
                .like(p.clone())
                .escape(LIKE_ESCAPE)
                .or(wechat_contact::nick_name
                    .like(p.clone())
                    .escape(LIKE_ESCAPE))
                .or(wechat_contact::remark_name.like(p).escape(LIKE_ESCAPE)),
        );
    }
    if let Some(p) = given(f.phone_digits.as_ref()) {
        q = q.filter(customer::phone_digits.like(p).escape(LIKE_ESCAPE));
    }
    if !f.tag_ids.is_empty() {
        let tags = unique(f.tag_ids.iter().map(|t| t.0));
        let tagged = contact_tag::table
            .filter(contact_tag_scope(scope))
            .filter(contact_tag::tag_id.eq_any(tags))
            .select(contact_tag::contact_id);
        q = q.filter(customer::wechat_contact_id.eq_any(tagged));
    }
    if let Some(b) = f.begin {
        q = q.filter(customer::create_time.ge(to_db(b)));
    }
    if let Some(e) = f.end {
        q = q.filter(customer::create_time.le(to_db(e)));
    }
    if let Some(p) = given(f.remarks.as_ref()) {
        q = q.filter(customer::remarks.like(p).escape(LIKE_ESCAPE));
    }
    if let Some(p) = given(f.remark_name.as_ref()) {
        q = q.filter(wechat_contact::remark_name.like(p).escape(LIKE_ESCAPE));
    }
    if let Some(w) = f.wechat_user_id {
        q = q.filter(customer::wechat_user_id.eq(w.0));
    }
    q
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

pub(super) async fn page(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    filter: &CustomerFilter,
    page: PageRequest,
) -> QueryResult<Page<CustomerRecord>> {
    let total = to_u64(
        live_filtered(scope, filter)
            .count()
            .get_result(conn)
            .await?,
    );
    if page.offset() >= total {
        return Ok(Page {
            items: Vec::new(),
            total,
        });
    }
    let ids: Vec<i64> = live_filtered(scope, filter)
        .select(customer::id)
        .order((customer::create_time.desc(), customer::id.desc()))
        .limit(i64::from(page.limit()))
        .offset(to_i64(page.offset()))
        .load(conn)
        .await?;
    let items = load_records(conn, scope, &ids).await?;
    Ok(Page { items, total })
}

pub(super) async fn export_batch(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    filter: &CustomerFilter,
    after: Option<ExportCursor>,
    batch: u32,
) -> QueryResult<Vec<CustomerRecord>> {
    let mut q = live_filtered(scope, filter);
    if let Some(c) = after {
        let t = to_db(c.create_time);
        q = q.filter(
            customer::create_time
                .lt(t)
                .or(customer::create_time.eq(t).and(customer::id.lt(c.id.0))),
        );
    }
    let ids: Vec<i64> = q
        .select(customer::id)
        .order((customer::create_time.desc(), customer::id.desc()))
        .limit(i64::from(batch))
        .load(conn)
        .await?;
    load_records(conn, scope, &ids).await
}

pub(super) async fn recycle_bin(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    page: PageRequest,
) -> QueryResult<Page<CustomerRecord>> {
    let binned = || {
        customer::table
            .into_boxed::<Mysql>()
            .filter(customer_scope(scope))
            .filter(customer::deleted_at.is_not_null())
    };
    let total = to_u64(binned().count().get_result(conn).await?);
    if page.offset() >= total {
        return Ok(Page {
            items: Vec::new(),
            total,
        });
    }
    let ids: Vec<i64> = binned()
        .select(customer::id)
        .order((customer::deleted_at.desc(), customer::id.desc()))
        .limit(i64::from(page.limit()))
        .offset(to_i64(page.offset()))
        .load(conn)
        .await?;
    let items = load_records(conn, scope, &ids).await?;
    Ok(Page { items, total })
}

pub(super) async fn find(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    id: CustomerId,
) -> QueryResult<Option<CustomerRecord>> {
    let ids: Vec<i64> = live_filtered(scope, &CustomerFilter::default())
        .filter(customer::id.eq(id.0))
        .select(customer::id)
        .load(conn)
        .await?;
    Ok(load_records(conn, scope, &ids).await?.into_iter().next())
}

/// Live customers of the scope whose phone digits equal `digits`, newest first. The lookup is
/// an index ref: `idx_customer_tenant_phone` for a main account, `idx_customer_admin_phone`
/// for a sub-account.
pub(super) async fn by_phone(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    digits: &str,
) -> QueryResult<Vec<CustomerRecord>> {
    let ids: Vec<i64> = customer::table
        .filter(customer_scope(scope))
        .filter(customer::phone_digits.eq(digits))
        .filter(customer::deleted_at.is_null())
        .select(customer::id)
        .order((customer::create_time.desc(), customer::id.desc()))
        .load(conn)
        .await?;
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        out.extend(load_records(conn, scope, chunk).await?);
    }
    Ok(out)
}
