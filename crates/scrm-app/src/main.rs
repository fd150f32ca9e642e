//! The `scrm` binary: `serve`, `migrate`, `import FILE`, `seed`.

use std::net::TcpListener;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use scrm_app::{Config, seed};

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
    /// Serve the API on SCRM_BIND (migrates first).
    Serve,
    /// Create the database when missing and apply pending migrations.
    Migrate,
    /// Load an import document (docs/fixtures.md), all or nothing.
    Import {
        /// The JSON document.
        file: PathBuf,
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
        Command::Serve => {
            let listener = TcpListener::bind(&config.bind)
                .with_context(|| format!("binding {}", config.bind))?;
            tracing::info!(bind = %config.bind, "serving");
            scrm_app::build(&config, listener).await?.await?;
        }
        Command::Migrate => {
            scrm_app::migrate(&config).await?;
            println!(
                "migrations applied to {}",
                scrm_app::redact(&config.database_url)
            );
        }
        Command::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let doc = scrm_app::parse_document(&text)?;
            let summary = scrm_app::import(&config, doc).await?;
            println!(
                "imported {} rows and {} new messages",
                summary.rows, summary.messages_new
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
