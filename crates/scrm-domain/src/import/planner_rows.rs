//! The checks of the row-level records of an import document: customers, forms of address,
//! manual entries and messages.

use std::collections::HashSet;

use super::plan::*;
use super::planner::*;
use crate::manual::ManualEntry;
use crate::text::limits;
use crate::{AdminUserId, ManualEntryId, ServiceError};

impl Planner<'_> {
    /// One customer per contact; phones and times checked.
    pub(super) fn customers(&mut self) -> Result<(), ServiceError> {
        let doc = self.doc;
        let mut seen_customers = HashSet::new();
        for (i, c) in doc.customers.iter().enumerate() {
            let err = |why: String| bad("customers", i, c.id, why);
            if !seen_customers.insert(c.id) {
                return Err(err("duplicate id".into()));
            }
            let contact = *self.contacts.get(&c.wechat_contact_id).ok_or_else(|| {
                err(format!(
                    "wechatContactId {} does not exist",
                    c.wechat_contact_id
                ))
            })?;
            if let Some(other) = self
                .customer_of_contact
                .get(&c.wechat_contact_id)
                .filter(|o| **o != c.id)
            {
                return Err(err(format!(
                    "wechatContactId {} already has customer {other}",
                    c.wechat_contact_id
                )));
            }
            self.customer_of_contact.insert(c.wechat_contact_id, c.id);
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
            let create_time =
                time_or(c.create_time.as_ref(), self.zone, self.now, "createTime").map_err(err)?;
            let last_update_time = time_or(
                c.last_update_time.as_ref(),
                self.zone,
                create_time,
                "lastUpdateTime",
            )
            .map_err(err)?;
            self.plan.customers.push(CustomerRow {
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
        Ok(())
    }

    /// Personal forms of address of known contacts.
    pub(super) fn nick_names(&mut self) -> Result<(), ServiceError> {
        let doc = self.doc;
        for (i, n) in doc.nick_names.iter().enumerate() {
            let err = |why: String| bad("nickNames", i, n.wechat_contact_id, why);
            let contact = self.contacts.get(&n.wechat_contact_id).ok_or_else(|| {
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
            self.plan.nick_names.push(NickNameRow {
                wechat_contact_id: n.wechat_contact_id,
                tenant_id: contact.owner.tenant_id,
                cust_name: n.cust_name.clone(),
                nick_name: n.nick_name.clone(),
            });
        }
        Ok(())
    }

    /// Manual entries of known assignees.
    pub(super) fn manual_entries(&mut self) -> Result<(), ServiceError> {
        let doc = self.doc;
        for (i, m) in doc.manual_entries.iter().enumerate() {
            let err = |why: String| bad("manualEntries", i, m.id, why);
            let tenant = self
                .tenant_of(m.admin_user_id)
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
                ("self.tags", &m.tags, limits::REMARKS),
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
            let create_time =
                time_or(m.create_time.as_ref(), self.zone, self.now, "createTime").map_err(err)?;
            self.plan.manual_entries.push(ManualEntry {
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
                assign_time: opt_time(m.assign_time.as_ref(), self.zone, "assignTime")
                    .map_err(err)?,
                create_time,
                last_update_time: time_or(
                    m.last_update_time.as_ref(),
                    self.zone,
                    create_time,
                    "lastUpdateTime",
                )
                .map_err(err)?,
            });
        }
        Ok(())
    }

    /// Messages of known conversations.
    pub(super) fn messages(&mut self) -> Result<(), ServiceError> {
        let doc = self.doc;
        for (i, m) in doc.messages.iter().enumerate() {
            let err = |why: String| bad("messages", i, &m.msg_id, why);
            if m.msg_id.is_empty() || m.msg_id.len() > 64 {
                return Err(err("msgId must have 1 to 64 characters".into()));
            }
            match self.contacts.get(&m.wechat_contact_id.0) {
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
            self.plan.messages.push(m.clone());
        }
        Ok(())
    }
}
