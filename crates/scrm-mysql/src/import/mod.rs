//! `ImportRepository` on MySQL: `known` looks up references, `apply` upserts a whole plan in
//! one transaction, which also moves the customer counts (`customers::counts`) of the
//! customers it adds or moves.

mod apply;
mod known;
mod rows;

use async_trait::async_trait;
use diesel_async::AsyncConnection;
use scrm_domain::StoreError;
use scrm_domain::import::{ImportPlan, ImportRepository, KnownRefs, RefQuery};

use crate::MySql;
use crate::customers::counts::Snapshot;

#[async_trait]
impl ImportRepository for MySql {
    async fn known(&self, refs: &RefQuery) -> Result<KnownRefs, StoreError> {
        self.read("import lookup", async |c| known::known(c, refs).await)
            .await
    }

    async fn apply(&self, plan: &ImportPlan) -> Result<(), StoreError> {
        self.write("import", async |c| {
            c.transaction(async |c| {
                let (ids, wechat_users) = apply::touched(c, plan).await?;
                let before = Snapshot::take(c, &ids, &wechat_users, true).await?;
                apply::apply(c, plan).await?;
                let after = Snapshot::take(c, &ids, &wechat_users, false).await?;
                after.apply_since(c, &before).await
            })
            .await
        })
        .await
    }
}
