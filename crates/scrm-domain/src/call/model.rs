//! The call model: who is calling, by source, and the rule that picks the source.

use crate::customer::CustomerRecord;
use crate::manual::{EntryKind, ManualEntry};

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

/// A source of the call pop-up; [`CallerSource::IN_ORDER`] is the order they are tried in
/// (`CallerStep`).
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

    /// The kind of manual entries this source reads; `None` for the customers.
    pub fn entry_kind(self) -> Option<EntryKind> {
        match self {
            Self::Customers => None,
            Self::PoolEntries => Some(EntryKind::Pool),
            Self::HandEntries => Some(EntryKind::HandEntered),
        }
    }
}

/// What one source holds for the number.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceMatches {
    /// The matches of [`CallerSource::Customers`].
    Customers(Vec<CustomerRecord>),
    /// The matches of [`CallerSource::PoolEntries`] or [`CallerSource::HandEntries`].
    Entries(Vec<ManualEntry>),
}

/// What the call pop-up's search does next: read a source, or answer. An adapter drives it
/// with the lookups of its store, all on one connection:
///
/// ```ignore
/// let mut step = CallerStep::first();
/// loop {
///     match step {
///         CallerStep::Read(source) => step = CallerStep::after(source, read(source).await?),
///         CallerStep::Answer(info) => return Ok(info),
///     }
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum CallerStep {
    /// Read the matches of this source next.
    Read(CallerSource),
    /// The search is over.
    Answer(CallerInfo),
}

impl CallerStep {
    /// The search starts with the customers.
    pub fn first() -> Self {
        Self::Read(CallerSource::Customers)
    }

    /// The step after reading `source`: its matches answer when there are any; otherwise the
    /// next source is read, and after the last one the answer is `Unknown`.
    pub fn after(source: CallerSource, matches: SourceMatches) -> Self {
        let found = match (source, matches) {
            (CallerSource::Customers, SourceMatches::Customers(c)) if !c.is_empty() => {
                Some(CallerInfo::Customers(c))
            }
            (CallerSource::PoolEntries, SourceMatches::Entries(e)) if !e.is_empty() => {
                Some(CallerInfo::PoolEntries(e))
            }
            (CallerSource::HandEntries, SourceMatches::Entries(e)) if !e.is_empty() => {
                Some(CallerInfo::HandEntries(e))
            }
            _ => None,
        };
        match (found, source) {
            (Some(info), _) => Self::Answer(info),
            (None, CallerSource::Customers) => Self::Read(CallerSource::PoolEntries),
            (None, CallerSource::PoolEntries) => Self::Read(CallerSource::HandEntries),
            (None, CallerSource::HandEntries) => Self::Answer(CallerInfo::Unknown),
        }
    }
}
