//! `HealthProbe` on MySQL: `SELECT 1` through the pool (`MySql::read`: retried once after a
//! lost connection), all of it within the store timeout.

use async_trait::async_trait;
use diesel::sql_types::Integer;
use diesel_async::RunQueryDsl;
use scrm_domain::StoreError;
use scrm_domain::health::HealthProbe;

use crate::{MySql, error};

#[async_trait]
impl HealthProbe for MySql {
    fn name(&self) -> &'static str {
        "mysql"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let limit = self.timeout();
        let ping = self.read("ping", async |c| {
            diesel::select(diesel::dsl::sql::<Integer>("1"))
                .get_result::<i32>(c)
                .await
        });
        let pinged = tokio::time::timeout(limit, ping).await.unwrap_or_else(|_| {
            Err(error::unavailable(
                "ping",
                format!("no answer within {limit:?}"),
            ))
        });
        // A server that cannot run `SELECT 1` is not ready, whatever the error says.
        pinged.map(|_| ()).map_err(|e| match e {
            StoreError::Unexpected(m) => StoreError::Unavailable(m),
            unavailable => unavailable,
        })
    }
}
