//! Needles their grams do not decide, kept once checked. A pinyin term such as `wang` has
//! pairs (`wa`, `an`, `ng`) and triples (`wan`, `ang`) that a large part of a tenant holds,
//! so its candidates are tens of thousands of customers, each checked against its
//! spellings: milliseconds a request where a gram costs microseconds. The customers of the
//! whole tenant (live and binned) matching such a needle are kept as a bitmap the first
//! time, so the next request for it is an AND like a tag's. Kept exact: every customer
//! placed in the tenant is checked against each kept needle, every one taken out leaves
//! them all ([`Checked::place`], [`Checked::take`]); a rebuild of the tenant starts with
//! none. Bounded: the [`KEPT`] most recently used needles of a tenant.

use std::collections::HashMap;

use roaring::RoaringBitmap;

use crate::query::Field;
use crate::tenant::Entry;

/// Needles kept per tenant (a few in the unit tests, so that they drop some).
pub(crate) const KEPT: usize = if cfg!(test) { 4 } else { 32 };

/// Fewer candidates than this are checked at each request and not kept (few in the unit
/// tests, whose tenants are small, so that their random writes and terms go through it).
pub(crate) const KEEP_FROM: u64 = if cfg!(test) { 8 } else { 2_048 };

/// A tenant's kept needles.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    /// Per field, per needle (looked up by `&str`: no allocation per request).
    needles: HashMap<Field, HashMap<Box<str>, Kept>>,
    tick: u64,
}

#[derive(Debug)]
struct Kept {
    /// The slots whose field holds the needle.
    matching: RoaringBitmap,
    /// When it was last asked for (`Checked::tick`).
    used: u64,
}

impl Checked {
    /// The customers matching a kept needle, marking it used.
    pub fn get(&mut self, field: Field, needle: &str) -> Option<&RoaringBitmap> {
        self.tick += 1;
        let tick = self.tick;
        let kept = self.needles.get_mut(&field)?.get_mut(needle)?;
        kept.used = tick;
        Some(&kept.matching)
    }

    /// Keeps a needle's matching customers, dropping the least recently used needle when
    /// [`KEPT`] are kept.
    pub fn keep(&mut self, field: Field, needle: &str, matching: RoaringBitmap) {
        if self.needles.values().map(HashMap::len).sum::<usize>() >= KEPT {
            let oldest = self
                .needles
                .iter()
                .flat_map(|(f, m)| m.iter().map(move |(n, k)| (k.used, *f, n.clone())))
                .min_by_key(|(used, _, _)| *used);
            if let Some((_, f, n)) = oldest
                && let Some(m) = self.needles.get_mut(&f)
            {
                m.remove(&n);
            }
        }
        self.tick += 1;
        let used = self.tick;
        self.needles
            .entry(field)
            .or_default()
            .insert(Box::from(needle), Kept { matching, used });
    }

    /// A customer placed at its slot: added to the needles its fields hold.
    pub fn place(&mut self, e: &Entry) {
        for (field, kept) in &mut self.needles {
            for (needle, k) in kept {
                if field.holds(e, needle) {
                    k.matching.insert(e.slot);
                }
            }
        }
    }

    /// A customer taken out of its slot.
    pub fn take(&mut self, slot: u32) {
        for kept in self.needles.values_mut().flat_map(HashMap::values_mut) {
            kept.matching.remove(slot);
        }
    }

    /// The bitmaps kept.
    pub fn bitmaps(&self) -> impl Iterator<Item = (&str, &RoaringBitmap)> {
        self.needles
            .values()
            .flatten()
            .map(|(needle, k)| (needle.as_ref(), &k.matching))
    }
}
