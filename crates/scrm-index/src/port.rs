//! The [`CustomerIndex`] port answered from the loaded tenants (`RoaringIndex::answer`
//! catches up or declines first).

use std::sync::Arc;

use async_trait::async_trait;
use scrm_domain::customer::{
    BinFilter, CustomerFilter, CustomerIndex, ExportCursor, IndexStatus, IndexedPage,
};
use scrm_domain::{CustomerId, PageRequest, Scope};

use crate::RoaringIndex;

/// Longest wait of `/readyz` and `/metrics` for the log's head.
const STATUS_BOUND: std::time::Duration = std::time::Duration::from_secs(1);

#[async_trait]
impl CustomerIndex for RoaringIndex {
    async fn page(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: PageRequest,
    ) -> Option<IndexedPage> {
        self.answer(scope.tenant, |t| {
            let set = t.matching(scope, filter)?;
            Some(t.page_of(&set, page.offset(), page.limit()))
        })
        .await
    }

    async fn export_ids(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        after: Option<ExportCursor>,
        batch: u32,
    ) -> Option<Vec<CustomerId>> {
        // A cursor id beyond u32 was never indexed: SQL exports it.
        let after = match after {
            Some(c) => Some((
                c.create_time.timestamp_millis(),
                u32::try_from(c.id.0).ok()?,
            )),
            None => None,
        };
        self.answer(scope.tenant, |t| {
            let set = t.matching(scope, filter)?;
            Some(t.export_after(&set, after, batch))
        })
        .await
        .map(|p| p.ids)
    }

    async fn recycle_bin(
        &self,
        scope: &Scope,
        filter: &BinFilter,
        page: PageRequest,
    ) -> Option<IndexedPage> {
        self.answer(scope.tenant, |t| {
            let set = t.bin_matching(scope, filter)?;
            Some(t.bin_page(&set, page.offset(), page.limit()))
        })
        .await
    }

    async fn status(&self) -> Option<IndexStatus> {
        let stats = self.stats();
        let progress = self.inner.progress();
        let as_u64 = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        // In a task of its own, never cancelled mid-read (as the catch-up). A node busy
        // applying an import answered it past the catch-up bound (a Galera node, often): the
        // report waits up to a second before it says the head is unknown.
        let source = Arc::clone(&self.inner.source);
        let read = tokio::spawn(async move { source.head().await });
        let bound = self.inner.settings.catch_up_bound.max(STATUS_BOUND);
        let head = match tokio::time::timeout(bound, read).await {
            Ok(Ok(Ok(head))) => Some(head),
            _ => None,
        };
        Some(IndexStatus {
            tenants: as_u64(stats.tenants.len()),
            customers: as_u64(stats.customers),
            contacts: as_u64(stats.contacts),
            bytes: as_u64(stats.bytes),
            since_catch_up: progress.last_ok.map(|t| t.elapsed().as_secs_f64()),
            applied_seq: progress.applied,
            head_seq: head,
        })
    }
}
