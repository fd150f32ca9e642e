//! Insertable rows of an import plan, borrowed from the plan.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use scrm_domain::import::{
    AccountRow, ContactRow, CustomerRow, DepartmentRow, NickNameRow, TagRow, WechatUserRow,
};

use crate::db_time::to_db;
pub(super) use crate::manual::rows::ManualInsert;
use crate::rows::Xfields;
use crate::schema::{
    admin_user, contact_nick_name, customer, department, tag, wechat_contact, wechat_user,
};

#[derive(Insertable)]
#[diesel(table_name = admin_user, treat_none_as_default_value = false)]
pub(super) struct AccountInsert<'a> {
    id: i64,
    tenant_id: i64,
    login_name: &'a str,
    real_name: Option<&'a str>,
    parent_id: Option<i64>,
    depart_id: Option<i64>,
    password_hash: Option<&'a str>,
    is_open_after_call: i32,
}

impl<'a> From<&'a AccountRow> for AccountInsert<'a> {
    fn from(r: &'a AccountRow) -> Self {
        Self {
            id: r.id,
            tenant_id: r.tenant_id,
            login_name: &r.login_name,
            real_name: r.real_name.as_deref(),
            parent_id: r.parent_id,
            depart_id: r.depart_id,
            password_hash: r.password_hash.as_deref(),
            is_open_after_call: r.is_open_after_call,
        }
    }
}

/// The insert of a table of `(id, tenant_id, name)` rows.
macro_rules! named_insert {
    ($insert:ident, $table:ident, $row:ident) => {
        #[derive(Insertable)]
        #[diesel(table_name = $table, treat_none_as_default_value = false)]
        pub(super) struct $insert<'a> {
            id: i64,
            tenant_id: i64,
            name: Option<&'a str>,
        }

        impl<'a> From<&'a $row> for $insert<'a> {
            fn from(r: &'a $row) -> Self {
                Self {
                    id: r.id,
                    tenant_id: r.tenant_id,
                    name: r.name.as_deref(),
                }
            }
        }
    };
}

named_insert!(DepartmentInsert, department, DepartmentRow);
named_insert!(TagInsert, tag, TagRow);

#[derive(Insertable)]
#[diesel(table_name = wechat_user, treat_none_as_default_value = false)]
pub(super) struct WechatUserInsert<'a> {
    id: i64,
    tenant_id: i64,
    admin_user_id: i64,
    uin: Option<&'a str>,
    user_name: Option<&'a str>,
    nick_name: Option<&'a str>,
    alias: Option<&'a str>,
    head_img_url: Option<&'a str>,
    is_online: i32,
}

impl<'a> From<&'a WechatUserRow> for WechatUserInsert<'a> {
    fn from(r: &'a WechatUserRow) -> Self {
        Self {
            id: r.id,
            tenant_id: r.owner.tenant_id,
            admin_user_id: r.owner.admin_user_id,
            uin: r.uin.as_deref(),
            user_name: r.user_name.as_deref(),
            nick_name: r.nick_name.as_deref(),
            alias: r.alias.as_deref(),
            head_img_url: r.head_img_url.as_deref(),
            is_online: r.is_online,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = wechat_contact, treat_none_as_default_value = false)]
pub(super) struct ContactInsert<'a> {
    id: i64,
    tenant_id: i64,
    admin_user_id: i64,
    wechat_user_id: i64,
    uin: Option<&'a str>,
    user_name: Option<&'a str>,
    nick_name: Option<&'a str>,
    remark_name: Option<&'a str>,
    alias: Option<&'a str>,
    sex: Option<&'a str>,
    head_img_url: Option<&'a str>,
    province: Option<&'a str>,
    city: Option<&'a str>,
    py_initial: Option<&'a str>,
    py_quan_pin: Option<&'a str>,
    remark_py_initial: Option<&'a str>,
    remark_py_quan_pin: Option<&'a str>,
    verify_flag: Option<&'a str>,
    contact_flag: Option<&'a str>,
    contact_type: i32,
    is_delete: i32,
    is_saving: i32,
    is_star: i32,
    create_time: NaiveDateTime,
}

impl<'a> From<&'a ContactRow> for ContactInsert<'a> {
    fn from(r: &'a ContactRow) -> Self {
        let d = &r.doc;
        Self {
            id: r.id,
            tenant_id: r.owner.tenant_id,
            admin_user_id: r.owner.admin_user_id,
            wechat_user_id: r.wechat_user_id,
            uin: d.uin.as_deref(),
            user_name: d.user_name.as_deref(),
            nick_name: d.nick_name.as_deref(),
            remark_name: d.remark_name.as_deref(),
            alias: d.alias.as_deref(),
            sex: d.sex.as_deref(),
            head_img_url: d.head_img_url.as_deref(),
            province: d.province.as_deref(),
            city: d.city.as_deref(),
            py_initial: d.py_initial.as_deref(),
            py_quan_pin: d.py_quan_pin.as_deref(),
            remark_py_initial: d.remark_py_initial.as_deref(),
            remark_py_quan_pin: d.remark_py_quan_pin.as_deref(),
            verify_flag: d.verify_flag.as_deref(),
            contact_flag: d.contact_flag.as_deref(),
            contact_type: d.contact_type.unwrap_or(0),
            is_delete: d.is_delete.unwrap_or(0),
            is_saving: d.is_saving.unwrap_or(0),
            is_star: d.is_star.unwrap_or(0),
            create_time: to_db(r.create_time),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = customer, treat_none_as_default_value = false)]
pub(super) struct CustomerInsert<'a> {
    id: i64,
    tenant_id: i64,
    admin_user_id: i64,
    wechat_user_id: i64,
    wechat_contact_id: i64,
    customer_name: Option<&'a str>,
    customer_phone: Option<&'a str>,
    phone_digits: Option<&'a str>,
    nick_name: Option<&'a str>,
    remarks: Option<&'a str>,
    #[diesel(embed)]
    xfields: Xfields<&'a str>,
    is_cust: i32,
    create_time: NaiveDateTime,
    last_update_time: NaiveDateTime,
}

impl<'a> From<&'a CustomerRow> for CustomerInsert<'a> {
    fn from(r: &'a CustomerRow) -> Self {
        Self {
            id: r.id,
            tenant_id: r.owner.tenant_id,
            admin_user_id: r.owner.admin_user_id,
            wechat_user_id: r.wechat_user_id,
            wechat_contact_id: r.wechat_contact_id,
            customer_name: r.customer_name.as_deref(),
            customer_phone: r.customer_phone.as_deref(),
            phone_digits: r.phone_digits.as_deref(),
            nick_name: r.nick_name.as_deref(),
            remarks: r.remarks.as_deref(),
            xfields: Xfields::from_fn(|i| r.xfields.get(i).and_then(|v| v.as_deref())),
            is_cust: r.is_cust,
            create_time: to_db(r.create_time),
            last_update_time: to_db(r.last_update_time),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = contact_nick_name, treat_none_as_default_value = false)]
pub(super) struct NickNameInsert<'a> {
    wechat_contact_id: i64,
    tenant_id: i64,
    cust_name: Option<&'a str>,
    nick_name: Option<&'a str>,
}

impl<'a> From<&'a NickNameRow> for NickNameInsert<'a> {
    fn from(r: &'a NickNameRow) -> Self {
        Self {
            wechat_contact_id: r.wechat_contact_id,
            tenant_id: r.tenant_id,
            cust_name: r.cust_name.as_deref(),
            nick_name: r.nick_name.as_deref(),
        }
    }
}
