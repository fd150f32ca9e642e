//! Answering a list from one tenant's index: the filter as bitmap operations, texts longer
//! than a gram checked on the candidates, the page by `select` from the top.

use std::borrow::Cow;
use std::ops::RangeInclusive;

use roaring::RoaringBitmap;
use scrm_domain::customer::{BinFilter, CustomerFilter, IndexedPage};
use scrm_domain::search::{SearchTerm, TagMode};
use scrm_domain::{CustomerId, OwnerFilter, Scope, TagId};

use crate::checked::KEEP_FROM;
use crate::fold::{cjk_only, fold_str};
use crate::tenant::{Entry, TenantIndex};

fn given(v: Option<&String>) -> Option<&str> {
    v.map(String::as_str).filter(|v| !v.is_empty())
}

/// A customer's state in the lists: live, or in the recycle bin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Live,
    Binned,
}

/// Which of an entry's texts a needle is looked for in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    /// Customer name, contact nick name or remark name (folded).
    Names,
    RemarkName,
    Phone,
    /// The pinyin spellings of the names (as spelled, lower case: compared exactly).
    Spelled,
}

impl Field {
    pub(crate) fn holds(self, e: &Entry, needle: &str) -> bool {
        let has = |v: &Option<Box<str>>| v.as_deref().is_some_and(|v| v.contains(needle));
        match self {
            Self::Names => e.names.iter().any(has),
            Self::RemarkName => has(&e.names[2]),
            Self::Phone => has(&e.phone),
            Self::Spelled => e.spelled.contains(needle),
        }
    }

    /// The customers for whom a needle not found in this field may still match in SQL,
    /// unless it is `cjk_only` (none for the spellings, compared exactly).
    fn unsure(self, t: &TenantIndex) -> Option<&RoaringBitmap> {
        match self {
            Self::Names | Self::RemarkName => Some(&t.unsure),
            Self::Phone => Some(&t.unsure_phone),
            Self::Spelled => None,
        }
    }
}

/// The bitmaps of a needle's 3-character grams.
fn triples<'a>(
    map: &'a std::collections::HashMap<[char; 3], RoaringBitmap>,
    needle: &[char],
) -> Vec<Option<&'a RoaringBitmap>> {
    needle
        .windows(3)
        .map(|w| map.get(&[w[0], w[1], w[2]]))
        .collect()
}

/// `found` AND each of `grams`, stopping once empty.
fn intersect(mut found: RoaringBitmap, grams: &[&RoaringBitmap]) -> RoaringBitmap {
    for b in grams {
        if found.is_empty() {
            break;
        }
        found &= *b;
    }
    found
}

impl TenantIndex {
    /// The scope's live or binned customers, as the index holds them: the tenant's, or the
    /// account's own (no copy, no intersection; a filter copies the set when it narrows it).
    fn of_scope(&self, scope: &Scope, state: State) -> Cow<'_, RoaringBitmap> {
        let (all, by_owner) = match state {
            State::Live => (&self.live, &self.owners_live),
            State::Binned => (&self.binned, &self.owners_binned),
        };
        match scope.owner_filter() {
            OwnerFilter::Tenant(_) => Cow::Borrowed(all),
            OwnerFilter::Account(a) => by_owner
                .get(&a.0)
                .map_or_else(|| Cow::Owned(RoaringBitmap::new()), Cow::Borrowed),
        }
    }

    /// The slots of customers created within `begin..=end` (milliseconds), if any.
    fn slots_between(&self, begin: Option<i64>, end: Option<i64>) -> Option<RangeInclusive<u32>> {
        let low = self
            .order
            .range((begin.unwrap_or(i64::MIN), 0)..)
            .next()
            .map(|(_, s)| *s)?;
        let high = self
            .order
            .range(..=(end.unwrap_or(i64::MAX), u32::MAX))
            .next_back()
            .map(|(_, s)| *s)?;
        (low <= high).then_some(low..=high)
    }

    /// The bitmaps of a needle's grams in a field, when the field has grams: the needle's
    /// character (one character), its pairs (names; spellings of two characters), its
    /// triples (spellings of three or more), its 3-digit grams (phone), and whether they
    /// decide the needle alone (else the candidates are checked).
    fn grams_of(
        &self,
        needle: &[char],
        field: Field,
    ) -> Option<(Vec<Option<&RoaringBitmap>>, bool)> {
        let (chars, pairs) = match field {
            Field::Names => (&self.chars, &self.pairs),
            Field::Spelled if needle.len() >= 3 => {
                return Some((triples(&self.spelled_triples, needle), needle.len() == 3));
            }
            Field::Spelled => (&self.spelled_chars, &self.spelled_pairs),
            Field::Phone if needle.len() >= 3 => {
                return Some((triples(&self.phone3, needle), needle.len() == 3));
            }
            Field::Phone | Field::RemarkName => return None,
        };
        match needle {
            [] => None,
            [c] => Some((vec![chars.get(c)], true)),
            _ => {
                let grams = needle
                    .windows(2)
                    .map(|w| pairs.get(&(w[0], w[1])))
                    .collect();
                Some((grams, needle.len() == 2))
            }
        }
    }

    /// The members of `set` whose field contains `needle` (folded for every field but the
    /// spellings): the AND of its grams' bitmaps, checked on the candidates when the grams
    /// do not decide it. Many candidates are checked over the whole tenant once and the
    /// result kept (`checked.rs`). (Of an unsure customer, only what is found is sure.)
    fn within(&self, set: &RoaringBitmap, needle: &str, field: Field) -> RoaringBitmap {
        let chars: Vec<char> = needle.chars().collect();
        let (found, grams) = match self.grams_of(&chars, field) {
            Some((grams, decided)) => {
                let Some(mut grams) = grams.into_iter().collect::<Option<Vec<_>>>() else {
                    return RoaringBitmap::new();
                };
                grams.sort_unstable_by_key(|b| b.len());
                let found = match grams.split_first() {
                    Some((first, rest)) => intersect(set & *first, rest),
                    None => set.clone(),
                };
                if decided {
                    return found;
                }
                (found, grams)
            }
            None => (set.clone(), Vec::new()),
        };
        if found.len() < KEEP_FROM {
            return self.check(found, needle, field);
        }
        let mut checked = self
            .checked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(matching) = checked.get(field, needle) {
            return found & matching;
        }
        let candidates = match grams.split_first() {
            Some((first, rest)) => intersect((*first).clone(), rest),
            None => &self.live | &self.binned,
        };
        let matching = self.check(candidates, needle, field);
        let found = found & &matching;
        checked.keep(field, needle, matching);
        found
    }

    /// The candidates whose field holds `needle`.
    fn check(&self, mut candidates: RoaringBitmap, needle: &str, field: Field) -> RoaringBitmap {
        candidates.retain(|slot| {
            self.id_at(slot)
                .and_then(|id| self.entries.get(&id))
                .is_some_and(|e| field.holds(e, needle))
        });
        candidates
    }

    /// Keeps the candidates whose field contains `needle` (folded); `None` when the needle is
    /// unsure, or a candidate is and the needle is not `cjk_only`.
    fn narrow_text(&self, set: &mut RoaringBitmap, needle: &str, field: Field) -> Option<()> {
        let needle = fold_str(needle)?;
        if !cjk_only(&needle) && field.unsure(self).is_some_and(|u| !set.is_disjoint(u)) {
            return None;
        }
        *set = self.within(set, &needle, field);
        Some(())
    }

    /// Keeps the candidates matching a term of `q`: one of the names contains it (folded, as
    /// `customerName`), one of their spellings contains it lower-cased, or, for a phone term,
    /// the phone holds its digits. `None` when the term is unsure, or an unsure candidate
    /// matches none of these while its names might still match in SQL.
    fn narrow_term(&self, set: &mut RoaringBitmap, term: &SearchTerm) -> Option<()> {
        let needle = fold_str(&term.text)?;
        let mut parts = vec![
            (needle.as_str(), Field::Names),
            (&term.lower, Field::Spelled),
        ];
        if let Some(digits) = &term.phone_digits {
            parts.push((digits, Field::Phone));
        }
        let mut found = RoaringBitmap::new();
        for (needle, field) in &parts {
            found |= self.within(set, needle, *field);
        }
        let undecided = |(needle, field): &(&str, Field)| {
            !cjk_only(needle)
                && field
                    .unsure(self)
                    .is_some_and(|u| !(&*set & u).is_subset(&found))
        };
        if parts.iter().any(undecided) {
            return None;
        }
        *set = found;
        Some(())
    }

    /// Keeps the candidates holding the tags as `mode` asks (any, all or none of them).
    fn narrow_tags(&self, set: &mut RoaringBitmap, tags: &[TagId], mode: TagMode) {
        crate::tags::narrow(&self.tags, set, tags, mode);
    }

    /// The live customers of the scope matching the filter, or `None` when the index does
    /// not cover the filter here. Without a filter, the scope's own set, borrowed.
    pub fn matching(&self, scope: &Scope, f: &CustomerFilter) -> Option<Cow<'_, RoaringBitmap>> {
        if given(f.remarks.as_ref()).is_some() {
            return None;
        }
        let mut set = self.of_scope(scope, State::Live);
        if let Some(w) = f.wechat_user_id {
            set = Cow::Owned(match self.wechat.get(&w.0) {
                Some(of_account) => set.as_ref() & of_account,
                None => RoaringBitmap::new(),
            });
        }
        if !f.tag_ids.is_empty() {
            self.narrow_tags(set.to_mut(), &f.tag_ids, f.tag_mode);
        }
        if f.begin.is_some() || f.end.is_some() {
            let begin = f.begin.map(|b| b.timestamp_millis());
            let end = f.end.map(|e| e.timestamp_millis());
            let set = set.to_mut();
            match self.slots_between(begin, end) {
                Some(range) => {
                    set.remove_range(..*range.start());
                    if let Some(after) = range.end().checked_add(1) {
                        set.remove_range(after..);
                    }
                }
                None => set.clear(),
            }
        }
        if let Some(p) = given(f.phone_digits.as_ref()) {
            self.narrow_text(set.to_mut(), p, Field::Phone)?;
        }
        if let Some(n) = given(f.remark_name.as_ref()) {
            self.narrow_text(set.to_mut(), n, Field::RemarkName)?;
        }
        if let Some(n) = given(f.name.as_ref()) {
            self.narrow_text(set.to_mut(), n, Field::Names)?;
        }
        for term in &f.terms {
            self.narrow_term(set.to_mut(), term)?;
        }
        Some(set)
    }

    /// The page `offset..offset + limit` of a matching set, newest first: the page's first
    /// slot by one `select` (none for the first page: the highest), then the set read
    /// backwards from it (a `select` per customer scanned its container each time: a fifth of
    /// a small customerPage's instructions).
    pub fn page_of(&self, set: &RoaringBitmap, offset: u64, limit: u32) -> IndexedPage {
        let total = set.len();
        let first = if offset == 0 {
            set.max()
        } else {
            offset
                .checked_add(1)
                .and_then(|k| total.checked_sub(k))
                .and_then(|n| u32::try_from(n).ok())
                .and_then(|n| set.select(n))
        };
        let ids = first.map_or_else(Vec::new, |first| {
            set.range(..=first)
                .rev()
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .filter_map(|slot| self.id_at(slot))
                .map(|id| CustomerId(i64::from(id)))
                .collect()
        });
        IndexedPage { total, ids }
    }

    /// Up to `batch` of a matching set after the list key `after` (time in milliseconds, id),
    /// newest first: the set's highest slots, read backwards (one step a customer, where
    /// [`TenantIndex::page_of`] would `select` each from the top, a scan within its
    /// container each, while the index's lock is held).
    pub fn export_after(
        &self,
        set: &RoaringBitmap,
        after: Option<(i64, u32)>,
        batch: u32,
    ) -> IndexedPage {
        // The highest slot still to export: below the cursor's key, or the top.
        let top = match after {
            None => Some(u32::MAX),
            Some(key) => self.order.range(..key).next_back().map(|(_, slot)| *slot),
        };
        let Some(top) = top else {
            return IndexedPage {
                total: 0,
                ids: Vec::new(),
            };
        };
        let take = usize::try_from(batch).unwrap_or(usize::MAX);
        let ids = set
            .range(..=top)
            .rev()
            .take(take)
            .filter_map(|slot| self.id_at(slot))
            .map(|id| CustomerId(i64::from(id)))
            .collect();
        IndexedPage {
            total: set.rank(top),
            ids,
        }
    }

    /// The binned customers of the scope matching the recycle bin's filter, or `None` as for
    /// [`TenantIndex::matching`].
    pub fn bin_matching(&self, scope: &Scope, f: &BinFilter) -> Option<Cow<'_, RoaringBitmap>> {
        let mut set = self.of_scope(scope, State::Binned);
        if !f.tag_ids.is_empty() {
            self.narrow_tags(set.to_mut(), &f.tag_ids, f.tag_mode);
        }
        for term in &f.terms {
            self.narrow_term(set.to_mut(), term)?;
        }
        Some(set)
    }

    /// The page `offset..offset + limit` of a matching set of binned customers, most recently
    /// deleted first (`deleted_at`, then id).
    pub fn bin_page(&self, set: &RoaringBitmap, offset: u64, limit: u32) -> IndexedPage {
        let skip = usize::try_from(offset).unwrap_or(usize::MAX);
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        let ids = self
            .bin
            .iter()
            .rev()
            .filter(|(_, id)| self.entries.get(id).is_some_and(|e| set.contains(e.slot)))
            .skip(skip)
            .take(take)
            .map(|(_, id)| CustomerId(i64::from(*id)))
            .collect();
        IndexedPage {
            total: set.len(),
            ids,
        }
    }
}
