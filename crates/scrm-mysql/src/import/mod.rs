//! `ImportRepository` on MySQL: `known` looks up references, `apply` upserts a whole plan in
//! one transaction.

mod apply;
mod known;
mod rows;

use async_trait::async_trait;
use diesel_async::AsyncConnection;
use scrm_domain::StoreError;
use scrm_domain::import::{ImportPlan, ImportRepository, KnownRefs, RefQuery};

use crate::{MySql, error};

#[async_trait]
impl ImportRepository for MySql {
    async fn known(&self, refs: &RefQuery) -> Result<KnownRefs, StoreError> {
        let mut conn = self.conn("import lookup").await?;
        known::known(&mut conn, refs)
            .await
            .map_err(|e| error::query(e, "import lookup"))
    }

    async fn apply(&self, plan: &ImportPlan) -> Result<(), StoreError> {
        let mut conn = self.conn("import").await?;
        conn.transaction(async |c| apply::apply(c, plan).await)
            .await
            .map_err(|e| error::query(e, "import"))
    }
}
