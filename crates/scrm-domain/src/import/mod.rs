//! Import: a document checked whole (references, tenants, values) and turned into a plan of
//! rows that the store writes in one transaction, all or nothing.

mod document;
mod plan;
mod planner;
mod planner_rows;

pub use document::*;
pub use plan::*;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::FixedOffset;

use crate::account::PasswordHasher;
use crate::message::MessageStore;
use crate::session::SessionStore;
use crate::{ServiceError, StoreError};

/// Writes an import plan.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ImportRepository: Send + Sync + 'static {
    /// What the store already holds of the records a document refers to.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn known(&self, refs: &RefQuery) -> Result<KnownRefs, StoreError>;

    /// Upserts every row of the plan by id in one transaction.
    ///
    /// # Errors
    /// `StoreError` when the store fails; nothing is written then.
    async fn apply(&self, plan: &ImportPlan) -> Result<(), StoreError>;
}

/// Counts of what an import wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: usize,
    pub messages_new: u64,
}

/// The import use case (`scrm import`, `scrm seed`).
pub struct ImportService {
    repo: Arc<dyn ImportRepository>,
    messages: Arc<dyn MessageStore>,
    hasher: Arc<dyn PasswordHasher>,
    sessions: Arc<dyn SessionStore>,
    zone: FixedOffset,
}

impl ImportService {
    pub fn new(
        repo: Arc<dyn ImportRepository>,
        messages: Arc<dyn MessageStore>,
        hasher: Arc<dyn PasswordHasher>,
        sessions: Arc<dyn SessionStore>,
        zone: FixedOffset,
    ) -> Self {
        Self {
            repo,
            messages,
            hasher,
            sessions,
            zone,
        }
    }

    /// Checks the whole document and writes it: the rows in one transaction, then the
    /// messages (idempotent by msgId, so a failed import can simply be run again). An account
    /// given a password has its password changed: every session it had is ended.
    ///
    /// # Errors
    /// `Invalid` naming the first bad record (nothing written), `Store` when a store fails.
    pub async fn import(&self, doc: &ImportDocument) -> Result<ImportSummary, ServiceError> {
        let known = self.repo.known(&RefQuery::of(doc)).await?;
        let mut plan = build_plan(doc, &known, self.zone)?;
        for (account, doc) in plan.accounts.iter_mut().zip(&doc.admin_users) {
            if let Some(pw) = &doc.password {
                account.password_hash = Some(self.hasher.hash(pw).await?);
            }
        }
        self.repo.apply(&plan).await?;
        for account in plan.accounts.iter().filter(|a| a.password_hash.is_some()) {
            self.sessions
                .delete_account(crate::AdminUserId(account.id))
                .await?;
        }
        let messages_new = if plan.messages.is_empty() {
            0
        } else {
            self.messages.append(&plan.messages).await?
        };
        Ok(ImportSummary {
            rows: plan.row_count(),
            messages_new,
        })
    }
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod service_tests;
