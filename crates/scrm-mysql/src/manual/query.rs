//! Reads of manual entries: the assignees of a scope with their totals (one grouped query and
//! one count), one assignee's entries (filtered, paged), the accounts and the page without
//! its count (when an index gave the totals or the count) and the call pop-up's lookup by
//! phone.

use diesel::dsl::{case_when, count, count_star, max};
use diesel::expression::BoxableExpression;
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::manual::{
    AssigneeAccount, AssigneeQuery, AssigneeSummary, DetailQuery, HAND_ENTERED, ManualEntry,
};
use scrm_domain::{AdminUserId, DepartmentId, Page, PageRequest, Scope};

use super::rows::ManualRow;
use crate::expr::ids_in;
use crate::id_lists::{IN_CHUNK, unique};
use crate::like::{contains, text_contains};
use crate::schema::{admin_user, manual_entry};
use crate::scope::manual_scope;

type OnAccount = diesel::dsl::Eq<admin_user::id, manual_entry::admin_user_id>;
/// `manual_entry LEFT JOIN admin_user ON admin_user.id = manual_entry.admin_user_id`.
type WithAccount =
    diesel::dsl::LeftJoinQuerySource<manual_entry::table, admin_user::table, OnAccount>;
/// A filter on `WithAccount` built at run time.
type Predicate<'a> = Box<dyn BoxableExpression<WithAccount, Mysql, SqlType = Bool> + 'a>;

fn with_account() -> diesel::dsl::LeftJoinOn<manual_entry::table, admin_user::table, OnAccount> {
    manual_entry::table
        .left_join(admin_user::table.on(admin_user::id.eq(manual_entry::admin_user_id)))
}

/// The rows getManualTaskList counts: live hand-entered entries of the scope, of the chosen
/// assignee and department.
fn assignee_rows<'a>(scope: &Scope, query: &AssigneeQuery) -> Predicate<'a> {
    let mut p: Predicate<'a> = Box::new(
        manual_scope(scope)
            .and(manual_entry::task_id.eq(HAND_ENTERED))
            .and(manual_entry::deleted_at.is_null()),
    );
    if let Some(a) = query.admin_user_id {
        p = Box::new(p.and(manual_entry::admin_user_id.eq(a.0)));
    }
    if let Some(d) = query.depart_id {
        // A right-hand column of a LEFT JOIN is nullable; NULL (no account) fails the filter.
        let of_department = admin_user::depart_id.nullable().eq(d.0).assume_not_null();
        p = Box::new(p.and(of_department));
    }
    p
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// An assignee's totals, one row of the grouped query.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = manual_entry, check_for_backend(Mysql))]
struct SummaryRow {
    admin_user_id: i64,
    #[diesel(
        select_expression = max(admin_user::real_name.nullable()),
        select_expression_type =
            diesel::helper_types::max<diesel::helper_types::Nullable<admin_user::real_name>>
    )]
    real_name: Option<String>,
    #[diesel(select_expression = count_star())]
    entries: i64,
    #[diesel(select_expression =
        count(case_when(manual_entry::dial_status.eq(1_i32), manual_entry::id)))]
    dialled: i64,
    #[diesel(select_expression =
        count(case_when(manual_entry::add_status.ge(1_i32), manual_entry::id)))]
    friend_requests_sent: i64,
    #[diesel(select_expression =
        count(case_when(manual_entry::add_status.eq(2_i32), manual_entry::id)))]
    added: i64,
}

impl From<SummaryRow> for AssigneeSummary {
    fn from(r: SummaryRow) -> Self {
        Self {
            admin_user_id: AdminUserId(r.admin_user_id),
            real_name: r.real_name,
            entries: to_u64(r.entries),
            dialled: to_u64(r.dialled),
            friend_requests_sent: to_u64(r.friend_requests_sent),
            added: to_u64(r.added),
        }
    }
}

pub(super) async fn assignees(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    query: &AssigneeQuery,
    page: PageRequest,
) -> QueryResult<Page<AssigneeSummary>> {
    let total: i64 = with_account()
        .filter(assignee_rows(scope, query))
        .select(count(manual_entry::admin_user_id).aggregate_distinct())
        .get_result(conn)
        .await?;
    let total = to_u64(total);
    if page.offset() >= total {
        return Ok(Page {
            items: Vec::new(),
            total,
        });
    }
    let rows: Vec<SummaryRow> = with_account()
        .filter(assignee_rows(scope, query))
        .group_by(manual_entry::admin_user_id)
        .select(SummaryRow::as_select())
        .order(manual_entry::admin_user_id)
        .limit(i64::from(page.limit()))
        .offset(to_i64(page.offset()))
        .load(conn)
        .await?;
    let items = rows.into_iter().map(AssigneeSummary::from).collect();
    Ok(Page { items, total })
}

fn given(value: Option<&String>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(|v| contains(v))
}

/// Live hand-entered entries of the scope matching getManualTaskDetail's filters.
fn detail_rows<'a>(
    scope: &Scope,
    q: &DetailQuery,
) -> diesel::dsl::IntoBoxed<'a, manual_entry::table, Mysql> {
    let mut b = manual_entry::table
        .into_boxed::<Mysql>()
        .filter(manual_scope(scope))
        .filter(manual_entry::admin_user_id.eq(q.admin_user_id.0))
        .filter(manual_entry::task_id.eq(HAND_ENTERED))
        .filter(manual_entry::deleted_at.is_null());
    if let Some(p) = given(q.company.as_ref()) {
        b = b.filter(text_contains(manual_entry::company, p));
    }
    if let Some(p) = given(q.customer_name.as_ref()) {
        b = b.filter(text_contains(manual_entry::customer_name, p));
    }
    if let Some(p) = given(q.user_name.as_ref()) {
        b = b.filter(text_contains(manual_entry::user_name, p));
    }
    if let Some(s) = q.dial_status {
        b = b.filter(manual_entry::dial_status.eq(s));
    }
    if let Some(s) = q.add_status {
        b = b.filter(manual_entry::add_status.eq(s));
    }
    b
}

pub(super) async fn entries(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    query: &DetailQuery,
    page: PageRequest,
) -> QueryResult<Page<ManualEntry>> {
    let total = to_u64(detail_rows(scope, query).count().get_result(conn).await?);
    if page.offset() >= total {
        return Ok(Page {
            items: Vec::new(),
            total,
        });
    }
    Ok(Page {
        items: entry_rows(conn, scope, query, page).await?,
        total,
    })
}

/// One page of getManualTaskDetail's rows, without the count.
pub(super) async fn entry_rows(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    query: &DetailQuery,
    page: PageRequest,
) -> QueryResult<Vec<ManualEntry>> {
    let rows: Vec<ManualRow> = detail_rows(scope, query)
        .select(ManualRow::as_select())
        .order((manual_entry::order_num.asc(), manual_entry::id.asc()))
        .limit(i64::from(page.limit()))
        .offset(to_i64(page.offset()))
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(ManualEntry::from).collect())
}

/// The accounts with these ids, by id (getManualTaskList's names and departments when an
/// index gave the totals; like the grouped query's LEFT JOIN, of any tenant).
pub(super) async fn accounts(
    conn: &mut AsyncMysqlConnection,
    ids: &[AdminUserId],
) -> QueryResult<Vec<AssigneeAccount>> {
    let ids = unique(ids.iter().map(|a| a.0));
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let rows: Vec<(i64, Option<String>, Option<i64>)> = admin_user::table
            .filter(ids_in(admin_user::id, chunk))
            .select((admin_user::id, admin_user::real_name, admin_user::depart_id))
            .order(admin_user::id)
            .load(conn)
            .await?;
        out.extend(rows.into_iter().map(|(id, name, depart)| AssigneeAccount {
            admin_user_id: AdminUserId(id),
            real_name: name,
            depart_id: depart.map(DepartmentId),
        }));
    }
    Ok(out)
}

/// The call pop-up's entries: the live entries of both kinds (pool and hand-entered) with
/// these phone digits assigned to the caller, by id, in one statement.
pub(crate) async fn by_phone(
    conn: &mut AsyncMysqlConnection,
    scope: &Scope,
    digits: &str,
) -> QueryResult<Vec<ManualEntry>> {
    // Assigned to the caller themselves (not the scope's sub-accounts), within its tenant.
    let rows: Vec<ManualRow> = manual_entry::table
        .filter(manual_entry::admin_user_id.eq(scope.account.0))
        .filter(manual_entry::tenant_id.eq(scope.tenant.0))
        .filter(manual_entry::phone_digits.eq(digits))
        .filter(manual_entry::deleted_at.is_null())
        .filter(
            manual_entry::task_id
                .gt(0)
                .or(manual_entry::task_id.eq(HAND_ENTERED)),
        )
        .select(ManualRow::as_select())
        .order(manual_entry::id)
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(ManualEntry::from).collect())
}
