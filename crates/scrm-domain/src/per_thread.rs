//! One value per thread, made on that thread's first use: what the store adapters keep their
//! connection pools in (std only, no I/O here).
//!
//! Why: `scrm serve` runs one single-threaded runtime per worker thread (actix), and a
//! connection's socket is driven by the runtime of the thread that opened it (a Redis
//! connection's reader is a task spawned there). Shared by all workers, a connection opened
//! by worker A and used by worker B wakes A (or the main thread, which opened the warm-up
//! connections) for every reply, which then wakes B: two thread switches per round trip where
//! one does. Measured on the call pop-up (6 round trips) on 2 cores: 2 extra `epoll_wait` and 2
//! eventfd writes per request and about a fifth of the server's CPU. With one pool per thread,
//! each worker opens, drives and reuses its own connections.

use std::sync::{PoisonError, RwLock};
use std::thread::ThreadId;

/// A value per thread, made by `make` the first time a thread asks for it and cloned out
/// after (a pool is a handle: cloning it is cheap). Values are never dropped before `self`:
/// meant for the few long-lived threads of a server (its workers and its main thread).
pub struct PerThread<T> {
    make: Box<dyn Fn() -> T + Send + Sync>,
    values: RwLock<Vec<(ThreadId, T)>>,
}

impl<T> std::fmt::Debug for PerThread<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let threads = self.values.read().map_or(0, |v| v.len());
        f.debug_struct("PerThread")
            .field("threads", &threads)
            .finish_non_exhaustive()
    }
}

impl<T: Clone> PerThread<T> {
    /// Nothing made yet.
    pub fn new(make: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Self {
            make: Box::new(make),
            values: RwLock::new(Vec::new()),
        }
    }

    /// The current thread's value, made now when it has none.
    pub fn get(&self) -> T {
        let me = std::thread::current().id();
        let find = |values: &[(ThreadId, T)]| {
            values
                .iter()
                .find(|(thread, _)| *thread == me)
                .map(|(_, v)| v.clone())
        };
        if let Some(v) = find(&self.values.read().unwrap_or_else(PoisonError::into_inner)) {
            return v;
        }
        let mut values = self.values.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(v) = find(&values) {
            return v;
        }
        let v = (self.make)();
        values.push((me, v.clone()));
        v
    }

    /// Every value made so far (for totals over all threads).
    pub fn all(&self) -> Vec<T> {
        self.values
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(_, v)| v.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn each_thread_gets_its_own_value_made_once() {
        let made = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&made);
        let values = Arc::new(PerThread::new(move || {
            counter.fetch_add(1, Ordering::SeqCst) + 1
        }));
        let here = values.get();
        assert_eq!(values.get(), here, "the same value on the same thread");
        let there = {
            let values = Arc::clone(&values);
            std::thread::spawn(move || (values.get(), values.get()))
                .join()
                .unwrap()
        };
        assert_eq!(there.0, there.1);
        assert_ne!(there.0, here, "another thread, another value");
        assert_eq!(made.load(Ordering::SeqCst), 2);
        let mut all = values.all();
        all.sort_unstable();
        assert_eq!(all, vec![1, 2]);
    }
}
