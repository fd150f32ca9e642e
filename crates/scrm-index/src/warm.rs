//! Loading the biggest tenants at start, so their first requests are the index's: biggest
//! first (the store's counters), until a share of the memory budget is taken, skipping a
//! tenant that would not fit the budget beside those loaded (it would only push them out).

use scrm_domain::{AdminUserId, StoreError};

use crate::RoaringIndex;

/// Tenants looked at, the biggest first.
const CONSIDERED: u32 = 1000;

/// Loads of one tenant tried.
const LOAD_TRIES: usize = 3;

impl RoaringIndex {
    /// Loads the biggest tenants, the biggest first, until the loaded ones take `target`
    /// bytes; a tenant whose expected size (its customers at the bytes a customer takes in
    /// the tenants loaded so far) does not fit the budget beside the loaded ones is passed
    /// over. Returns the tenants it loaded (a tenant that was loaded already counts).
    ///
    /// # Errors
    /// `StoreError` when the store fails (the tenants loaded until then stay).
    pub async fn warm_up(&self, target: usize) -> Result<Vec<AdminUserId>, StoreError> {
        let sizes = self.inner.source.biggest_tenants(CONSIDERED).await?;
        let mut loaded = Vec::new();
        for (tenant, customers) in sizes {
            let stats = self.stats();
            if stats.bytes >= target {
                break;
            }
            // The first is loaded as it comes (alone, it pushes nothing out; one bigger than
            // the whole budget is not kept).
            if stats.customers > 0 {
                let expected = usize::try_from(customers)
                    .unwrap_or(usize::MAX)
                    .saturating_mul(stats.bytes.div_ceil(stats.customers));
                if stats.bytes.saturating_add(expected) > self.inner.settings.max_bytes {
                    continue;
                }
            }
            // A load that could not catch up with the log in time gives up: tried again (a
            // tenant refused for its size answers at once).
            for _ in 0..LOAD_TRIES {
                if self.load_tenant(tenant).await? {
                    loaded.push(tenant);
                    break;
                }
            }
        }
        Ok(loaded)
    }
}
