//! The customer use cases: search, export batches, update or create, recycle bin.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::model::{
    CustomerFilter, CustomerPatch, CustomerRecord, ExportCursor, FieldChange, SaveOutcome,
    SaveTarget, UpdateCustomer,
};
use super::ports::CustomerRepository;
use crate::phone::Phone;
use crate::text::{check_len, limits};
use crate::{CustomerId, Page, PageRequest, Scope, ServiceError};

/// The customer use cases.
pub struct CustomerService {
    repo: Arc<dyn CustomerRepository>,
}

/// Rows fetched per export batch.
pub const EXPORT_BATCH: u32 = 1000;

impl CustomerService {
    pub fn new(repo: Arc<dyn CustomerRepository>) -> Self {
        Self { repo }
    }

    /// customerPage.
    ///
    /// # Errors
    /// `Invalid` for a bad filter, `Store` when the store fails.
    pub async fn page(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, ServiceError> {
        check_filter(filter)?;
        Ok(self.repo.page(scope, filter, page).await?)
    }

    /// One batch of an export; pass the last row's cursor to get the next.
    ///
    /// # Errors
    /// `Invalid` for a bad filter, `Store` when the store fails.
    pub async fn export_batch(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        after: Option<ExportCursor>,
    ) -> Result<Vec<CustomerRecord>, ServiceError> {
        check_filter(filter)?;
        Ok(self
            .repo
            .export_batch(scope, filter, after, EXPORT_BATCH)
            .await?)
    }

    /// Validates a filter before a streaming export starts (so its errors are a 400, not a
    /// broken download).
    ///
    /// # Errors
    /// `Invalid` for a bad filter.
    pub fn check_export(&self, filter: &CustomerFilter) -> Result<(), ServiceError> {
        check_filter(filter)
    }

    /// The recycle bin.
    ///
    /// # Errors
    /// `Store` when the store fails.
    pub async fn recycle_bin(
        &self,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, ServiceError> {
        Ok(self.repo.recycle_bin(scope, page).await?)
    }

    /// updateCustomer: a partial update, or the creation of a contact's profile.
    ///
    /// # Errors
    /// `Invalid` for missing ids, too long values or unknown tags; `NotFound` for a customer
    /// or contact outside the scope; `Conflict` when the contact already has a profile.
    pub async fn update(
        &self,
        scope: &Scope,
        cmd: &UpdateCustomer,
        now: DateTime<Utc>,
    ) -> Result<CustomerRecord, ServiceError> {
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
        let id = match self.repo.save(scope, target, &patch, now).await? {
            SaveOutcome::Saved(id) => id,
            SaveOutcome::NotFound => {
                return Err(ServiceError::NotFound(match target {
                    SaveTarget::Existing(..) => "customer",
                    SaveTarget::NewFor(_) => "wechatContact",
                }));
            }
            SaveOutcome::ContactMismatch => {
                return Err(ServiceError::invalid(
                    "wechatContactId",
                    "is not the contact of this customer",
                ));
            }
            SaveOutcome::AlreadyExists(existing) => {
                return Err(ServiceError::Conflict(format!(
                    "wechatContactId: this contact already has customer {existing}"
                )));
            }
            SaveOutcome::UnknownTags(tags) => {
                let ids: Vec<String> = tags.iter().map(ToString::to_string).collect();
                return Err(ServiceError::invalid(
                    "tags",
                    &format!("unknown tag ids {}", ids.join(",")),
                ));
            }
        };
        self.repo
            .find(scope, id)
            .await?
            .ok_or(ServiceError::NotFound("customer"))
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

fn check_filter(filter: &CustomerFilter) -> Result<(), ServiceError> {
    if let (Some(b), Some(e)) = (filter.begin, filter.end)
        && b > e
    {
        return Err(ServiceError::invalid(
            "beginTime",
            "must not be after endTime",
        ));
    }
    for (param, value) in [
        ("customerName", &filter.name),
        ("remarks", &filter.remarks),
        ("remarkName", &filter.remark_name),
    ] {
        if let Some(v) = value {
            check_len(param, v, limits::REMARKS)?;
        }
    }
    if let Some(p) = &filter.phone_digits {
        check_len("customerPhone", p, limits::PHONE)?;
    }
    Ok(())
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
