//! The session model: what a session remembers, a successful login, and the password rule.

use serde::{Deserialize, Serialize};

use crate::{AdminUserId, Scope, ServiceError};

/// What a session remembers about its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionData {
    pub admin_user_id: AdminUserId,
    pub tenant_id: AdminUserId,
}

impl SessionData {
    /// The scope of the session's account.
    pub fn scope(&self) -> Scope {
        Scope {
            account: self.admin_user_id,
            tenant: self.tenant_id,
        }
    }
}

/// A successful login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOutcome {
    pub token: String,
    pub admin_user_id: AdminUserId,
    pub expires_in: u64,
}

/// Fewest characters a new password may have.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Most bytes a password may have (bounds the cost of hashing it).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Checks a new password's length.
///
/// # Errors
/// `Invalid` naming `password`.
pub fn check_password(password: &str) -> Result<(), ServiceError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServiceError::invalid(
            "password",
            &format!("must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ServiceError::invalid(
            "password",
            &format!("must have at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    Ok(())
}
