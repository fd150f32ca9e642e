//! Customers: the CRM profile of a contact, its search, export, update, recycle bin.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::phone::Phone;
use crate::text::{check_len, limits};
use crate::{
    AdminUserId, ContactId, CustomerId, Page, PageRequest, Scope, ServiceError, StoreError, TagId,
    WechatUserId,
};

/// Number of custom fields (`xfield1`..`xfield10`).
pub const XFIELDS: usize = 10;

/// A customer with what the lists show of its contact.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRecord {
    pub id: CustomerId,
    pub wechat_contact_id: ContactId,
    pub wechat_user_id: WechatUserId,
    pub admin_user_id: AdminUserId,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub nick_name: Option<String>,
    pub remarks: Option<String>,
    pub xfields: [Option<String>; XFIELDS],
    pub is_cust: i32,
    pub create_time: DateTime<Utc>,
    pub last_update_time: DateTime<Utc>,
    /// The contact's tags, ascending by id.
    pub tags: Vec<TagId>,
    /// The names of `tags`, in the same order.
    pub tag_names: Vec<String>,
    pub contact_nick_name: Option<String>,
    pub remark_name: Option<String>,
    pub head_img_url: Option<String>,
    pub is_star: i32,
    pub wechat_user_nick_name: Option<String>,
    /// The personal form of address (`customerNickName`).
    pub customer_nick_name: Option<String>,
    /// When the profile went to the recycle bin.
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Filters of customerPage and downLoad. Every field is optional; all given ones apply.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerFilter {
    /// Contains, in customer name, contact nick name or remark name.
    pub name: Option<String>,
    /// Contains, in the phone's digits.
    pub phone_digits: Option<String>,
    /// Any of these tags.
    pub tag_ids: Vec<TagId>,
    /// Customer createTime at or after.
    pub begin: Option<DateTime<Utc>>,
    /// Customer createTime at or before.
    pub end: Option<DateTime<Utc>>,
    /// Contains, in the customer's remarks.
    pub remarks: Option<String>,
    /// Contains, in the contact's remark name.
    pub remark_name: Option<String>,
    /// Only this WeChat account.
    pub wechat_user_id: Option<WechatUserId>,
}

/// The position after the last exported row (lists are ordered by createTime desc, id desc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportCursor {
    pub create_time: DateTime<Utc>,
    pub id: CustomerId,
}

/// A text field of a patch: absent leaves it alone, `Clear` empties it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FieldChange {
    #[default]
    Keep,
    Clear,
    Set(String),
}

impl FieldChange {
    /// From a wire value: absent = keep, empty = clear, else set.
    pub fn from_wire(value: Option<&str>) -> Self {
        match value {
            None => Self::Keep,
            Some("") => Self::Clear,
            Some(v) => Self::Set(v.to_owned()),
        }
    }

    /// The new value, or None for keep.
    pub fn new_value(&self) -> Option<Option<&str>> {
        match self {
            Self::Keep => None,
            Self::Clear => Some(None),
            Self::Set(v) => Some(Some(v)),
        }
    }
}

/// A partial update of a customer and its contact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerPatch {
    pub customer_name: FieldChange,
    pub customer_phone: FieldChange,
    /// Digits of the new phone, set with `customer_phone`.
    pub phone_digits: Option<String>,
    pub nick_name: FieldChange,
    pub remarks: FieldChange,
    pub xfields: [FieldChange; XFIELDS],
    /// Replaces the contact's tag set.
    pub tags: Option<Vec<TagId>>,
    /// Sets the contact's star.
    pub is_star: Option<bool>,
}

/// Which customer an update targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveTarget {
    /// An existing profile; the contact id, when given, must be its contact.
    Existing(CustomerId, Option<ContactId>),
    /// A new profile for a contact.
    NewFor(ContactId),
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved(CustomerId),
    /// The customer or contact does not exist or is outside the scope.
    NotFound,
    /// The contact id does not belong to the customer.
    ContactMismatch,
    /// The contact already has a profile.
    AlreadyExists(CustomerId),
    /// Tag ids that are not tags of the tenant.
    UnknownTags(Vec<TagId>),
}

/// Reads and writes customers, always within a scope.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait CustomerRepository: Send + Sync + 'static {
    /// A page of live customers matching the filter, newest first, with the exact count.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn page(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError>;

    /// Up to `batch` live customers after `after` in list order (for streaming exports).
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn export_batch(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        after: Option<ExportCursor>,
        batch: u32,
    ) -> Result<Vec<CustomerRecord>, StoreError>;

    /// A page of the recycle bin, most recently deleted first.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn recycle_bin(
        &self,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<CustomerRecord>, StoreError>;

    /// One live customer.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn find(
        &self,
        scope: &Scope,
        id: CustomerId,
    ) -> Result<Option<CustomerRecord>, StoreError>;

    /// Applies a patch in one transaction.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn save(
        &self,
        scope: &Scope,
        target: SaveTarget,
        patch: &CustomerPatch,
        now: DateTime<Utc>,
    ) -> Result<SaveOutcome, StoreError>;

    /// Moves a live customer to the recycle bin; false when not found.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn soft_delete(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Live customers of the scope whose phone digits equal `digits`, newest first.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn by_phone(
        &self,
        scope: &Scope,
        digits: &str,
    ) -> Result<Vec<CustomerRecord>, StoreError>;

    /// Brings a customer back from the recycle bin; false when not there.
    ///
    /// # Errors
    /// `StoreError` when the store fails.
    async fn restore(
        &self,
        scope: &Scope,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}

/// The raw update command, after the wire's lenient parsing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateCustomer {
    pub customer_id: Option<CustomerId>,
    pub wechat_contact_id: Option<ContactId>,
    pub patch: CustomerPatch,
}

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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;
    use mockall::predicate::{always, eq};

    fn scope() -> Scope {
        Scope::for_account(AdminUserId(1), None)
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
    }

    pub(crate) fn record(id: i64) -> CustomerRecord {
        CustomerRecord {
            id: CustomerId(id),
            wechat_contact_id: ContactId(id * 10),
            wechat_user_id: WechatUserId(5),
            admin_user_id: AdminUserId(1),
            customer_name: Some("王".into()),
            customer_phone: None,
            nick_name: None,
            remarks: None,
            xfields: Default::default(),
            is_cust: 0,
            create_time: now(),
            last_update_time: now(),
            tags: vec![],
            tag_names: vec![],
            contact_nick_name: None,
            remark_name: None,
            head_img_url: None,
            is_star: 0,
            wechat_user_nick_name: None,
            customer_nick_name: None,
            deleted_at: None,
        }
    }

    #[tokio::test]
    async fn page_passes_scope_filter_and_paging_through() {
        let mut repo = MockCustomerRepository::new();
        let filter = CustomerFilter {
            name: Some("王".into()),
            ..Default::default()
        };
        let page = PageRequest::new(2, 5).unwrap();
        repo.expect_page()
            .with(eq(scope()), eq(filter.clone()), eq(page))
            .times(1)
            .returning(|_, _, _| {
                Ok(Page {
                    items: vec![record(1)],
                    total: 6,
                })
            });
        let out = CustomerService::new(Arc::new(repo))
            .page(&scope(), &filter, page)
            .await
            .unwrap();
        assert_eq!(out.total, 6);
        assert_eq!(out.items.len(), 1);
    }

    #[tokio::test]
    async fn inverted_time_range_is_rejected_before_the_store() {
        let repo = MockCustomerRepository::new();
        let filter = CustomerFilter {
            begin: Some(now()),
            end: Some(now() - chrono::Duration::days(1)),
            ..Default::default()
        };
        let err = CustomerService::new(Arc::new(repo))
            .page(&scope(), &filter, PageRequest::new(1, 10).unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Invalid(m) if m.starts_with("beginTime")));
    }

    #[tokio::test]
    async fn update_without_ids_is_a_400() {
        let svc = CustomerService::new(Arc::new(MockCustomerRepository::new()));
        let err = svc
            .update(&scope(), &UpdateCustomer::default(), now())
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Invalid(m) if m.starts_with("customerId")));
    }

    #[tokio::test]
    async fn update_maps_each_outcome() {
        let cases = [
            (SaveOutcome::NotFound, ServiceError::NotFound("customer")),
            (
                SaveOutcome::AlreadyExists(CustomerId(4)),
                ServiceError::Conflict(
                    "wechatContactId: this contact already has customer 4".into(),
                ),
            ),
            (
                SaveOutcome::UnknownTags(vec![TagId(8), TagId(9)]),
                ServiceError::invalid("tags", "unknown tag ids 8,9"),
            ),
            (
                SaveOutcome::ContactMismatch,
                ServiceError::invalid("wechatContactId", "is not the contact of this customer"),
            ),
        ];
        for (outcome, expected) in cases {
            let mut repo = MockCustomerRepository::new();
            repo.expect_save()
                .return_once(move |_, _, _, _| Ok(outcome));
            let cmd = UpdateCustomer {
                customer_id: Some(CustomerId(3)),
                ..Default::default()
            };
            let err = CustomerService::new(Arc::new(repo))
                .update(&scope(), &cmd, now())
                .await
                .unwrap_err();
            assert_eq!(err, expected);
        }
    }

    #[tokio::test]
    async fn update_creates_for_a_contact_and_reads_back() {
        let mut repo = MockCustomerRepository::new();
        repo.expect_save()
            .with(
                eq(scope()),
                eq(SaveTarget::NewFor(ContactId(30))),
                always(),
                eq(now()),
            )
            .returning(|_, _, _, _| Ok(SaveOutcome::Saved(CustomerId(3))));
        repo.expect_find()
            .with(eq(scope()), eq(CustomerId(3)))
            .returning(|_, _| Ok(Some(record(3))));
        let cmd = UpdateCustomer {
            wechat_contact_id: Some(ContactId(30)),
            ..Default::default()
        };
        let rec = CustomerService::new(Arc::new(repo))
            .update(&scope(), &cmd, now())
            .await
            .unwrap();
        assert_eq!(rec.id, CustomerId(3));
    }

    #[tokio::test]
    async fn too_long_fields_are_named() {
        let svc = CustomerService::new(Arc::new(MockCustomerRepository::new()));
        let mut cmd = UpdateCustomer {
            customer_id: Some(CustomerId(1)),
            ..Default::default()
        };
        cmd.patch.xfields[2] = FieldChange::Set("x".repeat(256));
        let err = svc.update(&scope(), &cmd, now()).await.unwrap_err();
        assert!(matches!(err, ServiceError::Invalid(m) if m.starts_with("xfield3")));
    }

    #[tokio::test]
    async fn delete_and_restore_of_unknown_ids_are_404() {
        let mut repo = MockCustomerRepository::new();
        repo.expect_soft_delete()
            .returning(|_, id, _| Ok(id == CustomerId(1)));
        repo.expect_restore().returning(|_, _, _| Ok(false));
        let svc = CustomerService::new(Arc::new(repo));
        assert!(svc.delete(&scope(), CustomerId(1), now()).await.is_ok());
        assert_eq!(
            svc.delete(&scope(), CustomerId(2), now()).await,
            Err(ServiceError::NotFound("customer"))
        );
        assert_eq!(
            svc.restore(&scope(), CustomerId(1), now()).await,
            Err(ServiceError::NotFound("customer"))
        );
    }

    #[tokio::test]
    async fn a_given_phone_needs_5_to_20_digits_and_gets_its_digits() {
        let svc = CustomerService::new(Arc::new(MockCustomerRepository::new()));
        let mut cmd = UpdateCustomer {
            customer_id: Some(CustomerId(1)),
            ..Default::default()
        };
        cmd.patch.customer_phone = FieldChange::Set("1234".into());
        let err = svc.update(&scope(), &cmd, now()).await.unwrap_err();
        assert!(matches!(err, ServiceError::Invalid(m) if m.starts_with("customerPhone")));

        let mut repo = MockCustomerRepository::new();
        repo.expect_save()
            .withf(|_, _, patch, _| patch.phone_digits.as_deref() == Some("18750928186"))
            .returning(|_, _, _, _| Ok(SaveOutcome::Saved(CustomerId(1))));
        repo.expect_find().returning(|_, _| Ok(Some(record(1))));
        cmd.patch.customer_phone = FieldChange::Set("+86 187-5092-8186".into());
        CustomerService::new(Arc::new(repo))
            .update(&scope(), &cmd, now())
            .await
            .unwrap();
    }

    #[test]
    fn field_change_from_wire() {
        assert_eq!(FieldChange::from_wire(None), FieldChange::Keep);
        assert_eq!(FieldChange::from_wire(Some("")), FieldChange::Clear);
        assert_eq!(
            FieldChange::from_wire(Some("a")),
            FieldChange::Set("a".into())
        );
    }
}
