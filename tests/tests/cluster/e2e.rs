//! The black-box end-to-end suite (the `e2e` test binary of this crate) on the clusters: its
//! servers on Galera node 1, its direct reads and writes (fixtures, imports, checks in SQL)
//! through node 3, its keys on the Redis Cluster. The binary runs as a child process with
//! the harness's variables (`scrm_e2e` says which), its MariaDB tests only (`memory::` ones
//! have no cluster to run on).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use crate::cluster::Cluster;

/// Tests of the suite at once: the 2 cores also run 3 Galera nodes and 6 Redis nodes.
const THREADS: usize = 3;

/// The store timeout of the suite's servers: a read on node 1 waits (`wsrep_sync_wait`)
/// until the node has applied what the cluster committed before it, which behind another
/// test's import of 2,345 customers through node 3 took over the default 2 s.
const STORE_TIMEOUT_MS: u64 = 10_000;

/// The `e2e` binary as `cargo test --workspace` builds it (built when it is not: a no-op in
/// `make test`, which built every test binary of the workspace before running any). Not
/// `--package scrm-e2e`: cargo unifies the features of the workspace's crates differently
/// then, and would build them all again apart.
fn e2e_binary() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "test",
            "--offline",
            "--workspace",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo test --no-run");
    assert!(
        out.status.success(),
        "building the e2e binary failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter(|m| m["target"]["name"] == "e2e" && m["target"]["kind"][0] == "test")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the e2e binary")
}

/// Runs the suite's MariaDB tests on the clusters; fails with the names and output of the
/// tests that failed.
pub fn the_end_to_end_suite_passes_on_the_clusters(cluster: &Cluster) {
    let binary = e2e_binary();
    let started = Instant::now();
    let out = scrm_test_support::ends_with_spawning_thread(&binary)
        .args(["--skip", "memory::", "--test-threads", &THREADS.to_string()])
        .env("SCRM_TEST_MYSQL_URL", cluster.galera_server(1))
        .env("SCRM_TEST_MYSQL_READ_URL", cluster.galera_server(3))
        .env(
            "SCRM_TEST_REDIS_CLUSTER_NODES",
            cluster.var("SCRM_REDIS_CLUSTER_NODES"),
        )
        .env("SCRM_TEST_STORE_TIMEOUT_MS", STORE_TIMEOUT_MS.to_string())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run the e2e binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = stdout
        .lines()
        .rfind(|l| l.starts_with("test result:"))
        .unwrap_or("no summary");
    eprintln!(
        "e2e suite on the clusters ({THREADS} threads): {summary} in {:?}",
        started.elapsed()
    );
    let failed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .collect();
    assert!(
        out.status.success() && failed.is_empty(),
        "the e2e suite failed on the clusters: {failed:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
