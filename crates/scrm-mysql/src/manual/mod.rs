//! `ManualEntryRepository` on MySQL: call-list rows. Reads in `query`, writes in `write`, the
//! row mapping in `rows`. Entries belong to their assignee (`admin_user_id`); every method
//! but `by_phone` works on hand-entered entries (`task_id = -1`) only.

pub(crate) mod query;
mod rows;
mod write;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use scrm_domain::manual::{
    AddOutcome, AssigneeQuery, AssigneeSummary, DetailQuery, DialOutcome, DialRequest, EntryKind,
    HAND_ENTERED, ManualEntry, ManualEntryRepository, NewManualEntry, RestoreOutcome,
};
use scrm_domain::{AdminUserId, ManualEntryId, Page, PageRequest, Scope, StoreError};

use crate::schema::manual_entry;
use crate::support::{manual_scope, to_db};
use crate::{MySql, error};

/// Moves live hand-entered entries of the scope to the recycle bin: every one of `assignee`,
/// or only `id`.
async fn soft_delete(
    repo: &MySql,
    scope: &Scope,
    assignee: Option<AdminUserId>,
    id: Option<ManualEntryId>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let what = "delete manual entries";
    let mut conn = repo.conn(what).await?;
    let now = to_db(now);
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
    let n = update
        .execute(&mut conn)
        .await
        .map_err(|e| error::query(e, what))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

#[async_trait]
impl ManualEntryRepository for MySql {
    async fn assignees(
        &self,
        scope: &Scope,
        query: &AssigneeQuery,
        page: PageRequest,
    ) -> Result<Page<AssigneeSummary>, StoreError> {
        let mut conn = self.conn("manual assignees").await?;
        query::assignees(&mut conn, scope, query, page)
            .await
            .map_err(|e| error::query(e, "manual assignees"))
    }

    async fn entries(
        &self,
        scope: &Scope,
        query: &DetailQuery,
        page: PageRequest,
    ) -> Result<Page<ManualEntry>, StoreError> {
        let mut conn = self.conn("manual entries").await?;
        query::entries(&mut conn, scope, query, page)
            .await
            .map_err(|e| error::query(e, "manual entries"))
    }

    async fn delete_assignee(
        &self,
        scope: &Scope,
        assignee: AdminUserId,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        soft_delete(self, scope, Some(assignee), None, now).await
    }

    async fn delete_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(soft_delete(self, scope, None, Some(id), now).await? > 0)
    }

    async fn restore_assignee(
        &self,
        scope: &Scope,
        assignee: AdminUserId,
        now: DateTime<Utc>,
    ) -> Result<RestoreOutcome, StoreError> {
        if !write::may_see(scope, assignee) {
            return Ok(RestoreOutcome::NotFound);
        }
        let what = "restore manual entries";
        let mut conn = self.conn(what).await?;
        let now = to_db(now);
        conn.transaction(async |c| write::restore(c, scope, assignee.0, None, now).await)
            .await
            .map_err(|e| error::query(e, what))
    }

    async fn restore_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<RestoreOutcome, StoreError> {
        let what = "restore manual entry";
        let mut conn = self.conn(what).await?;
        // The assignee, read before the transaction so that its first statement is the lock.
        let assignee: Option<i64> = manual_entry::table
            .filter(manual_entry::id.eq(id.0))
            .filter(manual_scope(scope))
            .filter(manual_entry::task_id.eq(HAND_ENTERED))
            .filter(manual_entry::deleted_at.is_not_null())
            .select(manual_entry::admin_user_id)
            .first(&mut conn)
            .await
            .optional()
            .map_err(|e| error::query(e, what))?;
        let Some(assignee) = assignee else {
            return Ok(RestoreOutcome::NotFound);
        };
        let now = to_db(now);
        conn.transaction(async |c| write::restore(c, scope, assignee, Some(id.0), now).await)
            .await
            .map_err(|e| error::query(e, what))
    }

    async fn add(
        &self,
        scope: &Scope,
        entry: &NewManualEntry,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, StoreError> {
        let what = "add manual entry";
        let mut conn = self.conn(what).await?;
        let now: NaiveDateTime = to_db(now);
        conn.transaction(async |c| write::add(c, scope, entry, now).await)
            .await
            .map_err(|e| error::query(e, what))
    }

    async fn record_dial(
        &self,
        scope: &Scope,
        dial: &DialRequest,
        now: DateTime<Utc>,
    ) -> Result<DialOutcome, StoreError> {
        let what = "record dial";
        let mut conn = self.conn(what).await?;
        let now = to_db(now);
        conn.transaction(async |c| write::record_dial(c, scope, dial, now).await)
            .await
            .map_err(|e| error::query(e, what))
    }

    async fn by_phone(
        &self,
        scope: &Scope,
        digits: &str,
        kind: EntryKind,
    ) -> Result<Vec<ManualEntry>, StoreError> {
        let mut conn = self.conn("manual entries by phone").await?;
        query::by_phone(&mut conn, scope, digits, kind)
            .await
            .map_err(|e| error::query(e, "manual entries by phone"))
    }
}
