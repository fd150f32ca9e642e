//! Login throttling: how many failed logins a login name and a client address may have per
//! window before the login refuses to check passwords at all (`ServiceError::RateLimited`).
//! The counts live in a store (`LoginThrottle`) so that every instance of the server shares
//! them.

use std::time::Duration;

use async_trait::async_trait;

use crate::StoreError;

/// At most `max` counted attempts per fixed window of `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Attempts a window admits; 0 is taken as 1.
    pub max: u32,
    /// The length of a window (the first counted attempt opens it); at least 1 ms is used.
    pub window: Duration,
}

impl Limit {
    pub const fn new(max: u32, window: Duration) -> Self {
        Self { max, window }
    }

    /// `max`, at least 1.
    pub fn max(&self) -> u32 {
        self.max.max(1)
    }

    /// `window`, at least 1 ms.
    pub fn window(&self) -> Duration {
        self.window.max(Duration::from_millis(1))
    }
}

/// The two limits of the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleLimits {
    /// Failed logins of one login name (case-insensitive), from anywhere.
    pub per_name: Limit,
    /// Failed logins from one client address, whatever the name.
    pub per_addr: Limit,
}

impl Default for ThrottleLimits {
    /// 10 failures per login name per 10 minutes, 60 failures per address per minute.
    fn default() -> Self {
        Self {
            per_name: Limit::new(10, Duration::from_secs(600)),
            per_addr: Limit::new(60, Duration::from_secs(60)),
        }
    }
}

/// Whole seconds (at least 1) until a refused login may be tried again: the `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RetryAfter(pub u64);

impl RetryAfter {
    /// The seconds until a window that has `left` to run frees, rounded up, at least 1.
    pub fn from_remaining(left: Duration) -> Self {
        let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        Self(secs.max(1))
    }
}

/// Counts failed logins per login name and per client address, in fixed windows, with the
/// limits given to the adapter when it is built.
///
/// An attempt is counted *before* its password is checked (`admit`), as if it failed, and a
/// success takes it back (`record_success`). Counting first means that parallel attempts
/// cannot all pass a check before any of them is recorded, and that an attempt whose request
/// is dropped half-way (client gone, request deadline) still counts. So the counts are of
/// failed attempts, for the name and for the address alike.
///
/// Callers pass the login name already normalised (trimmed, lower-case) and the address as
/// the HTTP adapter forms it; adapters treat both as opaque strings of any content.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait LoginThrottle: Send + Sync + 'static {
    /// Admits a login attempt of `login_name` from `client_addr`, counting it against both
    /// limits, or refuses it: `None` when admitted, `Some(retry_after)` when the name or the
    /// address has used up its window (the seconds until that window ends). A refused
    /// attempt counts against neither.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn admit(
        &self,
        login_name: &str,
        client_addr: &str,
    ) -> Result<Option<RetryAfter>, StoreError>;

    /// The admitted attempt succeeded: clears the count of `login_name` and takes this one
    /// attempt back off the count of `client_addr` (other failures from the address stay).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn record_success(&self, login_name: &str, client_addr: &str) -> Result<(), StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds_and_is_never_zero() {
        assert_eq!(RetryAfter::from_remaining(Duration::ZERO), RetryAfter(1));
        assert_eq!(
            RetryAfter::from_remaining(Duration::from_millis(1)),
            RetryAfter(1)
        );
        assert_eq!(
            RetryAfter::from_remaining(Duration::from_millis(1001)),
            RetryAfter(2)
        );
        assert_eq!(
            RetryAfter::from_remaining(Duration::from_secs(600)),
            RetryAfter(600)
        );
    }

    #[test]
    fn limits_are_at_least_one_attempt_and_one_millisecond() {
        let l = Limit::new(0, Duration::ZERO);
        assert_eq!(l.max(), 1);
        assert_eq!(l.window(), Duration::from_millis(1));
        let d = ThrottleLimits::default();
        assert_eq!(d.per_name, Limit::new(10, Duration::from_secs(600)));
        assert_eq!(d.per_addr, Limit::new(60, Duration::from_secs(60)));
    }
}
