//! `POST /wechat_api/customer/addManualTask`: adds a hand-entered entry to the caller's call
//! list; answers `data: null`. Every field is text (a number is read as its digits, so the
//! spec's `"customerPhone": 18750928186` works); an empty string is not given. The domain
//! answers the spec's 400 text for exactly the missing required fields.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use scrm_domain::customer::XFIELDS;
use scrm_domain::manual::AddManualTask;

use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The command of a request.
///
/// # Errors
/// 400 naming a field that is an array or an object.
pub fn command(params: &Params) -> Result<AddManualTask, ApiError> {
    let mut xfields: [Option<String>; XFIELDS] = Default::default();
    for (i, field) in xfields.iter_mut().enumerate() {
        *field = params.opt_str(&format!("xfield{}", i + 1))?;
    }
    Ok(AddManualTask {
        customer_name: params.opt_str("customerName")?,
        customer_phone: params.opt_str("customerPhone")?,
        phone_geo: params.opt_str("phoneGeo")?,
        address: params.opt_str("address")?,
        nick_name: params.opt_str("nickName")?,
        user_name: params.opt_str("userName")?,
        company: params.opt_str("company")?,
        tags: params.opt_str("tags")?,
        remarks: params.opt_str("remarks")?,
        v1: params.opt_str("v1")?,
        xfields,
    })
}

/// The handler.
///
/// # Errors
/// 400 (the spec's text for missing fields, a bad phone, too long values), 401, 409 when the
/// phone is already on the caller's list, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/customer/addManualTask",
    tag = "manual",
    operation_id = "addManualTask",
    summary = "Add a call list entry",
    description = "Adds a hand-entered entry (taskId -1, the next orderNum) to your call list.",
    request_body(content((crate::openapi::bodies::AddManualTaskBody = "application/json"), (crate::openapi::bodies::AddManualTaskBody = "application/x-www-form-urlencoded"))),
    responses(
        crate::openapi::responses::Done,
        (status = 409, description = "The phone is already on your call list",
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
    state.manual.add(&caller.scope, &cmd, Utc::now()).await?;
    Ok(envelope::ok(()))
}
