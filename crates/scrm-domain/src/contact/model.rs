//! The contact model: a contact with its WeChat account, the tag query and a form of address.

use chrono::{DateTime, Utc};

use crate::search::TagMode;
use crate::{AdminUserId, ContactId, TagId, WechatUserId};

/// A contact's own fields, as WeChat reports them: names, pinyin, flags (each store keeps
/// them as the import gave them; absent numbers are 0).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactProfile {
    pub uin: Option<String>,
    pub user_name: Option<String>,
    pub nick_name: Option<String>,
    pub remark_name: Option<String>,
    pub alias: Option<String>,
    pub sex: Option<String>,
    pub head_img_url: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub py_initial: Option<String>,
    pub py_quan_pin: Option<String>,
    pub remark_py_initial: Option<String>,
    pub remark_py_quan_pin: Option<String>,
    pub verify_flag: Option<String>,
    pub contact_flag: Option<String>,
    pub contact_type: i32,
    pub is_delete: i32,
    pub is_saving: i32,
    pub is_star: i32,
}

/// A contact with its WeChat account, as findcontactbytagAll and updateCustomer show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRecord {
    pub id: ContactId,
    pub wechat_user_id: WechatUserId,
    pub admin_user_id: AdminUserId,
    pub profile: ContactProfile,
    pub tags: Vec<TagId>,
    pub create_time: DateTime<Utc>,
    pub wechat_user_name: Option<String>,
    pub wechat_user_nick_name: Option<String>,
    pub wechat_user_uin: Option<String>,
    pub customer_nick_name: Option<String>,
}

/// The query of findcontactbytagAll.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactTagQuery {
    /// These tags, combined by `tag_mode`; empty = every contact of the scope.
    pub tag_ids: Vec<TagId>,
    /// Any, all or none of `tag_ids`.
    pub tag_mode: TagMode,
    pub wechat_user_id: Option<WechatUserId>,
    /// Include contacts of offline WeChat accounts.
    pub include_offline: bool,
}

/// One personal form of address to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NickNameInput {
    pub wechat_contact_id: ContactId,
    pub cust_name: Option<String>,
    pub nick_name: Option<String>,
}
