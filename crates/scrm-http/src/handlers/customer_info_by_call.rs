//! `GET /wechat_api/customer/getCustomerInfoByCall?phone=..`: who is calling, as
//! `data: {"source": 0|1|2|3, "customerList": null | [..]}`: customers (source 1) in the
//! customerPage item shape, manual entries (sources 2 and 3) in the manual entry shape.

use actix_web::HttpResponse;
use chrono::FixedOffset;
use scrm_domain::call::CallerInfo;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::customer_dto::CustomerItem;
use super::manual_dto::ManualEntryItem;
use crate::envelope;
use crate::error::ApiError;
use crate::params::{Scoped, WireRequest};

/// The query of getCustomerInfoByCall.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallQuery {
    /// The caller's number, compared by its digits (`+86`, `0086`, blanks, dashes ignored).
    #[param(
        pattern = r"^\s*\+?[0-9][0-9 -]{4,30}\s*$",
        example = "+86 187-5092-8186"
    )]
    pub phone: String,
}

impl WireRequest for CallQuery {
    /// The phone as typed, trimmed (the domain reads its digits).
    type Domain = String;

    fn try_into_domain(self, _zone: FixedOffset) -> Result<String, ApiError> {
        match self.phone.trim() {
            "" => Err(ApiError::invalid("phone", "is required")),
            phone => Ok(phone.to_owned()),
        }
    }
}

/// The matches of the winning source.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum CallerList {
    Customers(Vec<CustomerItem>),
    Entries(Vec<ManualEntryItem>),
}

/// The `data` of the response.
#[derive(Debug, Serialize, ToSchema)]
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
#[utoipa::path(
    get,
    path = "/wechat_api/customer/getCustomerInfoByCall",
    tag = "call",
    operation_id = "getCustomerInfoByCall",
    summary = "Who is calling",
    description = "Sources, in order: 1 a customer of your scope; 2 an entry assigned to you from a pool task; 3 an entry you entered by hand; 0 none. `customerList` holds every match of the first source that has one.",
    params(CallQuery),
    responses(
        (status = 200, description = "The source and its matches",
            body = crate::envelope::Envelope<CallerInfoDto>,
            example = json!({"code": 200, "msg": "操作成功!", "data": {"source": 0,
                "customerList": null}})),
        crate::openapi::responses::SessionErrors,
    ),
)]
pub async fn handle(scoped: Scoped<CallQuery>) -> Result<HttpResponse, ApiError> {
    let (state, scope, phone) = scoped.into_parts()?;
    let info = state.calls.lookup(&scope, &phone).await?;
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
