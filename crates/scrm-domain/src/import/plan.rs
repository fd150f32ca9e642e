//! Checking an import document against itself and the store, and the rows it becomes.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, Utc};

use super::document::*;
use crate::customer::XFIELDS;
use crate::manual::ManualEntry;
use crate::message::ChatMessage;
use crate::phone::Phone;
use crate::text::{check_len, limits};
use crate::{AdminUserId, ManualEntryId, ServiceError};

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

fn bad(
    record: &str,
    index: usize,
    id: impl std::fmt::Display,
    why: impl std::fmt::Display,
) -> ServiceError {
    ServiceError::Invalid(format!("{record}[{index}] (id {id}): {why}"))
}

fn time_or(
    value: Option<&serde_json::Value>,
    zone: FixedOffset,
    default: DateTime<Utc>,
    what: &str,
) -> Result<DateTime<Utc>, String> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(default),
        Some(v) => {
            crate::time::from_json(v, zone).ok_or_else(|| format!("{what} is not a time: {v}"))
        }
    }
}

fn opt_time(
    value: Option<&serde_json::Value>,
    zone: FixedOffset,
    what: &str,
) -> Result<Option<DateTime<Utc>>, String> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => crate::time::from_json(v, zone)
            .map(Some)
            .ok_or_else(|| format!("{what} is not a time: {v}")),
    }
}

fn lens(fields: &[(&str, &Option<String>, usize)]) -> Result<(), String> {
    for (name, value, max) in fields {
        if let Some(v) = value {
            check_len(name, v, *max).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn phone(value: &Option<String>) -> Result<Option<String>, String> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(raw) => Phone::parse("customerPhone", raw)
            .map(|p| Some(p.digits().to_owned()))
            .map_err(|e| e.to_string()),
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one straight pass over the record kinds reads best"
)]
/// Checks a document and builds its plan. Passwords stay unhashed (the service hashes them).
///
/// # Errors
/// `ServiceError::Invalid` naming the first bad record.
pub fn build_plan(
    doc: &ImportDocument,
    known: &KnownRefs,
    zone: FixedOffset,
) -> Result<ImportPlan, ServiceError> {
    let now = Utc::now();
    let mut plan = ImportPlan::default();

    // Accounts: parents are main accounts; the tenant is the parent (or the account itself).
    let mut parents: HashMap<i64, Option<i64>> = known
        .accounts
        .iter()
        .map(|(id, a)| (*id, a.parent_id))
        .collect();
    let mut logins: HashMap<String, i64> = known.logins.clone();
    for a in &doc.admin_users {
        parents.insert(a.id, a.parent_id);
    }
    for (i, a) in doc.admin_users.iter().enumerate() {
        let err = |why: String| bad("adminUsers", i, a.id, why);
        let login = a
            .login_name
            .clone()
            .filter(|l| !l.trim().is_empty())
            .ok_or_else(|| err("loginName is required".into()))?;
        if let Some(other) = logins.get(&login).filter(|other| **other != a.id) {
            return Err(err(format!(
                "loginName {login} is taken by account {other}"
            )));
        }
        logins.insert(login.clone(), a.id);
        lens(&[
            ("loginName", &a.login_name, 64),
            ("realName", &a.real_name, limits::NAME),
        ])
        .map_err(err)?;
        if let Some(parent) = a.parent_id {
            match parents.get(&parent) {
                None => return Err(err(format!("parentId {parent} does not exist"))),
                Some(Some(_)) => {
                    return Err(err(format!("parentId {parent} is itself a sub-account")));
                }
                Some(None) if parent == a.id => {
                    return Err(err("parentId is the account itself".into()));
                }
                Some(None) => {}
            }
        }
        if doc.admin_users.iter().any(|o| o.parent_id == Some(a.id)) && a.parent_id.is_some() {
            return Err(err("a sub-account cannot have sub-accounts".into()));
        }
        plan.accounts.push(AccountRow {
            id: a.id,
            tenant_id: a.parent_id.unwrap_or(a.id),
            login_name: login,
            real_name: a.real_name.clone(),
            parent_id: a.parent_id,
            depart_id: a.depart_id,
            password_hash: None,
            is_open_after_call: a.is_open_after_call.unwrap_or(0),
        });
    }
    let tenant_of = |id: i64| parents.get(&id).map(|p| p.unwrap_or(id));
    let main_account = |id: i64| matches!(parents.get(&id), Some(None));

    let mut departments: HashMap<i64, i64> = known.departments.clone();
    for (i, d) in doc.departments.iter().enumerate() {
        if !main_account(d.tenant_admin_user_id) {
            return Err(bad(
                "departments",
                i,
                d.id,
                format!(
                    "tenantAdminUserId {} is not a main account",
                    d.tenant_admin_user_id
                ),
            ));
        }
        lens(&[("name", &d.name, limits::NAME)]).map_err(|e| bad("departments", i, d.id, e))?;
        departments.insert(d.id, d.tenant_admin_user_id);
        plan.departments.push(DepartmentRow {
            id: d.id,
            tenant_id: d.tenant_admin_user_id,
            name: d.name.clone(),
        });
    }
    for (i, a) in plan.accounts.iter().enumerate() {
        if let Some(dep) = a.depart_id
            && departments.get(&dep) != Some(&a.tenant_id)
        {
            return Err(bad(
                "adminUsers",
                i,
                a.id,
                format!("departId {dep} is not a department of its tenant"),
            ));
        }
    }

    let mut wechat_users: HashMap<i64, Owner> = known.wechat_users.clone();
    for (i, w) in doc.wechat_users.iter().enumerate() {
        let tenant = tenant_of(w.admin_user_id).ok_or_else(|| {
            bad(
                "wechatUsers",
                i,
                w.id,
                format!("adminUserId {} does not exist", w.admin_user_id),
            )
        })?;
        lens(&[
            ("uin", &w.uin, 64),
            ("userName", &w.user_name, limits::NAME),
            ("nickName", &w.nick_name, limits::NAME),
            ("alias", &w.alias, limits::NAME),
            ("headImgUrl", &w.head_img_url, 512),
        ])
        .map_err(|e| bad("wechatUsers", i, w.id, e))?;
        let owner = Owner {
            tenant_id: tenant,
            admin_user_id: w.admin_user_id,
        };
        wechat_users.insert(w.id, owner);
        plan.wechat_users.push(WechatUserRow {
            id: w.id,
            owner,
            uin: w.uin.clone(),
            user_name: w.user_name.clone(),
            nick_name: w.nick_name.clone(),
            alias: w.alias.clone(),
            head_img_url: w.head_img_url.clone(),
            is_online: w.is_online.unwrap_or(0),
        });
    }

    let mut tags: HashMap<i64, i64> = known.tags.clone();
    for (i, t) in doc.tags.iter().enumerate() {
        if !main_account(t.tenant_admin_user_id) {
            return Err(bad(
                "tags",
                i,
                t.id,
                format!(
                    "tenantAdminUserId {} is not a main account",
                    t.tenant_admin_user_id
                ),
            ));
        }
        lens(&[("name", &t.name, limits::NAME)]).map_err(|e| bad("tags", i, t.id, e))?;
        tags.insert(t.id, t.tenant_admin_user_id);
        plan.tags.push(TagRow {
            id: t.id,
            tenant_id: t.tenant_admin_user_id,
            name: t.name.clone(),
        });
    }

    let mut contacts: HashMap<i64, KnownContact> = known.contacts.clone();
    for (i, c) in doc.wechat_contacts.iter().enumerate() {
        let err = |why: String| bad("wechatContacts", i, c.id, why);
        let owner = *wechat_users
            .get(&c.wechat_user_id)
            .ok_or_else(|| err(format!("wechatUserId {} does not exist", c.wechat_user_id)))?;
        for tag in c.tag_ids.iter().flatten() {
            if tags.get(tag) != Some(&owner.tenant_id) {
                return Err(err(format!("tag {tag} is not a tag of its tenant")));
            }
        }
        lens(&[
            ("userName", &c.user_name, limits::NAME),
            ("nickName", &c.nick_name, limits::NAME),
            ("remarkName", &c.remark_name, limits::NAME),
            ("alias", &c.alias, limits::NAME),
            ("headImgUrl", &c.head_img_url, 512),
            ("province", &c.province, 64),
            ("city", &c.city, 64),
            ("pYQuanPin", &c.py_quan_pin, 512),
            ("remarkPYQuanPin", &c.remark_py_quan_pin, 512),
        ])
        .map_err(err)?;
        let create_time = time_or(c.create_time.as_ref(), zone, now, "createTime").map_err(err)?;
        contacts.insert(
            c.id,
            KnownContact {
                owner,
                wechat_user_id: c.wechat_user_id,
            },
        );
        let mut tag_ids = c.tag_ids.clone();
        if let Some(t) = tag_ids.as_mut() {
            t.sort_unstable();
            t.dedup();
        }
        plan.contacts.push(ContactRow {
            id: c.id,
            owner,
            wechat_user_id: c.wechat_user_id,
            doc: c.clone(),
            create_time,
            tag_ids,
        });
    }

    let mut customer_of_contact: HashMap<i64, i64> = known.customers_by_contact.clone();
    let mut seen_customers = HashSet::new();
    for (i, c) in doc.customers.iter().enumerate() {
        let err = |why: String| bad("customers", i, c.id, why);
        if !seen_customers.insert(c.id) {
            return Err(err("duplicate id".into()));
        }
        let contact = *contacts.get(&c.wechat_contact_id).ok_or_else(|| {
            err(format!(
                "wechatContactId {} does not exist",
                c.wechat_contact_id
            ))
        })?;
        if let Some(other) = customer_of_contact
            .get(&c.wechat_contact_id)
            .filter(|o| **o != c.id)
        {
            return Err(err(format!(
                "wechatContactId {} already has customer {other}",
                c.wechat_contact_id
            )));
        }
        customer_of_contact.insert(c.wechat_contact_id, c.id);
        let xfields = [
            &c.xfield1,
            &c.xfield2,
            &c.xfield3,
            &c.xfield4,
            &c.xfield5,
            &c.xfield6,
            &c.xfield7,
            &c.xfield8,
            &c.xfield9,
            &c.xfield10,
        ];
        lens(&[
            ("customerName", &c.customer_name, limits::NAME),
            ("customerPhone", &c.customer_phone, limits::PHONE),
            ("nickName", &c.nick_name, limits::NAME),
            ("remarks", &c.remarks, limits::REMARKS),
        ])
        .map_err(err)?;
        for (n, x) in xfields.iter().enumerate() {
            lens(&[(&format!("xfield{}", n + 1), x, limits::XFIELD)]).map_err(err)?;
        }
        let phone_digits = phone(&c.customer_phone).map_err(err)?;
        let create_time = time_or(c.create_time.as_ref(), zone, now, "createTime").map_err(err)?;
        let last_update_time = time_or(
            c.last_update_time.as_ref(),
            zone,
            create_time,
            "lastUpdateTime",
        )
        .map_err(err)?;
        plan.customers.push(CustomerRow {
            id: c.id,
            owner: contact.owner,
            wechat_user_id: contact.wechat_user_id,
            wechat_contact_id: c.wechat_contact_id,
            customer_name: c.customer_name.clone(),
            customer_phone: c.customer_phone.clone(),
            phone_digits,
            nick_name: c.nick_name.clone(),
            remarks: c.remarks.clone(),
            xfields: xfields.map(Clone::clone),
            is_cust: c.is_cust.unwrap_or(0),
            create_time,
            last_update_time,
        });
    }

    for (i, n) in doc.nick_names.iter().enumerate() {
        let err = |why: String| bad("nickNames", i, n.wechat_contact_id, why);
        let contact = contacts.get(&n.wechat_contact_id).ok_or_else(|| {
            err(format!(
                "wechatContactId {} does not exist",
                n.wechat_contact_id
            ))
        })?;
        lens(&[
            ("custName", &n.cust_name, limits::NAME),
            ("nickName", &n.nick_name, limits::NAME),
        ])
        .map_err(err)?;
        plan.nick_names.push(NickNameRow {
            wechat_contact_id: n.wechat_contact_id,
            tenant_id: contact.owner.tenant_id,
            cust_name: n.cust_name.clone(),
            nick_name: n.nick_name.clone(),
        });
    }

    for (i, m) in doc.manual_entries.iter().enumerate() {
        let err = |why: String| bad("manualEntries", i, m.id, why);
        let tenant = tenant_of(m.admin_user_id)
            .ok_or_else(|| err(format!("adminUserId {} does not exist", m.admin_user_id)))?;
        let xfields = [
            &m.xfield1,
            &m.xfield2,
            &m.xfield3,
            &m.xfield4,
            &m.xfield5,
            &m.xfield6,
            &m.xfield7,
            &m.xfield8,
            &m.xfield9,
            &m.xfield10,
        ];
        lens(&[
            ("customerName", &m.customer_name, limits::NAME),
            ("customerPhone", &m.customer_phone, limits::PHONE),
            ("address", &m.address, limits::REMARKS),
            ("company", &m.company, limits::NAME),
            ("nickName", &m.nick_name, limits::NAME),
            ("userName", &m.user_name, limits::NAME),
            ("uin", &m.uin, 64),
            ("phoneGeo", &m.phone_geo, limits::NAME),
            ("tags", &m.tags, limits::REMARKS),
            ("remarks", &m.remarks, limits::REMARKS),
            ("v1", &m.v1, limits::REMARKS),
        ])
        .map_err(err)?;
        for (n, x) in xfields.iter().enumerate() {
            lens(&[(&format!("xfield{}", n + 1), x, limits::XFIELD)]).map_err(err)?;
        }
        let task_id = m.task_id.unwrap_or(crate::manual::HAND_ENTERED);
        if task_id == 0 || task_id < -1 {
            return Err(err("taskId must be -1 or positive".into()));
        }
        for (name, v, max) in [
            ("dialStatus", m.dial_status, 1),
            ("addStatus", m.add_status, 2),
        ] {
            if let Some(v) = v.filter(|v| !(0..=max).contains(v)) {
                return Err(err(format!("{name} {v} is out of range 0..={max}")));
            }
        }
        let phone_digits = phone(&m.customer_phone).map_err(err)?;
        let create_time = time_or(m.create_time.as_ref(), zone, now, "createTime").map_err(err)?;
        plan.manual_entries.push(ManualEntry {
            id: ManualEntryId(m.id),
            tenant_id: AdminUserId(tenant),
            admin_user_id: AdminUserId(m.admin_user_id),
            task_id,
            order_num: m.order_num.unwrap_or(0),
            customer_name: m.customer_name.clone(),
            customer_phone: m.customer_phone.clone(),
            phone_digits,
            address: m.address.clone(),
            company: m.company.clone(),
            nick_name: m.nick_name.clone(),
            user_name: m.user_name.clone(),
            uin: m.uin.clone(),
            phone_geo: m.phone_geo.clone(),
            tags: m.tags.clone(),
            remarks: m.remarks.clone(),
            v1: m.v1.clone(),
            xfields: xfields.map(Clone::clone),
            dial_status: m.dial_status.unwrap_or(0),
            add_status: m.add_status.unwrap_or(0),
            syn: m.syn.unwrap_or(0),
            assign_time: opt_time(m.assign_time.as_ref(), zone, "assignTime").map_err(err)?,
            create_time,
            last_update_time: time_or(
                m.last_update_time.as_ref(),
                zone,
                create_time,
                "lastUpdateTime",
            )
            .map_err(err)?,
        });
    }

    for (i, m) in doc.messages.iter().enumerate() {
        let err = |why: String| bad("messages", i, &m.msg_id, why);
        if m.msg_id.is_empty() || m.msg_id.len() > 64 {
            return Err(err("msgId must have 1 to 64 characters".into()));
        }
        match contacts.get(&m.wechat_contact_id.0) {
            None => {
                return Err(err(format!(
                    "wechatContactId {} does not exist",
                    m.wechat_contact_id
                )));
            }
            Some(c) if c.wechat_user_id != m.wechat_user_id.0 => {
                return Err(err(format!(
                    "wechatContactId {} is not a contact of wechatUserId {}",
                    m.wechat_contact_id, m.wechat_user_id
                )));
            }
            Some(_) => {}
        }
        plan.messages.push(m.clone());
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> FixedOffset {
        crate::time::parse_zone("+08:00").unwrap()
    }

    fn example() -> ImportDocument {
        serde_json::from_str(include_str!("../../../../docs/examples/import.json")).unwrap()
    }

    #[test]
    fn the_example_document_plans_with_owners_filled_in() {
        let plan = build_plan(&example(), &KnownRefs::default(), zone()).unwrap();
        assert_eq!(plan.accounts.len(), 2);
        assert_eq!(plan.accounts[1].tenant_id, 11855);
        let owner = Owner {
            tenant_id: 11855,
            admin_user_id: 12206,
        };
        assert_eq!(plan.contacts[0].owner, owner);
        assert_eq!(plan.customers[0].owner, owner);
        assert_eq!(
            plan.customers[0].phone_digits.as_deref(),
            Some("11111122222")
        );
        assert_eq!(
            plan.customers[0].create_time.timestamp_millis(),
            1_565_164_517_000
        );
        assert_eq!(plan.nick_names[0].tenant_id, 11855);
        assert_eq!(plan.manual_entries[0].tenant_id, AdminUserId(11855));
        assert_eq!(plan.messages.len(), 1);
    }

    #[test]
    fn references_may_point_into_the_store() {
        let doc: ImportDocument = serde_json::from_str(
            r#"{"customers":[{"id":1,"wechatContactId":5}],"messages":[{"msgId":"m","wechatUserId":3,"wechatContactId":5,"isSend":0,"msgType":1,"content":"hi","createTime":1}]}"#,
        )
        .unwrap();
        let mut known = KnownRefs::default();
        known.contacts.insert(
            5,
            KnownContact {
                owner: Owner {
                    tenant_id: 1,
                    admin_user_id: 2,
                },
                wechat_user_id: 3,
            },
        );
        let plan = build_plan(&doc, &known, zone()).unwrap();
        assert_eq!(plan.customers[0].owner.admin_user_id, 2);
    }

    fn error_of(mutate: impl FnOnce(&mut ImportDocument)) -> String {
        let mut doc = example();
        mutate(&mut doc);
        build_plan(&doc, &KnownRefs::default(), zone())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn broken_references_name_the_record() {
        assert_eq!(
            error_of(|d| d.customers[0].wechat_contact_id = 9),
            "customers[0] (id 3063060): wechatContactId 9 does not exist"
        );
        assert_eq!(
            error_of(|d| d.wechat_contacts[0].tag_ids = Some(vec![1])),
            "wechatContacts[0] (id 19564131): tag 1 is not a tag of its tenant"
        );
        assert_eq!(
            error_of(|d| d.admin_users[1].parent_id = Some(77)),
            "adminUsers[1] (id 12206): parentId 77 does not exist"
        );
        assert_eq!(
            error_of(|d| d.messages[0].wechat_user_id = crate::WechatUserId(1)),
            "messages[0] (id 7301): wechatContactId 19564131 is not a contact of wechatUserId 1"
        );
        assert_eq!(
            error_of(|d| d.manual_entries[0].admin_user_id = 5),
            "manualEntries[0] (id 19380): adminUserId 5 does not exist"
        );
        assert_eq!(
            error_of(|d| d.wechat_users[0].admin_user_id = 5),
            "wechatUsers[0] (id 13806): adminUserId 5 does not exist"
        );
    }

    #[test]
    fn bad_values_name_the_record() {
        assert!(
            error_of(|d| d.customers[0].customer_phone = Some("12".into()))
                .starts_with("customers[0]")
        );
        assert!(
            error_of(|d| d.customers[0].create_time = Some(serde_json::json!("soon")))
                .contains("createTime")
        );
        assert!(error_of(|d| d.customers[0].xfield3 = Some("x".repeat(300))).contains("xfield3"));
        assert!(error_of(|d| d.manual_entries[0].dial_status = Some(5)).contains("dialStatus"));
        assert!(error_of(|d| d.admin_users[0].login_name = None).contains("loginName is required"));
        let taken = error_of(|d| d.admin_users[1].login_name = Some("hhhaaa".into()));
        assert_eq!(
            taken,
            "adminUsers[1] (id 12206): loginName hhhaaa is taken by account 11855"
        );
    }

    #[test]
    fn a_contact_with_another_customer_is_a_conflict() {
        let mut known = KnownRefs::default();
        known.customers_by_contact.insert(19_564_131, 1);
        let err = build_plan(&example(), &known, zone())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "customers[0] (id 3063060): wechatContactId 19564131 already has customer 1"
        );
    }
}
