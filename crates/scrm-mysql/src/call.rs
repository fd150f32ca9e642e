//! `CallerLookup` on MySQL: the call pop-up's lookups (customers, then pool entries, then
//! hand-entered ones, as `CallerStep` decides) on one connection, one `MySql::read`
//! (retried once after a lost connection).

use async_trait::async_trait;
use diesel::QueryResult;
use diesel_async::AsyncMysqlConnection;
use scrm_domain::call::{CallerInfo, CallerLookup, CallerSource, CallerStep, SourceMatches};
use scrm_domain::manual::EntryKind;
use scrm_domain::{Scope, StoreError};

use crate::{MySql, customers, manual};

#[async_trait]
impl CallerLookup for MySql {
    async fn caller_by_phone(&self, scope: &Scope, digits: &str) -> Result<CallerInfo, StoreError> {
        self.read("caller by phone", async |c| caller(c, scope, digits).await)
            .await
    }
}

/// The sources in order on `c`, up to the first with a match.
async fn caller(
    c: &mut AsyncMysqlConnection,
    scope: &Scope,
    digits: &str,
) -> QueryResult<CallerInfo> {
    let mut step = CallerStep::first();
    loop {
        let source = match step {
            CallerStep::Read(source) => source,
            CallerStep::Answer(info) => return Ok(info),
        };
        let matches = match source {
            CallerSource::Customers => {
                SourceMatches::Customers(customers::query::by_phone(c, scope, digits).await?)
            }
            CallerSource::PoolEntries => SourceMatches::Entries(
                manual::query::by_phone(c, scope, digits, EntryKind::Pool).await?,
            ),
            CallerSource::HandEntries => SourceMatches::Entries(
                manual::query::by_phone(c, scope, digits, EntryKind::HandEntered).await?,
            ),
        };
        step = CallerStep::after(source, matches);
    }
}
