//! Catching up with the change log: read what committed above the cursor's floor, re-read
//! the changed customers of loaded tenants, apply it all at once (a catch-up cancelled by
//! its time bound changes nothing), and record what was read in the cursor.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use scrm_domain::customer::{ChangeSubject, IndexChange, IndexedCustomer, LaneHead};
use scrm_domain::{AdminUserId, ContactId, CustomerId};

use crate::cursor::Cursor;
use crate::lanes::Lanes;
use crate::tenant::{self, TenantIndex};
use crate::{Behind, Inner, Log, Slot};
use crate::{contacts, manual};

impl Inner {
    /// Whether every change committed before `arrived` is applied, catching up if needed
    /// within the bound.
    pub(crate) async fn fresh(self: &Arc<Self>, arrived: Instant) -> bool {
        self.fresh_within(arrived, self.settings.catch_up_bound)
            .await
    }

    /// The catch-up runs as a task of its own, which the bound stops waiting for but never
    /// cancels: cancelled inside a read, it would leave its pooled connection in the middle of
    /// a transaction (holding the snapshot and the tables' metadata locks until the next
    /// checkout). A late catch-up finishes for the next request.
    pub(crate) async fn fresh_within(self: &Arc<Self>, arrived: Instant, bound: Duration) -> bool {
        let inner = Arc::clone(self);
        let task = tokio::spawn(async move { inner.catch_up(arrived).await });
        match tokio::time::timeout(bound, task).await {
            Ok(Ok(Ok(()))) => true,
            Ok(Ok(Err(Behind::Store(e)))) => {
                tracing::warn!(error = %e, "customer index: cannot read the change log");
                false
            }
            Ok(Ok(Err(Behind::NotYet))) | Ok(Err(_)) | Err(_) => false,
        }
    }

    /// Applies every change committed before `arrived`. Callers queue on the log; one that
    /// arrived before the catch-up it waited for started takes that one's outcome, so
    /// concurrent requests share one read, also when it fails (a store that is down is
    /// asked once per round, not once per waiting request).
    pub(crate) async fn catch_up(&self, arrived: Instant) -> Result<(), Behind> {
        let mut log = self.log.lock().await;
        if let Some((start, ok)) = log.last_try
            && start >= arrived
        {
            return if ok { Ok(()) } else { Err(Behind::NotYet) };
        }
        let start = Instant::now();
        let result = self.catch_up_locked(&mut log).await;
        log.last_try = Some((start, result.is_ok()));
        result
    }

    async fn catch_up_locked(&self, log: &mut Log) -> Result<(), Behind> {
        let horizon = self.settings.keep_log / 2;
        if log.last_ok.is_some_and(|ok| ok.elapsed() > horizon) {
            // Log rows this instance never read may be trimmed: start over.
            tracing::warn!("customer index: the change log was not read for too long; reloading");
            self.restart(log);
        }
        if log.position.is_none() {
            log.position = Some(match self.source.lanes().await? {
                Some(heads) => Position::Laned(Lanes::at(&heads)),
                None => {
                    let head = self.source.head().await?;
                    let (now, _) = self.source.clock(None).await?;
                    log.barrier = Some(now);
                    Position::Single(Cursor::at(head))
                }
            });
        }
        if let Some(barrier) = log.barrier {
            let (_, running) = self.source.clock(Some(barrier)).await?;
            if running {
                return Err(Behind::NotYet);
            }
            log.barrier = None;
        }
        let read = match log.position.as_ref() {
            Some(Position::Single(cursor)) => self.read_single(cursor).await?,
            Some(Position::Laned(lanes)) => {
                let Some(read) = self.read_laned(lanes).await? else {
                    // The store no longer keeps lanes (no longer a cluster node): start over.
                    self.restart(log);
                    return Err(Behind::NotYet);
                };
                read
            }
            None => return Err(Behind::NotYet),
        };
        let Read { new, done, behind } = read;
        let wanted: Vec<ChangeSubject> = {
            let st = self.lock();
            let subjects: BTreeSet<ChangeSubject> = new
                .iter()
                .filter(|c| matches!(st.tenants.get(&c.tenant), Some(Slot::Ready { .. })))
                .map(|c| c.subject)
                .collect();
            subjects.into_iter().collect()
        };
        let fetched = if wanted.is_empty() {
            Vec::new()
        } else {
            let (ids, contacts) = split(&wanted);
            self.source.customers(&ids, &contacts).await?
        };
        let fetched_manual = manual::fetch(self.source.as_ref(), &wanted).await?;
        let fetched_contacts = contacts::fetch(self.source.as_ref(), &wanted).await?;
        let trim = log
            .last_trim
            .is_none_or(|t| t.elapsed() >= self.settings.trim_every);
        // Everything read: apply at once, each tenant under its own lock (requests to the
        // other tenants go on meanwhile).
        let mut per_tenant: HashMap<AdminUserId, Vec<ChangeSubject>> = HashMap::new();
        for c in &new {
            per_tenant.entry(c.tenant).or_default().push(c.subject);
        }
        let mut ready = Vec::new();
        {
            let mut st = self.lock();
            for (tenant, subjects) in per_tenant {
                match st.tenants.get_mut(&tenant) {
                    Some(Slot::Ready { loaded, .. }) => {
                        ready.push((tenant, Arc::clone(loaded), subjects));
                    }
                    Some(Slot::Loading { pending }) => pending.extend(subjects),
                    Some(Slot::Refused) | None => {}
                }
            }
        }
        for (tenant, loaded, subjects) in ready {
            let mut l = loaded.write().await;
            let l = &mut *l;
            let applied = apply(&mut l.index, tenant, &subjects, &fetched);
            manual::apply(&mut l.manual, tenant, &subjects, &fetched_manual);
            contacts::apply(&mut l.contacts, tenant, &subjects, &fetched_contacts);
            let mut st = self.lock();
            match (applied, st.tenants.get_mut(&tenant)) {
                (Err(_), _) => {
                    st.tenants.insert(tenant, Slot::Refused);
                }
                (
                    Ok(()),
                    Some(Slot::Ready {
                        customers,
                        contacts,
                        ..
                    }),
                ) => {
                    *customers = l.index.entries.len();
                    *contacts = l.contacts.as_ref().map_or(0, |c| c.len());
                }
                (Ok(()), _) => {}
            }
        }
        match (log.position.as_mut(), done) {
            (
                Some(Position::Single(cursor)),
                Done::Single {
                    seqs,
                    closable,
                    now,
                },
            ) => {
                cursor.record(seqs, closable, now);
            }
            (Some(Position::Laned(lanes)), Done::Laned(read)) => lanes.record(&read),
            _ => {}
        }
        if behind {
            return Err(Behind::NotYet);
        }
        log.last_ok = Some(Instant::now());
        self.set_progress(log.last_ok, log.position.as_ref().map(Position::applied));
        if trim {
            log.last_trim = Some(Instant::now());
            if let Err(e) = self.source.trim(self.settings.keep_log.as_secs()).await {
                tracing::warn!(error = %e, "customer index: cannot trim the change log");
            }
        }
        Ok(())
    }
}

impl Inner {
    /// Drops the position and every loaded tenant: the next catch-up starts over.
    fn restart(&self, log: &mut Log) {
        *log = Log::default();
        self.lock().tenants.clear();
        self.set_progress(None, None);
    }

    /// Reads a single server's log above the cursor's floor (the changes not applied yet),
    /// after asking which open gaps may close.
    async fn read_single(&self, cursor: &Cursor) -> Result<Read, Behind> {
        let closable = match cursor.oldest_gap() {
            Some(t) => {
                let (_, running) = self.source.clock(Some(t)).await?;
                (!running).then_some(t)
            }
            None => None,
        };
        let mut read: Vec<IndexChange> = Vec::new();
        let mut after = cursor.floor();
        let mut behind = false;
        loop {
            let batch = self.source.changes(after, self.settings.batch).await?;
            let full = self.full(batch.len());
            after = batch.last().map_or(after, |c| c.seq);
            read.extend(batch);
            if !full {
                break;
            }
            if read.len() >= self.settings.max_changes {
                behind = true;
                break;
            }
        }
        let seqs: Vec<i64> = read.iter().map(|c| c.seq).collect();
        // The store's time after the read, for the gaps it notices.
        let now = if cursor.would_gap(&seqs) {
            self.source.clock(None).await?.0
        } else {
            DateTime::<Utc>::MIN_UTC
        };
        let new = read.into_iter().filter(|c| cursor.is_new(c.seq)).collect();
        Ok(Read {
            new,
            done: Done::Single {
                seqs,
                closable,
                now,
            },
            behind,
        })
    }

    /// Reads the lanes whose heads moved, each above where it was read up to; `None` when
    /// the store keeps no lanes.
    async fn read_laned(&self, lanes: &Lanes) -> Result<Option<Read>, Behind> {
        let Some(heads) = self.source.lanes().await? else {
            return Ok(None);
        };
        let mut from = lanes.moved(&heads);
        let mut new: Vec<IndexChange> = Vec::new();
        let mut behind = false;
        while !from.is_empty() {
            let batch = self.source.lane_changes(&from, self.settings.batch).await?;
            let full = self.full(batch.len());
            Lanes::advance(&mut from, &batch);
            new.extend(batch.iter().map(|c| c.change));
            if !full {
                break;
            }
            if new.len() >= self.settings.max_changes {
                behind = true;
                break;
            }
        }
        Ok(Some(Read {
            new,
            done: Done::Laned(from),
            behind,
        }))
    }

    /// Whether a batch of `n` rows filled the batch size (more may follow).
    fn full(&self, n: usize) -> bool {
        n >= usize::try_from(self.settings.batch).unwrap_or(usize::MAX)
    }
}

/// Where the change log is read up to.
pub(crate) enum Position {
    /// A single server's log: one sequence with gaps (`cursor.rs`).
    Single(Cursor),
    /// A multi-primary cluster's: lanes (`lanes.rs`).
    Laned(Lanes),
}

impl Position {
    /// Every change committed up to this number, when the log was last read, is applied.
    pub(crate) fn applied(&self) -> i64 {
        match self {
            Self::Single(c) => c.applied(),
            Self::Laned(l) => l.applied(),
        }
    }
}

/// What a catch-up read: the changes to apply, what to record in the position once they
/// are, and whether more were left for the next one.
struct Read {
    new: Vec<IndexChange>,
    done: Done,
    behind: bool,
}

enum Done {
    Single {
        seqs: Vec<i64>,
        closable: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    },
    Laned(Vec<LaneHead>),
}

/// The customer ids and contact ids among change subjects (`manual::ids_of` has the manual
/// entries).
pub(crate) fn split(subjects: &[ChangeSubject]) -> (Vec<CustomerId>, Vec<ContactId>) {
    let mut ids = Vec::new();
    let mut contacts = Vec::new();
    for s in subjects {
        match s {
            ChangeSubject::Customer(id) => ids.push(*id),
            ChangeSubject::Contact(c) => contacts.push(*c),
            ChangeSubject::ManualEntry(_) => {}
        }
    }
    (ids, contacts)
}

/// Applies the current state (`now`: the customers that still exist, of the subjects' ids
/// and contacts) to a tenant's index: a customer that is gone or now in another tenant
/// leaves it.
pub(crate) fn apply(
    index: &mut TenantIndex,
    tenant: AdminUserId,
    subjects: &[ChangeSubject],
    now: &[IndexedCustomer],
) -> Result<(), tenant::Unindexable> {
    let by_id: HashMap<CustomerId, &IndexedCustomer> = now.iter().map(|c| (c.id, c)).collect();
    let mut by_contact: HashMap<ContactId, Vec<&IndexedCustomer>> = HashMap::new();
    for c in now {
        by_contact.entry(c.contact).or_default().push(c);
    }
    let mut touched: BTreeSet<CustomerId> = BTreeSet::new();
    for s in subjects {
        match s {
            ChangeSubject::Customer(id) => {
                touched.insert(*id);
            }
            ChangeSubject::Contact(c) => {
                touched.extend(by_contact.get(c).into_iter().flatten().map(|c| c.id));
            }
            ChangeSubject::ManualEntry(_) => {}
        }
    }
    let mut kept: Vec<&IndexedCustomer> = Vec::new();
    let mut gone: Vec<u32> = Vec::new();
    for id in touched {
        match by_id.get(&id) {
            Some(c) if c.tenant == tenant => kept.push(c),
            // An id beyond u32 was never indexed.
            _ => gone.extend(u32::try_from(id.0).ok()),
        }
    }
    index.apply_many(&kept, &gone)
}
