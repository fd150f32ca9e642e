//! Checking an import document against itself and the store, and the rows it becomes.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};

use super::document::*;
use super::planner::Planner;
use crate::ServiceError;
use crate::customer::XFIELDS;
use crate::manual::ManualEntry;
use crate::message::ChatMessage;

/// The ids a document refers to, to look up in the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefQuery {
    pub account_ids: Vec<i64>,
    pub login_names: Vec<String>,
    pub department_ids: Vec<i64>,
    pub wechat_user_ids: Vec<i64>,
    pub contact_ids: Vec<i64>,
    pub tag_ids: Vec<i64>,
}

impl RefQuery {
    /// Every id the document refers to or defines.
    pub fn of(doc: &ImportDocument) -> Self {
        let mut q = Self::default();
        for d in &doc.departments {
            q.account_ids.push(d.tenant_admin_user_id);
        }
        for a in &doc.admin_users {
            q.account_ids.push(a.id);
            q.account_ids.extend(a.parent_id);
            q.department_ids.extend(a.depart_id);
            q.login_names.extend(a.login_name.clone());
        }
        for w in &doc.wechat_users {
            q.account_ids.push(w.admin_user_id);
        }
        for t in &doc.tags {
            q.account_ids.push(t.tenant_admin_user_id);
        }
        for c in &doc.wechat_contacts {
            q.wechat_user_ids.push(c.wechat_user_id);
            q.tag_ids.extend(c.tag_ids.iter().flatten());
        }
        for c in &doc.customers {
            q.contact_ids.push(c.wechat_contact_id);
        }
        for n in &doc.nick_names {
            q.contact_ids.push(n.wechat_contact_id);
        }
        for m in &doc.manual_entries {
            q.account_ids.push(m.admin_user_id);
        }
        for m in &doc.messages {
            q.wechat_user_ids.push(m.wechat_user_id.0);
            q.contact_ids.push(m.wechat_contact_id.0);
        }
        for v in [
            &mut q.account_ids,
            &mut q.department_ids,
            &mut q.wechat_user_ids,
            &mut q.contact_ids,
            &mut q.tag_ids,
        ] {
            v.sort_unstable();
            v.dedup();
        }
        q.login_names.sort();
        q.login_names.dedup();
        q
    }
}

/// An account the store knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAccount {
    pub parent_id: Option<i64>,
}

/// A row owned through a WeChat account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub tenant_id: i64,
    pub admin_user_id: i64,
}

/// A contact the store knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownContact {
    pub owner: Owner,
    pub wechat_user_id: i64,
}

/// What the store holds of the ids of a `RefQuery`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownRefs {
    pub accounts: HashMap<i64, KnownAccount>,
    /// Login name -> account id, for the names of the query.
    pub logins: HashMap<String, i64>,
    /// Department id -> tenant.
    pub departments: HashMap<i64, i64>,
    pub wechat_users: HashMap<i64, Owner>,
    pub contacts: HashMap<i64, KnownContact>,
    /// Tag id -> tenant.
    pub tags: HashMap<i64, i64>,
    /// Contact id -> the id of its customer, for the contacts of the query.
    pub customers_by_contact: HashMap<i64, i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    pub id: i64,
    pub tenant_id: i64,
    pub login_name: String,
    pub real_name: Option<String>,
    pub parent_id: Option<i64>,
    pub depart_id: Option<i64>,
    /// `None` keeps the stored hash (or leaves a new account unable to log in).
    pub password_hash: Option<String>,
    pub is_open_after_call: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentRow {
    pub id: i64,
    pub tenant_id: i64,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WechatUserRow {
    pub id: i64,
    pub owner: Owner,
    pub uin: Option<String>,
    pub user_name: Option<String>,
    pub nick_name: Option<String>,
    pub alias: Option<String>,
    pub head_img_url: Option<String>,
    pub is_online: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TagRow {
    pub id: i64,
    pub tenant_id: i64,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContactRow {
    pub id: i64,
    pub owner: Owner,
    pub wechat_user_id: i64,
    pub doc: ContactDoc,
    pub create_time: DateTime<Utc>,
    /// Replaces the contact's tags when given.
    pub tag_ids: Option<Vec<i64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRow {
    pub id: i64,
    pub owner: Owner,
    pub wechat_user_id: i64,
    pub wechat_contact_id: i64,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub phone_digits: Option<String>,
    pub nick_name: Option<String>,
    pub remarks: Option<String>,
    pub xfields: [Option<String>; XFIELDS],
    pub is_cust: i32,
    pub create_time: DateTime<Utc>,
    pub last_update_time: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NickNameRow {
    pub wechat_contact_id: i64,
    pub tenant_id: i64,
    pub cust_name: Option<String>,
    pub nick_name: Option<String>,
}

/// The checked rows of a document, in the order they are written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportPlan {
    pub accounts: Vec<AccountRow>,
    pub departments: Vec<DepartmentRow>,
    pub wechat_users: Vec<WechatUserRow>,
    pub tags: Vec<TagRow>,
    pub contacts: Vec<ContactRow>,
    pub customers: Vec<CustomerRow>,
    pub nick_names: Vec<NickNameRow>,
    pub manual_entries: Vec<ManualEntry>,
    pub messages: Vec<ChatMessage>,
}

impl ImportPlan {
    /// Rows written to the relational store.
    pub fn row_count(&self) -> usize {
        self.accounts.len()
            + self.departments.len()
            + self.wechat_users.len()
            + self.tags.len()
            + self.contacts.len()
            + self.customers.len()
            + self.nick_names.len()
            + self.manual_entries.len()
    }
}

/// Checks a document and builds its plan. Passwords stay unhashed (the service hashes them).
///
/// # Errors
/// `ServiceError::Invalid` naming the first bad record.
pub fn build_plan(
    doc: &ImportDocument,
    known: &KnownRefs,
    zone: FixedOffset,
) -> Result<ImportPlan, ServiceError> {
    let mut planner = Planner::new(doc, known, zone);
    planner.accounts()?;
    planner.departments()?;
    planner.wechat_users()?;
    planner.tags()?;
    planner.contacts()?;
    planner.customers()?;
    planner.nick_names()?;
    planner.manual_entries()?;
    planner.messages()?;
    Ok(planner.plan)
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
