//! The scrm application: configuration, wiring of the adapters into the domain services, and
//! the commands of the `scrm` binary. `build` starts the real server on any listener, so tests
//! run it on port 0.

pub mod config;
pub mod hasher;
pub mod index_check;
pub mod pinyin;
pub mod seed;
pub mod stores;

use std::net::TcpListener;

use actix_web::{App, HttpServer, web};
use anyhow::Context;

pub use config::{Config, StoreKind};
pub use scrm_domain::import::{ImportDocument, ImportSummary};
pub use stores::Stores;

/// Creates the database when missing and applies pending migrations.
///
/// # Errors
/// When MariaDB cannot be reached or a migration fails.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    scrm_mysql::migrate(&config.database_url)
        .await
        .with_context(|| format!("migrating {}", redact(&config.database_url)))
}

/// `scrm refresh`: migrates, then recomputes what scrm derives from its customers (phone
/// digits, name and phone grams, pinyin spellings, per-account counts) for every customer or
/// one tenant's, after customers were written outside scrm.
///
/// # Errors
/// When the store is `memory` (it has nothing derived to refresh), MariaDB cannot be reached
/// or a statement fails (running it again finishes the rest).
pub async fn refresh(
    config: &Config,
    tenant: Option<scrm_domain::AdminUserId>,
) -> anyhow::Result<scrm_mysql::Refreshed> {
    if config.store == StoreKind::Memory {
        anyhow::bail!("the memory store derives nothing it could lose: nothing to refresh");
    }
    migrate(config).await?;
    scrm_mysql::refresh_derived(&config.database_url, tenant.map(|t| t.0))
        .await
        .with_context(|| format!("refreshing {}", redact(&config.database_url)))
}

/// Loads a document into the stores (pinyin filled in where absent), all or nothing.
///
/// # Errors
/// When the document is invalid (the message names the record) or a store fails.
pub async fn load(
    config: &Config,
    stores: &Stores,
    mut doc: ImportDocument,
) -> anyhow::Result<ImportSummary> {
    pinyin::fill(&mut doc);
    Ok(stores.import_service(config).import(&doc).await?)
}

/// `scrm import`: migrates, then loads a document into MariaDB and Redis, all or nothing.
///
/// # Errors
/// When the store is `memory` (nothing would outlive the command), the document is invalid,
/// or a store fails.
pub async fn import(config: &Config, doc: ImportDocument) -> anyhow::Result<ImportSummary> {
    if config.store == StoreKind::Memory {
        anyhow::bail!(
            "importing into the memory store outlives nothing: use `scrm serve --store memory --import FILE`"
        );
    }
    migrate(config).await?;
    load(config, &Stores::new(config)?, doc).await
}

/// `scrm passwd`: sets the password of the account with this login name and ends every
/// session of that account (in Redis), so the old password's sessions are logged out.
///
/// # Errors
/// When the store is `memory`, the password is too short or too long, the login name is
/// unknown, or a store fails (the message says which; running it again finishes the change).
pub async fn change_password(
    config: &Config,
    login_name: &str,
    password: &str,
) -> anyhow::Result<scrm_domain::AdminUserId> {
    if config.store == StoreKind::Memory {
        anyhow::bail!("the memory store lives only inside `scrm serve`: nothing to change");
    }
    let stores = Stores::new(config)?;
    stores
        .auth_service()
        .change_password(login_name, password)
        .await
        .with_context(|| format!("changing the password of {login_name:?}"))
}

/// Parses an import document, naming the line and column of a syntax or type error.
///
/// # Errors
/// When the text is not an import document.
pub fn parse_document(text: &str) -> anyhow::Result<ImportDocument> {
    serde_json::from_str(text).context("the import document is not valid")
}

/// Opens the configured stores. For `mysql` it migrates first, retrying in the background
/// while MariaDB is down, so the server still starts and recovers by itself.
///
/// # Errors
/// When a URL cannot be read.
pub async fn open_stores(config: &Config) -> anyhow::Result<Stores> {
    if config.store == StoreKind::MySql
        && let Err(err) = migrate(config).await
    {
        tracing::warn!(
            error = format!("{err:#}"),
            "migrations not applied yet; retrying in the background"
        );
        let config = config.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                if migrate(&config).await.is_ok() {
                    tracing::info!("migrations applied");
                    break;
                }
            }
        });
    }
    Stores::new(config)
}

/// Serves the API over `stores` on `listener`, behind the middleware of `scrm_http::harden`
/// (request ids and one access log line per request, security headers, CORS for
/// `config.cors_origins`, the query-string limit), and the web console (`scrm_console`) on
/// the paths the API leaves free (`/`, its client-side routes and `/assets/`).
///
/// # Errors
/// When the listener cannot be used.
pub fn serve(
    config: &Config,
    stores: &Stores,
    listener: TcpListener,
) -> anyhow::Result<actix_web::dev::Server> {
    serve_warmed(config, stores, listener, 0)
}

/// The worker threads: one per CPU the process may use.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// `serve`, each worker first opening `warm / workers` connections of each pool of its own
/// (the pools keep one pool per thread: `scrm_mysql::DbPool`, `scrm_redis::RedisPool`).
fn serve_warmed(
    config: &Config,
    stores: &Stores,
    listener: TcpListener,
    warm: usize,
) -> anyhow::Result<actix_web::dev::Server> {
    let state = web::Data::new(stores.app_state(config));
    let cors_origins = config.cors_origins.clone();
    let request_timeout = config.request_timeout;
    let workers = workers();
    let per_worker = warm.div_ceil(workers);
    let warming = stores.clone();
    let server = HttpServer::new(move || {
        // Called on each worker's thread, in its runtime: the connections opened here are
        // that worker's.
        if per_worker > 0 {
            let warming = warming.clone();
            actix_web::rt::spawn(async move {
                let (db, redis) = warming.warm_up(per_worker).await;
                tracing::debug!(
                    db,
                    redis,
                    "a worker's connections opened ahead of its requests"
                );
            });
        }
        scrm_http::harden(App::new(), &cors_origins, request_timeout)
            .configure(|cfg| scrm_http::configure(cfg, state.clone()))
            .configure(scrm_console::configure)
            .default_service(web::to(console_or_not_found))
    })
    .workers(workers)
    .shutdown_timeout(10)
    .listen(listener)
    .context("listening")?
    .run();
    Ok(server)
}

/// The default service: the console's page for an unknown client-side route, else the API's
/// JSON 404 (`scrm_console::is_page_request` decides; see its module docs).
async fn console_or_not_found(
    req: actix_web::HttpRequest,
) -> Result<actix_web::HttpResponse, scrm_http::error::ApiError> {
    if scrm_console::is_page_request(&req) {
        Ok(scrm_console::page(&req))
    } else {
        Err(scrm_http::error::ApiError::NoRoute)
    }
}

/// Connections of each pool `build` opens ahead of the first requests, shared out over the
/// workers (each opens its share on its own thread).
pub const WARM_CONNECTIONS: usize = 8;

/// What a server starts with.
pub enum Initial {
    /// The stores as they are (for `memory`: empty).
    Nothing,
    /// The deterministic demo data of `scrm seed`.
    Demo,
    /// An import document, all or nothing.
    Document(Box<ImportDocument>),
}

/// Opens the stores, loads `initial`, and serves on `listener`: what `scrm serve` runs, and
/// what the black-box tests start on port 0. In the background, each worker opens its share of
/// [`WARM_CONNECTIONS`] and the biggest tenants are loaded into the customer index
/// (`Stores::warm_index`).
///
/// # Errors
/// When the stores cannot be opened, the initial data cannot be loaded, or the listener
/// cannot be used.
pub async fn build(
    config: &Config,
    initial: Initial,
    listener: TcpListener,
) -> anyhow::Result<actix_web::dev::Server> {
    let stores = open_stores(config).await?;
    match initial {
        Initial::Nothing => {}
        Initial::Demo => {
            let summary = load(config, &stores, seed::document(seed::SeedSize::default())).await?;
            tracing::info!(rows = summary.rows, "demo data loaded");
        }
        Initial::Document(doc) => {
            let summary = load(config, &stores, *doc).await?;
            tracing::info!(rows = summary.rows, "import document loaded");
        }
    }
    // The biggest tenants into the customer index, beside the requests (SQL answers them
    // until a tenant is loaded).
    let warming = stores.clone();
    let warm_config = config.clone();
    tokio::spawn(async move { warming.warm_index(&warm_config).await });
    serve_warmed(config, &stores, listener, WARM_CONNECTIONS)
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Sets up logging: `RUST_LOG` filters (default `info`), JSON lines when configured. Each
/// line logged while serving a request shows its `request` span (`request_id`, `method`,
/// `path`): in text as `request{request_id=".." method=GET path=".."}:`, in JSON under `span` and `spans`. Records
/// of the `log` crate (actix-server's) are forwarded into the same output.
pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only for a terminal: a log file gets plain text (and each request's span
    // fields are formatted without escape codes).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = if config.json_logs {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("mysql://root:secret@db:3306/scrm"),
            "mysql://root:***@db:3306/scrm"
        );
        assert_eq!(redact("mysql://root@db/scrm"), "mysql://root@db/scrm");
    }

    #[test]
    fn the_example_document_parses_and_bad_ones_say_where() {
        let doc = parse_document(include_str!("../../../docs/examples/import.json")).unwrap();
        assert_eq!(doc.customers.len(), 1);
        let err = parse_document(r#"{"customers":[{"id":"x"}]}"#).unwrap_err();
        assert!(format!("{err:#}").contains("line 1"), "{err:#}");
    }
}
