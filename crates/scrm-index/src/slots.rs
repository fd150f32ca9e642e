//! Placing a customer in list order among the others: a free slot between its neighbours,
//! else a window of customers around it re-slotted (a packed-memory array), else the tenant
//! rebuilt; and many changes at once (an import) as one rebuild.

use scrm_domain::customer::IndexedCustomer;

use crate::tenant::{Entry, SPACING, TenantIndex, Unindexable};

impl TenantIndex {
    /// Adds or replaces a customer.
    pub fn upsert(&mut self, c: &IndexedCustomer) -> Result<(), Unindexable> {
        let mut e = Entry::of(c)?;
        self.remove(e.id);
        let key = e.key();
        let below = self.order.range(..key).next_back().map(|(_, s)| *s);
        let above = self.order.range(key..).next().map(|(_, s)| *s);
        let free = match (below, above) {
            (None, None) => Some(SPACING),
            (Some(b), None) => b.checked_add(SPACING).or_else(|| between(b, u32::MAX)),
            (None, Some(a)) => a
                .checked_sub(SPACING)
                .filter(|s| *s > 0)
                .or_else(|| between(0, a)),
            (Some(b), Some(a)) => between(b, a),
        };
        match free {
            Some(slot) => {
                e.slot = slot;
                self.place(e);
                Ok(())
            }
            None => self.respace_around(e),
        }
    }

    /// Places `e` where no slot is free between its neighbours: the smallest window of
    /// customers around its key (16 on each side, doubling) whose slots leave room enough is
    /// re-slotted evenly, `e` among them (at [`SPACING`] apart when the window reaches the
    /// top, where the slots are unbounded); the whole tenant is rebuilt when no window has
    /// room. As in a packed-memory array, a wider window must leave more room (a step of 2
    /// for the first, up to half of [`SPACING`]), so that the windows inside one just
    /// re-slotted have room for the next additions there.
    fn respace_around(&mut self, e: Entry) -> Result<(), Unindexable> {
        let key = e.key();
        let mut half = 16;
        let mut needed = 2;
        loop {
            // Up to `half` customers on each side move; the next one beyond (if any) bounds
            // the slots they may take.
            let below: Vec<(i64, u32)> = self
                .order
                .range(..key)
                .rev()
                .take(half + 1)
                .map(|(k, _)| *k)
                .collect();
            let above: Vec<(i64, u32)> = self
                .order
                .range(key..)
                .take(half + 1)
                .map(|(k, _)| *k)
                .collect();
            let low = if below.len() > half {
                self.order[&below[half]]
            } else {
                0
            };
            let high = (above.len() > half).then(|| self.order[&above[half]]);
            let moving: Vec<u32> = below
                .iter()
                .take(half)
                .chain(above.iter().take(half))
                .map(|k| k.1)
                .collect();
            let count = u32::try_from(moving.len() + 1).map_err(|_| Unindexable)?;
            let even = (high.unwrap_or(u32::MAX) - low) / (count + 1);
            let step = if high.is_some() {
                even
            } else {
                even.min(SPACING)
            };
            if step >= needed {
                let mut window: Vec<Entry> =
                    moving.iter().filter_map(|id| self.take_out(*id)).collect();
                window.push(e);
                window.sort_unstable_by_key(Entry::key);
                for (i, mut w) in (1..).zip(window) {
                    w.slot = low + step * i;
                    self.place(w);
                }
                return Ok(());
            }
            if below.len() <= half && above.len() <= half {
                let mut all: Vec<Entry> = std::mem::take(&mut self.entries).into_values().collect();
                all.push(e);
                *self = Self::of_entries(all)?;
                return Ok(());
            }
            half *= 2;
            needed = (needed + 1).min(SPACING / 2);
        }
    }

    /// Applies many changes: each customer of `now` is added or replaced, each of `gone`
    /// removed. Past a few dozen additions the tenant is rebuilt from its entries once,
    /// instead of re-slotting whenever additions at one time fill a gap (an import).
    pub fn apply_many(
        &mut self,
        now: &[&IndexedCustomer],
        gone: &[u32],
    ) -> Result<(), Unindexable> {
        const REBUILD_FROM: usize = 64;
        if now.len() < REBUILD_FROM {
            for id in gone {
                self.remove(*id);
            }
            return now.iter().try_for_each(|c| self.upsert(c));
        }
        let fresh = now
            .iter()
            .map(|c| Entry::of(c))
            .collect::<Result<Vec<_>, _>>()?;
        let mut entries = std::mem::take(&mut self.entries);
        for id in gone.iter().chain(fresh.iter().map(|e| &e.id)) {
            entries.remove(id);
        }
        let mut all: Vec<Entry> = entries.into_values().collect();
        all.extend(fresh);
        *self = Self::of_entries(all)?;
        Ok(())
    }
}

/// A slot strictly between `low` and `high`, when there is one.
fn between(low: u32, high: u32) -> Option<u32> {
    (high.checked_sub(low)? >= 2).then(|| low + (high - low) / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(id: i64, time: i64) -> IndexedCustomer {
        crate::tests::customer(id, 1, 1, time)
    }

    /// Slots grow with the list order, each names its customer, and the bitmaps hold them.
    fn assert_ordered(t: &TenantIndex) {
        let slots: Vec<u32> = t.order.values().copied().collect();
        assert!(slots.windows(2).all(|w| w[0] < w[1]), "slots out of order");
        assert!(slots.first().is_none_or(|s| *s > 0));
        for (key, slot) in &t.order {
            assert_eq!(t.id_at(*slot), Some(key.1));
            assert_eq!(t.entries[&key.1].slot, *slot);
        }
        assert_eq!(t.live.len(), t.order.len() as u64);
        assert!(t.live.iter().eq(slots.iter().copied()));
        assert_eq!(&t.chars[&'客'], &t.live);
    }

    #[test]
    fn inserts_between_neighbours_re_slot_a_window_and_keep_the_order() {
        let mut t = TenantIndex::build(&(0..1000).map(|i| customer(i, i * 10)).collect::<Vec<_>>())
            .unwrap();
        assert_ordered(&t);
        // Many at one time, one after the other between the same two neighbours: windows
        // around them move, the rest keeps its slots.
        let far = t.entries[&900].slot;
        for id in 5000..5300 {
            t.upsert(&customer(id, 995)).unwrap();
            assert_ordered(&t);
        }
        assert_eq!(
            far, t.entries[&900].slot,
            "far away customers kept their slots"
        );
        // Before the first, after the last, and a move of an existing one.
        t.upsert(&customer(7000, -5)).unwrap();
        t.upsert(&customer(7001, 99_999)).unwrap();
        t.upsert(&customer(10, 4995)).unwrap();
        assert_ordered(&t);
        assert_eq!(t.entries.len(), 1302);
    }
}
