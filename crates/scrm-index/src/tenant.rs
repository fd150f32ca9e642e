//! One tenant's index: its customers' indexed fields (`Entry`) and the bitmaps over them.
//!
//! Bitmaps hold *slots*, not customer ids: a slot is a `u32` that grows with the list order
//! (`create_time`, then `id`), so the newest-first page of any bitmap is `select` from its
//! top and a time range is a slot range. Slots are spaced ([`SPACING`]) so a customer added
//! between two others (an import with an old time) takes a free slot between them; when none
//! is free the customers around it are re-slotted (`respace_around`), the whole tenant only
//! when no window around it has room, in memory.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use roaring::RoaringBitmap;
use scrm_domain::customer::IndexedCustomer;
use scrm_domain::search::spellings_of;

use crate::checked::Checked;
use crate::fold::fold_known;

/// The gap left between two slots when a tenant is (re)built. Small, so that a bitmap's
/// container (65,536 slots) holds thousands of customers: a sparse bitmap (a rare name pair,
/// a phone gram) then costs about its values, not a container each.
pub(crate) const SPACING: u32 = 8;

/// A customer id or time that does not fit the index (ids are `u32` here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unindexable;

/// What the index keeps of one customer.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub id: u32,
    pub slot: u32,
    /// `create_time` in milliseconds.
    pub time: i64,
    pub owner: i64,
    pub wechat: i64,
    /// `deleted_at` in milliseconds, when binned.
    pub deleted: Option<i64>,
    pub tags: Box<[i64]>,
    /// Customer name, contact nick name, remark name, folded where the collation's weights
    /// are known (`fold::fold_known`).
    pub names: [Option<Box<str>>; 3],
    /// Phone digits, folded alike.
    pub phone: Option<Box<str>>,
    /// The pinyin spellings of the three names (`search::spellings_of` of the names as
    /// stored), joined by spaces (no spelling holds one, nor does a term of `q`).
    pub spelled: Box<str>,
    /// A name has a character whose collation weight is not known here: a needle not found
    /// in them may still match in SQL (unless it is `fold::cjk_only`).
    pub unsure: bool,
    /// The phone has one.
    pub unsure_phone: bool,
}

impl Entry {
    pub(crate) fn of(c: &IndexedCustomer) -> Result<Self, Unindexable> {
        let id = u32::try_from(c.id.0).map_err(|_| Unindexable)?;
        // Each text folded, and whether it has an unsure character.
        let folded = |v: &Option<String>| -> (Option<Box<str>>, bool) {
            v.as_deref().map_or((None, false), |v| {
                let (f, unsure) = fold_known(v);
                (Some(f.into_boxed_str()), unsure)
            })
        };
        let names = [&c.customer_name, &c.contact_nick_name, &c.remark_name].map(folded);
        let unsure = names.iter().any(|n| n.1);
        let names = names.map(|n| n.0);
        let (phone, unsure_phone) = folded(&c.phone_digits);
        let spelled = spellings_of(
            [&c.customer_name, &c.contact_nick_name, &c.remark_name]
                .into_iter()
                .flatten()
                .map(String::as_str),
        )
        .join(" ");
        let mut tags: Vec<i64> = c.tags.iter().map(|t| t.0).collect();
        tags.sort_unstable();
        tags.dedup();
        Ok(Self {
            id,
            slot: 0,
            time: c.create_time.timestamp_millis(),
            owner: c.owner.0,
            wechat: c.wechat_user.0,
            deleted: c.deleted_at.map(|d| d.timestamp_millis()),
            tags: tags.into_boxed_slice(),
            names,
            phone,
            spelled: spelled.into_boxed_str(),
            unsure,
            unsure_phone,
        })
    }

    pub(crate) fn key(&self) -> (i64, u32) {
        (self.time, self.id)
    }

    /// The distinct characters and character pairs of the names (pairs within one name).
    fn name_grams(&self) -> Grams {
        grams(self.names.iter().flatten().map(AsRef::as_ref))
    }

    /// The distinct characters, character pairs and triples of the spellings (within one).
    fn spelled_grams(&self) -> (Grams, BTreeSet<[char; 3]>) {
        let triples = self
            .spelled
            .split(' ')
            .flat_map(|s| {
                let chars: Vec<char> = s.chars().collect();
                chars
                    .windows(3)
                    .map(|w| [w[0], w[1], w[2]])
                    .collect::<Vec<_>>()
            })
            .collect();
        (grams(self.spelled.split(' ')), triples)
    }

    /// The distinct 3-character substrings of the phone.
    fn phone_grams(&self) -> BTreeSet<[char; 3]> {
        let chars: Vec<char> = self.phone.as_deref().unwrap_or("").chars().collect();
        chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
    }
}

/// The distinct characters and pairs of adjacent characters of some texts.
type Grams = (BTreeSet<char>, BTreeSet<(char, char)>);

fn grams<'a>(texts: impl Iterator<Item = &'a str>) -> Grams {
    let mut one = BTreeSet::new();
    let mut two = BTreeSet::new();
    for text in texts {
        let chars: Vec<char> = text.chars().collect();
        one.extend(chars.iter().copied());
        two.extend(chars.windows(2).map(|w| (w[0], w[1])));
    }
    (one, two)
}

/// One tenant's entries and bitmaps.
#[derive(Debug, Default)]
pub(crate) struct TenantIndex {
    pub entries: HashMap<u32, Entry>,
    /// List key (time, id) -> slot.
    pub order: BTreeMap<(i64, u32), u32>,
    /// Slot -> customer id.
    pub ids: HashMap<u32, u32>,
    pub live: RoaringBitmap,
    pub binned: RoaringBitmap,
    /// Customers whose names (`unsure`) or phone (`unsure_phone`) are unsure.
    pub unsure: RoaringBitmap,
    pub unsure_phone: RoaringBitmap,
    /// Per owning account, its live and its binned customers: a sub-account's list reads its
    /// own bitmap as it is, with no intersection made per request.
    pub owners_live: HashMap<i64, RoaringBitmap>,
    pub owners_binned: HashMap<i64, RoaringBitmap>,
    pub wechat: HashMap<i64, RoaringBitmap>,
    pub tags: HashMap<i64, RoaringBitmap>,
    pub chars: HashMap<char, RoaringBitmap>,
    pub pairs: HashMap<(char, char), RoaringBitmap>,
    pub phone3: HashMap<[char; 3], RoaringBitmap>,
    /// Per character, character pair and triple of the names' pinyin spellings (`q`).
    pub spelled_chars: HashMap<char, RoaringBitmap>,
    pub spelled_pairs: HashMap<(char, char), RoaringBitmap>,
    pub spelled_triples: HashMap<[char; 3], RoaringBitmap>,
    /// The customers matching needles that their grams did not decide, kept exact through
    /// every change (`checked.rs`).
    pub checked: Mutex<Checked>,
    /// The recycle bin in its order: (deleted_at, id), read backwards.
    pub bin: BTreeSet<(i64, u32)>,
}

pub(crate) fn add<K: std::hash::Hash + Eq>(map: &mut HashMap<K, RoaringBitmap>, key: K, slot: u32) {
    map.entry(key).or_default().insert(slot);
}

pub(crate) fn take<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, RoaringBitmap>,
    key: K,
    slot: u32,
) {
    if let Some(b) = map.get_mut(&key) {
        b.remove(slot);
        if b.is_empty() {
            map.remove(&key);
        }
    }
}

impl TenantIndex {
    /// A tenant's index from all of its customers.
    pub fn build(customers: &[IndexedCustomer]) -> Result<Self, Unindexable> {
        let entries = customers
            .iter()
            .map(Entry::of)
            .collect::<Result<Vec<_>, _>>()?;
        Self::of_entries(entries)
    }

    pub(crate) fn of_entries(mut entries: Vec<Entry>) -> Result<Self, Unindexable> {
        entries.sort_unstable_by_key(Entry::key);
        let n = u32::try_from(entries.len()).map_err(|_| Unindexable)?;
        let spacing = (u32::MAX / n.saturating_add(2)).clamp(1, SPACING);
        let mut t = Self::default();
        for (i, mut e) in (1..).zip(entries) {
            e.slot = spacing.saturating_mul(i);
            t.place(e);
        }
        t.optimize();
        Ok(t)
    }

    fn optimize(&mut self) {
        for b in [
            &mut self.live,
            &mut self.binned,
            &mut self.unsure,
            &mut self.unsure_phone,
        ] {
            b.optimize();
        }
        for map in [
            &mut self.owners_live,
            &mut self.owners_binned,
            &mut self.wechat,
            &mut self.tags,
        ] {
            map.values_mut().for_each(|b| {
                b.optimize();
            });
        }
        for b in self
            .chars
            .values_mut()
            .chain(self.spelled_chars.values_mut())
            .chain(self.pairs.values_mut())
            .chain(self.spelled_pairs.values_mut())
            .chain(self.spelled_triples.values_mut())
            .chain(self.phone3.values_mut())
        {
            b.optimize();
        }
    }

    /// Adds an entry at its slot to every bitmap.
    pub(crate) fn place(&mut self, e: Entry) {
        let s = e.slot;
        self.order.insert(e.key(), s);
        self.ids.insert(s, e.id);
        match e.deleted {
            None => {
                self.live.insert(s);
                add(&mut self.owners_live, e.owner, s);
            }
            Some(d) => {
                self.binned.insert(s);
                self.bin.insert((d, e.id));
                add(&mut self.owners_binned, e.owner, s);
            }
        }
        if e.unsure {
            self.unsure.insert(s);
        }
        if e.unsure_phone {
            self.unsure_phone.insert(s);
        }
        add(&mut self.wechat, e.wechat, s);
        for t in &e.tags {
            add(&mut self.tags, *t, s);
        }
        let (one, two) = e.name_grams();
        for c in one {
            add(&mut self.chars, c, s);
        }
        for p in two {
            add(&mut self.pairs, p, s);
        }
        let ((one, two), three) = e.spelled_grams();
        for c in one {
            add(&mut self.spelled_chars, c, s);
        }
        for p in two {
            add(&mut self.spelled_pairs, p, s);
        }
        for t in three {
            add(&mut self.spelled_triples, t, s);
        }
        for g in e.phone_grams() {
            add(&mut self.phone3, g, s);
        }
        self.checked_mut().place(&e);
        self.entries.insert(e.id, e);
    }

    /// Removes a customer from every bitmap; whether it was there.
    pub fn remove(&mut self, id: u32) -> bool {
        self.take_out(id).is_some()
    }

    /// Removes a customer from every bitmap and gives back its entry.
    pub(crate) fn take_out(&mut self, id: u32) -> Option<Entry> {
        let e = self.entries.remove(&id)?;
        let s = e.slot;
        self.order.remove(&e.key());
        self.ids.remove(&s);
        self.live.remove(s);
        self.binned.remove(s);
        self.unsure.remove(s);
        self.unsure_phone.remove(s);
        match e.deleted {
            None => take(&mut self.owners_live, e.owner, s),
            Some(d) => {
                self.bin.remove(&(d, e.id));
                take(&mut self.owners_binned, e.owner, s);
            }
        }
        take(&mut self.wechat, e.wechat, s);
        for t in &e.tags {
            take(&mut self.tags, *t, s);
        }
        let (one, two) = e.name_grams();
        for c in one {
            take(&mut self.chars, c, s);
        }
        for p in two {
            take(&mut self.pairs, p, s);
        }
        let ((one, two), three) = e.spelled_grams();
        for c in one {
            take(&mut self.spelled_chars, c, s);
        }
        for p in two {
            take(&mut self.spelled_pairs, p, s);
        }
        for t in three {
            take(&mut self.spelled_triples, t, s);
        }
        for g in e.phone_grams() {
            take(&mut self.phone3, g, s);
        }
        self.checked_mut().take(s);
        Some(e)
    }

    /// The kept needles, to change (no lock: the tenant is held mutably).
    fn checked_mut(&mut self) -> &mut Checked {
        self.checked
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The customer id at a slot.
    pub fn id_at(&self, slot: u32) -> Option<u32> {
        self.ids.get(&slot).copied()
    }
}
