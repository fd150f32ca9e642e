//! `POST /wechat_api/login` `{loginName, password}` (JSON or form): starts a session and
//! answers `data: {token, adminUserId, expiresIn}`.

use actix_web::{HttpResponse, web};
use scrm_domain::ServiceError;
use serde::Serialize;

use crate::AppState;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The session handed to the client.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginData {
    pub token: String,
    pub admin_user_id: i64,
    /// Seconds the session lives without use.
    pub expires_in: u64,
}

/// The handler.
///
/// # Errors
/// 400 naming an empty field, 401 `賬號或密碼錯誤`, 503.
pub async fn handle(state: web::Data<AppState>, params: Params) -> Result<HttpResponse, ApiError> {
    let login_name = params.opt_str("loginName")?.unwrap_or_default();
    let password = params.raw_str("password")?.unwrap_or_default();
    let outcome = state
        .auth
        .login(&login_name, &password)
        .await
        .map_err(|e| match e {
            ServiceError::Unauthorized => ApiError::BadCredentials,
            other => other.into(),
        })?;
    Ok(envelope::ok(LoginData {
        token: outcome.token,
        admin_user_id: outcome.admin_user_id.0,
        expires_in: outcome.expires_in,
    }))
}
