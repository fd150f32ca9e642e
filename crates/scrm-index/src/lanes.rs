//! Where an instance is in a change log kept in lanes (a store with several primaries,
//! `IndexSource::lanes`): per lane, the highest number read. Within a lane the numbers commit
//! in the order they were taken (a transaction holds its lane until it commits, on whichever
//! node it runs), so a lane read up to `n` holds every change of it at or below `n` that will
//! ever commit: no gaps to wait for, however long another node's transaction stays open.

use std::collections::BTreeMap;

use scrm_domain::customer::{LaneChange, LaneHead};

/// The read position per lane.
#[derive(Debug, Clone, Default)]
pub struct Lanes {
    at: BTreeMap<i64, i64>,
}

impl Lanes {
    /// Positions at these heads: what they hold is taken as applied (the index loads tenants
    /// later, from a snapshot taken after this).
    pub fn at(heads: &[LaneHead]) -> Self {
        Self {
            at: heads.iter().map(|h| (h.lane, h.seq)).collect(),
        }
    }

    /// The lanes whose head is past what was read, each with the number it was read up to
    /// (0 for a lane not seen before: all of it is new).
    pub fn moved(&self, heads: &[LaneHead]) -> Vec<LaneHead> {
        heads
            .iter()
            .filter_map(|h| {
                let at = self.at.get(&h.lane).copied().unwrap_or(0);
                (h.seq > at).then_some(LaneHead {
                    lane: h.lane,
                    seq: at,
                })
            })
            .collect()
    }

    /// Advances `from` (as [`Lanes::moved`] gave it) past a batch read from it.
    pub fn advance(from: &mut [LaneHead], batch: &[LaneChange]) {
        for c in batch {
            if let Some(f) = from.iter_mut().find(|f| f.lane == c.lane) {
                f.seq = f.seq.max(c.change.seq);
            }
        }
    }

    /// Records that the lanes were read up to these numbers.
    pub fn record(&mut self, read: &[LaneHead]) {
        for r in read {
            let at = self.at.entry(r.lane).or_default();
            *at = (*at).max(r.seq);
        }
    }

    /// The highest number read in any lane: every change committed up to it, when the lanes
    /// were last read, is applied.
    pub fn applied(&self) -> i64 {
        self.at.values().copied().max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scrm_domain::customer::{ChangeSubject, IndexChange};
    use scrm_domain::{AdminUserId, CustomerId};

    fn head(lane: i64, seq: i64) -> LaneHead {
        LaneHead { lane, seq }
    }

    fn change(lane: i64, seq: i64) -> LaneChange {
        LaneChange {
            lane,
            change: IndexChange {
                seq,
                tenant: AdminUserId(1),
                subject: ChangeSubject::Customer(CustomerId(seq)),
            },
        }
    }

    #[test]
    fn only_moved_lanes_are_read_and_a_new_lane_from_its_start() {
        let lanes = Lanes::at(&[head(16, 7), head(32, 9)]);
        assert_eq!(lanes.moved(&[head(16, 7), head(32, 9)]), vec![]);
        assert_eq!(
            lanes.moved(&[head(16, 7), head(32, 14), head(48, 3)]),
            vec![head(32, 9), head(48, 0)]
        );
        assert_eq!(lanes.applied(), 9);
    }

    #[test]
    fn a_lower_number_of_a_quiet_lane_is_read_after_higher_ones_of_others() {
        // Lane 48 (node 3) took 10 and holds it; lanes 16 and 32 commit 11..=40 meanwhile.
        let mut lanes = Lanes::at(&[head(16, 4), head(32, 5), head(48, 6)]);
        let mut from = lanes.moved(&[head(16, 40), head(32, 39), head(48, 6)]);
        let batch: Vec<LaneChange> = (11..=40).map(|s| change(16 + 16 * (s % 2), s)).collect();
        Lanes::advance(&mut from, &batch);
        lanes.record(&from);
        assert_eq!(lanes.applied(), 40);
        // However late it commits, 10 is above lane 48's position: read then.
        assert_eq!(
            lanes.moved(&[head(16, 40), head(32, 39), head(48, 10)]),
            vec![head(48, 6)]
        );
        let mut from = vec![head(48, 6)];
        Lanes::advance(&mut from, &[change(48, 10)]);
        lanes.record(&from);
        assert!(
            lanes
                .moved(&[head(16, 40), head(32, 39), head(48, 10)])
                .is_empty()
        );
    }
}
