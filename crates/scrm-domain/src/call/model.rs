//! The call model: who is calling, by source, and the rule that picks the source.

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

/// A source of the call pop-up; [`CallerSource::IN_ORDER`] is the order they are tried in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerSource {
    /// Customers of the scope with the number.
    Customers,
    /// Entries assigned to the caller from pool tasks.
    PoolEntries,
    /// The caller's hand-entered entries.
    HandEntries,
}

impl CallerSource {
    /// Customers first, then pool entries, then hand-entered ones.
    pub const IN_ORDER: [Self; 3] = [Self::Customers, Self::PoolEntries, Self::HandEntries];
}

/// What one source holds for the number.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceMatches {
    /// The matches of [`CallerSource::Customers`].
    Customers(Vec<CustomerRecord>),
    /// The matches of [`CallerSource::PoolEntries`] or [`CallerSource::HandEntries`].
    Entries(Vec<ManualEntry>),
}

impl CallerInfo {
    /// Every match of the first source that has one: asks `matches` for each source in
    /// [`CallerSource::IN_ORDER`] and stops at the first that has any; `Unknown` when none
    /// has. An adapter runs it with the lookups of its store, all on one connection.
    ///
    /// # Errors
    /// The first error of `matches`; no later source is asked.
    pub async fn first_match<E>(
        mut matches: impl AsyncFnMut(CallerSource) -> Result<SourceMatches, E>,
    ) -> Result<Self, E> {
        for source in CallerSource::IN_ORDER {
            let found = match (source, matches(source).await?) {
                (CallerSource::Customers, SourceMatches::Customers(c)) if !c.is_empty() => {
                    Self::Customers(c)
                }
                (CallerSource::PoolEntries, SourceMatches::Entries(e)) if !e.is_empty() => {
                    Self::PoolEntries(e)
                }
                (CallerSource::HandEntries, SourceMatches::Entries(e)) if !e.is_empty() => {
                    Self::HandEntries(e)
                }
                _ => continue,
            };
            return Ok(found);
        }
        Ok(Self::Unknown)
    }
}
