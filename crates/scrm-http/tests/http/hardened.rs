//! Support for the middleware tests: the app over the mocks behind `scrm_http::harden`, as the
//! app crate mounts it, and a log capture into a buffer.

use std::io;
use std::sync::{Arc, Mutex};

use actix_web::App;
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test::{self, TestRequest};
use actix_web::web::Bytes;
use serde_json::Value;
use tracing::Level;
use tracing::subscriber::DefaultGuard;

use crate::support::Mocks;

/// One response: its status, headers and body (an error when the body failed mid-stream).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Result<Bytes, String>,
}

impl Answer {
    /// The value of a header, which must be present and text.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.headers))
            .to_str()
            .unwrap()
    }

    pub fn json(&self) -> Value {
        let body = self.body.as_ref().unwrap();
        serde_json::from_slice(body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(body)))
    }
}

/// Sends the requests one after the other to one app over `mocks`, mounted behind every
/// middleware as the app crate mounts it, with CORS for `origins`.
pub async fn call_all(mocks: Mocks, origins: &[&str], reqs: Vec<TestRequest>) -> Vec<Answer> {
    let state = mocks.state();
    let origins: Vec<String> = origins.iter().map(|o| (*o).to_owned()).collect();
    let app = test::init_service(
        scrm_http::harden(App::new(), &origins, std::time::Duration::from_secs(30))
            .configure(|cfg| scrm_http::configure(cfg, state.clone())),
    )
    .await;
    let mut answers = Vec::new();
    for req in reqs {
        let resp = test::call_service(&app, req.to_request()).await;
        answers.push(Answer {
            status: resp.status(),
            headers: resp.headers().clone(),
            body: test::try_read_body(resp)
                .await
                .map_err(|e| Into::<Box<dyn std::error::Error>>::into(e).to_string()),
        });
    }
    answers
}

/// One request to a fresh app behind every middleware.
pub async fn call(mocks: Mocks, origins: &[&str], req: TestRequest) -> Answer {
    call_all(mocks, origins, vec![req]).await.remove(0)
}

/// Asserts the security headers of every response.
pub fn assert_security_headers(headers: &HeaderMap) {
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        (
            "content-security-policy",
            "default-src 'none'; frame-ancestors 'none'",
        ),
        ("cache-control", "no-store"),
    ] {
        assert_eq!(
            headers.get(name).map(|v| v.to_str().unwrap()),
            Some(value),
            "{name} in {headers:?}"
        );
    }
}

/// What the subscriber installed by `capture` wrote, as text lines.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Sends this thread's log lines at `level` and above into a buffer until the guard drops
    /// (actix's test runtime polls everything on the test's thread).
    pub fn capture(level: Level) -> (Self, DefaultGuard) {
        let logs = Self::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(level)
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    pub fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The one line containing `needle`.
    pub fn line(&self, needle: &str) -> String {
        let found: Vec<String> = self
            .lines()
            .into_iter()
            .filter(|l| l.contains(needle))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "one line with {needle:?} in {:#?}",
            self.lines()
        );
        found.into_iter().next().unwrap()
    }
}

impl io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
