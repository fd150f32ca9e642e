//! `CustomerRepository` on MySQL: lists (page, export, recycle bin, by phone) in `query`, the record
//! assembly in `records`, writes in `save` and `bin`, the exact per-account counts in `counts`.

mod bin;
pub(crate) mod counts;
pub(crate) mod grams;
pub(crate) mod listed;
pub(crate) mod query;
mod records;
mod save;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use scrm_domain::customer::{
    CustomerFilter, CustomerPatch, CustomerRecord, CustomerRepository, ExportCursor, SaveOutcome,
    SaveTarget,
};
use scrm_domain::{CustomerId, Page, PageRequest, Scope, StoreError};

use crate::attempt::Retry;
use crate::{MySql, error};

#[async_trait]
impl CustomerRepository for MySql {
    async fn page(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError> {
        self.attempt("customer page", Retry::Read, async |c| {
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
        let mut conn = self.conn("customer export").await?;
        query::export_batch(&mut conn, scope, filter, after, batch)
            .await
            .map_err(|e| error::query(e, "customer export"))
    }

    async fn recycle_bin(
        &self,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError> {
        let mut conn = self.conn("recycle bin").await?;
        query::recycle_bin(&mut conn, scope, page)
            .await
            .map_err(|e| error::query(e, "recycle bin"))
    }

    async fn find(
        &self,
        scope: &Scope,
        id: CustomerId,
    ) -> Result<Option<CustomerRecord>, StoreError> {
        let mut conn = self.conn("find customer").await?;
        query::find(&mut conn, scope, id)
            .await
            .map_err(|e| error::query(e, "find customer"))
    }

    async fn save(
        &self,
        scope: &Scope,
        target: SaveTarget,
        patch: &CustomerPatch,
        now: DateTime<Utc>,
    ) -> Result<SaveOutcome, StoreError> {
        let mut conn = self.conn("save customer").await?;
        save::save(&mut conn, scope, target, patch, now).await
    }

    async fn soft_delete(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.attempt("delete customer", Retry::Write, async |c| {
            c.transaction(async |c| bin::move_customer(c, scope, id, now, bin::Move::ToBin).await)
                .await
        })
        .await
    }

    async fn by_phone(
        &self,
        scope: &Scope,
        digits: &str,
    ) -> Result<Vec<CustomerRecord>, StoreError> {
        let mut conn = self.conn("customers by phone").await?;
        query::by_phone(&mut conn, scope, digits)
            .await
            .map_err(|e| error::query(e, "customers by phone"))
    }

    async fn restore(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn("restore customer").await?;
        conn.transaction(async |c| bin::move_customer(c, scope, id, now, bin::Move::Restore).await)
            .await
            .map_err(|e| error::query(e, "restore customer"))
    }
}
