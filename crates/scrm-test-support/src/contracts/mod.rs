//! The contract suites: one module per port (or group of relational ports sharing a
//! fixture), each a set of `pub async fn`s that take a factory of fresh stores and check the
//! port's documented behaviour through the port alone. The macros of this crate
//! (`relational_contract!`, `session_contract!`, `throttle_contract!`, ...) turn every
//! function into a test.
//!
//! A new contract function must also be listed in its suite's macro (`src/macros.rs`).

#![expect(
    clippy::unwrap_used,
    reason = "contract checks are test code: a failure should stop the test loudly"
)]

pub mod accounts;
pub mod call;
pub mod contacts;
pub mod customers;
pub mod directory;
pub mod fixture;
pub mod friend_requests;
pub mod health;
pub mod import;
pub mod manual;
pub mod messages;
pub mod sessions;
pub mod throttle;

use std::any::Any;
use std::ops::Deref;
use std::sync::Arc;

use scrm_domain::account::AccountRepository;
use scrm_domain::call::CallerLookup;
use scrm_domain::contact::ContactRepository;
use scrm_domain::customer::CustomerRepository;
use scrm_domain::directory::DirectoryRepository;
use scrm_domain::import::ImportRepository;
use scrm_domain::manual::ManualEntryRepository;
use scrm_domain::paging::PageRequest;

/// Whatever keeps a store's backing data alive while a test runs (a `TestDatabase`, a
/// `TestRedis`, or `()` for memory).
pub type Guard = Box<dyn Any + Send + Sync>;

/// The relational ports of one fresh, empty store (schema in place, no rows), as a
/// relational factory gives them.
pub struct RelationalPorts {
    pub accounts: Arc<dyn AccountRepository>,
    pub customers: Arc<dyn CustomerRepository>,
    pub contacts: Arc<dyn ContactRepository>,
    pub manual: Arc<dyn ManualEntryRepository>,
    pub import: Arc<dyn ImportRepository>,
    pub callers: Arc<dyn CallerLookup>,
    pub directory: Arc<dyn DirectoryRepository>,
    /// Dropped when the test ends, after the ports.
    pub _guard: Guard,
}

impl RelationalPorts {
    /// The ports of one adapter that implements all seven, kept alive by `guard`.
    pub fn of<T>(adapter: Arc<T>, guard: impl Any + Send + Sync) -> Self
    where
        T: AccountRepository
            + CustomerRepository
            + ContactRepository
            + ManualEntryRepository
            + ImportRepository
            + CallerLookup
            + DirectoryRepository,
    {
        Self {
            accounts: adapter.clone(),
            customers: adapter.clone(),
            contacts: adapter.clone(),
            manual: adapter.clone(),
            callers: adapter.clone(),
            import: adapter.clone(),
            directory: adapter,
            _guard: Box::new(guard),
        }
    }
}

/// One port of a fresh store and the guard of its backing data. Derefs to the port.
pub struct Guarded<P: ?Sized> {
    pub port: Arc<P>,
    /// Dropped when the test ends, after the port.
    pub _guard: Guard,
}

impl<P: ?Sized> Guarded<P> {
    /// A port kept alive by `guard`.
    pub fn new(port: Arc<P>, guard: impl Any + Send + Sync) -> Self {
        Self {
            port,
            _guard: Box::new(guard),
        }
    }
}

impl<P: ?Sized> Deref for Guarded<P> {
    type Target = P;

    fn deref(&self) -> &P {
        &self.port
    }
}

/// A page request the suites know to be valid.
pub(crate) fn page(no: u32, limit: u32) -> PageRequest {
    PageRequest::new(no, limit).unwrap()
}
