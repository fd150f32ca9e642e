//! `POST /wechat_api/login` `{loginName, password}` (JSON or form): starts a session and
//! answers `data: {token, adminUserId, expiresIn}`; 429 with `Retry-After` after too many
//! failed logins of the name or from the client's address.
//!
//! The client's address is the TCP peer's, never `X-Forwarded-For` or `Forwarded`: those are
//! set by the client unless a trusted proxy overwrites them, and scrm has no trusted-proxy
//! setting, so trusting them would let anyone pick a fresh address per attempt. Behind a
//! reverse proxy every client therefore shares the proxy's address (and its limit).

use std::net::{IpAddr, SocketAddr};

use actix_web::{HttpRequest, HttpResponse, web};
use scrm_domain::ServiceError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::envelope;
use crate::error::ApiError;
use crate::params::Params;

/// The session handed to the client.
#[derive(Debug, Serialize, ToSchema)]
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
/// 400 naming an empty field, 401 `賬號或密碼錯誤`, 429 `登錄嘗試過多,請稍後再試`, 503.
#[utoipa::path(
    post,
    path = "/wechat_api/login",
    tag = "session",
    operation_id = "login",
    summary = "Log in",
    description = "Starts a session; the token goes into `Authorization: Bearer <token>`.",
    request_body(content((crate::openapi::bodies::LoginBody = "application/json"), (crate::openapi::bodies::LoginBody = "application/x-www-form-urlencoded"))),
    security(()),
    responses(
        (status = 200, description = "The session",
            body = crate::envelope::Envelope<LoginData>,
            example = json!({"code": 200, "msg": "操作成功!",
                "data": {"token": "3f9c0d4e6b1a4c2e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e",
                "adminUserId": 1000, "expiresIn": 28800}})),
        (status = 400, description = "An empty login name or password, or an unreadable body",
            body = crate::openapi::responses::ErrorEnvelope),
        (status = 401, description = "Wrong login name or password",
            body = crate::openapi::responses::ErrorEnvelope,
            example = json!({"code": 401, "msg": "賬號或密碼錯誤", "data": null})),
        (status = 429, description = "Too many failed logins of the name (10 in 10 minutes) or from the address (60 a minute)",
            body = crate::openapi::responses::ErrorEnvelope,
            headers(("Retry-After" = u64, description = "Seconds until the full window ends")),
            example = json!({"code": 429, "msg": "登錄嘗試過多,請稍後再試", "data": null})),
        (status = 500, description = "A bug; the cause is only logged",
            body = crate::openapi::responses::ErrorEnvelope),
        crate::openapi::responses::BodyErrors,
        crate::openapi::responses::EdgeErrors,
    ),
)]
pub async fn handle(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    let login_name = params.opt_str("loginName")?.unwrap_or_default();
    let password = params.raw_str("password")?.unwrap_or_default();
    let client = client_addr(req.peer_addr());
    let outcome = state
        .auth
        .login(&login_name, &password, &client)
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

/// The address failed logins are counted under: the peer's IP without the port (each
/// connection has a port of its own); an IPv4-mapped IPv6 address as IPv4; any other IPv6
/// address as its /64, the smallest block a single client is usually given, so that one
/// client cannot rotate through its own block. `unknown` when there is no peer (a Unix
/// socket, tests).
pub fn client_addr(peer: Option<SocketAddr>) -> String {
    match peer.map(|p| p.ip().to_canonical()) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{net}/64")
        }
        None => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> Option<SocketAddr> {
        s.parse().ok()
    }

    #[test]
    fn the_client_address_is_the_peer_ip_without_port_and_ipv6_by_its_64() {
        assert_eq!(client_addr(addr("203.0.113.9:51234")), "203.0.113.9");
        assert_eq!(client_addr(addr("203.0.113.9:1")), "203.0.113.9");
        assert_eq!(client_addr(addr("[::ffff:203.0.113.9]:80")), "203.0.113.9");
        assert_eq!(
            client_addr(addr("[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:443")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            client_addr(addr("[2001:db8:1:2::1]:443")),
            client_addr(addr("[2001:db8:1:2:ffff::9]:443"))
        );
        assert_eq!(client_addr(addr("[::1]:8080")), "::/64");
        assert_eq!(client_addr(None), "unknown");
    }
}
