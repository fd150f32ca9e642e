//! The contact objects of the wire: `ContactItem` (a row of findcontactbytagAll, the spec's
//! keys) and `WechatContactDto` (updateCustomer's `wechatContact`), which share `ContactBase`.

use scrm_domain::contact::ContactRecord;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The keys both contact objects have.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactBase {
    pub wechat_contact_id: i64,
    pub wechat_user_id: i64,
    pub uin: Option<String>,
    pub user_name: Option<String>,
    pub nick_name: Option<String>,
    pub head_img_url: Option<String>,
    pub remark_name: Option<String>,
    #[serde(rename = "remarkPYInitial")]
    pub remark_py_initial: Option<String>,
    #[serde(rename = "remarkPYQuanPin")]
    pub remark_py_quan_pin: Option<String>,
    pub sex: Option<String>,
    pub verify_flag: Option<String>,
    pub is_delete: i32,
    pub is_saving: i32,
    pub wechat_user_name: Option<String>,
    pub alias: Option<String>,
    pub contact_flag: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub wechat_user_uin: Option<String>,
    /// Always 0 (chat rooms are not part of this module).
    pub chat_room_settings: i32,
    pub contact_type: i32,
    /// The contact's userName.
    pub seq: Option<String>,
    /// The initials of nickName (the legacy lower-case key).
    pub pyinitial: Option<String>,
    /// The full pinyin of nickName (the legacy key).
    pub pyquan_pin: Option<String>,
}

/// What is left of a record after the base is taken.
struct Rest {
    py_initial: Option<String>,
    py_quan_pin: Option<String>,
    is_star: i32,
    admin_user_id: i64,
    wechat_user_nick_name: Option<String>,
    customer_nick_name: Option<String>,
}

fn split(c: ContactRecord) -> (ContactBase, Rest) {
    let p = c.profile;
    let rest = Rest {
        py_initial: p.py_initial.clone(),
        py_quan_pin: p.py_quan_pin.clone(),
        is_star: p.is_star,
        admin_user_id: c.admin_user_id.0,
        wechat_user_nick_name: c.wechat_user_nick_name,
        customer_nick_name: c.customer_nick_name,
    };
    let base = ContactBase {
        wechat_contact_id: c.id.0,
        wechat_user_id: c.wechat_user_id.0,
        uin: p.uin,
        seq: p.user_name.clone(),
        user_name: p.user_name,
        nick_name: p.nick_name,
        head_img_url: p.head_img_url,
        remark_name: p.remark_name,
        remark_py_initial: p.remark_py_initial,
        remark_py_quan_pin: p.remark_py_quan_pin,
        sex: p.sex,
        verify_flag: p.verify_flag,
        is_delete: p.is_delete,
        is_saving: p.is_saving,
        wechat_user_name: c.wechat_user_name,
        alias: p.alias,
        contact_flag: p.contact_flag,
        province: p.province,
        city: p.city,
        wechat_user_uin: c.wechat_user_uin,
        chat_room_settings: 0,
        contact_type: p.contact_type,
        pyinitial: p.py_initial,
        pyquan_pin: p.py_quan_pin,
    };
    (base, rest)
}

/// One contact of findcontactbytagAll.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactItem {
    #[serde(flatten)]
    pub base: ContactBase,
    /// Always null (groups are not part of this module), as are `groupId`, `op`, `groupName`.
    pub member_count: Option<i64>,
    pub group_id: Option<i64>,
    pub op: Option<i64>,
    pub group_name: Option<String>,
    pub admin_user_id: i64,
    pub wechat_user_nick_name: Option<String>,
    pub customer_nick_name: Option<String>,
}

impl From<ContactRecord> for ContactItem {
    fn from(c: ContactRecord) -> Self {
        let (base, rest) = split(c);
        Self {
            base,
            member_count: None,
            group_id: None,
            op: None,
            group_name: None,
            admin_user_id: rest.admin_user_id,
            wechat_user_nick_name: rest.wechat_user_nick_name,
            customer_nick_name: rest.customer_nick_name,
        }
    }
}

/// The customer's contact in the updateCustomer response.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WechatContactDto {
    #[serde(flatten)]
    pub base: ContactBase,
    #[serde(rename = "pYInitial")]
    pub p_y_initial: Option<String>,
    #[serde(rename = "pYQuanPin")]
    pub p_y_quan_pin: Option<String>,
    pub is_star: i32,
    /// Always `{}`.
    #[schema(value_type = Object)]
    pub sql_map: Map<String, Value>,
}

impl From<ContactRecord> for WechatContactDto {
    fn from(c: ContactRecord) -> Self {
        let (base, rest) = split(c);
        Self {
            base,
            p_y_initial: rest.py_initial,
            p_y_quan_pin: rest.py_quan_pin,
            is_star: rest.is_star,
            sql_map: Map::new(),
        }
    }
}
