//! `GET /wechat_api/customer/findcontactbytagAll` (also `findcontactbytagall`): the contacts of
//! the caller's scope having any of `tagIds`, only of online WeChat accounts unless
//! `isOffLine` is given.

use actix_web::{HttpResponse, web};
use scrm_domain::contact::ContactTagQuery;
use scrm_domain::{TagId, WechatUserId};

use super::contact_dto::ContactItem;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

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
