//! Where an instance is in the change log, exactly, although sequence numbers commit out of
//! order.
//!
//! `floor`: every number at or below it has been applied or is known never to come. Above
//! it, `seen` (applied) and `gaps` (numbers below the highest seen one that were not in the
//! log when it was read, with the store's time when each was first noticed). Each read
//! starts again above `floor`, so a gap that commits later is read then. A gap is closed
//! (never coming: its transaction rolled back, or the number was skipped) only when the
//! store says that no transaction that started at or before the time it was noticed is still
//! running *and* a read after that still did not find it. Numbers at or below `floor` are
//! never read again.
//!
//! On a multi-primary cluster (Galera: each node takes the numbers of its own offset, a step
//! of the cluster's size apart) the store sees only its own node's transactions: a gap of
//! another node's numbers (or any gap while the numbering changed recently, a node having
//! joined or left) closes only once it was also noticed at least the settings' wait ago
//! ([`Closing::foreign_upto`]); docs/architecture.md says why that is enough.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use scrm_domain::customer::Numbering;

/// The read position in the change log.
#[derive(Debug, Clone, Default)]
pub struct Cursor {
    floor: i64,
    seen: BTreeSet<i64>,
    gaps: BTreeMap<i64, DateTime<Utc>>,
    /// The numbering last seen and the store's time since when it holds.
    numbering: Option<(Numbering, DateTime<Utc>)>,
}

/// Which gaps a read may close (the store said, before the read, that no transaction that
/// started at or before `upto` still runs on its server).
#[derive(Debug, Clone, Copy)]
pub struct Closing {
    /// Gaps of this server's numbers noticed at or before this may close.
    pub upto: DateTime<Utc>,
    /// Gaps of other primaries' numbers must also have been noticed at or before this (the
    /// store's time of the check less the wait for their transactions).
    pub foreign_upto: DateTime<Utc>,
    /// This server's numbering, `None` while it has not held for the wait (every gap is
    /// then treated as another primary's).
    pub own: Option<Numbering>,
}

impl Cursor {
    /// A cursor after `head`: the log up to it is taken as applied (the index loads tenants
    /// later, from a snapshot taken after this).
    pub fn at(head: i64) -> Self {
        Self {
            floor: head,
            ..Self::default()
        }
    }

    /// Where the next read starts (exclusive).
    pub fn floor(&self) -> i64 {
        self.floor
    }

    /// Every change committed up to this number, when the log was last read, is applied
    /// (the open gaps below it had not committed then): what the index is *behind* from.
    pub fn applied(&self) -> i64 {
        self.seen
            .last()
            .copied()
            .unwrap_or(self.floor)
            .max(self.floor)
    }

    /// Records the numbering the store reports at its time `now`; the numbering if it has
    /// held since at least `stable_since` (one with a step of 1, first seen, always has).
    pub fn observe(
        &mut self,
        numbering: Numbering,
        now: DateTime<Utc>,
        stable_since: DateTime<Utc>,
    ) -> Option<Numbering> {
        let since = match self.numbering {
            Some((n, since)) if n == numbering => since,
            None if !numbering.is_shared() => DateTime::<Utc>::MIN_UTC,
            _ => now,
        };
        self.numbering = Some((numbering, since));
        (since <= stable_since).then_some(numbering)
    }

    /// Whether `seq` still has to be applied.
    pub fn is_new(&self, seq: i64) -> bool {
        seq > self.floor && !self.seen.contains(&seq)
    }

    /// The time the oldest open gap was noticed.
    pub fn oldest_gap(&self) -> Option<DateTime<Utc>> {
        self.gaps.values().min().copied()
    }

    /// Whether recording `read` would notice new gaps (then the store's time after the read
    /// is needed).
    pub fn would_gap(&self, read: &[i64]) -> bool {
        let mut all: BTreeSet<i64> = self.seen.clone();
        all.extend(read.iter().copied().filter(|s| *s > self.floor));
        let mut next = self.floor + 1;
        all.iter().any(|s| {
            let gap = (next..*s).any(|g| !self.gaps.contains_key(&g));
            next = s + 1;
            gap
        })
    }

    /// Records a read: the numbers found (`read`, all above `floor`), which gaps may be
    /// closed (`closable`: no transaction old enough was running before the read), and the
    /// store's time `now`, taken after the read, for gaps noticed now.
    pub fn record(
        &mut self,
        read: impl IntoIterator<Item = i64>,
        closable: Option<Closing>,
        now: DateTime<Utc>,
    ) {
        for seq in read {
            if seq > self.floor {
                self.seen.insert(seq);
                self.gaps.remove(&seq);
            }
        }
        let mut next = self.floor + 1;
        let found: Vec<i64> = self
            .seen
            .iter()
            .flat_map(|s| {
                let missing = next..*s;
                next = s + 1;
                missing
            })
            .filter(|g| !self.gaps.contains_key(g))
            .collect();
        for g in found {
            self.gaps.insert(g, now);
        }
        if let Some(c) = closable {
            self.gaps.retain(|seq, noticed| {
                let own = c.own.is_some_and(|n| n.owns(*seq));
                *noticed
                    > if own {
                        c.upto
                    } else {
                        c.upto.min(c.foreign_upto)
                    }
            });
        }
        // Everything below the lowest gap is done.
        let low = self.gaps.keys().next().map_or(i64::MAX, |g| g - 1);
        let new_floor = low
            .min(self.seen.last().copied().unwrap_or(self.floor))
            .max(self.floor);
        self.seen = self.seen.split_off(&(new_floor + 1));
        self.floor = new_floor;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0).unwrap()
    }

    /// A single server's check: no transaction as old as `upto` runs.
    fn single(upto: DateTime<Utc>) -> Closing {
        Closing {
            upto,
            foreign_upto: upto,
            own: Some(Numbering::SINGLE),
        }
    }

    /// Galera node 1 of 3 (numbers 1, 4, 7, ..).
    const NODE1: Numbering = Numbering {
        increment: 3,
        offset: 1,
        epoch: 3,
    };

    #[test]
    fn on_galera_another_nodes_gap_waits_for_the_foreign_bound() {
        let mut c = Cursor::at(0);
        // Node 1 committed 1, 4 and 7; 2, 3, 5 and 6 are other nodes' numbers (maybe taken
        // by a transaction still running there, which node 1 cannot see).
        c.record([1, 4, 7], None, t(10));
        assert_eq!((c.floor(), c.applied()), (1, 7));
        // No local transaction as old runs, but the foreign numbers were noticed only 1 s
        // before the wait's limit allows: none closes.
        let early = Closing {
            upto: t(10),
            foreign_upto: t(9),
            own: Some(NODE1),
        };
        c.record([1, 4, 7], Some(early), t(11));
        assert_eq!(c.floor(), 1);
        // Node 2's 5 commits late: read, applied, the floor still held below it.
        c.record([5, 7], Some(early), t(12));
        assert!(!c.is_new(5));
        assert_eq!(c.floor(), 1);
        // Once the wait has passed, the gaps noticed at 10 close: 2, 3, 6; 8 was never noticed.
        let late = Closing {
            upto: t(10),
            foreign_upto: t(10),
            own: Some(NODE1),
        };
        c.record([7], Some(late), t(13));
        assert_eq!((c.floor(), c.applied()), (7, 7));
        assert!(c.oldest_gap().is_none());
    }

    #[test]
    fn on_galera_an_own_gap_closes_on_the_local_check_alone() {
        let mut c = Cursor::at(0);
        c.record([1, 2, 3, 7], None, t(10));
        // 4 is node 1's: the local check decides it; 5 and 6 wait.
        let check = Closing {
            upto: t(10),
            foreign_upto: t(0),
            own: Some(NODE1),
        };
        c.record([7], Some(check), t(11));
        assert_eq!(c.floor(), 4);
        // While the numbering changed recently, node 1's numbers wait as well.
        let mut c = Cursor::at(0);
        c.record([1, 2, 3, 7], None, t(10));
        c.record([7], Some(Closing { own: None, ..check }), t(11));
        assert_eq!(c.floor(), 3);
    }

    #[test]
    fn a_numbering_is_trusted_once_it_held_long_enough() {
        let mut c = Cursor::at(0);
        assert_eq!(
            c.observe(Numbering::SINGLE, t(5), t(0)),
            Some(Numbering::SINGLE)
        );
        assert_eq!(c.observe(NODE1, t(6), t(5)), None, "just changed");
        assert_eq!(c.observe(NODE1, t(9), t(5)), None);
        assert_eq!(c.observe(NODE1, t(12), t(6)), Some(NODE1));
        let two = Numbering {
            increment: 2,
            offset: 1,
            epoch: 4,
        };
        assert_eq!(c.observe(two, t(13), t(7)), None, "a node left");
        // A cluster first seen is trusted only after the wait.
        let mut c = Cursor::at(0);
        assert_eq!(c.observe(NODE1, t(5), t(0)), None);
        assert_eq!(c.observe(NODE1, t(9), t(5)), Some(NODE1));
    }

    #[test]
    fn numbers_belong_to_the_offset() {
        assert!(NODE1.owns(1) && NODE1.owns(4) && NODE1.owns(7));
        assert!(!NODE1.owns(2) && !NODE1.owns(3) && !NODE1.owns(6));
        assert!((1..10).all(|s| Numbering::SINGLE.owns(s)));
    }

    #[test]
    fn in_order_reads_advance_the_floor() {
        let mut c = Cursor::at(10);
        c.record([11, 12, 13], None, t(0));
        assert_eq!(c.floor(), 13);
        assert!(c.oldest_gap().is_none());
        assert!(!c.is_new(12) && c.is_new(14));
    }

    #[test]
    fn a_gap_holds_the_floor_until_it_commits() {
        let mut c = Cursor::at(10);
        c.record([11, 13, 14], None, t(0));
        assert_eq!(c.floor(), 11);
        assert!(c.oldest_gap().is_some());
        assert!(!c.is_new(13), "seen above the gap");
        assert!(c.is_new(12));
        // The next read starts at the floor again: 13 and 14 come back and are not new.
        c.record([12, 13, 14, 15], None, t(1));
        assert_eq!(c.floor(), 15);
        assert!(c.oldest_gap().is_none());
    }

    #[test]
    fn a_gap_closes_only_when_no_transaction_as_old_runs() {
        let mut c = Cursor::at(0);
        c.record([2], None, t(5));
        assert_eq!(c.oldest_gap(), Some(t(5)));
        // Transactions older than the gap still ran at the check: nothing closes.
        c.record([2], None, t(6));
        assert_eq!(c.floor(), 0);
        // A newer gap noticed later stays when only the first may close.
        c.record([2, 4], Some(single(t(5))), t(7));
        assert_eq!(c.floor(), 2);
        assert_eq!(c.oldest_gap(), Some(t(7)));
        c.record([4], Some(single(t(7))), t(8));
        assert_eq!(c.floor(), 4);
        assert!(c.oldest_gap().is_none());
    }

    #[test]
    fn would_gap_tells_whether_a_read_leaves_a_hole() {
        let mut c = Cursor::at(0);
        assert!(!c.would_gap(&[1, 2]));
        assert!(c.would_gap(&[1, 3]));
        c.record([1, 3], None, t(0));
        assert!(!c.would_gap(&[3]), "the known gap is not new");
        assert!(c.would_gap(&[3, 5]));
    }

    #[test]
    fn a_late_commit_below_seen_numbers_is_still_new() {
        let mut c = Cursor::at(0);
        c.record([1, 2, 5, 6], None, t(0));
        assert!(c.is_new(3) && c.is_new(4));
        c.record([3, 5, 6], None, t(1));
        assert!(c.is_new(4) && !c.is_new(3));
        assert_eq!(c.floor(), 3);
    }
}
