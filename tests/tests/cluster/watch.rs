//! The clean-up of `scripts/cluster.sh` when the test run that brought a cluster up ends
//! without taking it down (killed): the watcher `up` leaves behind, and `reap`. Both run on a
//! folder laid out as `up` lays it out, whose "nodes" are `sleep` processes: what is checked
//! is that the script stops every pid its nodes recorded and removes the folder, and only
//! when their owner is gone.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::cluster::script;

/// A stand-in node: a `sleep` whose pid is written where `up` writes a node's, waited for on a
/// thread of its own (so that once stopped it is gone, not a zombie `kill -0` still finds).
struct StandIn {
    pid: u32,
    exited: JoinHandle<ExitStatus>,
}

/// A `sleep` that goes with this test's thread, so that a test failing half-way leaves none.
fn sleeper() -> Child {
    scrm_test_support::ends_with_spawning_thread("sleep")
        .arg("300")
        .spawn()
        .expect("spawn sleep")
}

/// Kills `process` and waits for it, so that it is gone, not a zombie.
fn end(process: &mut Child) {
    process.kill().expect("kill it");
    process.wait().expect("reap it");
}

fn stand_in(pid_file: &Path) -> StandIn {
    std::fs::create_dir_all(pid_file.parent().expect("a node folder")).expect("node folder");
    let mut child = sleeper();
    let pid = child.id();
    std::fs::write(pid_file, pid.to_string()).expect("write the node's pid");
    StandIn {
        pid,
        exited: std::thread::spawn(move || child.wait().expect("wait for the stand-in")),
    }
}

/// A folder in `parent` named as the cluster test names its own, with a Galera node and a
/// Redis node.
fn fake_cluster(parent: &Path, owner: u32) -> (PathBuf, Vec<StandIn>) {
    let dir = parent.join(format!("scrm-cl{owner}"));
    let nodes = vec![
        stand_in(&dir.join("galera1/pid")),
        stand_in(&dir.join("redis4/redis.pid")),
    ];
    std::fs::write(dir.join("owner"), owner.to_string()).expect("write the owner");
    (dir, nodes)
}

fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Every stand-in was stopped by a signal, and the folder is gone.
fn assert_taken_down(dir: &Path, nodes: Vec<StandIn>) {
    for node in nodes {
        let pid = node.pid;
        let status = node.exited.join().expect("the stand-in's thread");
        assert!(!status.success(), "node {pid} ended by itself: {status}");
    }
    assert!(!dir.exists(), "{} is still there", dir.display());
}

/// `scripts/cluster.sh watch` on `dir` for `owner`, as `up` starts it (`up`: the pid of the
/// `up` that started it).
fn watcher(dir: &Path, owner: &Child, up: Option<&Child>) -> Child {
    let mut args = vec!["watch".to_owned(), owner.id().to_string()];
    args.extend(up.map(|u| u.id().to_string()));
    Command::new(script())
        .args(args)
        .env("SCRM_CLUSTER_DIR", dir)
        .stdout(Stdio::null())
        .spawn()
        .expect("run scripts/cluster.sh watch")
}

/// Waits for the watcher to end (a minute at most), and for its success.
fn assert_watcher_ends(watcher: &mut Child) {
    let started = Instant::now();
    let status = loop {
        if let Some(status) = watcher.try_wait().expect("the watcher") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the watcher did not end after its owner"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "the watcher failed: {status}");
}

/// A folder of this test's, removed when dropped (also when the test fails).
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("scrm-watch-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    Scratch(dir)
}

#[test]
fn the_watcher_takes_the_cluster_down_once_its_owner_is_killed() {
    let parent = scratch("watch");
    let mut owner = sleeper();
    let (dir, nodes) = fake_cluster(&parent, owner.id());
    let mut watcher = watcher(&dir, &owner, None);

    // While the owner runs, nothing is touched.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(watcher.try_wait().expect("the watcher").is_none());
    assert!(nodes.iter().all(|n| alive(n.pid)), "a node was stopped");
    assert!(dir.join("owner").exists());

    end(&mut owner);
    assert_watcher_ends(&mut watcher);
    assert_taken_down(&dir, nodes);
}

#[test]
fn the_watcher_waits_for_the_up_that_started_it() {
    let parent = scratch("up");
    let mut owner = sleeper();
    // The `up` still bringing nodes up when its owner is killed.
    let mut up = sleeper();
    let (dir, nodes) = fake_cluster(&parent, owner.id());
    let mut watcher = watcher(&dir, &owner, Some(&up));
    end(&mut owner);

    // A node `up` starts after the folder went would run for good: nothing is taken down yet.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(watcher.try_wait().expect("the watcher").is_none());
    assert!(nodes.iter().all(|n| alive(n.pid)), "a node was stopped");

    end(&mut up);
    assert_watcher_ends(&mut watcher);
    assert_taken_down(&dir, nodes);
}

#[test]
fn the_watcher_ends_quietly_when_its_owner_took_the_cluster_down() {
    let parent = scratch("down");
    let mut owner = sleeper();
    let (dir, nodes) = fake_cluster(&parent, owner.id());
    let mut watcher = watcher(&dir, &owner, None);
    let down = Command::new(script())
        .arg("down")
        .env("SCRM_CLUSTER_DIR", &dir)
        .output()
        .expect("run scripts/cluster.sh down");
    assert!(down.status.success(), "down failed: {down:?}");
    assert_taken_down(&dir, nodes);
    let status = watcher.wait().expect("the watcher");
    assert!(status.success(), "the watcher failed: {status}");
    // Its owner still runs: the watcher left because the folder went, not the owner.
    assert!(owner.try_wait().expect("the owner").is_none());
    end(&mut owner);
}

#[test]
fn up_refuses_an_owner_that_is_not_running_and_touches_nothing() {
    let parent = scratch("dead");
    let mut owner = sleeper();
    let pid = owner.id().to_string();
    end(&mut owner);
    let dir = parent.join("scrm-cl-never");
    let out = Command::new(script())
        .arg("up")
        .env("SCRM_CLUSTER_DIR", &dir)
        .env("SCRM_CLUSTER_OWNER", &pid)
        .output()
        .expect("run scripts/cluster.sh up");
    assert!(!out.status.success(), "up took a gone owner: {out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(&format!(
            "SCRM_CLUSTER_OWNER={pid} is not a running process"
        )),
        "{said}"
    );
    assert!(!dir.exists(), "up made {}", dir.display());
}

/// `scripts/cluster.sh reap` over the folders in `parent`; panics when it fails.
fn reap(parent: &Path) {
    let out = Command::new(script())
        .arg("reap")
        .env("TMPDIR", parent)
        .output()
        .expect("run scripts/cluster.sh reap");
    assert!(out.status.success(), "reap failed: {out:?}");
}

#[test]
fn reap_takes_down_the_clusters_whose_owner_is_gone_and_only_those() {
    let parent = scratch("reap");
    let mut gone = sleeper();
    let mut running = sleeper();
    let (gone_dir, gone_nodes) = fake_cluster(&parent, gone.id());
    let (running_dir, running_nodes) = fake_cluster(&parent, running.id());
    end(&mut gone);

    reap(&parent);
    assert_taken_down(&gone_dir, gone_nodes);
    assert!(
        running_dir.join("owner").exists(),
        "a live owner's cluster was reaped"
    );
    assert!(running_nodes.iter().all(|n| alive(n.pid)));

    end(&mut running);
    reap(&parent);
    assert_taken_down(&running_dir, running_nodes);
}
