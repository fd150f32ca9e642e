//! The contact port: reads contacts, writes their forms of address.

use async_trait::async_trait;

use super::model::{ContactRecord, ContactTagQuery, NickNameInput};
use crate::message::Conversation;
use crate::{ContactId, Scope, StoreError, WechatUserId};

/// Reads contacts and writes their personal forms of address, within a scope.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ContactRepository: Send + Sync + 'static {
    /// One contact.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn find(&self, scope: &Scope, id: ContactId)
    -> Result<Option<ContactRecord>, StoreError>;

    /// Contacts having any of the tags, ordered by id.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn find_by_tags(
        &self,
        scope: &Scope,
        query: &ContactTagQuery,
    ) -> Result<Vec<ContactRecord>, StoreError>;

    /// The contacts of the scope among `ids`, in the order given, each once
    /// (findcontactbytagAll's rows when an index selected them). One outside the scope, gone, or whose WeChat account is
    /// missing is left out.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn by_ids(
        &self,
        scope: &Scope,
        ids: &[ContactId],
    ) -> Result<Vec<ContactRecord>, StoreError>;

    /// Saves forms of address, all or nothing. Returns the first contact id outside the scope
    /// (and then writes nothing).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn save_nick_names(
        &self,
        scope: &Scope,
        items: &[NickNameInput],
    ) -> Result<Option<ContactId>, StoreError>;

    /// The conversations (WeChat account, contact) of the scope among `contact_ids`, restricted
    /// to `wechat_user_ids` when that is not empty. Contacts outside the scope are left out.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn conversations(
        &self,
        scope: &Scope,
        wechat_user_ids: &[WechatUserId],
        contact_ids: &[ContactId],
    ) -> Result<Vec<Conversation>, StoreError>;
}
