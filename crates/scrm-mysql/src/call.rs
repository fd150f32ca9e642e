//! `CallerLookup` on MySQL: the call pop-up's lookups (customers, then pool entries, then
//! hand-entered ones, as `CallerStep` decides) on one connection, one `MySql::read`
//! (retried once after a lost connection): a statement for the customers with their tags and
//! names, and for a number no customer has, one for the entries of both kinds.

use async_trait::async_trait;
use diesel::QueryResult;
use diesel_async::AsyncMysqlConnection;
use scrm_domain::call::{CallerInfo, CallerLookup, CallerStep, SourceMatches};
use scrm_domain::manual::{EntryKind, ManualEntry};
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
    // Both kinds of entries, read together when the first of them is asked for.
    let mut entries: Option<Vec<ManualEntry>> = None;
    loop {
        let source = match step {
            CallerStep::Read(source) => source,
            CallerStep::Answer(info) => return Ok(info),
        };
        let matches = match source.entry_kind() {
            None => SourceMatches::Customers(customers::query::by_phone(c, scope, digits).await?),
            Some(kind) => {
                if entries.is_none() {
                    entries = Some(manual::query::by_phone(c, scope, digits).await?);
                }
                SourceMatches::Entries(
                    entries
                        .iter()
                        .flatten()
                        .filter(|e| EntryKind::of(e.task_id) == Some(kind))
                        .cloned()
                        .collect(),
                )
            }
        };
        step = CallerStep::after(source, matches);
    }
}
