//! The OpenAPI 3.1 document of the API (`ApiDoc`), built by utoipa from the handlers'
//! `#[utoipa::path]` attributes and their DTOs, and the routes that serve it (`ui`).
//!
//! Each operation names its request struct (`IntoParams` for a query, `ToSchema` for a body):
//! the struct the handler really deserializes, whose lenient value types (`crate::lenient`)
//! describe what the server accepts. Its error statuses are the sets of `responses`.
//!
//! Route coverage: `configure` registers routes on actix directly, so nothing forces a new
//! route into `ApiDoc`'s `paths(..)`. The handler test `openapi::every_route_is_documented`
//! closes that gap from the router's side: it lists every resource pattern of the real
//! app (actix's resource map) and finds each pattern's methods by asking the app (a routed
//! method is anything but 405), then requires the document to hold exactly those operations.
//! A route added anywhere in `configure` therefore fails the test until it is documented (a
//! scope, whose patterns nest, makes the test fail until it learns to read nested maps);
//! only the docs routes of `UNDOCUMENTED` are exempt. A table of routes compared with the
//! document would not do: a route registered beside the table would pass unseen.

pub mod responses;
pub mod ui;

use utoipa::openapi::path::PathItem;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{handlers, lenient};

/// The security scheme of the session token (the name `ApiDoc` refers to).
pub const BEARER: &str = "bearerAuth";

/// Routes served without being in the document: the document and Swagger UI themselves.
pub const UNDOCUMENTED: [&str; 3] = [ui::OPENAPI_PATH, "/docs", "/docs/{tail:.*}"];

/// The document. `ApiDoc::openapi()` builds it.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "scrm: customer query module",
        description = include_str!("description.md"),
        license(name = "MIT"),
    ),
    paths(
        handlers::login::handle,
        handlers::logout::handle,
        handlers::me::handle,
        handlers::customer_page::handle,
        handlers::download::handle,
        handlers::update_customer::handle,
        handlers::recycle_bin_actions::delete,
        handlers::recycle_bin::handle,
        handlers::recycle_bin_actions::restore,
        handlers::batch_save_nick_name::handle,
        handlers::find_contact_by_tag::handle,
        handlers::is_open_after_call::handle,
        handlers::update_is_open_after_call::handle,
        handlers::customer_info_by_call::handle,
        handlers::manual_task_list::handle,
        handlers::manual_task_detail::handle,
        handlers::recycle_bin_actions::delete_list,
        handlers::recycle_bin_actions::delete_entry,
        handlers::recycle_bin_actions::restore_list,
        handlers::recycle_bin_actions::restore_entry,
        handlers::add_manual_task::handle,
        handlers::add_manual_task_before_add_friend::handle,
        handlers::message_record::handle,
        handlers::redis_message_record::handle,
        handlers::health::healthz,
        handlers::health::readyz,
        handlers::metrics::metrics,
    ),
    components(schemas(
        lenient::LenientInt,
        lenient::IdList,
        lenient::WireTime,
        lenient::Flag,
        lenient::WireTagMode,
        lenient::Text,
        responses::Null,
        lenient::PageNo,
        lenient::Limit,
    )),
    modifiers(&BearerAuth, &LowerCaseAlias),
    security(("bearerAuth" = [])),
    tags(
        (name = "session", description = "Login, logout and who am I"),
        (name = "customer", description = "Customer profiles, the export and the recycle bin"),
        (name = "contact", description = "WeChat contacts and their forms of address"),
        (name = "call", description = "The after-call pop-up"),
        (name = "manual", description = "Hand-entered call lists"),
        (name = "message", description = "Chat messages"),
        (name = "ops", description = "Health, readiness and metrics (no token)"),
    ),
)]
pub struct ApiDoc;

/// Adds the bearer scheme: `Authorization: Bearer <token>`, the token of the login.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.description = Some(
            "The `token` of `POST /wechat_api/login`, as `Authorization: Bearer <token>`; a \
             session ends after SCRM_SESSION_TTL_SECS without use, or at logout."
                .to_owned(),
        );
        components.add_security_scheme(BEARER, SecurityScheme::Http(http));
    }
}

/// Documents `findcontactbytagall`, the spec's lower-case path of `findcontactbytagAll` (the
/// same handler; an OpenAPI operation has one path, so the item is copied under its own id).
struct LowerCaseAlias;

impl LowerCaseAlias {
    const PATH: &str = "/wechat_api/customer/findcontactbytagAll";
    const ALIAS: &str = "/wechat_api/customer/findcontactbytagall";
}

impl Modify for LowerCaseAlias {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(item) = openapi.paths.paths.get(Self::PATH) else {
            return;
        };
        let mut alias: PathItem = item.clone();
        if let Some(op) = alias.get.as_mut() {
            op.operation_id = Some("findcontactbytagall".to_owned());
            op.summary = Some("Contacts by tags (the lower-case path)".to_owned());
        }
        openapi.paths.paths.insert(Self::ALIAS.to_owned(), alias);
    }
}
