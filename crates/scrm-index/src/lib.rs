//! The customer index of scrm: answers `customerPage` and the recycle bin from roaring
//! bitmaps per tenant, exact and across instances (docs/architecture.md, "The customer
//! index"), the manual lists' totals and counts (`manual`) and findcontactbytagAll's
//! selection (`contacts`).
//!
//! `tenant` holds one tenant's entries and bitmaps (`slots` places a customer among them),
//! `query` answers a filter on them, `fold` is the collation the text filters compare with,
//! `cursor` the position in a single server's change log (`lanes` in a cluster's), `manual` the tenant's live hand-entered
//! manual entries, `contacts` its contacts (`part` what those two share, `tags` the tag
//! filter), `stats` what is loaded and how often it answered. [`RoaringIndex`] ties them:
//! tenants are loaded on first use (the request that finds
//! one missing is answered by SQL while it loads) within a memory budget, least recently used
//! tenants dropped first, the biggest loaded at start (`warm`); before answering, every change
//! committed before the request arrived is applied (one query when nothing changed), or the
//! index declines. `checked` keeps the customers matching needles their grams do not decide.
//! Each loaded tenant has its own read-write lock: requests read tenants side by side, the
//! catch-up writes one at a time.

mod catch_up;
mod checked;
mod contacts;
mod cursor;
mod fold;
mod lanes;
mod manual;
mod part;
mod port;
mod query;
mod size;
mod slots;
mod stats;
mod tags;
mod tenant;
mod warm;

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use scrm_domain::customer::{ChangeSubject, IndexSource};
use scrm_domain::{AdminUserId, StoreError};

use catch_up::{apply, split};
pub use stats::IndexStats;

use catch_up::Position;
use contacts::TenantContacts;
use manual::ManualEntries;
use tenant::TenantIndex;

/// How the index behaves.
#[derive(Debug, Clone)]
pub struct IndexSettings {
    /// The memory the loaded tenants may take (approximate), `SCRM_INDEX_MAX_MB`.
    pub max_bytes: usize,
    /// How long a request waits for the index to apply the log before SQL answers it.
    pub catch_up_bound: Duration,
    /// Log rows read per statement.
    pub batch: u32,
    /// Most log rows applied by one catch-up (more: the index is behind and declines).
    pub max_changes: usize,
    /// Log rows older than this are trimmed; an instance that could not read the log for
    /// half of it starts over.
    pub keep_log: Duration,
    /// How often an instance trims the log.
    pub trim_every: Duration,
}

impl Default for IndexSettings {
    fn default() -> Self {
        Self {
            max_bytes: 1024 << 20,
            catch_up_bound: Duration::from_millis(250),
            batch: 5000,
            max_changes: 50_000,
            keep_log: Duration::from_secs(3600),
            trim_every: Duration::from_secs(60),
        }
    }
}

/// How far the log is applied, readable without waiting for a running catch-up.
#[derive(Debug, Clone, Copy, Default)]
struct Progress {
    /// When the last catch-up finished.
    last_ok: Option<Instant>,
    /// Every change up to this sequence number is applied.
    applied: Option<i64>,
}

/// How long one try of a load waits for the log to be caught up, and how long the load tries
/// (a try may end at once, while a transaction older than the log's start still runs).
const LOAD_WAIT: Duration = Duration::from_secs(2);
const LOAD_PATIENCE: Duration = Duration::from_secs(10);

/// A loaded tenant's customers, manual entries and contacts. Requests read it side by side; the
/// catch-up writes it, holding only this tenant (the state's lock is held for lookups, never
/// while a tenant is read or written).
struct Loaded {
    index: TenantIndex,
    /// `None`: the source does not keep manual entries (the manual lists decline).
    manual: Option<Box<ManualEntries>>,
    /// `None`: the source does not keep contacts (findcontactbytagAll declines).
    contacts: Option<Box<TenantContacts>>,
}

type Shared = Arc<tokio::sync::RwLock<Loaded>>;

enum Slot {
    /// Being loaded; changes seen meanwhile are re-read when the load ends.
    Loading { pending: BTreeSet<ChangeSubject> },
    Ready {
        loaded: Shared,
        /// Its customers, live and binned, as of the last change applied.
        customers: usize,
        /// Its contacts, as of the last change applied.
        contacts: usize,
        bytes: usize,
        used: u64,
    },
    /// Too big for the budget or not indexable (ids beyond `u32`): SQL answers.
    Refused,
}

#[derive(Default)]
struct State {
    tenants: HashMap<AdminUserId, Slot>,
    tick: u64,
}

impl State {
    /// The loaded tenants as (last use, tenant, bytes), least recently used first.
    fn ready(&self) -> Vec<(u64, AdminUserId, usize)> {
        let mut ready: Vec<(u64, AdminUserId, usize)> = self
            .tenants
            .iter()
            .filter_map(|(t, s)| match s {
                Slot::Ready { bytes, used, .. } => Some((*used, *t, *bytes)),
                _ => None,
            })
            .collect();
        ready.sort_unstable();
        ready
    }
}

#[derive(Default)]
struct Log {
    position: Option<Position>,
    /// Set when a single server's cursor started: transactions older than this may still commit numbers
    /// below its start, so nothing is loaded until none runs.
    barrier: Option<DateTime<Utc>>,
    /// When the last catch-up started, and whether it finished: a request that arrived
    /// before it takes its outcome instead of reading the log again.
    last_try: Option<(Instant, bool)>,
    last_ok: Option<Instant>,
    last_trim: Option<Instant>,
}

struct Inner {
    source: Arc<dyn IndexSource>,
    settings: IndexSettings,
    state: Mutex<State>,
    log: tokio::sync::Mutex<Log>,
    progress: Mutex<Progress>,
    /// Requests answered and declined.
    answered: AtomicU64,
    declined: AtomicU64,
}

/// The roaring-bitmap customer index over an [`IndexSource`].
#[derive(Clone)]
pub struct RoaringIndex {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for RoaringIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoaringIndex")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

/// A catch-up that could not finish.
enum Behind {
    Store(StoreError),
    /// Transactions older than the cursor's start are still running, too many changes, or
    /// the catch-up this one waited for did not finish.
    NotYet,
}

impl From<StoreError> for Behind {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl RoaringIndex {
    /// An empty index; tenants load on first use.
    pub fn new(source: Arc<dyn IndexSource>, settings: IndexSettings) -> Self {
        Self {
            inner: Arc::new(Inner {
                source,
                settings,
                state: Mutex::new(State::default()),
                log: tokio::sync::Mutex::new(Log::default()),
                progress: Mutex::new(Progress::default()),
                answered: AtomicU64::new(0),
                declined: AtomicU64::new(0),
            }),
        }
    }

    /// Loads a tenant now (at start, or in tests); whether it is loaded afterwards (a tenant
    /// over the budget is not).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    pub async fn load_tenant(&self, tenant: AdminUserId) -> Result<bool, StoreError> {
        loop {
            let mine = {
                let mut st = self.inner.lock();
                match st.tenants.get(&tenant) {
                    Some(Slot::Ready { .. }) => return Ok(true),
                    Some(Slot::Refused) => return Ok(false),
                    Some(Slot::Loading { .. }) => false,
                    None => {
                        st.tenants.insert(
                            tenant,
                            Slot::Loading {
                                pending: BTreeSet::new(),
                            },
                        );
                        true
                    }
                }
            };
            if mine {
                return self.inner.clone().load_owned(tenant).await;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Whether the tenant is answered by the index; starts loading it when it is not there.
    fn ready_or_start(&self, tenant: AdminUserId) -> bool {
        let mut st = self.inner.lock();
        match st.tenants.get(&tenant) {
            Some(Slot::Ready { .. }) => true,
            Some(_) => false,
            None => {
                let Ok(rt) = tokio::runtime::Handle::try_current() else {
                    return false;
                };
                st.tenants.insert(
                    tenant,
                    Slot::Loading {
                        pending: BTreeSet::new(),
                    },
                );
                let inner = self.inner.clone();
                rt.spawn(async move {
                    if let Err(e) = inner.load_owned(tenant).await {
                        tracing::warn!(tenant = tenant.0, error = %e, "customer index: load failed");
                    }
                });
                false
            }
        }
    }

    /// Answers from a ready, caught-up tenant.
    async fn answer<T>(
        &self,
        tenant: AdminUserId,
        f: impl FnOnce(&TenantIndex) -> Option<T>,
    ) -> Option<T> {
        self.answer_ready(tenant, |index, _| f(index)).await
    }

    /// Answers from a ready, caught-up tenant's customers and manual entries, counting
    /// answers and declines.
    async fn answer_ready<T>(
        &self,
        tenant: AdminUserId,
        f: impl FnOnce(&TenantIndex, Option<&ManualEntries>) -> Option<T>,
    ) -> Option<T> {
        let answer = self
            .answer_now(tenant, |index, manual, _| f(index, manual))
            .await;
        self.counted(answer)
    }

    /// Answers from a ready, caught-up tenant's customers, manual entries and contacts.
    async fn answer_now<T>(
        &self,
        tenant: AdminUserId,
        f: impl FnOnce(&TenantIndex, Option<&ManualEntries>, Option<&TenantContacts>) -> Option<T>,
    ) -> Option<T> {
        let arrived = Instant::now();
        if !self.ready_or_start(tenant) || !self.inner.fresh(arrived).await {
            return None;
        }
        let loaded = {
            let mut st = self.inner.lock();
            st.tick += 1;
            let tick = st.tick;
            match st.tenants.get_mut(&tenant) {
                Some(Slot::Ready { loaded, used, .. }) => {
                    *used = tick;
                    Arc::clone(loaded)
                }
                _ => return None,
            }
        };
        // A catch-up writing the tenant (a rebuild after an import takes seconds) is waited
        // for within the request's bound, then SQL answers.
        let wait = self
            .inner
            .settings
            .catch_up_bound
            .saturating_sub(arrived.elapsed());
        let loaded = tokio::time::timeout(wait, loaded.read()).await.ok()?;
        f(
            &loaded.index,
            loaded.manual.as_deref(),
            loaded.contacts.as_deref(),
        )
    }
}

impl Inner {
    /// Records a finished catch-up (`applied`: `Cursor::applied`; `None` after a reset).
    fn set_progress(&self, last_ok: Option<Instant>, applied: Option<i64>) {
        let mut p = self
            .progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *p = Progress { last_ok, applied };
    }

    fn progress(&self) -> Progress {
        *self
            .progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the state was held leaves bitmaps that may be half updated: start
        // over rather than answer from them.
        self.state.lock().unwrap_or_else(|poisoned| {
            let mut st = poisoned.into_inner();
            st.tenants.clear();
            self.state.clear_poison();
            st
        })
    }

    /// Loads a tenant whose `Loading` slot this call owns.
    async fn load_owned(self: Arc<Self>, tenant: AdminUserId) -> Result<bool, StoreError> {
        let result = self.load_inner(tenant).await;
        if !matches!(result, Ok(true)) {
            let mut st = self.lock();
            if matches!(st.tenants.get(&tenant), Some(Slot::Loading { .. })) {
                st.tenants.remove(&tenant);
            }
        }
        result
    }

    async fn load_inner(self: &Arc<Self>, tenant: AdminUserId) -> Result<bool, StoreError> {
        // The cursor must exist (and be past its barrier) before the snapshot, so that every
        // change after the snapshot is read from the log. A load may wait longer than a
        // request (it runs beside the requests, which SQL answers meanwhile).
        let give_up = Instant::now() + LOAD_PATIENCE;
        while !self.fresh_within(Instant::now(), LOAD_WAIT).await {
            if Instant::now() >= give_up {
                return Ok(false);
            }
            tokio::time::sleep(LOAD_WAIT / 10).await;
        }
        let customers = self.source.tenant(tenant).await?;
        // Building spells every name (pinyin) and sorts the tenant: seconds for a few hundred
        // thousand customers, so off the runtime's worker threads, which keep answering.
        let built = tokio::task::spawn_blocking(move || TenantIndex::build(&customers)).await;
        let Ok(Ok(mut index)) = built else {
            self.lock().tenants.insert(tenant, Slot::Refused);
            return Ok(false);
        };
        let mut manual = manual::load(self.source.as_ref(), tenant).await?;
        let mut contacts = contacts::load(self.source.as_ref(), tenant).await?;
        loop {
            let pending = {
                let mut st = self.lock();
                let Some(Slot::Loading { pending }) = st.tenants.get_mut(&tenant) else {
                    return Ok(false);
                };
                let pending = std::mem::take(pending);
                if pending.is_empty() {
                    let bytes = index.bytes()
                        + manual.as_ref().map_or(0, |m| m.bytes())
                        + contacts.as_ref().map_or(0, |c| c.bytes());
                    st.tick += 1;
                    let used = st.tick;
                    let customers = index.entries.len();
                    let n_contacts = contacts.as_ref().map_or(0, |c| c.len());
                    st.tenants.insert(
                        tenant,
                        Slot::Ready {
                            loaded: Arc::new(tokio::sync::RwLock::new(Loaded {
                                index,
                                manual,
                                contacts,
                            })),
                            customers,
                            contacts: n_contacts,
                            bytes,
                            used,
                        },
                    );
                    return Ok(self.enforce_budget(&mut st, tenant));
                }
                pending
            };
            let subjects: Vec<ChangeSubject> = pending.into_iter().collect();
            let (ids, contact_ids) = split(&subjects);
            let now = self.source.customers(&ids, &contact_ids).await?;
            let now_manual = manual::fetch(self.source.as_ref(), &subjects).await?;
            manual::apply(&mut manual, tenant, &subjects, &now_manual);
            let now_contacts = contacts::fetch(self.source.as_ref(), &subjects).await?;
            contacts::apply(&mut contacts, tenant, &subjects, &now_contacts);
            if apply(&mut index, tenant, &subjects, &now).is_err() {
                self.lock().tenants.insert(tenant, Slot::Refused);
                return Ok(false);
            }
        }
    }

    /// Drops least recently used tenants until the loaded ones fit; whether `kept` stays.
    fn enforce_budget(&self, st: &mut State, kept: AdminUserId) -> bool {
        loop {
            let ready = st.ready();
            let total: usize = ready.iter().map(|r| r.2).sum();
            if total <= self.settings.max_bytes {
                return true;
            }
            let victim = ready.iter().find(|r| r.1 != kept).map_or(kept, |r| r.1);
            tracing::info!(
                tenant = victim.0,
                "customer index: dropped for the memory budget"
            );
            if victim == kept {
                st.tenants.insert(kept, Slot::Refused);
                return false;
            }
            st.tenants.remove(&victim);
        }
    }
}

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
