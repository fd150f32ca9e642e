//! The `customer` and `wechatContact` objects of the updateCustomer response (the spec's keys,
//! without the legacy `page`/`html` paging widget).

use scrm_domain::contact::ContactRecord;
use scrm_domain::customer::CustomerRecord;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{epoch_ms, join_ids};

/// The saved customer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDto {
    pub customer_id: i64,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub remarks: Option<String>,
    pub wechat_contact_id: i64,
    pub last_update_time: i64,
    pub create_time: i64,
    /// Comma-joined tag ids, `""` when none.
    pub tags: String,
    pub is_cust: i32,
    pub nick_name: Option<String>,
    pub xfield1: Option<String>,
    pub xfield2: Option<String>,
    pub xfield3: Option<String>,
    pub xfield4: Option<String>,
    pub xfield5: Option<String>,
    pub xfield6: Option<String>,
    pub xfield7: Option<String>,
    pub xfield8: Option<String>,
    pub xfield9: Option<String>,
    pub xfield10: Option<String>,
}

impl From<CustomerRecord> for CustomerDto {
    fn from(r: CustomerRecord) -> Self {
        let [x1, x2, x3, x4, x5, x6, x7, x8, x9, x10] = r.xfields;
        Self {
            customer_id: r.id.0,
            customer_name: r.customer_name,
            customer_phone: r.customer_phone,
            remarks: r.remarks,
            wechat_contact_id: r.wechat_contact_id.0,
            last_update_time: epoch_ms(r.last_update_time),
            create_time: epoch_ms(r.create_time),
            tags: join_ids(&r.tags),
            is_cust: r.is_cust,
            nick_name: r.nick_name,
            xfield1: x1,
            xfield2: x2,
            xfield3: x3,
            xfield4: x4,
            xfield5: x5,
            xfield6: x6,
            xfield7: x7,
            xfield8: x8,
            xfield9: x9,
            xfield10: x10,
        }
    }
}

/// The customer's contact.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WechatContactDto {
    pub wechat_contact_id: i64,
    pub wechat_user_id: i64,
    pub uin: Option<String>,
    pub user_name: Option<String>,
    pub nick_name: Option<String>,
    pub head_img_url: Option<String>,
    pub remark_name: Option<String>,
    #[serde(rename = "pYInitial")]
    pub p_y_initial: Option<String>,
    #[serde(rename = "pYQuanPin")]
    pub p_y_quan_pin: Option<String>,
    #[serde(rename = "remarkPYInitial")]
    pub remark_py_initial: Option<String>,
    #[serde(rename = "remarkPYQuanPin")]
    pub remark_py_quan_pin: Option<String>,
    pub sex: Option<String>,
    pub verify_flag: Option<String>,
    pub is_delete: i32,
    pub is_saving: i32,
    pub is_star: i32,
    pub wechat_user_name: Option<String>,
    pub contact_flag: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub wechat_user_uin: Option<String>,
    pub chat_room_settings: i32,
    pub contact_type: i32,
    /// The contact's userName.
    pub seq: Option<String>,
    pub alias: Option<String>,
    /// Same as `pYInitial`.
    pub pyinitial: Option<String>,
    /// Same as `pYQuanPin`.
    pub pyquan_pin: Option<String>,
    /// Always `{}`.
    pub sql_map: Map<String, Value>,
}

impl From<ContactRecord> for WechatContactDto {
    fn from(c: ContactRecord) -> Self {
        Self {
            wechat_contact_id: c.id.0,
            wechat_user_id: c.wechat_user_id.0,
            uin: c.uin,
            seq: c.user_name.clone(),
            user_name: c.user_name,
            nick_name: c.nick_name,
            head_img_url: c.head_img_url,
            remark_name: c.remark_name,
            pyinitial: c.py_initial.clone(),
            pyquan_pin: c.py_quan_pin.clone(),
            p_y_initial: c.py_initial,
            p_y_quan_pin: c.py_quan_pin,
            remark_py_initial: c.remark_py_initial,
            remark_py_quan_pin: c.remark_py_quan_pin,
            sex: c.sex,
            verify_flag: c.verify_flag,
            is_delete: c.is_delete,
            is_saving: c.is_saving,
            is_star: c.is_star,
            wechat_user_name: c.wechat_user_name,
            contact_flag: c.contact_flag,
            province: c.province,
            city: c.city,
            wechat_user_uin: c.wechat_user_uin,
            chat_room_settings: 0,
            contact_type: c.contact_type,
            alias: c.alias,
            sql_map: Map::new(),
        }
    }
}
