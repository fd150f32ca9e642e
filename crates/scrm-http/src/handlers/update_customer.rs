//! `POST /wechat_api/customer/updateCustomer`: a partial update of a customer and its contact
//! (or the creation of a contact's profile). Answers the legacy shape with `wechatContact` and
//! `customer` beside `data: null`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use scrm_domain::customer::{CustomerPatch, FieldChange, UpdateCustomer, XFIELDS};
use scrm_domain::{ContactId, CustomerId, TagId};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::contact_dto::WechatContactDto;
use super::customer_dto::CustomerDto;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope::OK_MSG;
use crate::error::ApiError;
use crate::params::Params;

/// The response: fields the spec shows outside `data` stay there.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Updated {
    pub code: u16,
    pub msg: &'static str,
    #[schema(value_type = crate::openapi::lenient::Null)]
    pub data: (),
    pub wechat_contact: WechatContactDto,
    pub customer: CustomerDto,
}

fn text(params: &Params, name: &str) -> Result<FieldChange, ApiError> {
    Ok(FieldChange::from_wire(params.raw_str(name)?.as_deref()))
}

/// `isStar`: 0/1/true/false; empty or absent is not given.
fn is_star(params: &Params) -> Result<Option<bool>, ApiError> {
    if let Some(Value::Bool(b)) = params.get("isStar") {
        return Ok(Some(*b));
    }
    let bad = || ApiError::invalid("isStar", "must be 0 or 1");
    match params.opt_str("isStar").map_err(|_| bad())?.as_deref() {
        None => Ok(None),
        Some("1" | "true") => Ok(Some(true)),
        Some("0" | "false") => Ok(Some(false)),
        Some(_) => Err(bad()),
    }
}

/// The command of a request: absent text fields are kept, empty ones cleared; `tags: ""`
/// empties the tag set; empty ids and flags are not given.
///
/// # Errors
/// 400 naming the first parameter that cannot be read.
pub fn command(params: &Params) -> Result<UpdateCustomer, ApiError> {
    let mut xfields: [FieldChange; XFIELDS] = Default::default();
    for (i, field) in xfields.iter_mut().enumerate() {
        *field = text(params, &format!("xfield{}", i + 1))?;
    }
    let tags = if params.contains("tags") {
        Some(params.id_list("tags")?.into_iter().map(TagId).collect())
    } else {
        None
    };
    Ok(UpdateCustomer {
        customer_id: params.opt_i64("customerId")?.map(CustomerId),
        wechat_contact_id: params.opt_i64("wechatContactId")?.map(ContactId),
        patch: CustomerPatch {
            customer_name: text(params, "customerName")?,
            customer_phone: text(params, "customerPhone")?,
            phone_digits: None,
            nick_name: text(params, "nickName")?,
            remarks: text(params, "remarks")?,
            xfields,
            tags,
            is_star: is_star(params)?,
        },
    })
}

/// The handler.
///
/// # Errors
/// 400, 401, 404 for a customer or contact outside the scope, 409 when the contact already
/// has a profile, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/updateCustomer",
    tag = "customer",
    operation_id = "updateCustomer",
    summary = "Update a customer",
    description = "A partial update of a customer and its contact, or (without `customerId`, with `wechatContactId`) the creation of the contact's profile. Answers the legacy shape: `wechatContact` and `customer` beside `data: null`.",
    request_body(content((crate::openapi::bodies::UpdateCustomerBody = "application/json"), (crate::openapi::bodies::UpdateCustomerBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "The customer and its contact as saved", body = Updated),
        (status = 404, description = "The customer or contact is not one of your scope",
            body = crate::openapi::responses::ErrorEnvelope),
        (status = 409, description = "The contact already has a profile",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::RequestErrors,
        crate::openapi::responses::BodyErrors,
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let cmd = command(&params)?;
    let record = state
        .customers
        .update(&caller.scope, &cmd, Utc::now())
        .await?;
    let contact = state
        .contacts
        .find(&caller.scope, record.wechat_contact_id)
        .await?;
    Ok(HttpResponse::Ok().json(Updated {
        code: 200,
        msg: OK_MSG,
        data: (),
        wechat_contact: contact.into(),
        customer: record.into(),
    }))
}
