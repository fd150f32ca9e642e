//! A `scrm serve` process for the black-box tests: started on a free port, asked over plain
//! HTTP/1.1, stopped by a signal or killed when dropped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A `scrm serve` on a free port; killed when dropped.
pub struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// `scrm serve --store memory` (the demo data).
    pub fn start() -> Self {
        let mut command = scrm_test_support::ends_with_spawning_thread(env!("CARGO_BIN_EXE_scrm"));
        command
            .args(["serve", "--store", "memory"])
            .env("RUST_LOG", "warn");
        Self::serving(command)
    }

    /// `command` (a `scrm serve`) listening on a free port, once it answers `/healthz`.
    pub fn serving(mut command: Command) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = command
            .env("SCRM_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !server
            .get("/healthz")
            .is_some_and(|r| r.starts_with("HTTP/1.1 200"))
        {
            assert!(Instant::now() < deadline, "the server never became healthy");
            sleep(Duration::from_millis(100));
        }
        server
    }

    pub fn connect(&self) -> std::io::Result<TcpStream> {
        let stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(stream)
    }

    /// The whole response to a GET, or `None` when the server cannot be reached.
    pub fn get(&self, path: &str) -> Option<String> {
        let mut stream = self.connect().ok()?;
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        Some(response)
    }

    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit by itself (a hang fails the test after `limit`).
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "scrm did not exit after SIGTERM");
            sleep(Duration::from_millis(50));
        }
    }

    /// Waits until new connections are refused: the listener is closed.
    pub fn wait_refusing(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.connect().is_ok() {
            assert!(Instant::now() < deadline, "the listener stayed open");
            sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
