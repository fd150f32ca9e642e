//! `CustomerRepository` in memory: lists (page, export, recycle bin, by phone) over the filter
//! and records of `query`, writes in `save`, soft delete and restore here.

mod query;
mod save;

use std::cmp::Reverse;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scrm_domain::customer::{
    BinFilter, CustomerFilter, CustomerPatch, CustomerRecord, CustomerRepository, ExportCursor,
    SaveOutcome, SaveTarget,
};
use scrm_domain::{CustomerId, Page, PageRequest, Scope, StoreError};

use crate::Memory;
use crate::state::{Tables, to_db};
use query::{Matcher, in_scope, live_filtered, record, records_page};

#[async_trait]
impl CustomerRepository for Memory {
    async fn page(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError> {
        let t = self.read()?;
        let rows = live_filtered(&t, scope, &Matcher::new(filter));
        Ok(records_page(&t, scope, rows, page))
    }

    async fn export_batch(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        after: Option<ExportCursor>,
        batch: u32,
    ) -> Result<Vec<CustomerRecord>, StoreError> {
        let t = self.read()?;
        let after = after.map(|c| (to_db(c.create_time), c.id.0));
        let batch = usize::try_from(batch).unwrap_or(usize::MAX);
        Ok(live_filtered(&t, scope, &Matcher::new(filter))
            .into_iter()
            .filter(|c| {
                after.is_none_or(|(time, id)| {
                    c.row.create_time < time || (c.row.create_time == time && c.row.id < id)
                })
            })
            .take(batch)
            .filter_map(|c| record(&t, scope, c))
            .collect())
    }

    async fn recycle_bin(
        &self,
        scope: &Scope,
        filter: &BinFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError> {
        let t = self.read()?;
        // Without a filter the bin counts every binned customer (as MySQL's `customer_count`).
        let unfiltered = *filter == BinFilter::default();
        let m = Matcher::bin(filter);
        let mut rows: Vec<_> = t
            .customers
            .values()
            .filter(|c| !c.live() && in_scope(scope, c))
            .filter(|c| {
                unfiltered
                    || t.contacts
                        .get(&c.row.wechat_contact_id)
                        .is_some_and(|contact| m.matches(scope, c, contact))
            })
            .collect();
        rows.sort_by_key(|c| (Reverse(c.deleted_at), Reverse(c.row.id)));
        Ok(records_page(&t, scope, rows, page))
    }

    async fn by_ids(
        &self,
        scope: &Scope,
        ids: &[CustomerId],
    ) -> Result<Vec<CustomerRecord>, StoreError> {
        let t = self.read()?;
        Ok(ids
            .iter()
            .filter_map(|id| t.customers.get(&id.0))
            .filter(|c| in_scope(scope, c))
            .filter_map(|c| record(&t, scope, c))
            .collect())
    }

    async fn find(
        &self,
        scope: &Scope,
        id: CustomerId,
    ) -> Result<Option<CustomerRecord>, StoreError> {
        let t = self.read()?;
        Ok(t.customers
            .get(&id.0)
            .filter(|c| c.live() && in_scope(scope, c))
            .and_then(|c| record(&t, scope, c)))
    }

    async fn save(
        &self,
        scope: &Scope,
        target: SaveTarget,
        patch: &CustomerPatch,
        now: DateTime<Utc>,
    ) -> Result<SaveOutcome, StoreError> {
        let mut t = self.write()?;
        Ok(save::save(&mut t, scope, target, patch, now))
    }

    async fn soft_delete(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut t = self.write()?;
        let now = to_db(now);
        Ok(match t.customers.get_mut(&id.0) {
            Some(c) if c.live() && in_scope(scope, c) => {
                c.deleted_at = Some(now);
                c.row.last_update_time = now;
                true
            }
            _ => false,
        })
    }

    async fn restore(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut t = self.write()?;
        Ok(match t.customers.get_mut(&id.0) {
            Some(c) if !c.live() && in_scope(scope, c) => {
                c.deleted_at = None;
                c.row.last_update_time = to_db(now);
                true
            }
            _ => false,
        })
    }
}

/// Live customers of the scope whose phone digits equal `digits`, newest first.
pub(crate) fn by_phone(t: &Tables, scope: &Scope, digits: &str) -> Vec<CustomerRecord> {
    let mut rows: Vec<_> = t
        .customers
        .values()
        .filter(|c| c.live() && in_scope(scope, c))
        .filter(|c| c.row.phone_digits.as_deref() == Some(digits))
        .collect();
    rows.sort_by_key(|c| query::list_order(c));
    rows.into_iter()
        .filter_map(|c| record(t, scope, c))
        .collect()
}
