//! `GET /wechat_api/customer/findcontactbytagAll` (also `findcontactbytagall`): the contacts of
//! the caller's scope having any of `tagIds`, only of online WeChat accounts unless
//! `isOffLine` is given.

use actix_web::{HttpResponse, web};
use scrm_domain::contact::{ContactRecord, ContactTagQuery};
use scrm_domain::{TagId, WechatUserId};
use serde::Serialize;

use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// One contact, with exactly the spec's keys.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactItem {
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
    /// Always null (groups are not part of this module).
    pub member_count: Option<i64>,
    pub group_id: Option<i64>,
    pub wechat_user_name: Option<String>,
    pub alias: Option<String>,
    pub contact_flag: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub op: Option<i64>,
    pub wechat_user_uin: Option<String>,
    pub chat_room_settings: i32,
    pub contact_type: i32,
    /// The contact's userName.
    pub seq: Option<String>,
    pub group_name: Option<String>,
    pub admin_user_id: i64,
    pub wechat_user_nick_name: Option<String>,
    pub customer_nick_name: Option<String>,
    pub pyinitial: Option<String>,
    pub pyquan_pin: Option<String>,
}

impl From<ContactRecord> for ContactItem {
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
            remark_py_initial: c.remark_py_initial,
            remark_py_quan_pin: c.remark_py_quan_pin,
            sex: c.sex,
            verify_flag: c.verify_flag,
            is_delete: c.is_delete,
            is_saving: c.is_saving,
            member_count: None,
            group_id: None,
            wechat_user_name: c.wechat_user_name,
            alias: c.alias,
            contact_flag: c.contact_flag,
            province: c.province,
            city: c.city,
            op: None,
            wechat_user_uin: c.wechat_user_uin,
            chat_room_settings: 0,
            contact_type: c.contact_type,
            group_name: None,
            admin_user_id: c.admin_user_id.0,
            wechat_user_nick_name: c.wechat_user_nick_name,
            customer_nick_name: c.customer_nick_name,
            pyinitial: c.py_initial,
            pyquan_pin: c.py_quan_pin,
        }
    }
}

/// The query: `wechatUserId`, `tagIds`, `isOffLine` (any non-empty value includes contacts of
/// offline accounts).
///
/// # Errors
/// 400 naming a bad parameter.
pub fn query(params: &Params) -> Result<ContactTagQuery, ApiError> {
    Ok(ContactTagQuery {
        tag_ids: params.id_list("tagIds")?.into_iter().map(TagId).collect(),
        wechat_user_id: params.opt_i64("wechatUserId")?.map(WechatUserId),
        include_offline: params.has("isOffLine"),
    })
}

/// The handler.
///
/// # Errors
/// 400, 401, 503.
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let query = query(&params)?;
    let found = state.contacts.find_by_tags(&caller.scope, &query).await?;
    let items: Vec<ContactItem> = found.into_iter().map(ContactItem::from).collect();
    Ok(envelope::ok(items))
}
