//! What the index tells of itself: what is loaded ([`IndexStats`], for `/metrics`,
//! `/readyz` and tests) and how many requests it answered and declined.

use std::sync::atomic::Ordering;

use scrm_domain::AdminUserId;

use crate::{RoaringIndex, Slot};

/// What is loaded, for `/metrics` and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexStats {
    /// Loaded tenants, least recently used first.
    pub tenants: Vec<AdminUserId>,
    /// Their approximate size.
    pub bytes: usize,
    /// Their customers, live and binned.
    pub customers: usize,
    /// Their contacts (with a customer or not).
    pub contacts: usize,
    /// Requests answered by the index and declined (left to SQL) since it started.
    pub answered: u64,
    pub declined: u64,
}

impl RoaringIndex {
    /// What is loaded.
    pub fn stats(&self) -> IndexStats {
        let st = self.inner.lock();
        let ready = st.ready();
        let (mut customers, mut contacts) = (0, 0);
        for s in st.tenants.values() {
            if let Slot::Ready {
                customers: n,
                contacts: c,
                ..
            } = s
            {
                customers += n;
                contacts += c;
            }
        }
        IndexStats {
            bytes: ready.iter().map(|r| r.2).sum(),
            tenants: ready.into_iter().map(|r| r.1).collect(),
            customers,
            contacts,
            answered: self.inner.answered.load(Ordering::Relaxed),
            declined: self.inner.declined.load(Ordering::Relaxed),
        }
    }

    /// Counts an answer (`Some`) or a decline.
    pub(crate) fn counted<T>(&self, answer: Option<T>) -> Option<T> {
        let counter = match answer {
            Some(_) => &self.inner.answered,
            None => &self.inner.declined,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        answer
    }
}
