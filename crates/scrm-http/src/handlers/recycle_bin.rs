//! `GET /wechat_api/customer/recycleBin`: deleted customers, most recently deleted first, in
//! the customerPage shape plus `deletedTime`.

use actix_web::{HttpResponse, web};

use super::customer_dto::DeletedCustomerItem;
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
/// 400 for bad paging, 401, 503 when the store is down.
#[utoipa::path(
    get,
    path = "/wechat_api/customer/recycleBin",
    tag = "customer",
    operation_id = "recycleBin",
    summary = "Recycle bin",
    description = "The deleted profiles of your scope, most recently deleted first.",
    params(crate::openapi::requests::PagingQuery),
    responses(
        (status = 200, description = "A page of deleted customers",
            body = crate::envelope::PagedEnvelope<DeletedCustomerItem>),
        crate::openapi::responses::RequestErrors,
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let page = params.page(DEFAULT_LIMIT)?;
    let found = state.customers.recycle_bin(&caller.scope, page).await?;
    let items = found
        .items
        .into_iter()
        .map(DeletedCustomerItem::from)
        .collect();
    Ok(envelope::paged(items, page.page_no(), found.total))
}
