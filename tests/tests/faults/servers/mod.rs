//! Private store servers, one of each per test and never the shared ones: a `redis-server`
//! and a `mariadbd` on free ports of 127.0.0.1, their files in a directory of their own. A test
//! stops them (SIGTERM), kills them (SIGKILL), pauses them (SIGSTOP, a hung server whose port
//! still accepts connections) and resumes them (SIGCONT) at will, and restarts them on the same
//! port and files. Dropping a server kills it and removes its files.
//!
//! MariaDB's system tables are installed once per machine and version into a template under
//! `CARGO_TARGET_TMPDIR` (about 2 s); each server starts from a copy of it.

mod mariadb;
mod redis;

pub use mariadb::MariaDb;
pub use redis::Redis;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a server may take to answer after it is started.
const START_LIMIT: Duration = Duration::from_secs(30);
/// How long a server may take to exit after SIGTERM before it is killed.
const STOP_LIMIT: Duration = Duration::from_secs(20);

/// A port of 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

/// A directory of its own under the system temp dir (short paths: a Unix socket lives there),
/// removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(kind: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("scrm-f{}-{kind}{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a scratch directory");
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Sends `kill -<sig>` to a process.
fn signal(pid: u32, sig: &str) {
    let status = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{sig} {pid} failed");
}

/// A running server process, killed and reaped on drop; its output goes to `log`.
struct Proc {
    child: Child,
    log: PathBuf,
}

impl Proc {
    fn spawn(command: &mut Command, log: PathBuf) -> Self {
        let out = std::fs::File::create(&log).expect("create a log file");
        let err = out.try_clone().expect("clone the log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
        Self { child, log }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Panics with the log when the process has exited.
    fn assert_alive(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            panic!("the server exited ({status}):\n{log}");
        }
    }

    /// Sends `sig` and waits for the exit (SIGKILL after `STOP_LIMIT`).
    async fn exit(mut self, sig: &str) {
        signal(self.pid(), sig);
        let deadline = Instant::now() + STOP_LIMIT;
        while matches!(self.child.try_wait(), Ok(None)) {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // SIGKILL ends a paused process too.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `ready` every 50 ms until it holds, the process exits, or `START_LIMIT` passes.
async fn wait_ready(proc: &mut Proc, what: &str, ready: impl AsyncFn() -> bool) {
    let deadline = Instant::now() + START_LIMIT;
    loop {
        proc.assert_alive();
        if ready().await {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what} did not start within {START_LIMIT:?}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The first bytes a server sends after a request `hello` (none: it speaks first), within
/// 500 ms.
async fn greeting(port: u16, hello: &[u8]) -> Option<Vec<u8>> {
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
        stream.write_all(hello).await.ok()?;
        let mut buf = vec![0u8; 128];
        let n = stream.read(&mut buf).await.ok()?;
        buf.truncate(n);
        Some(buf)
    };
    tokio::time::timeout(Duration::from_millis(500), exchange)
        .await
        .ok()
        .flatten()
}

/// The handle of a server: its process while it runs. `MariaDb` and `Redis` deref to it for
/// the signals.
pub struct Server {
    port: u16,
    /// Before `dir`: fields drop in order, and the process must be gone before its files go
    /// (a `mariadbd` still running wrote files again into a folder being removed, which then
    /// stayed behind in /tmp).
    proc: Option<Proc>,
    dir: Scratch,
}

impl Server {
    fn new(kind: &str) -> Self {
        Self {
            port: free_port(),
            proc: None,
            dir: Scratch::new(kind),
        }
    }

    fn running(&self) -> &Proc {
        self.proc.as_ref().expect("the server is running")
    }

    async fn exit(&mut self, sig: &str) {
        self.proc
            .take()
            .expect("the server is running")
            .exit(sig)
            .await;
    }

    /// SIGTERM (a clean shutdown), and waits for the exit.
    pub async fn stop(&mut self) {
        self.exit("TERM").await;
    }

    /// SIGKILL (a crash), and waits for the exit.
    pub async fn kill(&mut self) {
        self.exit("KILL").await;
    }

    /// SIGSTOP: the port still accepts connections, nothing answers.
    pub fn pause(&self) {
        signal(self.running().pid(), "STOP");
    }

    /// SIGCONT.
    pub fn resume(&self) {
        signal(self.running().pid(), "CONT");
    }
}

/// `Deref` to the `Server` field `server` of each server type, for its signals.
macro_rules! deref_to_server {
    ($($ty:ty),*) => {$(
        impl std::ops::Deref for $ty {
            type Target = Server;
            fn deref(&self) -> &Server {
                &self.server
            }
        }

        impl std::ops::DerefMut for $ty {
            fn deref_mut(&mut self) -> &mut Server {
                &mut self.server
            }
        }
    )*};
}

deref_to_server!(MariaDb, Redis);
