//! The black-box harness: `TestApp::spawn(store)` starts the real `scrm` server (the same
//! `build` the binary uses) on 127.0.0.1:0 over either store: `Store::MySql` with a database
//! and a Redis prefix of its own, or `Store::Memory` with nothing outside the process; loaded
//! with the fixture below through the real import. Tests talk to it over HTTP only (a few
//! adapter-specific checks look into Redis or the memory store, and say so).
//!
//! What a test writes or reads in the database itself, beside the server (the fixture, later
//! imports, a password change as `scrm passwd` makes it), goes through [`TestApp::direct`]:
//! stores over the same database through `SCRM_TEST_MYSQL_READ_URL` when it is set (the
//! cluster test sets it to Galera node 3 while the server runs on node 1), else the server's
//! own stores.
//!
//! The cluster test runs this suite on its clusters: `SCRM_TEST_MYSQL_URL` (Galera node 1),
//! `SCRM_TEST_MYSQL_READ_URL` (node 3), `SCRM_TEST_REDIS_CLUSTER_NODES` (every server's keys
//! on the Redis Cluster; [`TestApp::redis_conn`] reaches them) and
//! `SCRM_TEST_STORE_TIMEOUT_MS`.

#![expect(
    clippy::expect_used,
    reason = "test harness: a broken environment should fail loudly"
)]

use std::net::TcpListener;
use std::time::Duration;

use scrm_app::{Config, StoreKind};
use scrm_test_support::{TestDatabase, TestRedis};
use serde_json::{Value, json};

/// The password of every fixture account.
pub const PASSWORD: &str = "pw-秘密-1";

/// Which stores a test server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// MariaDB and Redis, each test with its own database and key prefix.
    MySql,
    /// The in-memory adapters.
    Memory,
}

/// A running server and the data it owns.
pub struct TestApp {
    pub store: Store,
    pub base: String,
    pub client: awc::Client,
    pub config: Config,
    pub stores: scrm_app::Stores,
    /// The stores of the test's own direct reads and writes: over the same database through
    /// `SCRM_TEST_MYSQL_READ_URL` when it names another server, else `stores`.
    pub direct: scrm_app::Stores,
    pub db: TestDatabase,
    pub redis: TestRedis,
}

/// A response: status, headers and body.
pub struct Reply {
    pub status: u16,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

impl TestApp {
    /// Starts a server over the fixture.
    pub async fn spawn(store: Store) -> Self {
        Self::spawn_with(store, fixture(), |_| {}).await
    }

    /// Starts a server over `doc`, after `tweak` adjusts the configuration.
    pub async fn spawn_with(store: Store, doc: Value, tweak: impl FnOnce(&mut Config)) -> Self {
        let doc = scrm_app::parse_document(&doc.to_string()).expect("fixture parses");
        Self::spawn_document(store, doc, tweak).await
    }

    /// Starts a server over an import document.
    pub async fn spawn_document(
        store: Store,
        doc: scrm_app::ImportDocument,
        tweak: impl FnOnce(&mut Config),
    ) -> Self {
        // The memory store needs no database: the name is only reserved.
        let db = match store {
            Store::MySql => TestDatabase::create().await,
            Store::Memory => TestDatabase::unborn(),
        };
        let redis = TestRedis::new();
        let mut config = Config {
            store: match store {
                Store::MySql => StoreKind::MySql,
                Store::Memory => StoreKind::Memory,
            },
            database_url: db.url().to_owned(),
            redis_url: redis.url(),
            redis_cluster_nodes: scrm_test_support::redis_cluster_nodes(),
            redis_prefix: redis.prefix().to_owned(),
            ..Config::default()
        };
        if let Some(timeout) = store_timeout() {
            config.store_timeout = timeout;
        }
        tweak(&mut config);
        // The fixture goes in through the direct stores (which migrate the database first when
        // they are another node's); the server opens its own stores afterwards.
        let direct_config = direct_config(&config, &db);
        let direct = match &direct_config {
            Some(c) => Some(scrm_app::open_stores(c).await.expect("direct stores open")),
            None => None,
        };
        let stores = scrm_app::open_stores(&config).await.expect("stores open");
        scrm_app::load(
            direct_config.as_ref().unwrap_or(&config),
            direct.as_ref().unwrap_or(&stores),
            doc,
        )
        .await
        .expect("fixture imports");
        let mut app = Self::serving(store, config, stores, db, redis);
        if let Some(direct) = direct {
            app.direct = direct;
        }
        app
    }

    /// Serves `stores` on port 0; `db` and `redis` are what it owns (dropped with it).
    pub fn serving(
        store: Store,
        config: Config,
        stores: scrm_app::Stores,
        db: TestDatabase,
        redis: TestRedis,
    ) -> Self {
        let base = serve_on_port_0(&config, &stores);
        let client = awc::Client::builder()
            .timeout(Duration::from_secs(30))
            .finish();
        Self {
            store,
            base,
            client,
            config,
            direct: stores.clone(),
            stores,
            db,
            redis,
        }
    }

    /// A second server over this one's database and Redis prefix, as another instance of the
    /// same deployment: its own pools, its own customer index. It owns no data (the database
    /// and the keys go with `self`). MariaDB + Redis only.
    pub async fn sibling(&self) -> Self {
        assert_eq!(self.store, Store::MySql, "memory stores share nothing");
        let stores = scrm_app::open_stores(&self.config)
            .await
            .expect("stores open");
        // The keys are `self`'s: this handle names a prefix nothing uses.
        Self::serving(
            self.store,
            self.config.clone(),
            stores,
            TestDatabase::unborn(),
            TestRedis::new(),
        )
    }

    /// The friend requests queued so far, as JSON: read from the Redis stream (its `json`
    /// field) or from the memory store.
    pub async fn friend_requests(&self) -> Vec<Value> {
        match self.store {
            Store::MySql => {
                let mut conn = self.redis_conn().await;
                let stream = format!("{}:friend_requests", self.redis.prefix());
                let entries: Vec<(String, Vec<(String, String)>)> =
                    deadpool_redis::redis::cmd("XRANGE")
                        .arg(&stream)
                        .arg("-")
                        .arg("+")
                        .query_async(&mut *conn)
                        .await
                        .expect("XRANGE");
                entries
                    .into_iter()
                    .filter_map(|(_, fields)| fields.into_iter().find(|(k, _)| k == "json"))
                    .map(|(_, json)| serde_json::from_str(&json).expect("request JSON"))
                    .collect()
            }
            Store::Memory => self
                .stores
                .memory
                .as_ref()
                .expect("the memory store")
                .friend_requests()
                .iter()
                .map(|r| serde_json::to_value(r).expect("request JSON"))
                .collect(),
        }
    }

    /// `/readyz`'s customer index report (`data.index`), asked again for up to 5 s while the
    /// log's head in it is `null`: the head is read within the catch-up bound (250 ms), which
    /// a Galera node applying another test's large import (the cluster test's run of this
    /// suite) can pass for a moment.
    pub async fn index_report(&self) -> Value {
        let mut index = Value::Null;
        for _ in 0..50 {
            let r = self.get("/readyz", None).await;
            assert_eq!(r.status, 200, "{}", r.text());
            index = r.json()["data"]["index"].clone();
            if index["headSeq"].is_i64() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        index
    }

    /// A connection to this server's Redis: its server, or its Redis Cluster
    /// (`redis_cluster_nodes`, where a command goes to the node of its key's slot).
    pub async fn redis_conn(&self) -> scrm_redis::RedisConnection {
        let settings = scrm_redis::RedisSettings::default();
        let pool = if self.config.redis_cluster_nodes.is_empty() {
            scrm_redis::build_pool(&self.config.redis_url, &settings)
        } else {
            scrm_redis::build_cluster_pool(&self.config.redis_cluster_nodes, &settings)
        };
        pool.expect("a Redis pool").get().await.expect("redis")
    }

    /// Imports a document into this server's database (as `scrm import` does for MariaDB),
    /// through the direct stores.
    pub async fn import(&self, doc: Value) -> anyhow::Result<scrm_app::ImportSummary> {
        let doc = scrm_app::parse_document(&doc.to_string())?;
        scrm_app::load(&self.config, &self.direct, doc).await
    }

    async fn send(&self, req: awc::ClientRequest, body: Option<Body>) -> Reply {
        let res = match body {
            None => req.send().await,
            Some(Body::Json(v)) => req.send_json(&v).await,
            Some(Body::Form(pairs)) => {
                let encoded = serde_urlencoded::to_string(&pairs).expect("form encodes");
                req.content_type("application/x-www-form-urlencoded")
                    .send_body(encoded)
                    .await
            }
            Some(Body::Raw(ct, bytes)) => req.content_type(ct).send_body(bytes).await,
        };
        let mut res = res.expect("request reaches the server");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res
            .body()
            .limit(256 * 1024 * 1024)
            .await
            .expect("body")
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    fn request(&self, method: &str, path: &str, token: Option<&str>) -> awc::ClientRequest {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.client.get(url),
            "POST" => self.client.post(url),
            "PUT" => self.client.put(url),
            _ => self.client.delete(url),
        };
        match token {
            Some(t) => req.insert_header(("Authorization", format!("Bearer {t}"))),
            None => req,
        }
    }

    /// GET with a token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(self.request("GET", path, token), None).await
    }

    /// GET with query pairs.
    pub async fn get_query(&self, path: &str, token: &str, pairs: &[(&str, &str)]) -> Reply {
        let query = serde_urlencoded::to_string(pairs).expect("query encodes");
        self.get(&format!("{path}?{query}"), Some(token)).await
    }

    /// POST a JSON body.
    pub async fn post_json(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.send(self.request("POST", path, token), Some(Body::Json(body)))
            .await
    }

    /// POST a form body.
    pub async fn post_form(
        &self,
        path: &str,
        token: Option<&str>,
        pairs: &[(&str, &str)],
    ) -> Reply {
        let pairs = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.send(self.request("POST", path, token), Some(Body::Form(pairs)))
            .await
    }

    /// POST raw bytes with a content type.
    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let body = Body::Raw(content_type.to_owned(), body);
        self.send(self.request("POST", path, token), Some(body))
            .await
    }

    /// Any method without a body.
    pub async fn call(&self, method: &str, path: &str, token: Option<&str>) -> Reply {
        self.send(self.request(method, path, token), None).await
    }

    /// Logs in with the fixture password and returns the token.
    pub async fn login(&self, login_name: &str) -> String {
        self.login_with(login_name, PASSWORD).await
    }

    /// Logs in and returns the token.
    pub async fn login_with(&self, login_name: &str, password: &str) -> String {
        let reply = self
            .post_json(
                "/wechat_api/login",
                None,
                json!({"loginName": login_name, "password": password}),
            )
            .await;
        assert_eq!(reply.status, 200, "login {login_name}: {}", reply.text());
        reply.json()["data"]["token"]
            .as_str()
            .expect("token")
            .to_owned()
    }
}

/// The tag set update `k` writes in the concurrent-update tests (faults, cluster), with the
/// remarks `r{k}`: consecutive updates differ in both, so a torn update shows.
pub fn tags_of(k: u64) -> &'static str {
    ["", "1000", "1001", "1000,1001"][usize::try_from(k % 4).expect("k % 4 fits")]
}

/// Customer `id` of a customerPage body; panics when it is not on the page.
pub fn customer_in(body: &Value, id: i64) -> &Value {
    body["data"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["customerId"] == id))
        .unwrap_or_else(|| panic!("customer {id} is missing: {body}"))
}

/// A customer's remarks and its tags, sorted, as `tags_of` writes them.
pub fn remarks_and_tags(customer: &Value) -> (String, String) {
    let mut tags: Vec<&str> = customer["tags"]
        .as_str()
        .unwrap_or_default()
        .split(',')
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort_unstable();
    let remarks = customer["remarks"].as_str().unwrap_or_default().to_owned();
    (remarks, tags.join(","))
}

/// The store timeout of the servers (`SCRM_STORE_TIMEOUT_MS`) when
/// `SCRM_TEST_STORE_TIMEOUT_MS` sets one: the cluster test gives its end-to-end run a longer
/// one, since a read on a Galera node waits (`wsrep_sync_wait`) until the node has applied
/// what the cluster committed before, a large import of another test included.
fn store_timeout() -> Option<Duration> {
    let ms = std::env::var("SCRM_TEST_STORE_TIMEOUT_MS").ok()?;
    Some(Duration::from_millis(
        ms.parse()
            .expect("SCRM_TEST_STORE_TIMEOUT_MS is milliseconds"),
    ))
}

/// The configuration of a test's direct stores: `config` over `db` through
/// `SCRM_TEST_MYSQL_READ_URL`, without an index of their own; `None` when that is the
/// server's own database URL (or the store is the memory one).
fn direct_config(config: &Config, db: &TestDatabase) -> Option<Config> {
    let url = db.direct_url();
    (config.store == StoreKind::MySql && url != config.database_url).then(|| Config {
        database_url: url,
        index: false,
        ..config.clone()
    })
}

/// Serves `stores` (the real server, `scrm_app::serve`) on 127.0.0.1:0, spawned on the
/// current runtime; returns its base URL.
pub fn serve_on_port_0(config: &Config, stores: &scrm_app::Stores) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    let port = listener.local_addr().expect("local addr").port();
    let server = scrm_app::serve(config, stores, listener).expect("server builds");
    actix_web::rt::spawn(server);
    format!("http://127.0.0.1:{port}")
}

enum Body {
    Json(Value),
    Form(Vec<(String, String)>),
    Raw(String, Vec<u8>),
}

/// Two tenants. Tenant A: main `a_admin` (1) with sub-accounts `a_sales1` (2) and `a_sales2`
/// (3); WeChat accounts 100 (of 1), 200 (of 2), 300 (of 3, offline). Tenant B: main `b_admin`
/// (10), sub `b_sales` (11), WeChat account 900 (of 10).
///
/// Customers of A, newest first: 6004 (contact 5004, WeChat 100), 6003 (5003, WeChat 300),
/// 6002 (5002, WeChat 200), 6001 (5001, WeChat 200). Contact 5005 (WeChat 200) has no
/// customer. B: customer 9101 of contact 9001, named 王偉 like 6002, same phone digits.
///
/// Manual entries: a_sales1 (2) has hand-entered 19380 (18750920000) and 19382
/// (13800138000) and pool entries 19381, 19383 (both 13800138000); a_sales2 (3) has
/// hand-entered 19384 (dialled, added) and 19385 (request sent); b_sales (11) has 19386
/// (13700009999); a_admin (1) has 19387.
pub fn fixture() -> Value {
    json!({
        "departments": [
            {"id": 1, "tenantAdminUserId": 1, "name": "電銷一部"},
            {"id": 2, "tenantAdminUserId": 10, "name": "B部"}
        ],
        "adminUsers": [
            {"id": 1, "loginName": "a_admin", "password": PASSWORD, "realName": "甲經理", "parentId": null},
            {"id": 2, "loginName": "a_sales1", "password": PASSWORD, "realName": "李小琳", "parentId": 1, "departId": 1},
            {"id": 3, "loginName": "a_sales2", "password": PASSWORD, "realName": "王二", "parentId": 1, "departId": 1},
            {"id": 10, "loginName": "b_admin", "password": PASSWORD, "realName": "乙經理"},
            {"id": 11, "loginName": "b_sales", "password": PASSWORD, "realName": "乙銷售", "parentId": 10, "departId": 2}
        ],
        "wechatUsers": [
            {"id": 100, "adminUserId": 1, "uin": "100100", "userName": "wxid_a_main", "nickName": "甲主號", "isOnline": 1},
            {"id": 200, "adminUserId": 2, "uin": "663329897", "userName": "wxid_oo8w553uj5g612", "nickName": "你看那茶樹滿山", "alias": "zzzslcn", "isOnline": 1},
            {"id": 300, "adminUserId": 3, "uin": "300300", "userName": "wxid_a_sub2", "nickName": "乙號", "isOnline": 0},
            {"id": 900, "adminUserId": 10, "uin": "900900", "userName": "wxid_b", "nickName": "B號", "isOnline": 1}
        ],
        "tags": [
            {"id": 1000, "tenantAdminUserId": 1, "name": "意向客戶"},
            {"id": 1001, "tenantAdminUserId": 1, "name": "VIP"},
            {"id": 2000, "tenantAdminUserId": 10, "name": "B標簽"}
        ],
        "wechatContacts": [
            {"id": 5001, "wechatUserId": 200, "uin": "0", "userName": "wxid_8twmv8pkgvox22", "nickName": "售前-紅海", "remarkName": "紅海哥", "sex": "1", "verifyFlag": "0", "contactFlag": "3", "contactType": 0, "isDelete": 0, "isSaving": 0, "isStar": 0, "tagIds": [1000], "createTime": "2019-08-07 15:55:17"},
            {"id": 5002, "wechatUserId": 200, "userName": "wxid_wangwei", "nickName": "王偉", "remarkName": "", "tagIds": [1000, 1001]},
            {"id": 5003, "wechatUserId": 300, "userName": "wxid_lina", "nickName": "李娜", "remarkName": "廈門李", "tagIds": [1001]},
            {"id": 5004, "wechatUserId": 100, "userName": "wxid_broc", "nickName": "broccoli", "tagIds": []},
            {"id": 5005, "wechatUserId": 200, "userName": "wxid_zhangsan", "nickName": "張三"},
            {"id": 9001, "wechatUserId": 900, "userName": "wxid_b_ww", "nickName": "王偉", "tagIds": [2000]}
        ],
        "customers": [
            {"id": 6001, "wechatContactId": 5001, "customerName": "售前-紅海", "customerPhone": "11111122222", "nickName": "售前紅海", "remarks": "售前-紅海哥", "xfield1": "", "isCust": 0, "createTime": "2024-01-10 10:00:00"},
            {"id": 6002, "wechatContactId": 5002, "customerName": "王偉", "customerPhone": "+86 187-5092-8186", "remarks": "=cmd|' /C calc'!A0", "createTime": "2024-02-10 10:00:00"},
            {"id": 6003, "wechatContactId": 5003, "customerName": "李娜", "customerPhone": "13900001111", "remarks": "100% 滿意", "createTime": "2024-03-10 10:00:00"},
            {"id": 6004, "wechatContactId": 5004, "customerName": "Broccoli", "createTime": "2024-04-10 10:00:00"},
            {"id": 9101, "wechatContactId": 9001, "customerName": "王偉", "customerPhone": "18750928186", "remarks": "B的客戶", "createTime": "2024-02-15 10:00:00"}
        ],
        "nickNames": [
            {"wechatContactId": 5001, "custName": "紅海", "nickName": "海哥"}
        ],
        "manualEntries": [
            {"id": 19380, "adminUserId": 2, "taskId": -1, "orderNum": 1, "customerName": "客戶1", "customerPhone": "18750920000", "company": "公司1", "phoneGeo": "廈門", "syn": 1, "createTime": "2019-11-28 17:17:45"},
            {"id": 19381, "adminUserId": 2, "taskId": 5, "orderNum": 1, "customerName": "池客戶", "customerPhone": "13800138000", "phoneGeo": "廈門"},
            {"id": 19382, "adminUserId": 2, "taskId": -1, "orderNum": 2, "customerName": "手動同號", "customerPhone": "13800138000", "phoneGeo": "廈門"},
            {"id": 19383, "adminUserId": 2, "taskId": 6, "orderNum": 1, "customerName": "池客戶二", "customerPhone": "+86 138-0013-8000", "phoneGeo": "廈門"},
            {"id": 19384, "adminUserId": 3, "taskId": -1, "orderNum": 1, "customerName": "李四", "customerPhone": "13600136000", "company": "廈門公司", "userName": "wxid_li4", "phoneGeo": "廈門", "dialStatus": 1, "addStatus": 2},
            {"id": 19385, "adminUserId": 3, "taskId": -1, "orderNum": 2, "customerName": "王五", "customerPhone": "13600136001", "company": "深圳公司", "userName": "wxid_w5", "phoneGeo": "深圳", "dialStatus": 0, "addStatus": 1},
            {"id": 19386, "adminUserId": 11, "taskId": -1, "orderNum": 1, "customerName": "乙客戶", "customerPhone": "13700009999", "phoneGeo": "北京"},
            {"id": 19387, "adminUserId": 1, "taskId": -1, "orderNum": 1, "customerName": "主號客戶", "customerPhone": "13500135000", "phoneGeo": "上海"}
        ],
        "messages": [
            {"msgId": "7301", "wechatUserId": 200, "wechatContactId": 5001, "isSend": 1, "msgType": 1, "content": "您好", "createTime": 1_565_164_517_924_i64}
        ]
    })
}

/// A table-driven case: query pairs and the ids they must list, in order.
pub type Case<'a> = (&'a [(&'a str, &'a str)], &'a [i64]);

/// The customer ids of a customerPage/recycleBin reply, in order.
pub fn ids(reply: &Reply) -> Vec<i64> {
    reply.json()["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data array: {}", reply.text()))
        .iter()
        .map(|c| c["customerId"].as_i64().expect("customerId"))
        .collect()
}
