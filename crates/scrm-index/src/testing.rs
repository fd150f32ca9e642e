//! What the unit tests of the index's parts share: a small deterministic generator and a
//! change log in memory, with the `IndexSource` methods of a source that holds no customers
//! (`no_customers!`).

use std::sync::Mutex;

use scrm_domain::AdminUserId;
use scrm_domain::customer::{ChangeSubject, IndexChange};

/// A small deterministic generator (xorshift), so the cases replay.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n as u64).unwrap()
    }

    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }
}

/// Committed change rows, in order.
#[derive(Default)]
pub(crate) struct MemLog(Mutex<Vec<IndexChange>>);

impl MemLog {
    /// Logs a change of `subject` under each of `tenants`.
    pub fn push(&self, tenants: &[AdminUserId], subject: ChangeSubject) {
        let mut log = self.0.lock().unwrap();
        for tenant in tenants {
            let seq = i64::try_from(log.len()).unwrap() + 1;
            log.push(IndexChange {
                seq,
                tenant: *tenant,
                subject,
            });
        }
    }

    pub fn changes(&self, after: i64, limit: u32) -> Vec<IndexChange> {
        let log = self.0.lock().unwrap();
        log.iter()
            .filter(|c| c.seq > after)
            .take(limit as usize)
            .copied()
            .collect()
    }

    pub fn head(&self) -> i64 {
        self.0.lock().unwrap().last().map_or(0, |c| c.seq)
    }
}

/// `impl IndexSource for $source`: a source without customers whose log is its field `$log`
/// (a [`MemLog`]), with the methods given (`{ ... }`) for what it keeps.
macro_rules! no_customers {
    ($source:ty, $log:ident, { $($kept:tt)* }) => {
        #[async_trait::async_trait]
        impl scrm_domain::customer::IndexSource for $source {
        async fn tenant(
            &self,
            _: scrm_domain::AdminUserId,
        ) -> Result<Vec<scrm_domain::customer::IndexedCustomer>, scrm_domain::StoreError> {
            Ok(Vec::new())
        }

        async fn customers(
            &self,
            _: &[scrm_domain::CustomerId],
            _: &[scrm_domain::ContactId],
        ) -> Result<Vec<scrm_domain::customer::IndexedCustomer>, scrm_domain::StoreError> {
            Ok(Vec::new())
        }

        async fn changes(
            &self,
            after: i64,
            limit: u32,
        ) -> Result<Vec<scrm_domain::customer::IndexChange>, scrm_domain::StoreError> {
            Ok(self.$log.changes(after, limit))
        }

        async fn clock(
            &self,
            _: Option<chrono::DateTime<chrono::Utc>>,
        ) -> Result<(chrono::DateTime<chrono::Utc>, bool), scrm_domain::StoreError> {
            Ok((chrono::Utc::now(), false))
        }

        async fn tenants(&self) -> Result<Vec<scrm_domain::AdminUserId>, scrm_domain::StoreError> {
            Ok(Vec::new())
        }

        async fn head(&self) -> Result<i64, scrm_domain::StoreError> {
            Ok(self.$log.head())
        }

        async fn trim(&self, _: u64) -> Result<u64, scrm_domain::StoreError> {
            Ok(0)
        }

        $($kept)*
        }
    };
}
pub(crate) use no_customers;
