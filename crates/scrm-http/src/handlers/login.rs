//! `POST /wechat_api/login` `{loginName, password}` (JSON or form): starts a session and
//! answers `data: {token, adminUserId, expiresIn}`; 429 with `Retry-After` after too many
//! failed logins of the name or from the client's address.
//!
//! The client's address is the TCP peer's. `X-Forwarded-For` counts only when the peer is one
//! of `AppState::trusted_proxies` (`SCRM_TRUSTED_PROXIES`): then the client is the right-most
//! address in it that is not itself a trusted proxy (what the nearest untrusted hop connected
//! from; anything left of it is the client's to forge). From any other peer the header is
//! ignored, so a client cannot pick a fresh address per attempt.

use std::net::IpAddr;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::FixedOffset;
use scrm_domain::ServiceError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::envelope;
use crate::error::ApiError;
use crate::lenient::Text;
use crate::params::{Wire, WireRequest};

/// The login.
// An empty name or password is the domain's `<field>: is required`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"loginName": "demo_admin", "password": "demo-pass-123"}))]
pub struct LoginBody {
    pub login_name: Text,
    pub password: Text,
}

/// The name (trimmed) and the password (as typed) of a login.
#[derive(Debug)]
pub struct Credentials {
    pub login_name: String,
    pub password: String,
}

impl WireRequest for LoginBody {
    type Domain = Credentials;

    fn try_into_domain(self, _zone: FixedOffset) -> Result<Credentials, ApiError> {
        Ok(Credentials {
            login_name: self.login_name.trimmed().unwrap_or_default(),
            password: self.password.0,
        })
    }
}

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
    request_body(content((LoginBody = "application/json"), (LoginBody = "application/x-www-form-urlencoded"))),
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
    wire: Wire<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    let credentials = wire.into_inner()?;
    let client = client_addr(client_ip(
        req.peer_addr().map(|p| p.ip()),
        req.headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok()),
        &state.trusted_proxies,
    ));
    let outcome = state
        .auth
        .login(&credentials.login_name, &credentials.password, &client)
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

/// The client's IP: the peer's, unless the peer is a trusted proxy; then the right-most
/// address of the `X-Forwarded-For` values (in order) that is not a trusted proxy. An
/// unreadable entry stops the walk (nothing left of it can be trusted) and leaves the last
/// trusted hop as the client.
pub fn client_ip<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl Iterator<Item = &'a str>,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let is_trusted = |ip: IpAddr| trusted.contains(&ip.to_canonical());
    let mut client = peer?;
    if !is_trusted(client) {
        return Some(client);
    }
    let hops: Vec<&str> = forwarded_for.flat_map(|v| v.split(',')).collect();
    for hop in hops.iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    Some(client)
}

/// The address failed logins are counted under: the client's IP (`client_ip`; without the
/// port, as each connection has a port of its own); an IPv4-mapped IPv6 address as IPv4; any
/// other IPv6 address as its /64, the smallest block a single client is usually given, so
/// that one client cannot rotate through its own block. `unknown` when there is no peer (a
/// Unix socket, tests).
pub fn client_addr(ip: Option<IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
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
    use std::net::SocketAddr;

    fn addr(s: &str) -> Option<IpAddr> {
        s.parse::<SocketAddr>().ok().map(|a| a.ip())
    }

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxies = ips(&["10.0.0.1", "10.0.0.2"]);
        let peer = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        let client = |p: &str, xff: &[&str]| {
            client_ip(peer(p), xff.iter().copied(), &proxies).map(|ip| ip.to_string())
        };
        // From an untrusted peer the header is the client's to forge: ignored.
        assert_eq!(
            client("203.0.113.9", &["198.51.100.1"]).unwrap(),
            "203.0.113.9"
        );
        // Behind the proxy: the right-most address that is not a trusted proxy.
        assert_eq!(
            client("10.0.0.1", &["198.51.100.1"]).unwrap(),
            "198.51.100.1"
        );
        assert_eq!(
            client("10.0.0.1", &["6.6.6.6, 198.51.100.1, 10.0.0.2"]).unwrap(),
            "198.51.100.1",
            "a forged entry left of the real client does not count; proxies are skipped"
        );
        assert_eq!(
            client("10.0.0.1", &["6.6.6.6", "198.51.100.1"]).unwrap(),
            "198.51.100.1",
            "several header lines read as one list"
        );
        // Nothing usable: the last trusted hop.
        assert_eq!(client("10.0.0.1", &[]).unwrap(), "10.0.0.1");
        assert_eq!(client("10.0.0.1", &["10.0.0.2"]).unwrap(), "10.0.0.2");
        assert_eq!(
            client("10.0.0.1", &["198.51.100.1, junk"]).unwrap(),
            "10.0.0.1"
        );
        // An IPv4-mapped peer is its IPv4 address.
        assert_eq!(
            client("::ffff:10.0.0.1", &["198.51.100.1"]).unwrap(),
            "198.51.100.1"
        );
        assert_eq!(client_ip(None, std::iter::empty(), &proxies), None);
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
