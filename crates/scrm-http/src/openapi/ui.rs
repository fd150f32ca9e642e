//! `GET /openapi.json` (the document) and Swagger UI at `/docs/` (vendored into the binary, so
//! it works without internet access). Neither needs a token. Swagger UI needs a looser CSP than
//! the API's `default-src 'none'`: its pages set `DOCS_CSP` themselves, which the security
//! headers middleware keeps (it only adds headers a response lacks); every other route keeps
//! the strict policy.

use std::sync::{Arc, LazyLock};

use actix_web::http::header::{
    CONTENT_ENCODING, CONTENT_SECURITY_POLICY, ContentEncoding, LOCATION,
};
use actix_web::{HttpResponse, web};
use utoipa::OpenApi;
use utoipa_swagger_ui::Config;

use super::ApiDoc;
use crate::error::ApiError;

/// Where the document is served.
pub const OPENAPI_PATH: &str = "/openapi.json";
/// Swagger UI's root (`/docs` redirects here).
pub const DOCS_PATH: &str = "/docs/";

/// The CSP of Swagger UI's files: its own scripts, styles (it sets inline styles) and images
/// (inline SVG icons as `data:`), requests to this origin only; still never framed.
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// The document as JSON, rendered once.
static DOCUMENT: LazyLock<Result<String, String>> =
    LazyLock::new(|| ApiDoc::openapi().to_json().map_err(|e| e.to_string()));

/// Swagger UI's configuration: the one document above.
static CONFIG: LazyLock<Arc<Config<'static>>> = LazyLock::new(|| {
    Arc::new(
        Config::new([OPENAPI_PATH])
            .try_it_out_enabled(true)
            .validator_url("none"),
    )
});

/// `GET /openapi.json`.
///
/// # Errors
/// 500 if the document cannot be rendered (a bug).
pub async fn document() -> Result<HttpResponse, ApiError> {
    match &*DOCUMENT {
        Ok(json) => Ok(HttpResponse::Ok()
            .content_type("application/json")
            .body(json.clone())),
        Err(err) => Err(ApiError::Internal(format!(
            "rendering the OpenAPI document: {err}"
        ))),
    }
}

/// `GET /docs`: a redirect to `/docs/`, where Swagger UI's relative links resolve.
pub async fn redirect() -> HttpResponse {
    HttpResponse::Found()
        .insert_header((LOCATION, DOCS_PATH))
        .finish()
}

/// `GET /docs/{file}`: a file of Swagger UI (`index.html` for `/docs/`).
///
/// # Errors
/// 404 for a file Swagger UI does not have, 500 if its configuration cannot be written.
pub async fn file(tail: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let served = utoipa_swagger_ui::serve(&tail, Arc::clone(&CONFIG))
        .map_err(|e| ApiError::Internal(format!("serving Swagger UI: {e}")))?;
    let file = served.ok_or(ApiError::NoRoute)?;
    let mut response = HttpResponse::Ok();
    response
        .content_type(file.content_type)
        .insert_header((CONTENT_SECURITY_POLICY, DOCS_CSP));
    if file.gzpipped {
        response.insert_header((CONTENT_ENCODING, ContentEncoding::Gzip));
    }
    Ok(response.body(file.bytes.into_owned()))
}
