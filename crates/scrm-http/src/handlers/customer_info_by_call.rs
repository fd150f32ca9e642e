//! `GET /wechat_api/customer/getCustomerInfoByCall?phone=..`: who is calling, as
//! `data: {"source": 0|1|2|3, "customerList": null | [..]}`: customers (source 1) in the
//! customerPage item shape, manual entries (sources 2 and 3) in the manual entry shape.

use actix_web::{HttpResponse, web};
use scrm_domain::call::CallerInfo;
use serde::Serialize;

use super::customer_dto::CustomerItem;
use super::manual_dto::ManualEntryItem;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The matches of the winning source.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum CallerList {
    Customers(Vec<CustomerItem>),
    Entries(Vec<ManualEntryItem>),
}

/// The `data` of the response.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerInfoDto {
    pub source: i32,
    /// `null` for source 0.
    pub customer_list: Option<CallerList>,
}

/// The handler.
///
/// # Errors
/// 400 naming `phone` when missing or not a phone number, 401, 503.
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let phone = params
        .opt_str("phone")?
        .ok_or_else(|| ApiError::invalid("phone", "is required"))?;
    let info = state.calls.lookup(&caller.scope, &phone).await?;
    let source = info.source();
    let customer_list = match info {
        CallerInfo::Unknown => None,
        CallerInfo::Customers(list) => Some(CallerList::Customers(
            list.into_iter().map(CustomerItem::from).collect(),
        )),
        CallerInfo::PoolEntries(list) | CallerInfo::HandEntries(list) => {
            Some(CallerList::Entries(ManualEntryItem::list(list, state.zone)))
        }
    };
    Ok(envelope::ok(CallerInfoDto {
        source,
        customer_list,
    }))
}
