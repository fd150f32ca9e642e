//! `POST /wechat_api/customer/restore`: brings a customer back from the recycle bin.

use actix_web::{HttpResponse, web};
use chrono::Utc;

use super::delete::customer_id;
use crate::AppState;
use crate::auth::Caller;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The handler.
///
/// # Errors
/// 400 `customerId為空`, 401, 404 when not in the scope's recycle bin, 503.
pub async fn handle(
    state: web::Data<AppState>,
    caller: Caller,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let id = customer_id(&params)?;
    state
        .customers
        .restore(&caller.scope, id, Utc::now())
        .await?;
    Ok(envelope::ok(()))
}
