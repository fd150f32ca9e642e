//! `GET /wechat_api/customer/customerPage`: a page of customers matching the filters, in the
//! legacy shape `{"code","msg","data":[..],"pageNo","count"}`.

use actix_web::{HttpResponse, web};

use super::customer_dto::CustomerItem;
use super::customer_filter::customer_filter;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// Rows per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 10;

/// The handler.
///
/// # Errors
/// 400 naming a bad parameter, 401, 503 when the store is down.
#[utoipa::path(
    get,
    path = "/wechat_api/customer/customerPage",
    tag = "customer",
    operation_id = "customerPage",
    summary = "Customers",
    description = "A page of the customers of your scope matching the filters, newest first (createTime, then id).",
    params(crate::openapi::requests::CustomerFilterQuery, crate::openapi::requests::PagingQuery),
    responses(
        (status = 200, description = "A page; `count` is the exact number of matches",
            body = crate::envelope::PagedEnvelope<CustomerItem>,
            example = json!({"code": 200, "msg": "操作成功!", "pageNo": 1, "count": 1,
                "data": [{"customerId": 3063060, "wechatContactId": 19564131,
                "wechatUserId": 13806, "adminUserId": 12206, "customerName": "售前-紅海",
                "customerPhone": "11111122222", "nickName": "售前紅海", "remarks": "售前-紅海哥",
                "xfield1": "", "xfield2": null, "xfield3": null, "xfield4": null,
                "xfield5": null, "xfield6": null, "xfield7": null, "xfield8": null,
                "xfield9": null, "xfield10": null, "isCust": 0, "createTime": 1565164517000_i64,
                "lastUpdateTime": 1565164517924_i64, "tags": "81100608", "tagNames": ["意向客戶"],
                "contactNickName": "售前-紅海", "remarkName": "",
                "headImgUrl": "http://wx.qlogo.cn/mmhead/ver_1/x/132", "isStar": 0,
                "wechatUserNickName": "你看那茶樹滿山", "customerNickName": "海哥"}]})),
        crate::openapi::responses::RequestErrors,
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let filter = customer_filter(&params)?;
    let page = params.page(DEFAULT_LIMIT)?;
    let found = state.customers.page(&caller.scope, &filter, page).await?;
    let items = found.items.into_iter().map(CustomerItem::from).collect();
    Ok(envelope::paged(items, page.page_no(), found.total))
}
