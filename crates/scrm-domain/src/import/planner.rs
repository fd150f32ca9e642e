//! The checks of an import document, record kind by record kind: `Planner` keeps what is
//! known so far (the store's records and the document's own) and builds the plan's rows.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};

use super::document::*;
use super::plan::*;
use crate::ServiceError;
use crate::phone::Phone;
use crate::text::{check_len, limits};

pub(super) fn bad(
    record: &str,
    index: usize,
    id: impl std::fmt::Display,
    why: impl std::fmt::Display,
) -> ServiceError {
    ServiceError::Invalid(format!("{record}[{index}] (id {id}): {why}"))
}

pub(super) fn time_or(
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

pub(super) fn opt_time(
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

pub(super) fn lens(fields: &[(&str, &Option<String>, usize)]) -> Result<(), String> {
    for (name, value, max) in fields {
        if let Some(v) = value {
            check_len(name, v, *max).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

pub(super) fn phone(value: &Option<String>) -> Result<Option<String>, String> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(raw) => Phone::parse("customerPhone", raw)
            .map(|p| Some(p.digits().to_owned()))
            .map_err(|e| e.to_string()),
    }
}

/// What is known while a document is checked: the store's records and the document's own,
/// record kind by record kind, in the order references need them.
pub(super) struct Planner<'a> {
    pub(super) doc: &'a ImportDocument,
    pub(super) zone: FixedOffset,
    pub(super) now: DateTime<Utc>,
    /// Account id -> its parent (None for a main account).
    pub(super) parents: HashMap<i64, Option<i64>>,
    pub(super) logins: HashMap<String, i64>,
    /// Department id -> tenant.
    pub(super) departments: HashMap<i64, i64>,
    pub(super) wechat_users: HashMap<i64, Owner>,
    /// Tag id -> tenant.
    pub(super) tags: HashMap<i64, i64>,
    pub(super) contacts: HashMap<i64, KnownContact>,
    pub(super) customer_of_contact: HashMap<i64, i64>,
    pub(super) plan: ImportPlan,
}

impl<'a> Planner<'a> {
    pub(super) fn new(doc: &'a ImportDocument, known: &KnownRefs, zone: FixedOffset) -> Self {
        let mut parents: HashMap<i64, Option<i64>> = known
            .accounts
            .iter()
            .map(|(id, a)| (*id, a.parent_id))
            .collect();
        for a in &doc.admin_users {
            parents.insert(a.id, a.parent_id);
        }
        Self {
            doc,
            zone,
            now: Utc::now(),
            parents,
            logins: known.logins.clone(),
            departments: known.departments.clone(),
            wechat_users: known.wechat_users.clone(),
            tags: known.tags.clone(),
            contacts: known.contacts.clone(),
            customer_of_contact: known.customers_by_contact.clone(),
            plan: ImportPlan::default(),
        }
    }

    /// The tenant of an account known so far.
    pub(super) fn tenant_of(&self, id: i64) -> Option<i64> {
        self.parents.get(&id).map(|p| p.unwrap_or(id))
    }

    /// Whether an account known so far is a main account.
    fn main_account(&self, id: i64) -> bool {
        matches!(self.parents.get(&id), Some(None))
    }

    /// Accounts: parents are main accounts; the tenant is the parent (or the account itself).
    pub(super) fn accounts(&mut self) -> Result<(), ServiceError> {
        let doc = self.doc;
        for (i, a) in doc.admin_users.iter().enumerate() {
            let err = |why: String| bad("adminUsers", i, a.id, why);
            let login = a
                .login_name
                .clone()
                .filter(|l| !l.trim().is_empty())
                .ok_or_else(|| err("loginName is required".into()))?;
            if let Some(other) = self.logins.get(&login).filter(|other| **other != a.id) {
                return Err(err(format!(
                    "loginName {login} is taken by account {other}"
                )));
            }
            self.logins.insert(login.clone(), a.id);
            lens(&[
                ("loginName", &a.login_name, 64),
                ("realName", &a.real_name, limits::NAME),
            ])
            .map_err(err)?;
            if let Some(parent) = a.parent_id {
                match self.parents.get(&parent) {
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
            self.plan.accounts.push(AccountRow {
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
        Ok(())
    }

    /// Departments belong to a main account; accounts' departments must be of their tenant.
    pub(super) fn departments(&mut self) -> Result<(), ServiceError> {
        let doc = self.doc;
        for (i, d) in doc.departments.iter().enumerate() {
            if !self.main_account(d.tenant_admin_user_id) {
                return Err(bad(
                    "self.departments",
                    i,
                    d.id,
                    format!(
                        "tenantAdminUserId {} is not a main account",
                        d.tenant_admin_user_id
                    ),
                ));
            }
            lens(&[("name", &d.name, limits::NAME)])
                .map_err(|e| bad("self.departments", i, d.id, e))?;
            self.departments.insert(d.id, d.tenant_admin_user_id);
            self.plan.departments.push(DepartmentRow {
                id: d.id,
                tenant_id: d.tenant_admin_user_id,
                name: d.name.clone(),
            });
        }
        for (i, a) in self.plan.accounts.iter().enumerate() {
            if let Some(dep) = a.depart_id
                && self.departments.get(&dep) != Some(&a.tenant_id)
            {
                return Err(bad(
                    "adminUsers",
                    i,
                    a.id,
                    format!("departId {dep} is not a department of its tenant"),
                ));
            }
        }
        Ok(())
    }

    /// WeChat accounts take their owner's tenant.
    pub(super) fn wechat_users(&mut self) -> Result<(), ServiceError> {
        let doc = self.doc;
        for (i, w) in doc.wechat_users.iter().enumerate() {
            let tenant = self.tenant_of(w.admin_user_id).ok_or_else(|| {
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
            self.wechat_users.insert(w.id, owner);
            self.plan.wechat_users.push(WechatUserRow {
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
        Ok(())
    }

    /// Tags belong to a main account.
    pub(super) fn tags(&mut self) -> Result<(), ServiceError> {
        let doc = self.doc;
        for (i, t) in doc.tags.iter().enumerate() {
            if !self.main_account(t.tenant_admin_user_id) {
                return Err(bad(
                    "self.tags",
                    i,
                    t.id,
                    format!(
                        "tenantAdminUserId {} is not a main account",
                        t.tenant_admin_user_id
                    ),
                ));
            }
            lens(&[("name", &t.name, limits::NAME)]).map_err(|e| bad("self.tags", i, t.id, e))?;
            self.tags.insert(t.id, t.tenant_admin_user_id);
            self.plan.tags.push(TagRow {
                id: t.id,
                tenant_id: t.tenant_admin_user_id,
                name: t.name.clone(),
            });
        }
        Ok(())
    }

    /// Contacts take their WeChat account's owner; their tags must be of that tenant.
    pub(super) fn contacts(&mut self) -> Result<(), ServiceError> {
        let doc = self.doc;
        for (i, c) in doc.wechat_contacts.iter().enumerate() {
            let err = |why: String| bad("wechatContacts", i, c.id, why);
            let owner = *self
                .wechat_users
                .get(&c.wechat_user_id)
                .ok_or_else(|| err(format!("wechatUserId {} does not exist", c.wechat_user_id)))?;
            for tag in c.tag_ids.iter().flatten() {
                if self.tags.get(tag) != Some(&owner.tenant_id) {
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
            let create_time =
                time_or(c.create_time.as_ref(), self.zone, self.now, "createTime").map_err(err)?;
            self.contacts.insert(
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
            self.plan.contacts.push(ContactRow {
                id: c.id,
                owner,
                wechat_user_id: c.wechat_user_id,
                doc: c.clone(),
                create_time,
                tag_ids,
            });
        }
        Ok(())
    }
}
