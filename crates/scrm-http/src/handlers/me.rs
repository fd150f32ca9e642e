//! `GET /wechat_api/account/me`: who the caller is (account, main or sub-account, tenant) and
//! what its scope can pick from: the accounts of the scope, the departments, the WeChat
//! accounts of the scope and the tenant's tags. A sub-account sees only itself, its own
//! department and its own WeChat accounts.

use actix_web::{HttpResponse, web};
use scrm_domain::directory::{AccountSummary, Department, Me, Tag, WechatAccount};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;

/// An account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountItem {
    pub admin_user_id: i64,
    pub login_name: String,
    pub real_name: String,
    /// The main account of a sub-account; `null` for a main account.
    pub parent_id: Option<i64>,
    pub depart_id: Option<i64>,
}

impl From<AccountSummary> for AccountItem {
    fn from(a: AccountSummary) -> Self {
        Self {
            admin_user_id: a.id.0,
            login_name: a.login_name,
            real_name: a.real_name,
            parent_id: a.parent_id.map(|p| p.0),
            depart_id: a.depart_id.map(|d| d.0),
        }
    }
}

/// A department.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentItem {
    pub depart_id: i64,
    pub name: Option<String>,
}

/// A company WeChat account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WechatUserItem {
    pub wechat_user_id: i64,
    /// The account that owns it.
    pub admin_user_id: i64,
    pub uin: Option<String>,
    pub user_name: Option<String>,
    pub nick_name: Option<String>,
    pub alias: Option<String>,
    /// 1 online, 0 offline.
    pub is_online: i32,
}

/// A tag.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TagItem {
    pub tag_id: i64,
    pub name: Option<String>,
}

/// The caller and its directory.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeItem {
    pub admin_user_id: i64,
    pub login_name: String,
    pub real_name: String,
    pub parent_id: Option<i64>,
    pub depart_id: Option<i64>,
    /// Whether the caller is a main account (sees its sub-accounts' data).
    pub is_main: bool,
    /// The tenant's main account.
    pub tenant: AccountItem,
    /// The accounts of the scope, by id: a main account and its sub-accounts, or the
    /// sub-account alone.
    pub accounts: Vec<AccountItem>,
    /// The tenant's departments (a sub-account: its own), by id.
    pub departments: Vec<DepartmentItem>,
    /// The WeChat accounts of the scope, by id.
    pub wechat_users: Vec<WechatUserItem>,
    /// The tenant's tags, by id.
    pub tags: Vec<TagItem>,
}

impl From<Me> for MeItem {
    fn from(me: Me) -> Self {
        let d = me.directory;
        Self {
            admin_user_id: me.account.id.0,
            login_name: me.account.login_name,
            real_name: me.account.real_name,
            parent_id: me.account.parent_id.map(|p| p.0),
            depart_id: me.account.depart_id.map(|p| p.0),
            is_main: me.is_main,
            tenant: d.tenant.into(),
            accounts: d.accounts.into_iter().map(Into::into).collect(),
            departments: d
                .departments
                .into_iter()
                .map(|Department { id, name }| DepartmentItem {
                    depart_id: id.0,
                    name,
                })
                .collect(),
            wechat_users: d
                .wechat_users
                .into_iter()
                .map(|w: WechatAccount| WechatUserItem {
                    wechat_user_id: w.id.0,
                    admin_user_id: w.admin_user_id.0,
                    uin: w.uin,
                    user_name: w.user_name,
                    nick_name: w.nick_name,
                    alias: w.alias,
                    is_online: i32::from(w.is_online),
                })
                .collect(),
            tags: d
                .tags
                .into_iter()
                .map(|Tag { id, name }| TagItem { tag_id: id.0, name })
                .collect(),
        }
    }
}

/// The handler.
///
/// # Errors
/// 401 (also when the account no longer exists), 503.
#[utoipa::path(
    get,
    path = "/wechat_api/account/me",
    tag = "session",
    operation_id = "me",
    summary = "Who am I",
    description = "The calling account (main or sub-account), its tenant's main account, and what its scope can pick from: the accounts of the scope, the departments, the WeChat accounts of the scope and the tenant's tags. A sub-account sees only itself, its own department and its own WeChat accounts.",
    responses(
        (status = 200, description = "The caller and its directory",
            body = crate::envelope::Envelope<MeItem>,
            example = json!({"code": 200, "msg": "操作成功!", "data": {
                "adminUserId": 12206, "loginName": "lixiaolin", "realName": "李小琳e",
                "parentId": 11855, "departId": 10, "isMain": false,
                "tenant": {"adminUserId": 11855, "loginName": "hhhaaa", "realName": "hhhaaa",
                    "parentId": null, "departId": null},
                "accounts": [{"adminUserId": 12206, "loginName": "lixiaolin",
                    "realName": "李小琳e", "parentId": 11855, "departId": 10}],
                "departments": [{"departId": 10, "name": "電銷一部"}],
                "wechatUsers": [{"wechatUserId": 13806, "adminUserId": 12206,
                    "uin": "663329897", "userName": "wxid_oo8w553uj5g612",
                    "nickName": "你看那茶樹滿山", "alias": "zzzslcn", "isOnline": 1}],
                "tags": [{"tagId": 81100608, "name": "意向客戶"}]}})),
        crate::openapi::responses::SessionErrors,
    ),
)]
pub async fn handle(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let me = state.directory.me(&caller.scope).await?;
    Ok(envelope::ok(MeItem::from(me)))
}
