//! A private `mariadbd` started from a copy of an installed template.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::{Proc, Server, greeting, wait_ready};

/// A private `mariadbd`, root without a password on 127.0.0.1.
pub struct MariaDb {
    pub(super) server: Server,
}

impl MariaDb {
    /// A server with its system tables installed, not started yet.
    pub fn installed() -> Self {
        let server = Server::new("maria");
        let status = Command::new("cp")
            .arg("-a")
            .arg(template().join("."))
            .arg(server.dir.0.join("data"))
            .status()
            .expect("run cp");
        assert!(status.success(), "copying the MariaDB template failed");
        Self { server }
    }

    /// An installed server, started.
    pub async fn start() -> Self {
        let mut db = Self::installed();
        db.restart().await;
        db
    }

    /// The URL of the `scrm` database, kept on TCP (`prefer_socket=false`: the client would
    /// otherwise move to the shared server's default socket).
    pub fn url(&self) -> String {
        format!(
            "mysql://root@127.0.0.1:{}/scrm?prefer_socket=false",
            self.server.port
        )
    }

    /// Starts the stopped server on the same port and data directory, and waits for its
    /// handshake.
    pub async fn restart(&mut self) {
        assert!(self.server.proc.is_none(), "mariadbd is already running");
        let dir = &self.server.dir.0;
        let path = |name: &str| dir.join(name).display().to_string();
        // Its own tmpdir: a starting mariadbd deletes every `#sql-temptable-*` file in its
        // tmpdir, and in /tmp those are the shared server's live temporary tables (a query
        // there then fails with "Error on delete of '/tmp/#sql-temptable-...MAI'").
        std::fs::create_dir_all(dir.join("tmp")).expect("a tmpdir for mariadbd");
        let mut command = scrm_test_support::ends_with_spawning_thread("/usr/sbin/mariadbd");
        command.arg("--no-defaults").args([
            format!("--datadir={}", path("data")),
            format!("--tmpdir={}", path("tmp")),
            format!("--socket={}", path("sock")),
            format!("--pid-file={}", path("pid")),
            format!("--port={}", self.server.port),
            "--bind-address=127.0.0.1".into(),
            "--user=root".into(),
            "--skip-log-bin".into(),
            "--innodb-buffer-pool-size=32M".into(),
            "--innodb-log-file-size=8M".into(),
        ]);
        let mut proc = Proc::spawn(&mut command, dir.join("mariadbd.log"));
        let port = self.server.port;
        // Protocol version 10 opens the handshake; an error packet (0xff) is not ready.
        wait_ready(&mut proc, "mariadbd", async || {
            greeting(port, b"")
                .await
                .is_some_and(|g| g.get(4) == Some(&10))
        })
        .await;
        self.server.proc = Some(proc);
    }
}

/// The installed data directory every private MariaDB starts from: made once per MariaDB
/// version under `CARGO_TARGET_TMPDIR` (atomically, so concurrent test runs agree).
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let dir = root.join(format!("mariadb-template-{}", mariadb_version()));
        if dir.join("installed").exists() {
            return dir;
        }
        // nextest runs every test in a process of its own: one installs, the others wait.
        let lock = std::fs::File::create(root.join("mariadb-template.lock")).expect("lock file");
        lock.lock().expect("lock the template");
        if dir.join("installed").exists() {
            return dir;
        }
        let staging = root.join(format!("mariadb-staging-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        // The bootstrap server's temporary tables go to TMPDIR: keep them in the staging dir.
        let tmp = root.join(format!("mariadb-staging-tmp-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).expect("a tmpdir for mariadb-install-db");
        let out = Command::new("mariadb-install-db")
            .env("TMPDIR", &tmp)
            .arg("--no-defaults")
            .arg("--auth-root-authentication-method=normal")
            .arg(format!("--datadir={}", staging.display()))
            .args(["--user=root", "--skip-test-db", "--skip-log-bin"])
            .args(["--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M"])
            .output()
            .expect("run mariadb-install-db");
        assert!(
            out.status.success(),
            "mariadb-install-db failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::write(staging.join("installed"), b"").expect("mark the template");
        // Another test run may have won the race: its template is as good.
        if std::fs::rename(&staging, &dir).is_err() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        dir
    })
}

/// `mariadbd --version`'s version, as a file name.
fn mariadb_version() -> String {
    let out = Command::new("/usr/sbin/mariadbd")
        .arg("--version")
        .output()
        .expect("run mariadbd --version");
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text
        .split_whitespace()
        .skip_while(|w| *w != "Ver")
        .nth(1)
        .unwrap_or("unknown");
    version
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' => c,
            _ => '_',
        })
        .collect()
}
