//! The customer model: the record the lists show, the list filter, the export cursor, and the
//! patch and command of an update with what a save did.

use chrono::{DateTime, Utc};

use crate::contact::ContactRecord;
use crate::search::{SearchTerm, TagMode};
use crate::{AdminUserId, ContactId, CustomerId, TagId, WechatUserId};

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
    /// The terms of `q`, every one of which must match ([`crate::search::term_matches`]).
    pub terms: Vec<SearchTerm>,
    /// Contains, in customer name, contact nick name or remark name.
    pub name: Option<String>,
    /// Contains, in the phone's digits.
    pub phone_digits: Option<String>,
    /// These tags, combined by `tag_mode`.
    pub tag_ids: Vec<TagId>,
    /// Any, all or none of `tag_ids`.
    pub tag_mode: TagMode,
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

/// Filters of the recycle bin (the `q` and tag filters of customerPage).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BinFilter {
    /// The terms of `q`, every one of which must match.
    pub terms: Vec<SearchTerm>,
    /// These tags, combined by `tag_mode`.
    pub tag_ids: Vec<TagId>,
    pub tag_mode: TagMode,
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

/// What updateCustomer answers: the profile and its contact as committed, read in the save's
/// transaction, so that nothing is left to fail once the commit is sent (a saved profile
/// answered 503 by a read after it would look unsaved).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedCustomer {
    pub customer: CustomerRecord,
    /// As `ContactRepository::find` answers it. A save whose contact it would not answer (its
    /// WeChat account missing) is `NotFound`, and changes nothing.
    pub contact: ContactRecord,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveOutcome {
    Saved(Box<SavedCustomer>),
    /// The customer or contact does not exist or is outside the scope.
    NotFound,
    /// The contact id does not belong to the customer.
    ContactMismatch,
    /// The contact already has a profile.
    AlreadyExists(CustomerId),
    /// Tag ids that are not tags of the tenant.
    UnknownTags(Vec<TagId>),
}

/// The raw update command, after the wire's lenient parsing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateCustomer {
    pub customer_id: Option<CustomerId>,
    pub wechat_contact_id: Option<ContactId>,
    pub patch: CustomerPatch,
}
