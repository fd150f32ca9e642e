//! Manual entries: the rows of a call list (客戶池 rows), each a phone to dial and then add as a
//! WeChat friend. `task_id == -1` marks a hand-entered entry; `> 0` one assigned from a pool
//! task. The manual-task endpoints work on hand-entered entries only; pool entries matter here
//! only to the call pop-up (source 2).
//!
//! `model` holds the entry, queries, commands and outcomes; `ports` the
//! `ManualEntryRepository` and `FriendRequestQueue`; `index` the `ManualIndex` that answers
//! the lists' totals and counts from an index; `service` the `ManualEntryService`.
//! Everything is re-exported here.

mod index;
mod model;
mod ports;
mod service;

#[cfg(any(test, feature = "mocks"))]
pub use index::MockManualIndex;
pub use index::{AssigneeTotals, IndexedManualEntry, ManualIndex};
pub use model::{
    AddBeforeFriend, AddManualTask, AddOutcome, AssigneeAccount, AssigneeQuery, AssigneeSummary,
    DetailQuery, DialOutcome, DialRequest, EntryKind, FriendRequest, HAND_ENTERED, ManualEntry,
    NewManualEntry, RestoreOutcome, superseded,
};
pub use ports::{FriendRequestQueue, ManualEntryRepository};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockFriendRequestQueue, MockManualEntryRepository};
pub use service::ManualEntryService;

#[cfg(test)]
pub(crate) mod tests;
