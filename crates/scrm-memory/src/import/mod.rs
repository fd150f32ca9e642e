//! `ImportRepository` in memory: `known` looks up references, `apply` checks the plan against
//! the schema's limits, upserts it into a copy of the tables and swaps the copy in, all under
//! the write lock: the whole plan or nothing.

mod apply;
mod check;
mod known;

use async_trait::async_trait;
use scrm_domain::StoreError;
use scrm_domain::import::{ImportPlan, ImportRepository, KnownRefs, RefQuery};

use crate::Memory;

#[async_trait]
impl ImportRepository for Memory {
    async fn known(&self, refs: &RefQuery) -> Result<KnownRefs, StoreError> {
        Ok(known::known(&*self.read()?, refs))
    }

    async fn apply(&self, plan: &ImportPlan) -> Result<(), StoreError> {
        check::check(plan)?;
        let mut tables = self.write()?;
        let mut copy = tables.clone();
        apply::apply(&mut copy, plan)?;
        *tables = copy;
        Ok(())
    }
}
