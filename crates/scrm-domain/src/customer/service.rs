//! The customer use cases: search, export batches, update or create, recycle bin.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::index::{CustomerIndex, IndexStatus, IndexedPage, NoIndex};
use super::model::{
    BinFilter, CustomerFilter, CustomerPatch, CustomerRecord, ExportCursor, FieldChange,
    SaveOutcome, SaveTarget, SavedCustomer, UpdateCustomer,
};
use super::ports::CustomerRepository;
use crate::phone::Phone;
use crate::text::{check_len, limits};
use crate::{CustomerId, Page, PageRequest, Scope, ServiceError};

/// The customer use cases.
pub struct CustomerService {
    repo: Arc<dyn CustomerRepository>,
    index: Arc<dyn CustomerIndex>,
}

/// Rows fetched per export batch.
pub const EXPORT_BATCH: u32 = 1000;

impl CustomerService {
    /// The use cases over a repository alone (every list from the repository's plans).
    pub fn new(repo: Arc<dyn CustomerRepository>) -> Self {
        Self::with_index(repo, Arc::new(NoIndex))
    }

    /// The use cases with an index that answers the lists it covers; the repository answers
    /// the rest and loads the rows of every page.
    pub fn with_index(repo: Arc<dyn CustomerRepository>, index: Arc<dyn CustomerIndex>) -> Self {
        Self { repo, index }
    }

    /// What the index holds and how far behind it is (`None`: no index), for `/readyz` and
    /// `/metrics`.
    pub async fn index_status(&self) -> Option<IndexStatus> {
        self.index.status().await
    }

    /// The rows of an index's page, in its order.
    async fn rows_of(
        &self,
        scope: &Scope,
        answer: IndexedPage,
    ) -> Result<Page<CustomerRecord>, ServiceError> {
        let items = if answer.ids.is_empty() {
            Vec::new()
        } else {
            self.repo.by_ids(scope, &answer.ids).await?
        };
        Ok(Page {
            items,
            total: answer.total,
        })
    }

    /// customerPage. The filter comes checked from its request (scrm-http's `CustomerQuery`:
    /// the time range, the lengths, the phone's digits).
    ///
    /// # Errors
    /// `Store` when the store fails.
    pub async fn page(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, ServiceError> {
        match self.index.page(scope, filter, page).await {
            Some(answer) => self.rows_of(scope, answer).await,
            None => Ok(self.repo.page(scope, filter, page).await?),
        }
    }

    /// One batch of an export; pass the last row's cursor to get the next. The filter comes
    /// checked, as for `page`.
    ///
    /// # Errors
    /// `Store` when the store fails.
    pub async fn export_batch(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        after: Option<ExportCursor>,
    ) -> Result<Vec<CustomerRecord>, ServiceError> {
        if let Some(ids) = self
            .index
            .export_ids(scope, filter, after, EXPORT_BATCH)
            .await
        {
            let rows = if ids.is_empty() {
                Vec::new()
            } else {
                self.repo.by_ids(scope, &ids).await?
            };
            let live: Vec<CustomerRecord> = rows
                .into_iter()
                .filter(|r| r.deleted_at.is_none())
                .collect();
            // A customer deleted or moved away between the index and the load would shorten
            // the batch (and end the export early): then this batch is SQL's.
            if live.len() == ids.len() {
                return Ok(live);
            }
        }
        Ok(self
            .repo
            .export_batch(scope, filter, after, EXPORT_BATCH)
            .await?)
    }

    /// The recycle bin.
    ///
    /// # Errors
    /// `Store` when the store fails.
    pub async fn recycle_bin(
        &self,
        scope: &Scope,
        filter: &BinFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, ServiceError> {
        match self.index.recycle_bin(scope, filter, page).await {
            Some(answer) => self.rows_of(scope, answer).await,
            None => Ok(self.repo.recycle_bin(scope, filter, page).await?),
        }
    }

    /// updateCustomer: a partial update, or the creation of a contact's profile; the profile
    /// and its contact as saved.
    ///
    /// # Errors
    /// `Invalid` for missing ids, too long values or unknown tags; `NotFound` for a customer
    /// or contact outside the scope; `Conflict` when the contact already has a profile.
    pub async fn update(
        &self,
        scope: &Scope,
        cmd: &UpdateCustomer,
        now: DateTime<Utc>,
    ) -> Result<SavedCustomer, ServiceError> {
        let patch = normalise_patch(&cmd.patch)?;
        let target = match (cmd.customer_id, cmd.wechat_contact_id) {
            (Some(id), contact) => SaveTarget::Existing(id, contact),
            (None, Some(contact)) => SaveTarget::NewFor(contact),
            (None, None) => {
                return Err(ServiceError::invalid(
                    "customerId",
                    "customerId or wechatContactId is required",
                ));
            }
        };
        match self.repo.save(scope, target, &patch, now).await? {
            SaveOutcome::Saved(saved) => Ok(*saved),
            SaveOutcome::NotFound => Err(ServiceError::NotFound(match target {
                SaveTarget::Existing(..) => "customer",
                SaveTarget::NewFor(_) => "wechatContact",
            })),
            SaveOutcome::ContactMismatch => Err(ServiceError::invalid(
                "wechatContactId",
                "is not the contact of this customer",
            )),
            SaveOutcome::AlreadyExists(existing) => Err(ServiceError::Conflict(format!(
                "wechatContactId: this contact already has customer {existing}"
            ))),
            SaveOutcome::UnknownTags(tags) => {
                let ids: Vec<String> = tags.iter().map(ToString::to_string).collect();
                Err(ServiceError::invalid(
                    "tags",
                    &format!("unknown tag ids {}", ids.join(",")),
                ))
            }
        }
    }

    /// delete: moves the profile to the recycle bin.
    ///
    /// # Errors
    /// `NotFound` when it is not a live customer of the scope.
    pub async fn delete(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        if self.repo.soft_delete(scope, id, now).await? {
            Ok(())
        } else {
            Err(ServiceError::NotFound("customer"))
        }
    }

    /// restore: brings a profile back from the recycle bin.
    ///
    /// # Errors
    /// `NotFound` when it is not in the scope's recycle bin.
    pub async fn restore(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        if self.repo.restore(scope, id, now).await? {
            Ok(())
        } else {
            Err(ServiceError::NotFound("customer"))
        }
    }
}

/// Checks lengths and the phone, and fills in the phone's digits.
fn normalise_patch(patch: &CustomerPatch) -> Result<CustomerPatch, ServiceError> {
    check_patch(patch)?;
    let mut patch = patch.clone();
    patch.phone_digits = match &patch.customer_phone {
        FieldChange::Set(raw) => {
            let phone = Phone::parse("customerPhone", raw)?;
            patch.customer_phone = FieldChange::Set(phone.as_str().to_owned());
            Some(phone.digits().to_owned())
        }
        FieldChange::Clear | FieldChange::Keep => None,
    };
    Ok(patch)
}

fn check_patch(patch: &CustomerPatch) -> Result<(), ServiceError> {
    let fields = [
        ("customerName", &patch.customer_name, limits::NAME),
        ("customerPhone", &patch.customer_phone, limits::PHONE),
        ("nickName", &patch.nick_name, limits::NAME),
        ("remarks", &patch.remarks, limits::REMARKS),
    ];
    for (param, change, max) in fields {
        if let FieldChange::Set(v) = change {
            check_len(param, v, max)?;
        }
    }
    for (i, change) in patch.xfields.iter().enumerate() {
        if let FieldChange::Set(v) = change {
            check_len(&format!("xfield{}", i + 1), v, limits::XFIELD)?;
        }
    }
    Ok(())
}
