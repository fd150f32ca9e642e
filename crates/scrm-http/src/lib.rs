//! The actix-web adapter of scrm: the routes of the customer query module, their handlers and
//! DTOs, the lenient parameter types and extractor, the bearer-token extractor and the one error
//! envelope every response (success or failure) is wrapped in.
//!
//! The app crate mounts everything with
//! `harden(App::new(), &cors_origins, request_timeout).configure(|cfg| configure(cfg, state.clone()))`:
//! `harden` wraps the routes in the middleware (request ids and the access log, metrics,
//! security headers, CORS, the query-string limit). `GET /metrics` renders the app's
//! Prometheus registry (`metrics::Metrics`, in `AppState`). `GET /openapi.json` is the OpenAPI
//! 3.1 document of every route (`openapi`), `GET /docs/` its Swagger UI; both need no token.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, Route, web};
use chrono::FixedOffset;
use scrm_domain::call::CallService;
use scrm_domain::contact::ContactService;
use scrm_domain::customer::CustomerService;
use scrm_domain::directory::DirectoryService;
use scrm_domain::health::HealthProbe;
use scrm_domain::manual::ManualEntryService;
use scrm_domain::message::ChatService;
use scrm_domain::session::AuthService;

pub mod auth;
pub mod envelope;
pub mod error;
mod handlers;
pub mod lenient;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod params;

use error::ApiError;
use handlers::recycle_bin_actions as bin;
use handlers::{
    add_manual_task, add_manual_task_before_add_friend, batch_save_nick_name,
    customer_info_by_call, customer_page, download, find_contact_by_tag, health,
    is_open_after_call, login, logout, manual_task_detail, manual_task_list, me, message_record,
    metrics as metrics_handler, recycle_bin, redis_message_record, update_customer,
    update_is_open_after_call,
};
pub use metrics::{Metrics, PoolConnections, PoolGauge};
pub use middleware::{cors, harden, request_id, security_headers};

/// Largest request body accepted (64 KiB); larger bodies are a 413.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Largest body of `POST /wechat_api/message/record` (1 MiB: a batch of 1,000 messages).
pub const RECORD_BODY_LIMIT: usize = 1024 * 1024;

/// The body limit of one route when it differs from `BODY_LIMIT` (resource app data, read by
/// the `Params` extractor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimit(pub usize);

/// What the handlers need: the services, the readiness probes, the metrics (with the pools
/// `/metrics` reports) and the zone of wire times.
pub struct AppState {
    pub auth: Arc<AuthService>,
    pub customers: Arc<CustomerService>,
    pub contacts: Arc<ContactService>,
    pub calls: Arc<CallService>,
    pub manual: Arc<ManualEntryService>,
    pub chat: Arc<ChatService>,
    /// "Who am I" (`GET /wechat_api/account/me`).
    pub directory: Arc<DirectoryService>,
    pub probes: Vec<Arc<dyn HealthProbe>>,
    /// This app's registry; the `harden` middleware counts every request in it.
    pub metrics: Metrics,
    /// The connection pools behind the stores (none for the memory store).
    pub pools: Vec<Arc<dyn PoolGauge>>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`SCRM_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub zone: FixedOffset,
}

/// Registers every route, the app data, the path error handler and a default service
/// answering 404 `接口不存在` in the envelope. (Handlers read their parameters with
/// `params::Wire`, never with actix's `Json`/`Form`/`Query`, so those need no config.)
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<AppState>) {
    cfg.app_data(state).app_data(
        web::PathConfig::default()
            .error_handler(|err, _| ApiError::BadRequest(err.to_string()).into()),
    );

    route(
        cfg,
        openapi::ui::OPENAPI_PATH,
        web::get().to(openapi::ui::document),
    );
    route(cfg, "/docs", web::get().to(openapi::ui::redirect));
    route(cfg, "/docs/{tail:.*}", web::get().to(openapi::ui::file));
    route(cfg, "/healthz", web::get().to(health::healthz));
    route(cfg, "/readyz", web::get().to(health::readyz));
    route(cfg, "/metrics", web::get().to(metrics_handler::metrics));
    route(cfg, "/wechat_api/login", web::post().to(login::handle));
    route(cfg, "/wechat_api/logout", web::post().to(logout::handle));
    route(cfg, "/wechat_api/account/me", web::get().to(me::handle));
    let customer_routes = [
        ("customerPage", web::get().to(customer_page::handle)),
        ("downLoad", web::get().to(download::handle)),
        ("updateCustomer", web::post().to(update_customer::handle)),
        ("delete", web::post().to(bin::delete)),
        ("recycleBin", web::get().to(recycle_bin::handle)),
        ("restore", web::post().to(bin::restore)),
        (
            "batchSaveNickName",
            web::post().to(batch_save_nick_name::handle),
        ),
        (
            "getIsOpenAfterCall",
            web::get().to(is_open_after_call::handle),
        ),
        (
            "updateIsOpenAfterCall",
            web::post().to(update_is_open_after_call::handle),
        ),
        (
            "getCustomerInfoByCall",
            web::get().to(customer_info_by_call::handle),
        ),
        ("getManualTaskList", web::get().to(manual_task_list::handle)),
        (
            "getManualTaskDetail",
            web::get().to(manual_task_detail::handle),
        ),
        ("delManualTask", web::post().to(bin::delete_list)),
        ("delManualTaskDetail", web::post().to(bin::delete_entry)),
        ("restoreManualTask", web::post().to(bin::restore_list)),
        (
            "restoreManualTaskDetail",
            web::post().to(bin::restore_entry),
        ),
        ("addManualTask", web::post().to(add_manual_task::handle)),
        (
            "addManualTaskBeforeAddFriend",
            web::post().to(add_manual_task_before_add_friend::handle),
        ),
    ];
    for (name, handler) in customer_routes {
        route(cfg, &format!("/wechat_api/customer/{name}"), handler);
    }
    route(
        cfg,
        "/wechat_api/message/getRedisMessageRecord",
        web::get().to(redis_message_record::handle),
    );
    cfg.service(
        web::resource("/wechat_api/message/record")
            .app_data(BodyLimit(RECORD_BODY_LIMIT))
            .route(web::post().to(message_record::handle))
            .default_service(web::to(method_not_allowed)),
    );
    for path in [
        "/wechat_api/customer/findcontactbytagAll",
        "/wechat_api/customer/findcontactbytagall",
    ] {
        route(cfg, path, web::get().to(find_contact_by_tag::handle));
    }
    cfg.default_service(web::to(not_found));
}

/// One resource with one route; any other method on its path is a 405 in the envelope.
fn route(cfg: &mut web::ServiceConfig, path: &str, route: Route) {
    cfg.service(
        web::resource(path)
            .route(route)
            .default_service(web::to(method_not_allowed)),
    );
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    tracing::debug!(path = req.path(), method = %req.method(), "no such route");
    Err(ApiError::NoRoute)
}

async fn method_not_allowed(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    tracing::debug!(path = req.path(), method = %req.method(), "method not allowed");
    Err(ApiError::MethodNotAllowed)
}
