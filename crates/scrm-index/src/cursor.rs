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
//! A store with several primaries (Galera) keeps its log in lanes instead (`lanes.rs`): this
//! cursor is a single server's.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

/// The read position in the change log.
#[derive(Debug, Clone, Default)]
pub struct Cursor {
    floor: i64,
    seen: BTreeSet<i64>,
    gaps: BTreeMap<i64, DateTime<Utc>>,
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
    /// closed (`closable`: those noticed at or before it, as the store said before the read
    /// that no transaction that started at or before it was still running), and the store's
    /// time `now`, taken after the read, for gaps noticed now.
    pub fn record(
        &mut self,
        read: impl IntoIterator<Item = i64>,
        closable: Option<DateTime<Utc>>,
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
        if let Some(upto) = closable {
            self.gaps.retain(|_, noticed| *noticed > upto);
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
        c.record([2, 4], Some(t(5)), t(7));
        assert_eq!(c.floor(), 2);
        assert_eq!(c.oldest_gap(), Some(t(7)));
        c.record([4], Some(t(7)), t(8));
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
