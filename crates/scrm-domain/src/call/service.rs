//! The call use cases: the after-call pop-up switch and who is calling.

use std::sync::Arc;

use super::model::CallerInfo;
use super::ports::CallerLookup;
use crate::account::AccountRepository;
use crate::phone::Phone;
use crate::{Scope, ServiceError};

/// The call use cases.
pub struct CallService {
    accounts: Arc<dyn AccountRepository>,
    callers: Arc<dyn CallerLookup>,
}

impl CallService {
    pub fn new(accounts: Arc<dyn AccountRepository>, callers: Arc<dyn CallerLookup>) -> Self {
        Self { accounts, callers }
    }

    /// getIsOpenAfterCall.
    ///
    /// # Errors
    /// `NotFound` when the account vanished, `Store` when the store fails.
    pub async fn is_open_after_call(&self, scope: &Scope) -> Result<bool, ServiceError> {
        let account = self.accounts.find_by_id(scope.account).await?;
        account
            .map(|a| a.is_open_after_call)
            .ok_or(ServiceError::NotFound("account"))
    }

    /// updateIsOpenAfterCall.
    ///
    /// # Errors
    /// `NotFound` when the account vanished, `Store` when the store fails.
    pub async fn set_open_after_call(&self, scope: &Scope, open: bool) -> Result<(), ServiceError> {
        if self
            .accounts
            .set_open_after_call(scope.account, open)
            .await?
        {
            Ok(())
        } else {
            Err(ServiceError::NotFound("account"))
        }
    }

    /// getCustomerInfoByCall: every match of the first source that has one.
    ///
    /// # Errors
    /// `Invalid` for a phone without 5 to 20 digits, `Store` when the store fails.
    pub async fn lookup(&self, scope: &Scope, raw_phone: &str) -> Result<CallerInfo, ServiceError> {
        let phone = Phone::parse("phone", raw_phone)?;
        Ok(self.callers.caller_by_phone(scope, phone.digits()).await?)
    }
}
