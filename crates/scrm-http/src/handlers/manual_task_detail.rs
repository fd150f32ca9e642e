//! `GET /wechat_api/customer/getManualTaskDetail`: one assignee's hand-entered entries, as
//! `data: {"count", "data": [..], "pageNo", "limit"}`; without `adminUserId` the spec's 400
//! `指定查詢的任務詳情不能為空`.

use actix_web::{HttpResponse, web};
use scrm_domain::AdminUserId;
use scrm_domain::manual::DetailQuery;

use super::manual_dto::{ManualEntryItem, ManualPage};
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The spec's 400 text when getManualTaskDetail has no `adminUserId`.
pub const MSG_DETAIL_NEEDS_ASSIGNEE: &str = "指定查詢的任務詳情不能為空";

/// Rows per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 20;

/// `adminUserId` (required), `company`, `customerName`, `userName` (contains),
/// `dialStatus`, `addStatus` (exact).
///
/// # Errors
/// 400 with the spec's text without `adminUserId`, 400 naming a parameter that cannot be read.
pub fn query(params: &Params) -> Result<DetailQuery, ApiError> {
    Ok(DetailQuery {
        admin_user_id: AdminUserId(params.required_i64("adminUserId", MSG_DETAIL_NEEDS_ASSIGNEE)?),
        company: params.opt_str("company")?,
        customer_name: params.opt_str("customerName")?,
        user_name: params.opt_str("userName")?,
        dial_status: params.opt_i32("dialStatus")?,
        add_status: params.opt_i32("addStatus")?,
    })
}

/// The handler.
///
/// # Errors
/// 400, 401, 503.
#[utoipa::path(
    get,
    path = "/wechat_api/customer/getManualTaskDetail",
    tag = "manual",
    operation_id = "getManualTaskDetail",
    summary = "Call list entries",
    description = "The live hand-entered entries of one assignee, ordered by `orderNum`. An assignee outside your scope gives an empty page.",
    params(crate::openapi::requests::ManualTaskDetailQuery, crate::openapi::requests::PagingQuery),
    responses(
        (status = 200, description = "A page of entries",
            body = crate::envelope::Envelope<ManualPage<ManualEntryItem>>),
        crate::openapi::responses::RequestErrors,
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let query = query(&params)?;
    let page = params.page(DEFAULT_LIMIT)?;
    let found = state.manual.entries(&caller.scope, &query, page).await?;
    Ok(envelope::ok(ManualPage {
        count: found.total,
        data: ManualEntryItem::list(found.items, state.zone),
        page_no: page.page_no(),
        limit: page.limit(),
    }))
}
