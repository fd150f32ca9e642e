//! The web console of scrm: static HTML, CSS and ES modules (Preact + htm, vendored), compiled
//! into the binary with `rust-embed` (embedded in debug builds too), served at `/` by
//! `scrm serve`. It calls only the public `/wechat_api/...` endpoints.
//!
//! `configure` registers, to be mounted after the API's routes:
//! - `GET /assets/{file}`: an embedded file, with its content type and an `ETag`; a file that
//!   is not embedded does not match, so the API's JSON 404 answers it;
//! - `GET` of each client-side route (`ROUTES`: `/`, `/recycle`, `/call`, ...): the console's
//!   page, so a link such as `/?tagIds=1&pageNo=2` reopens where it was.
//!
//! Any other path is the app's default service; there `is_page_request` tells whether the
//! console's page (`page`) answers it (a GET or HEAD outside `/wechat_api` and `/assets`
//! whose last segment has no dot: an unknown client-side route), or the API's JSON 404. The
//! fallback is not a catch-all resource so that the API's unmatched paths keep their
//! `route="unmatched"` label in `/metrics`.
//!
//! Every answer carries the console's own Content-Security-Policy (`CSP`: scripts, styles,
//! connections and images from this origin only, no inline script); the API's security
//! headers middleware adds only the headers a response lacks, so the two do not fight.

use std::borrow::Cow;

use actix_web::http::Method;
use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};
use actix_web::{HttpRequest, HttpResponse, guard, web};
use rust_embed::RustEmbed;

/// The console's files (`assets/`), in the binary.
#[derive(RustEmbed)]
#[folder = "assets/"]
pub struct Assets;

/// The page every console path answers with.
pub const INDEX: &str = "index.html";

/// The path prefix of the embedded files.
pub const ASSETS_PREFIX: &str = "/assets/";

/// The Content-Security-Policy of every console answer: nothing from another origin, no
/// inline script or style, no plugins, no framing; `data:` images only for inline icons.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
connect-src 'self'; img-src 'self' data:; font-src 'self'; manifest-src 'self'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The API's paths: never answered by the console.
const API_PREFIX: &str = "/wechat_api";

/// The client-side routes of `js/app.js`, each answered with the console's page.
pub const ROUTES: [&str; 5] = ["/", "/recycle", "/call", "/lists", "/chat"];

/// Registers the console's resources (mount after the API's routes; see the module docs).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(format!("{ASSETS_PREFIX}{{file:.*}}"))
            .guard(get_or_head())
            .guard(guard::fn_guard(|ctx| {
                asset_name(ctx.head().uri.path()).is_some_and(|name| Assets::get(name).is_some())
            }))
            .to(asset),
    );
    for route in ROUTES {
        cfg.service(
            web::resource(route)
                .guard(get_or_head())
                .to(|req: HttpRequest| async move { page(&req) }),
        );
    }
}

/// Whether the console's page answers this request in the app's default service: a GET or
/// HEAD of a path `is_page_path` accepts.
pub fn is_page_request(req: &HttpRequest) -> bool {
    (req.method() == Method::GET || req.method() == Method::HEAD) && is_page_path(req.path())
}

fn get_or_head() -> impl guard::Guard {
    guard::Any(guard::Get()).or(guard::Head())
}

/// The embedded name of an `/assets/...` path.
fn asset_name(path: &str) -> Option<&str> {
    path.strip_prefix(ASSETS_PREFIX)
        .filter(|name| !name.is_empty())
}

/// Whether the console's page answers this path: not the API, not an asset, and no file name
/// with an extension in its last segment (a missing file is a 404, not the page).
pub fn is_page_path(path: &str) -> bool {
    let in_api = path == API_PREFIX || path.starts_with(&format!("{API_PREFIX}/"));
    let last = path.rsplit('/').next().unwrap_or_default();
    !in_api && !path.starts_with(ASSETS_PREFIX) && !last.contains('.')
}

async fn asset(req: HttpRequest) -> HttpResponse {
    // The guard let only embedded names through.
    file(&req, asset_name(req.path()).unwrap_or_default())
}

/// The console's page (`index.html`), with the console's headers.
pub fn page(req: &HttpRequest) -> HttpResponse {
    file(req, INDEX)
}

/// One embedded file, or 304 when the client's `If-None-Match` names its hash.
fn file(req: &HttpRequest, name: &str) -> HttpResponse {
    let Some(content) = Assets::get(name) else {
        return HttpResponse::NotFound()
            .insert_header((CONTENT_SECURITY_POLICY, CSP))
            .finish();
    };
    let etag = format!("\"{}\"", hex(&content.metadata.sha256_hash()));
    let fresh = req
        .headers()
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut res = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((CONTENT_SECURITY_POLICY, CSP))
        // Revalidated on every use (cheap with the ETag), so a new binary's files are seen
        // at once; the API's `no-store` is not needed for files without personal data.
        .insert_header((CACHE_CONTROL, "no-cache"))
        .insert_header((ETAG, etag));
    if fresh {
        return res.finish();
    }
    res.insert_header((CONTENT_TYPE, content_type(name)));
    match content.data {
        Cow::Borrowed(bytes) => res.body(bytes),
        Cow::Owned(bytes) => res.body(bytes),
    }
}

/// The content type of an embedded file, by its extension.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        _ => "text/plain; charset=utf-8",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_leave_the_api_assets_and_files_alone() {
        for path in ["/", "/customers", "/call", "/chat/x", "/recycle/"] {
            assert!(is_page_path(path), "{path}");
        }
        for path in [
            "/wechat_api",
            "/wechat_api/",
            "/wechat_api/nope",
            "/assets/x",
            "/favicon.ico",
            "/x/robots.txt",
        ] {
            assert!(!is_page_path(path), "{path}");
        }
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/b.mjs"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("LICENSE-htm"), "text/plain; charset=utf-8");
    }
}
