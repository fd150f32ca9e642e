//! A tenant's contacts in the index: findcontactbytagAll's selection ([`ContactIndex`]).
//!
//! Every contact of a loaded tenant, with a customer or not (`tagMode=none` and an empty tag
//! list select contacts without tags too), as bitmaps of contact ids: not slots, since the
//! endpoint lists by contact id, ascending, which is a bitmap's own order. Bitmaps per owning
//! account (a sub-account's scope), per WeChat account and per tag; the scope's bitmap ANDed
//! with the tags (`tags::narrow`, as the customer lists) and split by WeChat account. The
//! accounts' existence (the SQL joins `wechat_user`) and online flag are read at the request
//! for the few accounts that hold candidates (`IndexSource::wechat_accounts`, one statement
//! on the primary key): the flag flips often and the log does not follow `wechat_user`.
//! Contacts come and go through the change log (`ChangeSubject::Contact`: the triggers on
//! `wechat_contact` (insert since migration `2026-12-09-000011`, update, delete) and on
//! `contact_tag`), re-read through `IndexSource::contacts`.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use roaring::RoaringBitmap;
use scrm_domain::contact::{ContactIndex, ContactTagQuery, IndexedContact};
use scrm_domain::customer::{ChangeSubject, IndexSource};
use scrm_domain::{AdminUserId, ContactId, OwnerFilter, Scope, StoreError, WechatUserId};

use crate::RoaringIndex;
use crate::part::{self, Part};
use crate::tenant::{Unindexable, add, take};

/// What the index keeps of one contact.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub owner: i64,
    pub wechat: i64,
    pub tags: Box<[i64]>,
}

/// One tenant's contacts.
#[derive(Debug, Default)]
pub(crate) struct TenantContacts {
    pub entries: HashMap<u32, Entry>,
    pub all: RoaringBitmap,
    pub owners: HashMap<i64, RoaringBitmap>,
    pub wechat: HashMap<i64, RoaringBitmap>,
    pub tags: HashMap<i64, RoaringBitmap>,
}

impl Part for TenantContacts {
    type Row = IndexedContact;

    fn key(c: &IndexedContact) -> (i64, AdminUserId) {
        (c.id.0, c.tenant)
    }

    fn upsert(&mut self, c: &IndexedContact) -> Result<(), Unindexable> {
        let id = u32::try_from(c.id.0).map_err(|_| Unindexable)?;
        self.remove(id);
        let mut tags: Vec<i64> = c.tags.iter().map(|t| t.0).collect();
        tags.sort_unstable();
        tags.dedup();
        self.all.insert(id);
        add(&mut self.owners, c.owner.0, id);
        add(&mut self.wechat, c.wechat_user.0, id);
        for t in &tags {
            add(&mut self.tags, *t, id);
        }
        self.entries.insert(
            id,
            Entry {
                owner: c.owner.0,
                wechat: c.wechat_user.0,
                tags: tags.into_boxed_slice(),
            },
        );
        Ok(())
    }

    fn remove(&mut self, id: u32) {
        let Some(e) = self.entries.remove(&id) else {
            return;
        };
        self.all.remove(id);
        take(&mut self.owners, e.owner, id);
        take(&mut self.wechat, e.wechat, id);
        for t in &e.tags {
            take(&mut self.tags, *t, id);
        }
    }

    fn optimize(&mut self) {
        self.all.optimize();
        for b in self
            .owners
            .values_mut()
            .chain(self.wechat.values_mut())
            .chain(self.tags.values_mut())
        {
            b.optimize();
        }
    }
}

/// The candidates of one WeChat account: kept when the account exists (and is online,
/// unless offline accounts are asked for too).
pub(crate) type AccountCandidates = (WechatUserId, RoaringBitmap);

impl TenantContacts {
    /// How many contacts are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The scope's contacts that the query's tags and WeChat account select, split by WeChat
    /// account (the accounts holding none left out).
    pub fn candidates(&self, scope: &Scope, q: &ContactTagQuery) -> Vec<AccountCandidates> {
        let none = RoaringBitmap::new();
        let mut set = match scope.owner_filter() {
            OwnerFilter::Tenant(_) => self.all.clone(),
            OwnerFilter::Account(a) => self.owners.get(&a.0).unwrap_or(&none).clone(),
        };
        crate::tags::narrow(&self.tags, &mut set, &q.tag_ids, q.tag_mode);
        let accounts: Vec<(&i64, &RoaringBitmap)> = match q.wechat_user_id {
            Some(w) => self.wechat.get_key_value(&w.0).into_iter().collect(),
            None => self.wechat.iter().collect(),
        };
        accounts
            .into_iter()
            .filter(|(_, b)| !b.is_disjoint(&set))
            .map(|(w, b)| (WechatUserId(*w), b & &set))
            .collect()
    }
}

/// The contacts among change subjects.
pub(crate) fn ids_of(subjects: &[ChangeSubject]) -> Vec<ContactId> {
    subjects
        .iter()
        .filter_map(|s| match s {
            ChangeSubject::Contact(id) => Some(*id),
            _ => None,
        })
        .collect()
}

/// A tenant's contacts from the source; `None` when it does not keep them or one does not
/// fit (then findcontactbytagAll declines for the tenant).
pub(crate) async fn load(
    source: &dyn IndexSource,
    tenant: AdminUserId,
) -> Result<Option<Box<TenantContacts>>, StoreError> {
    Ok(part::built(source.contact_tenant(tenant).await?))
}

/// The current state of the contacts among the subjects (none read when there are none).
pub(crate) async fn fetch(
    source: &dyn IndexSource,
    subjects: &[ChangeSubject],
) -> Result<Vec<IndexedContact>, StoreError> {
    let ids = ids_of(subjects);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    source.contacts(&ids).await
}

/// Applies the current state (`now`: the contacts among the subjects that exist) to a
/// tenant's contacts: one that is gone or in another tenant leaves.
pub(crate) fn apply(
    contacts: &mut Option<Box<TenantContacts>>,
    tenant: AdminUserId,
    subjects: &[ChangeSubject],
    now: &[IndexedContact],
) {
    part::apply(contacts, tenant, ids_of(subjects).iter().map(|i| i.0), now);
}

impl RoaringIndex {
    /// The candidates whose WeChat account exists now (and is online, unless
    /// `include_offline`), as contact ids ascending; `None` when the store fails.
    async fn on_live_accounts(
        &self,
        parts: Vec<AccountCandidates>,
        include_offline: bool,
    ) -> Option<Vec<ContactId>> {
        if parts.is_empty() {
            return Some(Vec::new());
        }
        let accounts: Vec<WechatUserId> = parts.iter().map(|p| p.0).collect();
        let states = match self.inner.source.wechat_accounts(&accounts).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "customer index: cannot read the WeChat accounts");
                return None;
            }
        };
        let kept: HashSet<WechatUserId> = states
            .into_iter()
            .filter(|s| include_offline || s.online)
            .map(|s| s.id)
            .collect();
        let set = parts
            .into_iter()
            .filter(|(w, _)| kept.contains(w))
            .fold(RoaringBitmap::new(), |all, (_, b)| all | b);
        Some(set.iter().map(|id| ContactId(i64::from(id))).collect())
    }
}

#[async_trait]
impl ContactIndex for RoaringIndex {
    async fn select(&self, scope: &Scope, query: &ContactTagQuery) -> Option<Vec<ContactId>> {
        let parts = self
            .answer_now(scope.tenant, |_, _, contacts| {
                Some(contacts?.candidates(scope, query))
            })
            .await;
        let selected = match parts {
            Some(parts) => self.on_live_accounts(parts, query.include_offline).await,
            None => None,
        };
        self.counted(selected)
    }
}

#[cfg(test)]
mod tests;
