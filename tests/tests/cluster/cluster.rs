//! The clusters of `scripts/cluster.sh`, in a folder of this test run, taken down on drop.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A running pair of clusters and the addresses `cluster.env` gives.
pub struct Cluster {
    dir: PathBuf,
    env: HashMap<String, String>,
}

pub fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/cluster.sh")
}

impl Cluster {
    /// `scripts/cluster.sh up` in a fresh folder; panics with its output when it fails.
    pub fn up() -> Self {
        let dir = std::env::temp_dir().join(format!("scrm-cl{}", std::process::id()));
        let started = Instant::now();
        let out = Command::new(script())
            .arg("up")
            .env("SCRM_CLUSTER_DIR", &dir)
            // Taken down by the script's watcher should this process be killed before `Drop`.
            .env("SCRM_CLUSTER_OWNER", std::process::id().to_string())
            .output()
            .expect("run scripts/cluster.sh");
        // Take down whatever came up, even when the script failed half-way.
        let mut cluster = Self {
            dir,
            env: HashMap::new(),
        };
        assert!(
            out.status.success(),
            "scripts/cluster.sh up failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("scripts/cluster.sh up took {:?}", started.elapsed());
        let text = std::fs::read_to_string(cluster.dir.join("cluster.env")).expect("cluster.env");
        cluster.env = text
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        cluster
    }

    /// A value of `cluster.env`.
    pub fn var(&self, name: &str) -> &str {
        self.env
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in cluster.env"))
    }

    /// The URL of database `db` through Galera node `node` (1..=3).
    pub fn galera_url(&self, node: u8, db: &str) -> String {
        self.var(&format!("SCRM_GALERA_URL_{node}"))
            .replace("/scrm?", &format!("/{db}?"))
    }

    /// The URL of Galera node `node` without a database (a server URL, as
    /// `SCRM_TEST_MYSQL_URL` takes it).
    pub fn galera_server(&self, node: u8) -> String {
        self.var(&format!("SCRM_GALERA_URL_{node}"))
            .replace("/scrm?", "?")
    }

    /// The six Redis nodes, `host:port` (`SCRM_REDIS_CLUSTER_NODES`).
    pub fn redis_nodes(&self) -> Vec<String> {
        self.var("SCRM_REDIS_CLUSTER_NODES")
            .split(',')
            .map(str::to_owned)
            .collect()
    }

    /// The port of Redis node `i` (1..=6).
    pub fn redis_port(&self, i: usize) -> u16 {
        self.var("REDIS_PORTS")
            .split(',')
            .nth(i - 1)
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port for redis{i}"))
    }

    /// `scripts/cluster.sh <command> <node>` (`kill`, `start`: `galera1..3`, `redis1..6`) on
    /// a blocking thread, so that the requests of the test go on meanwhile; panics with its
    /// output when it fails.
    pub async fn node(&self, command: &'static str, node: &str) {
        let (dir, node) = (self.dir.clone(), node.to_owned());
        tokio::task::spawn_blocking(move || run(&dir, &[command, &node]))
            .await
            .expect("the script's thread");
    }
}

/// Runs `scripts/cluster.sh` with `args` on the cluster in `dir`; panics when it fails.
fn run(dir: &Path, args: &[&str]) {
    let out = Command::new(script())
        .args(args)
        .env("SCRM_CLUSTER_DIR", dir)
        .output()
        .expect("run scripts/cluster.sh");
    assert!(
        out.status.success(),
        "scripts/cluster.sh {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `redis-cli -p <port> <args>`: its output, trimmed.
pub fn redis_cli(port: u16, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .arg("-p")
        .arg(port.to_string())
        .args(args)
        .output()
        .expect("run redis-cli");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .arg("down")
            .env("SCRM_CLUSTER_DIR", &self.dir)
            .status();
    }
}
