//! "Who am I": the calling account and what its scope can pick from: the accounts of the
//! scope (a main account: itself and its sub-accounts; a sub-account: itself), the tenant's
//! main account, the departments (a sub-account: only its own), the WeChat accounts of the
//! scope and the tenant's tags. What a frontend needs to label and fill its pickers.

use std::sync::Arc;

use async_trait::async_trait;

use crate::{AdminUserId, DepartmentId, Scope, ServiceError, StoreError, TagId, WechatUserId};

/// An account as others may see it (no password hash, no switches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub id: AdminUserId,
    pub login_name: String,
    pub real_name: String,
    pub parent_id: Option<AdminUserId>,
    pub depart_id: Option<DepartmentId>,
}

/// A department of the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub id: DepartmentId,
    pub name: Option<String>,
}

/// A company WeChat account of the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatAccount {
    pub id: WechatUserId,
    pub admin_user_id: AdminUserId,
    pub uin: Option<String>,
    pub user_name: Option<String>,
    pub nick_name: Option<String>,
    pub alias: Option<String>,
    pub is_online: bool,
}

/// A tag of the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub id: TagId,
    pub name: Option<String>,
}

/// Everything of a scope's directory, each list ordered by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directory {
    /// The tenant's main account.
    pub tenant: AccountSummary,
    /// The accounts of the scope (the caller among them).
    pub accounts: Vec<AccountSummary>,
    /// A main account: every department of the tenant; a sub-account: its own, if any.
    pub departments: Vec<Department>,
    /// The WeChat accounts owned by the accounts of the scope.
    pub wechat_users: Vec<WechatAccount>,
    /// Every tag of the tenant.
    pub tags: Vec<Tag>,
}

/// The directory of a caller: who it is, and its directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    pub account: AccountSummary,
    pub is_main: bool,
    pub directory: Directory,
}

/// Reads the directory of a scope.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait DirectoryRepository: Send + Sync + 'static {
    /// The directory of `scope`; `None` when the scope's tenant (main account) does not exist.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn directory(&self, scope: &Scope) -> Result<Option<Directory>, StoreError>;
}

/// The "who am I" use case.
pub struct DirectoryService {
    repo: Arc<dyn DirectoryRepository>,
}

impl DirectoryService {
    pub fn new(repo: Arc<dyn DirectoryRepository>) -> Self {
        Self { repo }
    }

    /// The caller and its directory.
    ///
    /// # Errors
    /// `Unauthorized` when the caller's account no longer exists (a session that outlived
    /// it); `Store` when the store fails.
    pub async fn me(&self, scope: &Scope) -> Result<Me, ServiceError> {
        let directory = self
            .repo
            .directory(scope)
            .await?
            .ok_or(ServiceError::Unauthorized)?;
        let account = directory
            .accounts
            .iter()
            .find(|a| a.id == scope.account)
            .cloned()
            .ok_or(ServiceError::Unauthorized)?;
        Ok(Me {
            account,
            is_main: scope.is_main(),
            directory,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: i64, parent: Option<i64>) -> AccountSummary {
        AccountSummary {
            id: AdminUserId(id),
            login_name: format!("login{id}"),
            real_name: format!("名{id}"),
            parent_id: parent.map(AdminUserId),
            depart_id: None,
        }
    }

    fn directory(accounts: Vec<AccountSummary>) -> Directory {
        Directory {
            tenant: summary(1, None),
            accounts,
            departments: vec![],
            wechat_users: vec![],
            tags: vec![Tag {
                id: TagId(7),
                name: Some("VIP".into()),
            }],
        }
    }

    #[tokio::test]
    async fn me_is_the_callers_account_in_its_directory() {
        let mut repo = MockDirectoryRepository::new();
        repo.expect_directory()
            .withf(|s| s.account == AdminUserId(2))
            .returning(|_| Ok(Some(directory(vec![summary(2, Some(1))]))));
        let svc = DirectoryService::new(Arc::new(repo));
        let me = svc
            .me(&Scope::for_account(AdminUserId(2), Some(AdminUserId(1))))
            .await
            .unwrap();
        assert_eq!(me.account, summary(2, Some(1)));
        assert!(!me.is_main);
        assert_eq!(me.directory.tenant.id, AdminUserId(1));
        assert_eq!(me.directory.tags.len(), 1);
    }

    #[tokio::test]
    async fn a_caller_whose_account_is_gone_is_unauthorized() {
        let mut repo = MockDirectoryRepository::new();
        repo.expect_directory()
            .returning(|s| Ok((s.tenant == AdminUserId(1)).then(|| directory(vec![]))));
        let svc = DirectoryService::new(Arc::new(repo));
        let main = Scope::for_account(AdminUserId(1), None);
        assert_eq!(svc.me(&main).await, Err(ServiceError::Unauthorized));
        let other = Scope::for_account(AdminUserId(9), None);
        assert_eq!(svc.me(&other).await, Err(ServiceError::Unauthorized));
    }

    #[tokio::test]
    async fn a_store_failure_is_passed_on() {
        let mut repo = MockDirectoryRepository::new();
        repo.expect_directory()
            .returning(|_| Err(StoreError::Unavailable("down".into())));
        let svc = DirectoryService::new(Arc::new(repo));
        assert_eq!(
            svc.me(&Scope::for_account(AdminUserId(1), None)).await,
            Err(ServiceError::Store(StoreError::Unavailable("down".into())))
        );
    }
}
