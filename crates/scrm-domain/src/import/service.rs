//! The import use case: check a document whole, write its rows, then its messages.

use std::sync::Arc;

use chrono::FixedOffset;

use super::ports::ImportRepository;
use super::{ImportDocument, RefQuery, build_plan};
use crate::ServiceError;
use crate::account::PasswordHasher;
use crate::message::MessageStore;
use crate::session::SessionStore;

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
