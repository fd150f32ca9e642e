//! The import document (`docs/fixtures.md`): every key optional except ids and references,
//! fields named as in the API.

use serde::Deserialize;

use crate::contact::ContactProfile;
use crate::message::ChatMessage;

/// A whole import document.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportDocument {
    #[serde(default)]
    pub departments: Vec<DepartmentDoc>,
    #[serde(default)]
    pub admin_users: Vec<AdminUserDoc>,
    #[serde(default)]
    pub wechat_users: Vec<WechatUserDoc>,
    #[serde(default)]
    pub tags: Vec<TagDoc>,
    #[serde(default)]
    pub wechat_contacts: Vec<ContactDoc>,
    #[serde(default)]
    pub customers: Vec<CustomerDoc>,
    #[serde(default)]
    pub nick_names: Vec<NickNameDoc>,
    #[serde(default)]
    pub manual_entries: Vec<ManualEntryDoc>,
    #[serde(default)]
    pub messages: Vec<ChatMessage>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DepartmentDoc {
    pub id: i64,
    pub tenant_admin_user_id: i64,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdminUserDoc {
    pub id: i64,
    pub login_name: Option<String>,
    /// Plain text; hashed with argon2 before it is stored. Absent keeps the stored hash.
    pub password: Option<String>,
    pub real_name: Option<String>,
    pub parent_id: Option<i64>,
    pub depart_id: Option<i64>,
    pub is_open_after_call: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WechatUserDoc {
    pub id: i64,
    pub admin_user_id: i64,
    pub uin: Option<String>,
    pub user_name: Option<String>,
    pub nick_name: Option<String>,
    pub alias: Option<String>,
    pub head_img_url: Option<String>,
    pub is_online: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TagDoc {
    pub id: i64,
    pub tenant_admin_user_id: i64,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactDoc {
    pub id: i64,
    pub wechat_user_id: i64,
    pub uin: Option<String>,
    pub user_name: Option<String>,
    pub nick_name: Option<String>,
    pub remark_name: Option<String>,
    pub alias: Option<String>,
    pub sex: Option<String>,
    pub head_img_url: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    #[serde(rename = "pYInitial")]
    pub py_initial: Option<String>,
    #[serde(rename = "pYQuanPin")]
    pub py_quan_pin: Option<String>,
    #[serde(rename = "remarkPYInitial")]
    pub remark_py_initial: Option<String>,
    #[serde(rename = "remarkPYQuanPin")]
    pub remark_py_quan_pin: Option<String>,
    pub verify_flag: Option<String>,
    pub contact_flag: Option<String>,
    pub contact_type: Option<i32>,
    pub is_delete: Option<i32>,
    pub is_saving: Option<i32>,
    pub is_star: Option<i32>,
    pub tag_ids: Option<Vec<i64>>,
    /// When the friend was added (`yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd` or epoch ms).
    pub create_time: Option<serde_json::Value>,
}

impl ContactDoc {
    /// The contact's own fields as stored: absent numbers are 0.
    pub fn profile(&self) -> ContactProfile {
        ContactProfile {
            uin: self.uin.clone(),
            user_name: self.user_name.clone(),
            nick_name: self.nick_name.clone(),
            remark_name: self.remark_name.clone(),
            alias: self.alias.clone(),
            sex: self.sex.clone(),
            head_img_url: self.head_img_url.clone(),
            province: self.province.clone(),
            city: self.city.clone(),
            py_initial: self.py_initial.clone(),
            py_quan_pin: self.py_quan_pin.clone(),
            remark_py_initial: self.remark_py_initial.clone(),
            remark_py_quan_pin: self.remark_py_quan_pin.clone(),
            verify_flag: self.verify_flag.clone(),
            contact_flag: self.contact_flag.clone(),
            contact_type: self.contact_type.unwrap_or(0),
            is_delete: self.is_delete.unwrap_or(0),
            is_saving: self.is_saving.unwrap_or(0),
            is_star: self.is_star.unwrap_or(0),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerDoc {
    pub id: i64,
    pub wechat_contact_id: i64,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub nick_name: Option<String>,
    pub remarks: Option<String>,
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
    pub is_cust: Option<i32>,
    pub create_time: Option<serde_json::Value>,
    pub last_update_time: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NickNameDoc {
    pub wechat_contact_id: i64,
    pub cust_name: Option<String>,
    pub nick_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManualEntryDoc {
    pub id: i64,
    pub admin_user_id: i64,
    pub task_id: Option<i64>,
    pub order_num: Option<i64>,
    pub customer_name: Option<String>,
    pub customer_phone: Option<String>,
    pub address: Option<String>,
    pub company: Option<String>,
    pub nick_name: Option<String>,
    pub user_name: Option<String>,
    pub uin: Option<String>,
    pub phone_geo: Option<String>,
    pub tags: Option<String>,
    pub remarks: Option<String>,
    pub v1: Option<String>,
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
    pub dial_status: Option<i32>,
    pub add_status: Option<i32>,
    pub syn: Option<i32>,
    pub assign_time: Option<serde_json::Value>,
    pub create_time: Option<serde_json::Value>,
    pub last_update_time: Option<serde_json::Value>,
}
