//! A private `redis-server`, with or without an append-only file.

use super::{Proc, Server, greeting, wait_ready};

/// A private `redis-server`.
pub struct Redis {
    pub(super) server: Server,
    durable: bool,
}

impl Redis {
    /// A Redis without persistence (as in production caches: a restart empties it).
    pub async fn start() -> Self {
        Self::launch(false).await
    }

    /// A Redis writing every command to its append-only file before answering
    /// (`appendfsync always`), so an acknowledged write survives a SIGKILL.
    pub async fn start_durable() -> Self {
        Self::launch(true).await
    }

    async fn launch(durable: bool) -> Self {
        let mut redis = Self {
            server: Server::new("redis"),
            durable,
        };
        redis.restart().await;
        redis
    }

    /// The URL scrm connects to.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.server.port)
    }

    /// Starts the stopped server again, same port and files, and waits for `PONG`.
    pub async fn restart(&mut self) {
        assert!(self.server.proc.is_none(), "redis is already running");
        let port = self.server.port.to_string();
        let mut command = scrm_test_support::ends_with_spawning_thread("redis-server");
        command
            .args(["--port", &port, "--bind", "127.0.0.1", "--daemonize", "no"])
            .args(["--save", "", "--dir"])
            .arg(&self.server.dir.0);
        if self.durable {
            command.args(["--appendonly", "yes", "--appendfsync", "always"]);
        } else {
            command.args(["--appendonly", "no"]);
        }
        let log = self.server.dir.0.join("redis.log");
        let mut proc = Proc::spawn(&mut command, log);
        let port = self.server.port;
        wait_ready(&mut proc, "redis-server", async || {
            greeting(port, b"PING\r\n")
                .await
                .is_some_and(|reply| reply.starts_with(b"+PONG"))
        })
        .await;
        self.server.proc = Some(proc);
    }
}
