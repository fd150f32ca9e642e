//! The contact index port: findcontactbytagAll's selection from an index (the customer index
//! of `crates/scrm-index` keeps every contact of a loaded tenant too, with or without a
//! customer), or "cannot answer" (`None`), in which case the service uses the repository's
//! SQL. As for customers, an index never answers from stale data.

use async_trait::async_trait;

use super::model::ContactTagQuery;
use crate::customer::NoIndex;
use crate::{AdminUserId, ContactId, Scope, TagId, WechatUserId};

/// Answers findcontactbytagAll's selection from an index, or declines.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ContactIndex: Send + Sync + 'static {
    /// The ids of the contacts of the scope that the query selects, in the endpoint's order
    /// (ascending); `None` when it cannot answer exactly now (a failing store is also a
    /// `None`: the caller then asks the repository).
    async fn select(&self, scope: &Scope, query: &ContactTagQuery) -> Option<Vec<ContactId>>;
}

#[async_trait]
impl ContactIndex for NoIndex {
    async fn select(&self, _: &Scope, _: &ContactTagQuery) -> Option<Vec<ContactId>> {
        None
    }
}

/// What an index keeps of a contact: everything findcontactbytagAll's filters read of it
/// (its WeChat account's online flag and existence are the account's, read at the request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedContact {
    pub id: ContactId,
    pub tenant: AdminUserId,
    /// The owning account (`wechat_contact.admin_user_id`).
    pub owner: AdminUserId,
    pub wechat_user: WechatUserId,
    /// Its tags (the `contact_tag` rows of its tenant and owner).
    pub tags: Vec<TagId>,
}

/// A WeChat account as the selection reads it: it exists, and whether it is online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountState {
    pub id: WechatUserId,
    pub online: bool,
}
