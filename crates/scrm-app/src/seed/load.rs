//! Running a seed at scale: check the tables are empty (before migrating: a database holding
//! data is left as it is), migrate, stream the generated rows
//! into MariaDB (`LOAD DATA LOCAL INFILE`, one connection per table, while generating) under
//! a progress bar, then the chat messages into Redis. `--dump-dir` writes the same rows to
//! files instead, with the `LOAD DATA` statements that load them (`load.sql`), so a plain
//! `LOAD DATA LOCAL INFILE` of the same rows can be timed against the seed.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use scrm_domain::message::ChatMessage;
use scrm_mysql::bulk::{self, Loader, tables};

use super::scale::{Generated, Generator, ScaleSize, Sink, password_hash};
use crate::{Config, Stores, migrate, redact};

/// Messages per `append` call.
const MESSAGE_BATCH: usize = 5_000;

/// What a seed at scale did and how long it took.
#[derive(Debug)]
pub struct Report {
    pub generated: Generated,
    /// Generating, loading and indexing the MariaDB rows (migrations excluded).
    pub mysql: Duration,
    /// Messages stored in Redis (0 when dumping).
    pub messages: u64,
    pub redis: Duration,
}

fn progress_bar(customers: u64) -> ProgressBar {
    let bar = ProgressBar::new(customers);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:40}] {human_pos}/{human_len} customers ({per_sec}, {eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("generating and loading");
    bar
}

/// Seeds `size` into the configured MariaDB (its tables must be empty) and Redis.
///
/// # Errors
/// When a table already holds rows, a store cannot be reached, or a load fails.
pub async fn seed(config: &Config, size: ScaleSize) -> anyhow::Result<Report> {
    let url = &config.database_url;
    bulk::ensure_empty(url)
        .await
        .with_context(|| format!("checking {}", redact(url)))?;
    migrate(config).await?;
    let hash = password_hash()?;
    let started = Instant::now();
    let mut sink = Sink::Load(
        Loader::start(url, &tables::ALL)
            .await
            .with_context(|| format!("connecting to {}", redact(url)))?,
    );
    let bar = progress_bar(size.customers);
    let mut messages: Vec<ChatMessage> = Vec::new();
    let generated = Generator::new(&mut sink, hash)
        .run(
            size,
            |n| bar.inc(n),
            async |m: Vec<ChatMessage>| {
                messages.extend(m);
                Ok(())
            },
        )
        .await;
    let Sink::Load(loader) = sink else {
        unreachable!("the sink was built as a load")
    };
    bar.set_message("committing and building indexes");
    // A failed load also stops the generator: report the load's own error first.
    loader.finish().await.context("loading the seed")?;
    let generated = generated?;
    bar.finish_with_message("counting and analyzing");
    bulk::after_load(url).await?;
    let mysql = started.elapsed();
    let started = Instant::now();
    let stores = Stores::new(config)?;
    let mut stored = 0;
    for batch in messages.chunks(MESSAGE_BATCH) {
        stored += stores
            .messages
            .append(batch)
            .await
            .context("storing chat messages in Redis")?;
    }
    Ok(Report {
        generated,
        mysql,
        messages: stored,
        redis: started.elapsed(),
    })
}

/// Writes the rows of `size` to `<dir>/<table>.tsv` and the statements loading them to
/// `<dir>/load.sql` (`mariadb --local-infile=1 DB < load.sql`).
///
/// # Errors
/// When a file cannot be written.
pub async fn dump(size: ScaleSize, dir: PathBuf) -> anyhow::Result<Generated> {
    let mut sink = Sink::files(dir.clone())?;
    let generated = Generator::new(&mut sink, password_hash()?)
        .run(size, |_| {}, async |_| Ok(()))
        .await?;
    drop(sink);
    let statements: Vec<String> = tables::ALL
        .iter()
        .map(|spec| {
            let file = dir.join(format!("{}.tsv", spec.table));
            format!("{};\n", bulk::load_statement(spec, &file.to_string_lossy()))
        })
        .collect();
    let path = dir.join("load.sql");
    std::fs::write(&path, statements.concat())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(generated)
}
