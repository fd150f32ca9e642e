//! The scrm application: configuration, wiring of the adapters into the domain services, and
//! the commands of the `scrm` binary. `build` starts the real server on any listener, so tests
//! run it on port 0.

pub mod config;
pub mod hasher;
pub mod pinyin;
pub mod seed;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::{App, HttpServer, web};
use anyhow::Context;
use scrm_domain::call::CallService;
use scrm_domain::contact::ContactService;
use scrm_domain::customer::CustomerService;
use scrm_domain::import::{ImportService, ImportSummary};
use scrm_domain::manual::ManualEntryService;
use scrm_domain::message::ChatService;
use scrm_domain::session::AuthService;
use scrm_http::AppState;
use scrm_mysql::{MySql, PoolSettings};
use scrm_redis::{RedisFriendRequests, RedisHealth, RedisMessages, RedisSessions, RedisSettings};

pub use config::Config;
pub use scrm_domain::import::ImportDocument;

use crate::hasher::Argon2Hasher;

/// The adapters, built once and shared by every worker.
#[derive(Clone)]
pub struct Stores {
    pub mysql: Arc<MySql>,
    pub redis: scrm_redis::RedisPool,
}

impl Stores {
    /// Builds the pools; opens no connection (the server can start while a store is down).
    ///
    /// # Errors
    /// When a URL cannot be read.
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let settings = PoolSettings {
            wait_timeout: config.store_timeout,
            create_timeout: config.store_timeout,
            recycle_timeout: config.store_timeout,
            ..PoolSettings::default()
        };
        let pool =
            scrm_mysql::build_pool(&config.database_url, &settings).context("SCRM_DATABASE_URL")?;
        let redis = scrm_redis::build_pool(
            &config.redis_url,
            &RedisSettings {
                timeout: config.store_timeout,
                ..RedisSettings::default()
            },
        )
        .context("SCRM_REDIS_URL")?;
        Ok(Self {
            mysql: Arc::new(MySql::new(pool)),
            redis,
        })
    }

    /// The chat message store (with the configured retention).
    fn messages(&self, config: &Config) -> Arc<RedisMessages> {
        Arc::new(RedisMessages::with_cap(
            self.redis.clone(),
            &config.redis_prefix,
            config.chat_max_per_conversation,
        ))
    }

    /// The import use case over these stores.
    pub fn import_service(&self, config: &Config) -> ImportService {
        ImportService::new(
            self.mysql.clone(),
            self.messages(config),
            Arc::new(Argon2Hasher),
            config.zone,
        )
    }

    /// The state the HTTP adapter serves.
    pub fn app_state(&self, config: &Config) -> AppState {
        let sessions = Arc::new(RedisSessions::new(
            self.redis.clone(),
            &config.redis_prefix,
            config.session_ttl.as_secs(),
        ));
        AppState {
            auth: Arc::new(AuthService::new(
                self.mysql.clone(),
                sessions,
                Arc::new(Argon2Hasher),
            )),
            customers: Arc::new(CustomerService::new(self.mysql.clone())),
            contacts: Arc::new(ContactService::new(self.mysql.clone())),
            calls: Arc::new(CallService::new(
                self.mysql.clone(),
                self.mysql.clone(),
                self.mysql.clone(),
            )),
            manual: Arc::new(ManualEntryService::new(
                self.mysql.clone(),
                Arc::new(RedisFriendRequests::new(
                    self.redis.clone(),
                    &config.redis_prefix,
                )),
            )),
            chat: Arc::new(ChatService::new(
                self.mysql.clone(),
                self.mysql.clone(),
                self.messages(config),
            )),
            probes: vec![
                self.mysql.clone(),
                Arc::new(RedisHealth::new(self.redis.clone())),
            ],
            zone: config.zone,
        }
    }
}

/// Creates the database when missing and applies pending migrations.
///
/// # Errors
/// When MariaDB cannot be reached or a migration fails.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    scrm_mysql::migrate(&config.database_url)
        .await
        .with_context(|| format!("migrating {}", redact(&config.database_url)))
}

/// Migrates, then imports a document (pinyin filled in where absent), all or nothing.
///
/// # Errors
/// When the document is invalid (the message names the record) or a store fails.
pub async fn import(config: &Config, mut doc: ImportDocument) -> anyhow::Result<ImportSummary> {
    migrate(config).await?;
    pinyin::fill(&mut doc);
    let stores = Stores::new(config)?;
    let summary = stores.import_service(config).import(&doc).await?;
    Ok(summary)
}

/// Parses an import document, naming the line and column of a syntax or type error.
///
/// # Errors
/// When the text is not an import document.
pub fn parse_document(text: &str) -> anyhow::Result<ImportDocument> {
    serde_json::from_str(text).context("the import document is not valid")
}

/// Starts the server on `listener`: migrates first (retrying in the background while MariaDB
/// is down, so the server still starts and recovers by itself).
///
/// # Errors
/// When the listener cannot be used or the configuration is invalid.
pub async fn build(
    config: &Config,
    listener: TcpListener,
) -> anyhow::Result<actix_web::dev::Server> {
    if let Err(err) = migrate(config).await {
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
    let stores = Stores::new(config)?;
    let state = web::Data::new(stores.app_state(config));
    let server = HttpServer::new(move || {
        App::new()
            .wrap(actix_web::middleware::Logger::new("%a \"%r\" %s %b %Dms"))
            .configure(|cfg| scrm_http::configure(cfg, state.clone()))
    })
    .shutdown_timeout(10)
    .listen(listener)
    .context("listening")?
    .run();
    Ok(server)
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

/// Sets up logging: `RUST_LOG` filters (default `info`), JSON lines when configured.
pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
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
