//! The call model: who is calling, by source.

use crate::customer::CustomerRecord;
use crate::manual::ManualEntry;

/// The answer of getCustomerInfoByCall, by source.
#[derive(Debug, Clone, PartialEq)]
pub enum CallerInfo {
    /// Source 0: nobody in the scope has this number.
    Unknown,
    /// Source 1: customers of the scope.
    Customers(Vec<CustomerRecord>),
    /// Source 2: entries assigned to the caller from pool tasks.
    PoolEntries(Vec<ManualEntry>),
    /// Source 3: the caller's hand-entered entries.
    HandEntries(Vec<ManualEntry>),
}

impl CallerInfo {
    /// The spec's `source` number.
    pub fn source(&self) -> i32 {
        match self {
            Self::Unknown => 0,
            Self::Customers(_) => 1,
            Self::PoolEntries(_) => 2,
            Self::HandEntries(_) => 3,
        }
    }
}
