//! `CustomerRepository` on MySQL: lists (page, export, recycle bin, by phone) in `query`, the
//! filtered list and its plan in `filtered_list`, the record assembly in `records`, writes in
//! `save` and `recycle_bin`, the exact per-account counts in `counts`, the search grams in
//! `grams`, the pinyin spellings of `q` in `spellings`, and `derived` recomputing what the
//! phones and names give after writes outside scrm (`scrm refresh`).

pub(crate) mod counts;
pub(crate) mod derived;
pub(crate) mod filtered_list;
pub(crate) mod grams;
pub(crate) mod query;
mod records;
mod recycle_bin;
mod save;
pub(crate) mod spellings;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use scrm_domain::customer::{
    BinFilter, CustomerFilter, CustomerPatch, CustomerRecord, CustomerRepository, ExportCursor,
    SaveOutcome, SaveTarget,
};
use scrm_domain::{CustomerId, Page, PageRequest, Scope, StoreError};

use crate::MySql;
use recycle_bin::Move;

#[async_trait]
impl CustomerRepository for MySql {
    async fn page(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError> {
        self.read("customer page", async |c| {
            query::page(c, scope, filter, page).await
        })
        .await
    }

    async fn export_batch(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        after: Option<ExportCursor>,
        batch: u32,
    ) -> Result<Vec<CustomerRecord>, StoreError> {
        self.read("customer export", async |c| {
            query::export_batch(c, scope, filter, after, batch).await
        })
        .await
    }

    async fn recycle_bin(
        &self,
        scope: &Scope,
        filter: &BinFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError> {
        self.read("recycle bin", async |c| {
            query::recycle_bin(c, scope, filter, page).await
        })
        .await
    }

    async fn by_ids(
        &self,
        scope: &Scope,
        ids: &[CustomerId],
    ) -> Result<Vec<CustomerRecord>, StoreError> {
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        self.read("customers by id", async |c| {
            let mut out = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(crate::id_lists::IN_CHUNK) {
                out.extend(records::load(c, scope, records::Which::Ids(chunk)).await?);
            }
            Ok(out)
        })
        .await
    }

    async fn find(
        &self,
        scope: &Scope,
        id: CustomerId,
    ) -> Result<Option<CustomerRecord>, StoreError> {
        self.read("find customer", async |c| query::find(c, scope, id).await)
            .await
    }

    async fn save(
        &self,
        scope: &Scope,
        target: SaveTarget,
        patch: &CustomerPatch,
        now: DateTime<Utc>,
    ) -> Result<SaveOutcome, StoreError> {
        self.write("save customer", async |c| {
            save::save(c, scope, target, patch, now).await
        })
        .await
    }

    async fn soft_delete(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write("delete customer", async |c| {
            recycle_bin::move_customer(c, scope, id, now, Move::ToBin).await
        })
        .await
    }

    async fn restore(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write("restore customer", async |c| {
            recycle_bin::move_customer(c, scope, id, now, Move::Restore).await
        })
        .await
    }
}
