//! The in-memory adapter of scrm: every port of the domain without a server, for demos, a
//! frontend developer's laptop and tests. [`Memory`] holds the relational tables (laid out and
//! scoped like the MySQL adapter's), the chat messages and the friend-request queue (like the
//! Redis adapter's) on shared state; [`MemorySessions`] holds sessions and
//! [`MemoryLoginThrottle`] the counts of failed logins.
//!
//! Locking: the tables sit behind one `std::sync::RwLock`; reads share it, and every write
//! holds the write lock for the whole operation, so each multi-step write is atomic (an
//! import is built and checked in a copy that is swapped in only when all of it succeeded).
//! Messages, the friend-request queue, sessions and the login throttle have a `Mutex` each.
//! No lock is ever held across an `.await` (the methods do not await at all).

mod accounts;
mod call;
mod contacts;
mod customers;
mod directory;
mod friend_requests;
mod import;
mod manual;
mod messages;
mod sessions;
mod state;
mod throttle;

use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use async_trait::async_trait;
use scrm_domain::StoreError;
use scrm_domain::health::HealthProbe;
use scrm_domain::manual::FriendRequest;

pub use sessions::MemorySessions;
pub use throttle::MemoryLoginThrottle;

use friend_requests::FriendQueue;
use messages::Messages;
use state::Tables;

/// Every relational port plus chat messages and the friend-request queue, on shared state.
/// Implements `AccountRepository`, `CustomerRepository`, `ContactRepository`,
/// `ManualEntryRepository`, `ImportRepository`, `HealthProbe` (`memory`), `MessageStore` and
/// `FriendRequestQueue`. Clones share the same state.
#[derive(Clone, Default)]
pub struct Memory {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    tables: RwLock<Tables>,
    messages: Mutex<Messages>,
    friend_requests: Mutex<FriendQueue>,
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory").finish_non_exhaustive()
    }
}

impl Memory {
    /// An empty store that keeps every chat message.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store that keeps at most `cap` messages per conversation (the oldest go
    /// first); `None` keeps all, a cap of 0 is taken as 1 (as the Redis adapter does).
    pub fn with_message_cap(cap: Option<usize>) -> Self {
        Self {
            shared: Arc::new(Shared {
                messages: Mutex::new(Messages::with_cap(cap.map(|c| c.max(1)))),
                ..Shared::default()
            }),
        }
    }

    /// The friend requests queued so far, oldest first.
    pub fn friend_requests(&self) -> Vec<FriendRequest> {
        match self.shared.friend_requests.lock() {
            Ok(queue) => queue.all(),
            Err(poisoned) => poisoned.into_inner().all(),
        }
    }

    /// The tables, for reading.
    fn read(&self) -> Result<RwLockReadGuard<'_, Tables>, StoreError> {
        self.shared.tables.read().map_err(|_| poisoned("tables"))
    }

    /// The tables, for one atomic write.
    fn write(&self) -> Result<RwLockWriteGuard<'_, Tables>, StoreError> {
        self.shared.tables.write().map_err(|_| poisoned("tables"))
    }

    fn messages(&self) -> Result<MutexGuard<'_, Messages>, StoreError> {
        self.shared
            .messages
            .lock()
            .map_err(|_| poisoned("messages"))
    }

    fn queue(&self) -> Result<MutexGuard<'_, FriendQueue>, StoreError> {
        self.shared
            .friend_requests
            .lock()
            .map_err(|_| poisoned("friend requests"))
    }
}

/// A lock whose holder panicked: the state may be half-written, so it is not used again.
fn poisoned(what: &str) -> StoreError {
    StoreError::Unexpected(format!("memory store: {what} lock poisoned by a panic"))
}

#[async_trait]
impl HealthProbe for Memory {
    fn name(&self) -> &'static str {
        "memory"
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
