//! `ManualEntryRepository` in memory: call-list rows. Reads in `query`, writes in `write`.
//! Entries belong to their assignee (`admin_user_id`); every method works on hand-entered
//! entries (`task_id = -1`) only (`query::by_phone`, for the call pop-up, reads pool entries
//! too).

pub(crate) mod query;
mod write;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scrm_domain::manual::{
    AddOutcome, AssigneeAccount, AssigneeQuery, AssigneeSummary, DetailQuery, DialOutcome,
    DialRequest, HAND_ENTERED, ManualEntry, ManualEntryRepository, NewManualEntry, RestoreOutcome,
};
use scrm_domain::{AdminUserId, ManualEntryId, Page, PageRequest, Scope, StoreError};

use crate::Memory;

/// Whether an entry is in the scope.
fn in_scope(scope: &Scope, e: &ManualEntry) -> bool {
    scope.sees(e.tenant_id, e.admin_user_id)
}

#[async_trait]
impl ManualEntryRepository for Memory {
    async fn assignees(
        &self,
        scope: &Scope,
        query: &AssigneeQuery,
        page: PageRequest,
    ) -> Result<Page<AssigneeSummary>, StoreError> {
        Ok(query::assignees(&*self.read()?, scope, query, page))
    }

    async fn entries(
        &self,
        scope: &Scope,
        query: &DetailQuery,
        page: PageRequest,
    ) -> Result<Page<ManualEntry>, StoreError> {
        Ok(query::entries(&*self.read()?, scope, query, page))
    }

    async fn assignee_accounts(
        &self,
        ids: &[AdminUserId],
    ) -> Result<Vec<AssigneeAccount>, StoreError> {
        Ok(query::accounts(&*self.read()?, ids))
    }

    async fn entry_rows(
        &self,
        scope: &Scope,
        query: &DetailQuery,
        page: PageRequest,
    ) -> Result<Vec<ManualEntry>, StoreError> {
        Ok(query::entries(&*self.read()?, scope, query, page).items)
    }

    async fn delete_assignee(
        &self,
        scope: &Scope,
        assignee: AdminUserId,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(write::soft_delete(
            &mut *self.write()?,
            scope,
            Some(assignee),
            None,
            now,
        ))
    }

    async fn delete_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(write::soft_delete(&mut *self.write()?, scope, None, Some(id), now) > 0)
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
        Ok(write::restore(
            &mut *self.write()?,
            scope,
            assignee,
            None,
            now,
        ))
    }

    async fn restore_entry(
        &self,
        scope: &Scope,
        id: ManualEntryId,
        now: DateTime<Utc>,
    ) -> Result<RestoreOutcome, StoreError> {
        let mut t = self.write()?;
        let assignee = t
            .manual
            .get(&id.0)
            .filter(|s| !s.live() && in_scope(scope, &s.entry))
            .filter(|s| s.entry.task_id == HAND_ENTERED)
            .map(|s| s.entry.admin_user_id);
        Ok(match assignee {
            Some(assignee) => write::restore(&mut t, scope, assignee, Some(id), now),
            None => RestoreOutcome::NotFound,
        })
    }

    async fn add(
        &self,
        scope: &Scope,
        entry: &NewManualEntry,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, StoreError> {
        Ok(write::add(&mut *self.write()?, scope, entry, now))
    }

    async fn record_dial(
        &self,
        scope: &Scope,
        dial: &DialRequest,
        now: DateTime<Utc>,
    ) -> Result<DialOutcome, StoreError> {
        Ok(write::record_dial(&mut *self.write()?, scope, dial, now))
    }
}
