//! `CallerLookup` in memory: the call pop-up's lookups (customers, then pool entries, then
//! hand-entered ones, as `CallerStep` decides) under one read of the tables.

use async_trait::async_trait;
use scrm_domain::call::{CallerInfo, CallerLookup, CallerStep, SourceMatches};
use scrm_domain::{Scope, StoreError};

use crate::{Memory, customers, manual};

#[async_trait]
impl CallerLookup for Memory {
    async fn caller_by_phone(&self, scope: &Scope, digits: &str) -> Result<CallerInfo, StoreError> {
        let t = self.read()?;
        let mut step = CallerStep::first();
        loop {
            let source = match step {
                CallerStep::Read(source) => source,
                CallerStep::Answer(info) => return Ok(info),
            };
            let matches = match source.entry_kind() {
                None => SourceMatches::Customers(customers::by_phone(&t, scope, digits)),
                Some(kind) => {
                    SourceMatches::Entries(manual::query::by_phone(&t, scope, digits, kind))
                }
            };
            step = CallerStep::after(source, matches);
        }
    }
}
