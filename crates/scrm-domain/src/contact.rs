//! Contacts (friends of a company WeChat account): lookup by tags and the personal form of
//! address (個性稱呼).

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::message::Conversation;
use crate::text::{check_len, limits};
use crate::{AdminUserId, ContactId, Scope, ServiceError, StoreError, TagId, WechatUserId};

/// A contact with its WeChat account, as findcontactbytagAll and updateCustomer show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRecord {
    pub id: ContactId,
    pub wechat_user_id: WechatUserId,
    pub admin_user_id: AdminUserId,
    pub uin: Option<String>,
    pub user_name: Option<String>,
    pub nick_name: Option<String>,
    pub remark_name: Option<String>,
    pub alias: Option<String>,
    pub sex: Option<String>,
    pub head_img_url: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub py_initial: Option<String>,
    pub py_quan_pin: Option<String>,
    pub remark_py_initial: Option<String>,
    pub remark_py_quan_pin: Option<String>,
    pub verify_flag: Option<String>,
    pub contact_flag: Option<String>,
    pub contact_type: i32,
    pub is_delete: i32,
    pub is_saving: i32,
    pub is_star: i32,
    pub tags: Vec<TagId>,
    pub create_time: DateTime<Utc>,
    pub wechat_user_name: Option<String>,
    pub wechat_user_nick_name: Option<String>,
    pub wechat_user_uin: Option<String>,
    pub customer_nick_name: Option<String>,
}

/// The query of findcontactbytagAll.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactTagQuery {
    /// Any of these tags; empty = every contact of the scope.
    pub tag_ids: Vec<TagId>,
    pub wechat_user_id: Option<WechatUserId>,
    /// Include contacts of offline WeChat accounts.
    pub include_offline: bool,
}

/// One personal form of address to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NickNameInput {
    pub wechat_contact_id: ContactId,
    pub cust_name: Option<String>,
    pub nick_name: Option<String>,
}

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

/// The contact use cases.
pub struct ContactService {
    repo: Arc<dyn ContactRepository>,
}

/// Most forms of address in one call.
pub const MAX_NICK_NAMES: usize = 1000;

impl ContactService {
    pub fn new(repo: Arc<dyn ContactRepository>) -> Self {
        Self { repo }
    }

    /// One contact of the scope.
    ///
    /// # Errors
    /// `NotFound` outside the scope.
    pub async fn find(&self, scope: &Scope, id: ContactId) -> Result<ContactRecord, ServiceError> {
        self.repo
            .find(scope, id)
            .await?
            .ok_or(ServiceError::NotFound("wechatContact"))
    }

    /// findcontactbytagAll.
    ///
    /// # Errors
    /// `Store` when the store fails.
    pub async fn find_by_tags(
        &self,
        scope: &Scope,
        query: &ContactTagQuery,
    ) -> Result<Vec<ContactRecord>, ServiceError> {
        Ok(self.repo.find_by_tags(scope, query).await?)
    }

    /// batchSaveNickName.
    ///
    /// # Errors
    /// `Invalid` for an empty or too long list or values, `NotFound` when a contact is outside
    /// the scope (nothing is saved then).
    pub async fn save_nick_names(
        &self,
        scope: &Scope,
        items: &[NickNameInput],
    ) -> Result<(), ServiceError> {
        if items.is_empty() {
            return Err(ServiceError::invalid("nickNames", "is required"));
        }
        if items.len() > MAX_NICK_NAMES {
            return Err(ServiceError::invalid("nickNames", "at most 1000 entries"));
        }
        for item in items {
            if let Some(v) = &item.cust_name {
                check_len("custName", v, limits::NAME)?;
            }
            if let Some(v) = &item.nick_name {
                check_len("nickName", v, limits::NAME)?;
            }
        }
        match self.repo.save_nick_names(scope, items).await? {
            None => Ok(()),
            Some(_) => Err(ServiceError::NotFound("wechatContact")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        Scope::for_account(AdminUserId(2), Some(AdminUserId(1)))
    }

    fn input(id: i64) -> NickNameInput {
        NickNameInput {
            wechat_contact_id: ContactId(id),
            cust_name: Some("陳佳".into()),
            nick_name: Some("佳姐".into()),
        }
    }

    #[tokio::test]
    async fn nick_names_outside_scope_are_404() {
        let mut repo = MockContactRepository::new();
        repo.expect_save_nick_names().returning(|_, items| {
            Ok(items
                .iter()
                .map(|i| i.wechat_contact_id)
                .find(|id| id.0 > 100))
        });
        let svc = ContactService::new(Arc::new(repo));
        assert!(svc.save_nick_names(&scope(), &[input(1)]).await.is_ok());
        assert_eq!(
            svc.save_nick_names(&scope(), &[input(1), input(101)]).await,
            Err(ServiceError::NotFound("wechatContact"))
        );
    }

    #[tokio::test]
    async fn empty_and_too_long_input_is_rejected_before_the_store() {
        let svc = ContactService::new(Arc::new(MockContactRepository::new()));
        assert!(matches!(
            svc.save_nick_names(&scope(), &[]).await,
            Err(ServiceError::Invalid(_))
        ));
        let mut long = input(1);
        long.nick_name = Some("長".repeat(129));
        assert!(matches!(
            svc.save_nick_names(&scope(), &[long]).await,
            Err(ServiceError::Invalid(m)) if m.starts_with("nickName")
        ));
    }

    #[tokio::test]
    async fn find_outside_scope_is_404() {
        let mut repo = MockContactRepository::new();
        repo.expect_find().returning(|_, _| Ok(None));
        let svc = ContactService::new(Arc::new(repo));
        assert_eq!(
            svc.find(&scope(), ContactId(5)).await,
            Err(ServiceError::NotFound("wechatContact"))
        );
    }
}
