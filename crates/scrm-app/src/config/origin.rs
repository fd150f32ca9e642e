//! Browser origins (`SCRM_CORS_ORIGINS`): `scheme://host[:port]` in the one form a browser
//! sends in `Origin`, so that the CORS middleware compares exact strings.

use anyhow::{Context, bail};

/// `scheme://host[:port]` as a browser sends it in `Origin`: lower case, without the
/// scheme's default port. Only `http` and `https`; no path, query, user or wildcard.
pub(super) fn origin(text: &str) -> anyhow::Result<String> {
    let lower = text.to_ascii_lowercase();
    let Some((scheme, authority)) = lower.split_once("://") else {
        bail!("no scheme://");
    };
    let default_port = match scheme {
        "http" => 80_u16,
        "https" => 443,
        other => bail!("the scheme {other:?} is neither http nor https"),
    };
    if authority.contains(['/', '?', '#', '@']) {
        bail!("an origin has no path, query or user");
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (addr, rest) = v6.split_once(']').context("an unclosed [")?;
            if addr.is_empty()
                || !addr
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
            {
                bail!("{addr:?} is not an IPv6 address");
            }
            let port = match rest {
                "" => None,
                _ => Some(rest.strip_prefix(':').context("junk after ]")?),
            };
            (&authority[..addr.len() + 2], port)
        }
        None => {
            let (host, port) = match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            };
            let label = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
            if host.is_empty() || !host.chars().all(label) {
                bail!("{host:?} is not a host name");
            }
            (host, port)
        }
    };
    let port = match port {
        None => default_port,
        Some(p) => p
            .parse()
            .ok()
            .filter(|n| *n > 0 && p.bytes().all(|b| b.is_ascii_digit()))
            .with_context(|| format!("{p:?} is not a port"))?,
    };
    Ok(if port == default_port {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}:{port}")
    })
}
