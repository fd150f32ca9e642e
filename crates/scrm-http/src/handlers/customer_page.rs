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
