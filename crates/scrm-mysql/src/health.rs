//! `HealthProbe` on MySQL: `SELECT 1` through the pool.

use async_trait::async_trait;
use diesel::sql_types::Integer;
use diesel_async::RunQueryDsl;
use scrm_domain::StoreError;
use scrm_domain::health::HealthProbe;

use crate::MySql;
use crate::error;

#[async_trait]
impl HealthProbe for MySql {
    fn name(&self) -> &'static str {
        "mysql"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.conn("ping").await?;
        diesel::select(diesel::dsl::sql::<Integer>("1"))
            .get_result::<i32>(&mut conn)
            .await
            .map(|_| ())
            .map_err(|e| match error::query(e, "ping") {
                StoreError::Unexpected(m) => StoreError::Unavailable(m),
                unavailable => unavailable,
            })
    }
}
