//! `LoginThrottle` in memory: one fixed-window counter per login name and per client address,
//! as the Redis adapter keeps them (a window opens with its first counted attempt and lasts
//! the limit's `window`). Ended windows are swept at most once a second, so names that are
//! tried once do not stay.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use scrm_domain::StoreError;
use scrm_domain::throttle::{Limit, LoginThrottle, RetryAfter, ThrottleLimits};

/// How often ended windows are swept.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// The count of one window and when it ends.
#[derive(Debug, Clone, Copy)]
struct Window {
    count: u32,
    ends: Instant,
}

/// The windows of one limit, by name or address.
#[derive(Debug, Default)]
struct Counters {
    windows: HashMap<String, Window>,
}

impl Counters {
    /// Counts one attempt of `key` unless its window is full: `Some` when refused.
    fn admit(&mut self, key: &str, limit: &Limit, now: Instant) -> Option<RetryAfter> {
        match self.windows.get_mut(key) {
            Some(w) if w.ends > now => {
                if w.count >= limit.max() {
                    return Some(RetryAfter::from_remaining(w.ends - now));
                }
                w.count += 1;
            }
            _ => {
                self.windows.insert(
                    key.to_owned(),
                    Window {
                        count: 1,
                        ends: now + limit.window(),
                    },
                );
            }
        }
        None
    }

    /// Takes one attempt of `key` back.
    fn release(&mut self, key: &str) {
        if let Some(w) = self.windows.get_mut(key) {
            w.count = w.count.saturating_sub(1);
        }
    }

    fn clear(&mut self, key: &str) {
        self.windows.remove(key);
    }

    fn sweep(&mut self, now: Instant) {
        self.windows.retain(|_, w| w.ends > now);
    }
}

#[derive(Debug)]
struct State {
    names: Counters,
    addrs: Counters,
    swept: Instant,
}

/// The in-memory `LoginThrottle` of one process.
#[derive(Debug)]
pub struct MemoryLoginThrottle {
    limits: ThrottleLimits,
    state: Mutex<State>,
}

impl MemoryLoginThrottle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Self {
            limits,
            state: Mutex::new(State {
                names: Counters::default(),
                addrs: Counters::default(),
                swept: Instant::now(),
            }),
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, StoreError> {
        self.state
            .lock()
            .map_err(|_| StoreError::Unexpected("memory login throttle: lock poisoned".into()))
    }
}

#[async_trait]
impl LoginThrottle for MemoryLoginThrottle {
    async fn admit(
        &self,
        login_name: &str,
        client_addr: &str,
    ) -> Result<Option<RetryAfter>, StoreError> {
        let now = Instant::now();
        let mut state = self.lock()?;
        if now.duration_since(state.swept) >= SWEEP_EVERY {
            state.names.sweep(now);
            state.addrs.sweep(now);
            state.swept = now;
        }
        if let Some(retry) = state.names.admit(login_name, &self.limits.per_name, now) {
            return Ok(Some(retry));
        }
        if let Some(retry) = state.addrs.admit(client_addr, &self.limits.per_addr, now) {
            // Refused: the name does not keep this attempt either.
            state.names.release(login_name);
            return Ok(Some(retry));
        }
        Ok(None)
    }

    async fn record_success(&self, login_name: &str, client_addr: &str) -> Result<(), StoreError> {
        let mut state = self.lock()?;
        state.names.clear(login_name);
        state.addrs.release(client_addr);
        Ok(())
    }
}
