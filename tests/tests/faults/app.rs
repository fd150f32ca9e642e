//! The real scrm server in this process (as `scrm_e2e::TestApp` starts it) over a test's
//! private stores, with a client that never waits more than `NO_ANSWER` and times every
//! request, and `eventually`, the wait loop with a deadline.

use std::time::{Duration, Instant};

use scrm_app::{Config, ImportSummary, Stores};
use scrm_e2e::PASSWORD;
use serde_json::{Value, json};

use crate::servers::{MariaDb, Redis};

/// A request without an answer after this long counts as hung (status 0).
pub const NO_ANSWER: Duration = Duration::from_secs(10);
/// The pool timeouts of the server under test.
pub const STORE_TIMEOUT: Duration = Duration::from_secs(1);
/// The request deadline of the server under test: a store frozen mid-query answers 503 by then.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(3);

pub const PAGE: &str = "/wechat_api/customer/customerPage";

/// The scrm server under test.
pub struct Scrm {
    base: String,
    client: awc::Client,
    pub config: Config,
    pub stores: Stores,
}

/// An answer, or its absence (`status` 0, the reason in `body`), and how long it took.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub took: Duration,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts a 503 in the envelope (`{"code":503,"msg":..,"data":null}`) within `limit`.
    pub fn assert_unavailable(&self, what: &str, limit: Duration) {
        assert_eq!(
            self.status,
            503,
            "{what}: {} after {:?}",
            self.text(),
            self.took
        );
        assert!(self.took < limit, "{what}: 503 only after {:?}", self.took);
        let body = self.json();
        assert_eq!(body["code"], 503, "{what}: {body}");
        assert!(body["msg"].is_string(), "{what}: {body}");
        assert!(body["data"].is_null(), "{what}: {body}");
    }
}

impl Scrm {
    /// Starts scrm over `db` and `redis` (whether they run or not: migrations then retry in
    /// the background) without loading anything.
    pub async fn start(db: &MariaDb, redis: &Redis) -> Self {
        let config = Config {
            database_url: db.url(),
            redis_url: redis.url(),
            redis_prefix: "faults".into(),
            store_timeout: STORE_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
            ..Config::default()
        };
        if std::env::var_os("RUST_LOG").is_some() {
            scrm_app::init_logging(&config);
        }
        let stores = scrm_app::open_stores(&config).await.expect("stores open");
        Self {
            base: scrm_e2e::serve_on_port_0(&config, &stores),
            client: awc::Client::builder().timeout(NO_ANSWER).finish(),
            config,
            stores,
        }
    }

    /// Starts scrm over running stores and loads `scrm_e2e::fixture()`.
    pub async fn loaded(db: &MariaDb, redis: &Redis) -> Self {
        let app = Self::start(db, redis).await;
        app.load_fixture().await.expect("the fixture loads");
        app
    }

    /// Loads `scrm_e2e::fixture()` through the real import.
    pub async fn load_fixture(&self) -> anyhow::Result<ImportSummary> {
        let doc = scrm_app::parse_document(&scrm_e2e::fixture().to_string())?;
        scrm_app::load(&self.config, &self.stores, doc).await
    }

    async fn send(&self, req: awc::ClientRequest, body: Option<Value>) -> Reply {
        let started = Instant::now();
        let sent = match body {
            None => req.send().await,
            Some(v) => req.send_json(&v).await,
        };
        let (status, body) = match sent {
            Err(e) => (0, format!("no answer: {e}").into_bytes()),
            Ok(mut res) => match res.body().limit(64 * 1024 * 1024).await {
                Ok(body) => (res.status().as_u16(), body.to_vec()),
                Err(e) => (0, format!("no body: {e}").into_bytes()),
            },
        };
        Reply {
            status,
            body,
            took: started.elapsed(),
        }
    }

    fn with_token(req: awc::ClientRequest, token: Option<&str>) -> awc::ClientRequest {
        match token {
            Some(t) => req.insert_header(("Authorization", format!("Bearer {t}"))),
            None => req,
        }
    }

    /// GET.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let req = self.client.get(format!("{}{path}", self.base));
        self.send(Self::with_token(req, token), None).await
    }

    /// POST a JSON body.
    pub async fn post_json(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        let req = self.client.post(format!("{}{path}", self.base));
        self.send(Self::with_token(req, token), Some(body)).await
    }

    /// Tries to log in with the fixture password.
    pub async fn try_login(&self, login_name: &str) -> Reply {
        self.post_json(
            "/wechat_api/login",
            None,
            json!({"loginName": login_name, "password": PASSWORD}),
        )
        .await
    }

    /// Logs in and returns the token.
    pub async fn login(&self, login_name: &str) -> String {
        let r = self.try_login(login_name).await;
        assert_eq!(r.status, 200, "login {login_name}: {}", r.text());
        token_of(&r).expect("a token")
    }

    /// The customers the token sees (customerPage, first 100), as JSON.
    pub async fn customers(&self, token: &str) -> Reply {
        self.get(&format!("{PAGE}?limit=100"), Some(token)).await
    }
}

/// The token of a successful login.
pub fn token_of(reply: &Reply) -> Option<String> {
    (reply.status == 200)
        .then(|| reply.json()["data"]["token"].as_str().map(str::to_owned))
        .flatten()
}

/// Calls `attempt` every 100 ms until it answers `Ok`, and returns that and how long it took;
/// panics with the last error after `within`.
pub async fn eventually<T>(
    within: Duration,
    what: &str,
    mut attempt: impl AsyncFnMut() -> Result<T, String>,
) -> (T, Duration) {
    let started = Instant::now();
    loop {
        match attempt().await {
            Ok(v) => return (v, started.elapsed()),
            Err(last) => assert!(
                started.elapsed() < within,
                "{what}: not within {within:?}; last: {last}"
            ),
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `Ok` for a 200, else the status and body.
pub fn ok(reply: Reply) -> Result<Reply, String> {
    if reply.status == 200 {
        Ok(reply)
    } else {
        Err(format!(
            "{} {} after {:?}",
            reply.status,
            reply.text(),
            reply.took
        ))
    }
}
