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
/// 400 naming an empty field, 401 `賬號或密碼錯誤`, 429 `登錄嘗試過多,請稍後再試`, 503.
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
