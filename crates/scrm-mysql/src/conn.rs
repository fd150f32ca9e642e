//! The one way a repository runs its statements: [`MySql::read`] for statements that change
//! nothing, [`MySql::write`] for those that may. Both run the closure through
//! `MySql::attempt` (`attempt`: a bounded checkout, a watchdog for a hung server) and map a
//! failed statement with the operation's label ([`error::query`]: connection trouble is
//! `StoreError::Unavailable`, anything else `StoreError::Unexpected`).
//!
//! Reads and writes are apart for what a failure allows: a read is run again on a checked
//! connection when the one it was given turns out to have lost the server, a write only when
//! it is known not to have been applied (it failed at the `BEGIN` of its transaction). The
//! closures may be called more than once (`FnMut`), so that a retry can call them again; a
//! write that needs a transaction opens it inside (`c.transaction(..)`), so each attempt is
//! whole. A write that lost a deadlock or a Galera certification (rolled back, nothing
//! applied) also runs again, up to `galera::DEADLOCK_RETRIES` times after a short backoff.

use std::future::Future;

use diesel::QueryResult;
use diesel_async::AsyncMysqlConnection;
use scrm_domain::StoreError;

use crate::MySql;
use crate::attempt::Retry;
#[cfg(doc)]
use crate::error;

/// Statements run on a connection: an async closure (`async |c| ...`) that may be called
/// more than once, whose futures are `Send` (the repositories' futures are).
///
/// The bound names the future of a call, so that `Send` is a bound here rather than inferred
/// at each call, where rustc cannot prove it for every lifetime of the connection
/// (diesel-async's `transaction` bounds its closure the same way).
pub(crate) trait Statements<T>: for<'c> Call<'c, T> + Send {}

impl<T, F: for<'c> Call<'c, T> + Send> Statements<T> for F {}

/// One call of [`Statements`] on a connection borrowed for `'c`.
pub(crate) trait Call<'c, T>:
    AsyncFnMut(&'c mut AsyncMysqlConnection) -> QueryResult<T>
    + FnMut(&'c mut AsyncMysqlConnection) -> <Self as Call<'c, T>>::Fut
{
    /// The future of the call.
    type Fut: Future<Output = QueryResult<T>> + Send;
}

impl<'c, T, F, Fut> Call<'c, T> for F
where
    F: AsyncFnMut(&'c mut AsyncMysqlConnection) -> QueryResult<T>
        + FnMut(&'c mut AsyncMysqlConnection) -> Fut,
    Fut: Future<Output = QueryResult<T>> + Send,
{
    type Fut = Fut;
}

impl MySql {
    /// Runs statements that change nothing; `what` names the operation for the log.
    pub(crate) async fn read<T>(
        &self,
        what: &'static str,
        f: impl Statements<T>,
    ) -> Result<T, StoreError> {
        self.attempt(what, Retry::Read, f).await
    }

    /// Runs statements that may change rows; `what` names the operation for the log. A
    /// deadlock or certification conflict runs them again (see the module doc); one that
    /// outlasts the retries is `Unavailable` (503).
    pub(crate) async fn write<T>(
        &self,
        what: &'static str,
        f: impl Statements<T>,
    ) -> Result<T, StoreError> {
        self.attempt(what, Retry::Write, f).await
    }
}
