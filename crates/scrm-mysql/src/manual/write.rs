//! Writes of hand-entered entries. Every transaction that may create a live entry (add, a
//! dial, a restore) first locks the assignee's `admin_user` row (`SELECT ... FOR UPDATE`):
//! writers of one call list queue there, so the "no two live entries with one phone" check
//! and the next orderNum cannot race. The lock is the transaction's first statement, so its
//! later reads see every write committed before it was granted.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_domain::manual::{
    AddOutcome, DialOutcome, DialRequest, HAND_ENTERED, ManualEntry, NewManualEntry,
    RestoreOutcome, superseded,
};
use scrm_domain::{AdminUserId, ManualEntryId, OwnerFilter, Scope};

use super::rows::{DialChanges, ManualInsert, ManualRow, xfields_json};
use crate::rows::last_insert_id;
use crate::schema::{admin_user, manual_entry, wechat_user};
use crate::scope::{manual_scope, wechat_user_scope};

/// Locks the call list of `assignee` (its account row) until the transaction ends.
async fn lock_list(c: &mut AsyncMysqlConnection, assignee: i64) -> QueryResult<()> {
    let _: Vec<i64> = admin_user::table
        .filter(admin_user::id.eq(assignee))
        .select(admin_user::id)
        .for_update()
        .load(c)
        .await?;
    Ok(())
}

/// The first live hand-entered entry of `assignee` with these phone digits.
async fn live_with_phone(
    c: &mut AsyncMysqlConnection,
    assignee: i64,
    digits: &str,
) -> QueryResult<Option<i64>> {
    manual_entry::table
        .filter(manual_entry::admin_user_id.eq(assignee))
        .filter(manual_entry::phone_digits.eq(digits))
        .filter(manual_entry::task_id.eq(HAND_ENTERED))
        .filter(manual_entry::deleted_at.is_null())
        .select(manual_entry::id)
        .order(manual_entry::id)
        .first(c)
        .await
        .optional()
}

/// One past the largest orderNum of the assignee's hand-entered entries, live or not.
async fn next_order_num(c: &mut AsyncMysqlConnection, assignee: i64) -> QueryResult<i64> {
    let top: Option<i64> = manual_entry::table
        .filter(manual_entry::admin_user_id.eq(assignee))
        .filter(manual_entry::task_id.eq(HAND_ENTERED))
        .select(max(manual_entry::order_num))
        .get_result(c)
        .await?;
    Ok(top.unwrap_or(0).saturating_add(1))
}

/// Inserts a row and reads it back (`LAST_INSERT_ID()` on this connection).
async fn insert(c: &mut AsyncMysqlConnection, row: &ManualInsert<'_>) -> QueryResult<ManualEntry> {
    diesel::insert_into(manual_entry::table)
        .values(row)
        .execute(c)
        .await?;
    let id: u64 = diesel::select(last_insert_id()).get_result(c).await?;
    let id = i64::try_from(id).map_err(|e| DieselError::DeserializationError(Box::new(e)))?;
    read(c, id).await
}

async fn read(c: &mut AsyncMysqlConnection, id: i64) -> QueryResult<ManualEntry> {
    let row: ManualRow = manual_entry::table
        .find(id)
        .select(ManualRow::as_select())
        .first(c)
        .await?;
    Ok(row.into())
}

pub(super) async fn add(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    e: &NewManualEntry,
    now: NaiveDateTime,
) -> QueryResult<AddOutcome> {
    let me = scope.account.0;
    lock_list(c, me).await?;
    if let Some(id) = live_with_phone(c, me, &e.phone_digits).await? {
        return Ok(AddOutcome::DuplicatePhone(ManualEntryId(id)));
    }
    let row = ManualInsert {
        customer_name: Some(&e.customer_name),
        customer_phone: Some(&e.customer_phone),
        phone_digits: Some(&e.phone_digits),
        address: e.address.as_deref(),
        company: e.company.as_deref(),
        nick_name: e.nick_name.as_deref(),
        user_name: e.user_name.as_deref(),
        phone_geo: Some(&e.phone_geo),
        tags: e.tags.as_deref(),
        remarks: e.remarks.as_deref(),
        v1: e.v1.as_deref(),
        xfields: xfields_json(&e.xfields),
        ..ManualInsert::hand_entered(scope, next_order_num(c, me).await?, now)
    };
    Ok(AddOutcome::Added(Box::new(insert(c, &row).await?)))
}

pub(super) async fn record_dial(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    dial: &DialRequest,
    now: NaiveDateTime,
) -> QueryResult<DialOutcome> {
    let me = scope.account.0;
    lock_list(c, me).await?;
    let account: Option<i64> = wechat_user::table
        .filter(wechat_user_scope(scope))
        .filter(wechat_user::uin.eq(&dial.uin))
        .select(wechat_user::id)
        .first(c)
        .await
        .optional()?;
    if account.is_none() {
        return Ok(DialOutcome::UnknownWechatAccount);
    }
    if let Some(id) = live_with_phone(c, me, &dial.phone_digits).await? {
        diesel::update(manual_entry::table.find(id))
            .set(&DialChanges {
                dial_status: 1,
                user_name: &dial.user_name,
                uin: &dial.uin,
                v1: dial.v1.as_deref(),
                last_update_time: now,
            })
            .execute(c)
            .await?;
        return Ok(DialOutcome::Saved(Box::new(read(c, id).await?)));
    }
    let row = ManualInsert {
        customer_name: Some(""),
        customer_phone: Some(&dial.customer_phone),
        phone_digits: Some(&dial.phone_digits),
        user_name: Some(&dial.user_name),
        uin: Some(&dial.uin),
        phone_geo: Some(""),
        v1: dial.v1.as_deref(),
        dial_status: 1,
        ..ManualInsert::hand_entered(scope, next_order_num(c, me).await?, now)
    };
    Ok(DialOutcome::Saved(Box::new(insert(c, &row).await?)))
}

/// Moves live hand-entered entries of the scope to the recycle bin: every one of `assignee`,
/// or only `id`; how many moved.
pub(super) async fn soft_delete(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    assignee: Option<AdminUserId>,
    id: Option<ManualEntryId>,
    now: NaiveDateTime,
) -> QueryResult<u64> {
    let mut update = diesel::update(manual_entry::table)
        .set((
            manual_entry::deleted_at.eq(Some(now)),
            manual_entry::last_update_time.eq(now),
        ))
        .filter(manual_scope(scope))
        .filter(manual_entry::task_id.eq(HAND_ENTERED))
        .filter(manual_entry::deleted_at.is_null())
        .into_boxed();
    if let Some(a) = assignee {
        update = update.filter(manual_entry::admin_user_id.eq(a.0));
    }
    if let Some(id) = id {
        update = update.filter(manual_entry::id.eq(id.0));
    }
    let n = update.execute(c).await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Restores the deleted hand-entered entry `id` of the scope (see [`restore`]).
pub(super) async fn restore_entry(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    id: ManualEntryId,
    now: NaiveDateTime,
) -> QueryResult<RestoreOutcome> {
    // The assignee, read before the transaction so that its first statement is the lock.
    let assignee: Option<i64> = manual_entry::table
        .filter(manual_entry::id.eq(id.0))
        .filter(manual_scope(scope))
        .filter(manual_entry::task_id.eq(HAND_ENTERED))
        .filter(manual_entry::deleted_at.is_not_null())
        .select(manual_entry::admin_user_id)
        .first(c)
        .await
        .optional()?;
    let Some(assignee) = assignee else {
        return Ok(RestoreOutcome::NotFound);
    };
    c.transaction(async |c| restore(c, scope, assignee, Some(id.0), now).await)
        .await
}

/// Whether the scope can hold entries of `assignee` at all.
pub(super) fn may_see(scope: &Scope, assignee: AdminUserId) -> bool {
    match scope.owner_filter() {
        OwnerFilter::Tenant(_) => true,
        OwnerFilter::Account(a) => a == assignee,
    }
}

/// The assignee's binned hand-entered entries of the scope that have phone digits.
fn binned_with_phone(
    scope: &Scope,
    assignee: i64,
) -> Box<
    dyn BoxableExpression<
            manual_entry::table,
            diesel::mysql::Mysql,
            SqlType = diesel::sql_types::Bool,
        >,
> {
    Box::new(
        manual_scope(scope)
            .and(manual_entry::admin_user_id.eq(assignee))
            .and(manual_entry::task_id.eq(HAND_ENTERED))
            .and(manual_entry::deleted_at.is_not_null())
            // NULL digits compare to NULL, which no filter takes.
            .and(manual_entry::phone_digits.assume_not_null().ne("")),
    )
}

/// The binned entries a restore of the whole list leaves in the bin: two restored entries
/// with one phone would be live together, so of those sharing a phone only the one deleted
/// last comes back (`scrm_domain::manual::superseded`). Read only for the phones that are
/// shared: a few rows however long the list.
async fn superseded_in_bin(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    assignee: i64,
) -> QueryResult<Vec<ManualEntryId>> {
    let shared: Vec<Option<String>> = manual_entry::table
        .filter(binned_with_phone(scope, assignee))
        .group_by(manual_entry::phone_digits)
        .having(count_star().gt(1))
        .select(manual_entry::phone_digits)
        .load(c)
        .await?;
    if shared.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, Option<String>, Option<NaiveDateTime>)> = manual_entry::table
        .filter(binned_with_phone(scope, assignee))
        .filter(manual_entry::phone_digits.eq_any(shared.into_iter().flatten()))
        .select((
            manual_entry::id,
            manual_entry::phone_digits,
            manual_entry::deleted_at,
        ))
        .load(c)
        .await?;
    Ok(superseded(
        rows.into_iter()
            .map(|(id, digits, at)| (ManualEntryId(id), digits.unwrap_or_default(), at))
            .collect(),
    ))
}

/// Restores the assignee's deleted hand-entered entries of the scope (all of them but those
/// another binned entry of the same phone supersedes, `scrm_domain::manual::superseded`; or
/// only `only`), unless a restored phone is on the live list.
pub(super) async fn restore(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    assignee: i64,
    only: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<RestoreOutcome> {
    lock_list(c, assignee).await?;
    let mut phones = manual_entry::table
        .into_boxed()
        .filter(binned_with_phone(scope, assignee))
        .select(manual_entry::phone_digits);
    if let Some(id) = only {
        phones = phones.filter(manual_entry::id.eq(id));
    }
    let live: Option<i64> = manual_entry::table
        .filter(manual_entry::admin_user_id.eq(assignee))
        .filter(manual_entry::task_id.eq(HAND_ENTERED))
        .filter(manual_entry::deleted_at.is_null())
        .filter(manual_entry::phone_digits.eq_any(phones))
        .select(manual_entry::id)
        .order(manual_entry::id)
        .first(c)
        .await
        .optional()?;
    if let Some(id) = live {
        return Ok(RestoreOutcome::DuplicatePhone(ManualEntryId(id)));
    }
    let stay = match only {
        Some(_) => Vec::new(),
        None => superseded_in_bin(c, scope, assignee).await?,
    };
    let mut update = diesel::update(manual_entry::table)
        .set((
            manual_entry::deleted_at.eq(None::<NaiveDateTime>),
            manual_entry::last_update_time.eq(now),
        ))
        .filter(manual_scope(scope))
        .filter(manual_entry::admin_user_id.eq(assignee))
        .filter(manual_entry::task_id.eq(HAND_ENTERED))
        .filter(manual_entry::deleted_at.is_not_null())
        .into_boxed();
    if let Some(id) = only {
        update = update.filter(manual_entry::id.eq(id));
    }
    if !stay.is_empty() {
        update = update.filter(manual_entry::id.ne_all(stay.into_iter().map(|id| id.0)));
    }
    let restored = update.execute(c).await?;
    Ok(match restored {
        0 => RestoreOutcome::NotFound,
        n => RestoreOutcome::Restored(u64::try_from(n).unwrap_or(0)),
    })
}
