//! What a tenant's index costs in memory: the estimate behind `SCRM_INDEX_MAX_MB`, counted
//! from what the maps, bitmaps and texts have allocated (its customers and its contacts).

use std::collections::HashMap;

use roaring::RoaringBitmap;

use crate::contacts::{self, TenantContacts};
use crate::tenant::{Entry, TenantIndex};

impl Entry {
    /// Approximate bytes of its allocations (tags and texts).
    pub(crate) fn heap_bytes(&self) -> usize {
        heap(self.tags.len() * 8)
            + self
                .names
                .iter()
                .chain([&self.phone])
                .flatten()
                .map(|n| heap(n.len()))
                .sum::<usize>()
            + heap(self.spelled.len())
    }
}

impl TenantIndex {
    /// Approximate bytes held: what the maps and bitmaps have allocated (capacities, one
    /// record and one allocation per bitmap container) and the entries' texts.
    pub fn bytes(&self) -> usize {
        let entries = hashed(self.entries.capacity(), size_of::<(u32, Entry)>())
            + self.entries.values().map(Entry::heap_bytes).sum::<usize>();
        let bitmaps = [&self.live, &self.binned, &self.unsure, &self.unsure_phone]
            .into_iter()
            .map(bitmap_bytes)
            .sum::<usize>()
            + map_bytes(&self.owners_live)
            + map_bytes(&self.owners_binned)
            + map_bytes(&self.wechat)
            + map_bytes(&self.tags)
            + map_bytes(&self.chars)
            + map_bytes(&self.spelled_chars)
            + map_bytes(&self.pairs)
            + map_bytes(&self.spelled_pairs)
            + map_bytes(&self.spelled_triples)
            + self.checked_bytes()
            + map_bytes(&self.phone3);
        entries
            + bitmaps
            + hashed(self.ids.capacity(), size_of::<(u32, u32)>())
            // B-tree nodes, about two thirds full.
            + self.order.len() * size_of::<((i64, u32), u32)>() * 3 / 2
            + self.bin.len() * size_of::<(i64, u32)>() * 3 / 2
    }
}

impl TenantContacts {
    /// Approximate bytes held: the entries (a map slot and the tags' allocation each) and
    /// the bitmaps.
    pub fn bytes(&self) -> usize {
        hashed(self.entries.capacity(), size_of::<(u32, contacts::Entry)>())
            + self
                .entries
                .values()
                .map(|e| heap(e.tags.len() * 8))
                .sum::<usize>()
            + bitmap_bytes(&self.all)
            + map_bytes(&self.owners)
            + map_bytes(&self.wechat)
            + map_bytes(&self.tags)
    }
}

/// Bytes of a hash map's table of `capacity` entries of `size` bytes (a control byte each,
/// at most 7/8 full).
fn hashed(capacity: usize, size: usize) -> usize {
    capacity * (size + 1) * 8 / 7
}

impl TenantIndex {
    /// Bytes of the kept needles' bitmaps (`checked.rs`).
    fn checked_bytes(&self) -> usize {
        let checked = self
            .checked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        checked
            .bitmaps()
            .map(|(needle, b)| heap(needle.len()) + bitmap_bytes(b) + 64)
            .sum()
    }
}

/// Bytes of one heap allocation of `n` bytes, with the allocator's header and rounding.
fn heap(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        (n + 8).next_multiple_of(16).max(32)
    }
}

/// Bytes a bitmap has allocated: a record per container and each container's values.
fn bitmap_bytes(b: &RoaringBitmap) -> usize {
    /// A container's record (its key and its store's pointer, length and capacity).
    const CONTAINER: usize = 32;
    let st = b.statistics();
    let n = usize::try_from(st.n_containers).unwrap_or(usize::MAX);
    // `statistics` counts an array container's capacity at 4 bytes a value; it holds u16s.
    let values =
        st.n_bytes_array_containers / 2 + st.n_bytes_bitset_containers + st.n_bytes_run_containers;
    heap(n * CONTAINER) + n * heap(1) + usize::try_from(values).unwrap_or(usize::MAX)
}

/// Bytes of a map of bitmaps.
fn map_bytes<K>(m: &HashMap<K, RoaringBitmap>) -> usize {
    m.capacity() * (size_of::<(K, RoaringBitmap)>() + 1) * 8 / 7
        + m.values().map(bitmap_bytes).sum::<usize>()
}
