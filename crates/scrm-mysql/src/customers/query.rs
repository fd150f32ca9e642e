//! Customer lists: one filtered list (`filtered_list`) shared by every page query and its count,
//! deferred joins (the page's ids first, then its rows) and keyset batches for exports. A
//! list without a filter reads its count from `customer_count` (`counts`) instead of counting
//! rows.

use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::customer::{BinFilter, CustomerFilter, CustomerRecord, ExportCursor};
use scrm_domain::{CustomerId, Page, PageRequest, Scope};

use super::counts::{self, Counted};
use super::filtered_list::{FilteredList, Plan, Select, plannable, unfiltered};
use super::records::{Which, load};
use crate::schema::customer;
use crate::scope::customer_scope;

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
    let total = if unfiltered(filter) {
        counts::read(conn, scope, Counted::Live).await?
    } else {
        to_u64(
            FilteredList::of(scope, filter, Plan::Narrow)
                .count(conn)
                .await?,
        )
    };
    if page.offset() >= total {
        return Ok(Page {
            items: Vec::new(),
            total,
        });
    }
    let sel = Select {
        after: None,
        only: None,
        limit: i64::from(page.limit()),
        offset: to_i64(page.offset()),
    };
    let wanted = page.offset() + u64::from(page.limit());
    let plan = match Plan::by_count(wanted, total) {
        _ if !plannable(filter) => Plan::Narrow,
        Some(plan) => plan,
        None => Plan::choose(
            wanted,
            total,
            counts::read(conn, scope, Counted::Live).await?,
        ),
    };
    let ids = FilteredList::of(scope, filter, plan)
        .ids(conn, &sel)
        .await?;
    let items = load(conn, scope, Which::Ids(&ids)).await?;
    Ok(Page { items, total })
}

pub(super) async fn export_batch(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    filter: &CustomerFilter,
    after: Option<ExportCursor>,
    batch: u32,
) -> QueryResult<Vec<CustomerRecord>> {
    let sel = Select {
        after,
        only: None,
        limit: i64::from(batch),
        offset: 0,
    };
    let plan = if plannable(filter) {
        export_plan(conn, scope, filter, batch).await?
    } else {
        Plan::Narrow
    };
    let ids = FilteredList::of(scope, filter, plan)
        .ids(conn, &sel)
        .await?;
    load(conn, scope, Which::Ids(&ids)).await
}

/// The plan of an export batch, which has no count to go by: the matches are counted only up
/// to the point where walking becomes the cheaper plan ([`Plan::choose`] for one batch), so
/// a popular filter costs no more than a batch to decide.
async fn export_plan(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    filter: &CustomerFilter,
    batch: u32,
) -> QueryResult<Plan> {
    let live = counts::read(conn, scope, Counted::Live).await?;
    let wanted = u64::from(batch);
    // The least `matches` for which a walk is cheaper: matches^2 > wanted * live.
    let cap = (wanted.saturating_mul(live)).isqrt().saturating_add(1);
    let matches = FilteredList::of(scope, filter, Plan::Narrow)
        .count_upto(conn, to_i64(cap))
        .await?;
    Ok(Plan::choose(wanted, to_u64(matches), live))
}

pub(super) async fn recycle_bin(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    filter: &BinFilter,
    page: PageRequest,
) -> QueryResult<Page<CustomerRecord>> {
    if *filter != BinFilter::default() {
        return filtered_bin(conn, scope, filter, page).await;
    }
    let binned = || {
        customer::table
            .into_boxed::<Mysql>()
            .filter(customer_scope(scope))
            .filter(customer::deleted_at.is_not_null())
    };
    let total = counts::read(conn, scope, Counted::Binned).await?;
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
    let items = load(conn, scope, Which::Ids(&ids)).await?;
    Ok(Page { items, total })
}

/// A page of the recycle bin matching `q` or the tags, counted (no stored count applies).
async fn filtered_bin(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    filter: &BinFilter,
    page: PageRequest,
) -> QueryResult<Page<CustomerRecord>> {
    let total = to_u64(FilteredList::binned(scope, filter).count(conn).await?);
    if page.offset() >= total {
        return Ok(Page {
            items: Vec::new(),
            total,
        });
    }
    let FilteredList::Joined(q) = FilteredList::binned(scope, filter) else {
        return Ok(Page {
            items: Vec::new(),
            total,
        });
    };
    let ids: Vec<i64> = q
        .select(customer::id)
        .order((customer::deleted_at.desc(), customer::id.desc()))
        .limit(i64::from(page.limit()))
        .offset(to_i64(page.offset()))
        .load(conn)
        .await?;
    let items = load(conn, scope, Which::Ids(&ids)).await?;
    Ok(Page { items, total })
}

pub(super) async fn find(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    id: CustomerId,
) -> QueryResult<Option<CustomerRecord>> {
    let sel = Select {
        after: None,
        only: Some(id),
        limit: 1,
        offset: 0,
    };
    let ids = FilteredList::of(scope, &CustomerFilter::default(), Plan::Narrow)
        .ids(conn, &sel)
        .await?;
    Ok(load(conn, scope, Which::Ids(&ids))
        .await?
        .into_iter()
        .next())
}

/// Live customers of the scope whose phone digits equal `digits`, newest first, in one
/// statement. The lookup is an index ref: `idx_customer_tenant_live_phone` for a main account,
/// `idx_customer_admin_phone` for a sub-account.
pub(crate) async fn by_phone(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    digits: &str,
) -> QueryResult<Vec<CustomerRecord>> {
    load(conn, scope, Which::Phone(digits)).await
}
