//! Accounts (`admin_user`): a main account and its sub-accounts form a tenant.

use async_trait::async_trait;

use crate::{AdminUserId, DepartmentId, StoreError};

/// An account as the login needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AdminUserId,
    pub login_name: String,
    pub real_name: String,
    pub parent_id: Option<AdminUserId>,
    pub depart_id: Option<DepartmentId>,
    /// The argon2 PHC string; `None` when the account cannot log in.
    pub password_hash: Option<String>,
    pub is_open_after_call: bool,
}

/// The form in which login names are compared: case does not matter, nor spaces around the
/// name; every other difference does (an accent, a full-width letter). The failed-login
/// counts are kept per key, so a store must find an account by exactly this rule (MariaDB's
/// collation alone would also take `á` for `a`, and give each spelling its own count).
pub fn login_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Reads accounts.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AccountRepository: Send + Sync + 'static {
    /// The account with this login name, compared by [`login_key`].
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn find_by_login(&self, login_name: &str) -> Result<Option<Account>, StoreError>;

    /// The account with this id.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn find_by_id(&self, id: AdminUserId) -> Result<Option<Account>, StoreError>;

    /// Sets the after-call pop-up switch of an account; false when it does not exist.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn set_open_after_call(&self, id: AdminUserId, open: bool) -> Result<bool, StoreError>;

    /// Replaces the password hash of an account; false when it does not exist.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn set_password_hash(&self, id: AdminUserId, hash: &str) -> Result<bool, StoreError>;
}

/// Hashes and verifies passwords (argon2 in the app).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait PasswordHasher: Send + Sync + 'static {
    /// A PHC hash string of `plain`.
    ///
    /// # Errors
    /// `StoreError::Unexpected` when hashing fails.
    async fn hash(&self, plain: &str) -> Result<String, StoreError>;

    /// Whether `plain` matches `hash`. A malformed hash does not match.
    async fn verify(&self, plain: &str, hash: &str) -> bool;
}
