//! Answering a list from one tenant's index: the filter as bitmap operations, texts longer
//! than a gram checked on the candidates, the page by `select` from the top.

use scrm_domain::search::TagMode;
use std::ops::RangeInclusive;

use roaring::RoaringBitmap;
use scrm_domain::customer::{CustomerFilter, IndexedPage};
use scrm_domain::{CustomerId, OwnerFilter, Scope};

use crate::fold::fold_str;
use crate::tenant::{Entry, TenantIndex};

fn given(v: Option<&String>) -> Option<&str> {
    v.map(String::as_str).filter(|v| !v.is_empty())
}

/// Which of an entry's texts a needle is looked for in.
#[derive(Clone, Copy)]
enum Field {
    /// Customer name, contact nick name or remark name.
    Names,
    RemarkName,
    Phone,
}

impl Field {
    fn holds(self, e: &Entry, needle: &str) -> bool {
        let has = |v: &Option<Box<str>>| v.as_deref().is_some_and(|v| v.contains(needle));
        match self {
            Self::Names => e.names.iter().any(has),
            Self::RemarkName => has(&e.names[2]),
            Self::Phone => has(&e.phone),
        }
    }
}

impl TenantIndex {
    /// The scope's customers among all of the tenant's (live or binned).
    fn of_scope(&self, scope: &Scope) -> RoaringBitmap {
        match scope.owner_filter() {
            OwnerFilter::Tenant(_) => self.live.clone() | &self.binned,
            OwnerFilter::Account(a) => self.owners.get(&a.0).cloned().unwrap_or_default(),
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

    /// Keeps the candidates whose field contains `needle` (folded); `None` when a candidate
    /// or the needle is unsure.
    fn narrow_text(&self, set: &mut RoaringBitmap, needle: &str, field: Field) -> Option<()> {
        let needle = fold_str(needle)?;
        if !set.is_disjoint(&self.unsure) {
            return None;
        }
        let chars: Vec<char> = needle.chars().collect();
        let decided = match (field, chars.len()) {
            (Field::Names, 1) => {
                *set &= self.chars.get(&chars[0]).cloned().unwrap_or_default();
                true
            }
            (Field::Names, n) => {
                for w in chars.windows(2) {
                    *set &= self.pairs.get(&(w[0], w[1])).cloned().unwrap_or_default();
                }
                n == 2
            }
            (Field::Phone, n) if n >= 3 => {
                for w in chars.windows(3) {
                    *set &= self
                        .phone3
                        .get(&[w[0], w[1], w[2]])
                        .cloned()
                        .unwrap_or_default();
                }
                n == 3
            }
            _ => false,
        };
        if !decided {
            set.retain(|slot| {
                self.id_at(slot)
                    .and_then(|id| self.entries.get(&id))
                    .is_some_and(|e| field.holds(e, &needle))
            });
        }
        Some(())
    }

    /// The live customers of the scope matching the filter, or `None` when the index does
    /// not cover the filter here.
    pub fn matching(&self, scope: &Scope, f: &CustomerFilter) -> Option<RoaringBitmap> {
        if given(f.remarks.as_ref()).is_some() || !f.terms.is_empty() {
            return None;
        }
        let mut set = self.of_scope(scope);
        set &= &self.live;
        if let Some(w) = f.wechat_user_id {
            set &= self.wechat.get(&w.0).cloned().unwrap_or_default();
        }
        if !f.tag_ids.is_empty() {
            let of = |t: &scrm_domain::TagId| self.tags.get(&t.0).cloned().unwrap_or_default();
            match f.tag_mode {
                TagMode::Any => {
                    set &= f
                        .tag_ids
                        .iter()
                        .fold(RoaringBitmap::new(), |a, t| a | of(t))
                }
                TagMode::All => {
                    for t in &f.tag_ids {
                        set &= of(t);
                    }
                }
                TagMode::None => {
                    for t in &f.tag_ids {
                        set -= of(t);
                    }
                }
            }
        }
        if f.begin.is_some() || f.end.is_some() {
            let begin = f.begin.map(|b| b.timestamp_millis());
            let end = f.end.map(|e| e.timestamp_millis());
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
            self.narrow_text(&mut set, p, Field::Phone)?;
        }
        if let Some(n) = given(f.remark_name.as_ref()) {
            self.narrow_text(&mut set, n, Field::RemarkName)?;
        }
        if let Some(n) = given(f.name.as_ref()) {
            self.narrow_text(&mut set, n, Field::Names)?;
        }
        Some(set)
    }

    /// The page `offset..offset + limit` of a matching set, newest first.
    pub fn page_of(&self, set: &RoaringBitmap, offset: u64, limit: u32) -> IndexedPage {
        let total = set.len();
        let ids = (0..u64::from(limit))
            .map_while(|i| {
                let from_top = offset.checked_add(i).filter(|k| *k < total)?;
                let n = u32::try_from(total - 1 - from_top).ok()?;
                set.select(n)
            })
            .filter_map(|slot| self.id_at(slot))
            .map(|id| CustomerId(i64::from(id)))
            .collect();
        IndexedPage { total, ids }
    }

    /// Up to `batch` of a matching set after the list key `after` (time in milliseconds, id),
    /// newest first.
    pub fn export_after(
        &self,
        mut set: RoaringBitmap,
        after: Option<(i64, u32)>,
        batch: u32,
    ) -> IndexedPage {
        if let Some(key) = after {
            match self.order.range(..key).next_back() {
                Some((_, slot)) => {
                    if let Some(above) = slot.checked_add(1) {
                        set.remove_range(above..);
                    }
                }
                None => set.clear(),
            }
        }
        self.page_of(&set, 0, batch)
    }

    /// The page of the scope's recycle bin, most recently deleted first.
    pub fn bin_page(&self, scope: &Scope, offset: u64, limit: u32) -> IndexedPage {
        let owner = match scope.owner_filter() {
            OwnerFilter::Tenant(_) => None,
            OwnerFilter::Account(a) => Some(a.0),
        };
        let total = match owner {
            None => self.binned.len(),
            Some(a) => self
                .owners
                .get(&a)
                .map_or(0, |b| b.intersection_len(&self.binned)),
        };
        let skip = usize::try_from(offset).unwrap_or(usize::MAX);
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        let ids = self
            .bin
            .iter()
            .rev()
            .filter(|(_, id)| {
                owner.is_none_or(|a| self.entries.get(id).is_some_and(|e| e.owner == a))
            })
            .skip(skip)
            .take(take)
            .map(|(_, id)| CustomerId(i64::from(*id)))
            .collect();
        IndexedPage { total, ids }
    }
}
