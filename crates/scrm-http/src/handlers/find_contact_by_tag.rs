//! `GET /wechat_api/customer/findcontactbytagAll` (also `findcontactbytagall`, documented by
//! `openapi::LowerCaseAlias`): the contacts of
//! the caller's scope having any of `tagIds`, only of online WeChat accounts unless
//! `isOffLine` is given.

use actix_web::HttpResponse;
use chrono::FixedOffset;
use scrm_domain::contact::ContactTagQuery;
use scrm_domain::{TagId, WechatUserId};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use super::contact_dto::ContactItem;
use crate::envelope;
use crate::error::ApiError;
use crate::lenient::{IdList, LenientInt, WireTagMode, tag_mode};
use crate::params::{Scoped, WireRequest};

/// The query of findcontactbytagAll.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct TagQuery {
    /// Only the contacts of this WeChat account.
    pub wechat_user_id: Option<LenientInt>,
    /// Tags, combined by `tagMode` (any of them by default; every contact when absent).
    #[serde(default)]
    pub tag_ids: IdList,
    /// How `tagIds` combine: `any` (default), `all`, `none`.
    pub tag_mode: Option<WireTagMode>,
    /// Any non-empty value includes the contacts of offline WeChat accounts.
    #[param(value_type = Option<String>)]
    pub is_off_line: Option<Value>,
}

impl WireRequest for TagQuery {
    type Domain = ContactTagQuery;

    fn try_into_domain(self, _zone: FixedOffset) -> Result<ContactTagQuery, ApiError> {
        Ok(ContactTagQuery {
            tag_ids: self.tag_ids.into_ids(TagId),
            tag_mode: tag_mode(self.tag_mode),
            wechat_user_id: self.wechat_user_id.map(|id| WechatUserId(id.0)),
            include_offline: self.is_off_line.is_some(),
        })
    }
}

/// The handler.
///
/// # Errors
/// 400, 401, 503.
#[utoipa::path(
    get,
    path = "/wechat_api/customer/findcontactbytagAll",
    tag = "contact",
    operation_id = "findcontactbytagAll",
    summary = "Contacts by tags",
    description = "Contacts of your scope having `tagIds` (any of them, or as `tagMode` says), of online WeChat accounts unless `isOffLine` is given; ordered by contact id.",
    params(TagQuery),
    responses(
        (status = 200, description = "The contacts",
            body = crate::envelope::Envelope<Vec<ContactItem>>,
            example = json!({"code": 200, "msg": "操作成功!",
                "data": [{"wechatContactId": 1000004734, "wechatUserId": 746, "uin": "0",
                "userName": "wxid_az12gf9ugnoh22", "nickName": "broccoli",
                "headImgUrl": "http://wx.qlogo.cn/mmhead/ver_1/x/132", "remarkName": "",
                "remarkPYInitial": "", "remarkPYQuanPin": "", "sex": "2", "verifyFlag": "0",
                "isDelete": 0, "isSaving": 0, "memberCount": null, "groupId": null,
                "wechatUserName": "wxid_jmg3nu2goog222", "alias": "zzzslcn", "contactFlag": "3",
                "province": "", "city": "", "op": null, "wechatUserUin": "301965671",
                "chatRoomSettings": 0, "contactType": 0, "seq": "wxid_az12gf9ugnoh22",
                "groupName": null, "adminUserId": 11793, "wechatUserNickName": "你看那茶樹滿山",
                "customerNickName": null, "pyinitial": "BROCCOLI", "pyquanPin": "broccoli"}]})),
        crate::openapi::responses::SessionErrors,
    ),
)]
pub async fn handle(scoped: Scoped<TagQuery>) -> Result<HttpResponse, ApiError> {
    let (state, scope, query) = scoped.into_parts()?;
    let found = state.contacts.find_by_tags(&scope, &query).await?;
    let items: Vec<ContactItem> = found.into_iter().map(ContactItem::from).collect();
    Ok(envelope::ok(items))
}
