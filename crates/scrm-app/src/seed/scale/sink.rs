//! Where the seed at scale's chunks go: MariaDB while generating, files, or memory.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use bytes::Bytes;
use scrm_mysql::bulk::{Loader, TableSpec, tables};

/// Where generated chunks go.
pub enum Sink {
    /// Into MariaDB, while generating.
    Load(Loader),
    /// Into `<dir>/<table>.tsv` (for a `LOAD DATA` of the same rows to compare with).
    Files(BTreeMap<&'static str, std::fs::File>, PathBuf),
    /// Kept in memory (tests).
    Memory(BTreeMap<&'static str, Vec<u8>>),
}

impl Sink {
    /// Files under `dir` (created), one per table.
    ///
    /// # Errors
    /// When a file cannot be created.
    pub fn files(dir: PathBuf) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut files = BTreeMap::new();
        for spec in tables::ALL {
            let path = dir.join(format!("{}.tsv", spec.table));
            let file = std::fs::File::create(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            files.insert(spec.table, file);
        }
        Ok(Self::Files(files, dir))
    }

    pub(super) async fn send(&mut self, spec: TableSpec, chunk: Bytes) -> anyhow::Result<()> {
        match self {
            Self::Load(loader) => loader.send(spec.table, chunk).await?,
            Self::Files(files, dir) => {
                use std::io::Write as _;
                if let Some(f) = files.get_mut(spec.table) {
                    f.write_all(&chunk)
                        .with_context(|| format!("writing {}", dir.display()))?;
                }
            }
            Self::Memory(m) => m.entry(spec.table).or_default().extend_from_slice(&chunk),
        }
        Ok(())
    }
}
