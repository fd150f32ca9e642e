//! `ManualEntryRepository` on MySQL: call-list rows. Reads in `query`, writes in `write`, the
//! row mapping in `rows`. Entries belong to their assignee (`admin_user_id`); every method
//! works on hand-entered entries (`task_id = -1`) only (`query::by_phone`, for the call
//! pop-up, reads pool entries too).

pub(crate) mod indexed;
pub(crate) mod query;
pub(crate) mod rows;
mod write;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use scrm_domain::manual::{
    AddOutcome, AssigneeAccount, AssigneeQuery, AssigneeSummary, DetailQuery, DialOutcome,
    DialRequest, ManualEntry, ManualEntryRepository, NewManualEntry, RestoreOutcome,
};
use scrm_domain::{AdminUserId, ManualEntryId, Page, PageRequest, Scope, StoreError};

use crate::MySql;
use crate::db_time::to_db;

#[async_trait]
impl ManualEntryRepository for MySql {
    async fn assignees(
        &self,
        scope: &Scope,
        query: &AssigneeQuery,
        page: PageRequest,
    ) -> Result<Page<AssigneeSummary>, StoreError> {
        self.read("manual assignees", async |c| {
            query::assignees(c, scope, query, page).await
        })
        .await
    }

    async fn entries(
        &self,
        scope: &Scope,
        query: &DetailQuery,
        page: PageRequest,
    ) -> Result<Page<ManualEntry>, StoreError> {
        self.read("manual entries", async |c| {
            query::entries(c, scope, query, page).await
        })
        .await
    }

    async fn assignee_accounts(
        &self,
        ids: &[AdminUserId],
    ) -> Result<Vec<AssigneeAccount>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.read("manual assignee accounts", async |c| {
            query::accounts(c, ids).await
        })
        .await
    }

    async fn entry_rows(
        &self,
        scope: &Scope,
        query: &DetailQuery,
        page: PageRequest,
    ) -> Result<Vec<ManualEntry>, StoreError> {
        self.read("manual entry rows", async |c| {
            query::entry_rows(c, scope, query, page).await
        })
        .await
    }

    async fn delete_assignee(
        &self,
        scope: &Scope,
        assignee: AdminUserId,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let now = to_db(now);
        self.write("delete manual entries", async |c| {
            write::soft_delete(c, scope, Some(assignee), None, now).await
        })
        .await
    }

    async fn delete_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let now = to_db(now);
        let deleted = self
            .write("delete manual entry", async |c| {
                write::soft_delete(c, scope, None, Some(id), now).await
            })
            .await?;
        Ok(deleted > 0)
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
        let now = to_db(now);
        self.write("restore manual entries", async |c| {
            c.transaction(async |c| write::restore(c, scope, assignee.0, None, now).await)
                .await
        })
        .await
    }

    async fn restore_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<RestoreOutcome, StoreError> {
        let now = to_db(now);
        self.write("restore manual entry", async |c| {
            write::restore_entry(c, scope, id, now).await
        })
        .await
    }

    async fn add(
        &self,
        scope: &Scope,
        entry: &NewManualEntry,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, StoreError> {
        let now = to_db(now);
        self.write("add manual entry", async |c| {
            c.transaction(async |c| write::add(c, scope, entry, now).await)
                .await
        })
        .await
    }

    async fn record_dial(
        &self,
        scope: &Scope,
        dial: &DialRequest,
        now: DateTime<Utc>,
    ) -> Result<DialOutcome, StoreError> {
        let now = to_db(now);
        self.write("record dial", async |c| {
            c.transaction(async |c| write::record_dial(c, scope, dial, now).await)
                .await
        })
        .await
    }
}
