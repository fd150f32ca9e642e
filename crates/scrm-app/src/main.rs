//! The `scrm` binary: `serve`, `migrate`, `import FILE`, `seed`, `passwd LOGIN`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use scrm_app::{Config, ImportDocument, Initial, StoreKind, seed};

#[derive(Parser)]
#[command(
    name = "scrm",
    version,
    about = "The customer query module of a WeChat social-CRM"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API on SCRM_BIND (with MariaDB: migrates first).
    Serve {
        /// `mysql` (MariaDB + Redis) or `memory` (no servers; demo data unless --import).
        #[arg(long)]
        store: Option<StoreKind>,
        /// Load this import document at start, all or nothing.
        #[arg(long, value_name = "FILE")]
        import: Option<PathBuf>,
    },
    /// Create the database when missing and apply pending migrations.
    Migrate,
    /// Load an import document (docs/fixtures.md), all or nothing.
    Import {
        /// The JSON document.
        file: PathBuf,
    },
    /// Set an account's password, read from the first line of standard input, and end every
    /// session of the account: `printf '%s\n' 'new-password' | scrm passwd demo_admin`.
    Passwd {
        /// The account's login name.
        login_name: String,
    },
    /// Load deterministic demo data (idempotent) and print the demo logins.
    Seed {
        /// Number of tenants.
        #[arg(long, default_value_t = 2)]
        tenants: usize,
        /// Contacts per tenant.
        #[arg(long, default_value_t = 60)]
        contacts: usize,
    },
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    scrm_app::init_logging(&config);
    match cli.command {
        Command::Serve { store, import } => {
            let mut config = config;
            if let Some(store) = store {
                config.store = store;
            }
            let initial = match import {
                Some(file) => Initial::Document(Box::new(read_document(&file)?)),
                None if config.store == StoreKind::Memory => Initial::Demo,
                None => Initial::Nothing,
            };
            let listener = TcpListener::bind(&config.bind)
                .with_context(|| format!("binding {}", config.bind))?;
            tracing::info!(bind = %config.bind, store = ?config.store, "serving");
            scrm_app::build(&config, initial, listener).await?.await?;
        }
        Command::Migrate => {
            scrm_app::migrate(&config).await?;
            println!(
                "migrations applied to {}",
                scrm_app::redact(&config.database_url)
            );
        }
        Command::Import { file } => {
            let doc = read_document(&file)?;
            let summary = scrm_app::import(&config, doc).await?;
            println!(
                "imported {} rows and {} new messages",
                summary.rows, summary.messages_new
            );
        }
        Command::Passwd { login_name } => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("reading the new password from standard input")?;
            let password = line.trim_end_matches(['\r', '\n']);
            let id = scrm_app::change_password(&config, &login_name, password).await?;
            println!(
                "password of {login_name} (account {}) changed; its sessions are ended",
                id.0
            );
        }
        Command::Seed { tenants, contacts } => {
            let doc = seed::document(seed::SeedSize {
                tenants,
                contacts_per_tenant: contacts,
            });
            let logins: Vec<String> = doc
                .admin_users
                .iter()
                .filter_map(|a| a.login_name.clone())
                .collect();
            let summary = scrm_app::import(&config, doc).await?;
            println!(
                "seeded {} rows and {} new messages",
                summary.rows, summary.messages_new
            );
            println!("demo logins (password {}):", seed::DEMO_PASSWORD);
            for login in logins {
                println!("  {login}");
            }
        }
    }
    Ok(())
}

fn read_document(file: &Path) -> anyhow::Result<ImportDocument> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    scrm_app::parse_document(&text)
}
