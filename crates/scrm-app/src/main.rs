//! The `scrm` binary: `serve`, `migrate`, `import FILE`, `seed`, `passwd LOGIN`,
//! `index check [--tenant ID]`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use scrm_app::{Config, ImportDocument, Initial, StoreKind, seed};

/// mimalloc instead of glibc's malloc: a request allocates some hundreds of small blocks (rows,
/// JSON, headers) on one worker thread and frees them there; glibc's free and malloc (with
/// arena consolidation) were about 30 % of the instructions of a call pop-up, mimalloc's
/// thread-local free lists cost a fraction of that (docs/benchmarks.md, "Per request").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "scrm",
    version,
    about = "The customer query module of a WeChat social-CRM"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    config: Config,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API on SCRM_BIND (with MariaDB: migrates first).
    Serve {
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
    /// Load deterministic demo data (idempotent) and print the demo logins; with
    /// `--customers N`, a seed at scale into empty tables instead (docs/benchmarks.md).
    Seed {
        /// Number of tenants.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
        tenants: u32,
        /// Contacts per tenant of the demo data.
        #[arg(long, default_value_t = 60, conflicts_with = "customers")]
        contacts: usize,
        /// Seed at scale: this many customers over all tenants, 30 % of them in the first,
        /// bulk-loaded into empty tables, with their chat messages in Redis.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
        customers: Option<u64>,
        /// With --customers: write the rows to DIR/<table>.tsv and DIR/load.sql instead of
        /// loading them (to time a plain LOAD DATA of the same rows).
        #[arg(long, value_name = "DIR", requires = "customers")]
        dump_dir: Option<PathBuf>,
    },
    /// Recompute what scrm derives from its customers (phone digits, name and phone grams,
    /// pinyin spellings, per-account counts) after customers were written outside scrm, e.g. by
    /// hand-typed SQL (docs/architecture.md, "Writes outside scrm"). Safe beside a serving scrm.
    Refresh {
        /// Only this tenant (main account id); default: every customer.
        #[arg(long, value_name = "ID")]
        tenant: Option<i64>,
    },
    /// The customer index (docs/architecture.md, "The customer index").
    Index {
        #[command(subcommand)]
        command: IndexCommand,
    },
}

#[derive(Subcommand)]
enum IndexCommand {
    /// Load the index and compare its counts and first pages with SQL for a set of filters
    /// in every scope; print the differences and fail when there is one.
    Check {
        /// Only this tenant (main account id); default: every tenant.
        #[arg(long, value_name = "ID")]
        tenant: Option<i64>,
    },
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let Cli { command, config } = scrm_app::config::parse();
    scrm_app::init_logging(&config);
    match command {
        Command::Serve { import } => {
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
        Command::Seed {
            tenants,
            contacts,
            customers,
            dump_dir,
        } => match (customers, dump_dir) {
            (Some(customers), Some(dir)) => {
                let size = seed::scale::ScaleSize { customers, tenants };
                let generated = seed::load::dump(size, dir.clone()).await?;
                println!("wrote {:?} to {}", generated.rows, dir.display());
            }
            (Some(customers), None) => {
                let size = seed::scale::ScaleSize { customers, tenants };
                let report = seed::load::seed(&config, size).await?;
                print_scale_report(&report);
            }
            (None, _) => seed_demo(&config, tenants, contacts).await?,
        },
        Command::Refresh { tenant } => {
            let done = scrm_app::refresh(&config, tenant.map(scrm_domain::AdminUserId)).await?;
            println!(
                "customers refreshed: {} (phone digits corrected: {}, grams or spellings \
                 rewritten: {}); customers gone whose derived rows were deleted: {}; accounts \
                 recounted: {} (corrected: {})",
                done.customers,
                done.phone_digits_fixed,
                done.derived_fixed,
                done.gone,
                done.accounts,
                done.counts_fixed
            );
        }
        Command::Index {
            command: IndexCommand::Check { tenant },
        } => {
            let report =
                scrm_app::index_check::run(&config, tenant.map(scrm_domain::AdminUserId)).await?;
            for d in &report.differences {
                println!("DIFFERENT {d}");
            }
            println!(
                "{} tenants, {} comparisons ({} declined by the index), {} differences",
                report.tenants,
                report.cases,
                report.declined,
                report.differences.len()
            );
            if !report.is_clean() {
                std::process::exit(1);
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

async fn seed_demo(config: &Config, tenants: u32, contacts: usize) -> anyhow::Result<()> {
    let doc = seed::document(seed::SeedSize {
        tenants: usize::try_from(tenants)?,
        contacts_per_tenant: contacts,
    });
    let logins: Vec<String> = doc
        .admin_users
        .iter()
        .filter_map(|a| a.login_name.clone())
        .collect();
    let summary = scrm_app::import(config, doc).await?;
    println!(
        "seeded {} rows and {} new messages",
        summary.rows, summary.messages_new
    );
    println!("demo logins (password {}):", seed::DEMO_PASSWORD);
    for login in logins {
        println!("  {login}");
    }
    Ok(())
}

fn print_scale_report(report: &seed::load::Report) {
    let g = &report.generated;
    for (table, rows) in &g.rows {
        println!("  {table}: {rows} rows");
    }
    println!(
        "MariaDB rows generated, loaded and indexed in {:.1} s; {} chat messages stored in Redis in {:.1} s",
        report.mysql.as_secs_f64(),
        report.messages,
        report.redis.as_secs_f64()
    );
    println!(
        "logins (password {}): big tenant main account {}, one of its sub-accounts {}",
        seed::DEMO_PASSWORD,
        g.big_main,
        g.big_sub
    );
}
