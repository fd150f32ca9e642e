//! Step 6 (see the crate doc): a Galera node and then a Redis master die under a mixed load
//! through both instances.
//!
//! Eight clients, four per instance, call in a loop until the end: a reader (customerPage,
//! the chat record and a call list in turn), an updater (remarks and tags of two customers of
//! its own), an adder (addManualTask with a new phone each time, on a list of its own) and a
//! chat connector (two new messages a call, in conversations of its own). Every call is
//! logged with its answer and how long it took. Meanwhile the test kills Galera node 1 (A's),
//! waits until `/readyz` names the store and B serves every kind of call, starts the node
//! again and waits until both instances serve every kind; then it kills the Redis master of
//! one of A's conversations, waits for `/readyz` to name Redis and for the promotion of its
//! replica, then for every read and write to be served, starts the old master again (it comes
//! back empty as a replica) and waits until both instances serve every kind once more.
//!
//! Then: every answer was a 200 or a 503 in the envelope within the store timeout plus
//! `MARGIN`, every answer before the first kill a 200, and every acknowledged write is there,
//! read through the other instance and directly (Galera node 3, the Redis Cluster).

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use actix_web::rt::time::sleep;
use scrm_e2e::{Reply, TestApp, customer_in, remarks_and_tags, tags_of};
use scrm_redis::{RedisSettings, build_cluster_pool};
use serde_json::{Value, json};

use crate::cluster::{Cluster, redis_cli};
use crate::galera::{ADD_TASK, MESSAGES, PAGE, RECORD, TASK_DETAIL, UPDATE, db_name, text};
use crate::instance::STORE_TIMEOUT;

/// How much longer than the store timeout an answer may take on a loaded 2-core machine.
const MARGIN: Duration = Duration::from_secs(3);
/// A call without an answer after this long is logged as hung (status 0).
const NO_ANSWER: Duration = Duration::from_secs(20);
/// The pause of each client between two calls.
const PAUSE: Duration = Duration::from_millis(20);
/// How long a step may take to happen before the test gives up on it (not a measure).
const PATIENCE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Read,
    Update,
    Add,
    Chat,
}

const KINDS: [Kind; 4] = [Kind::Read, Kind::Update, Kind::Add, Kind::Chat];
const SIDES: [&str; 2] = ["A", "B"];
/// The customers each side updates.
const CUSTOMERS: [[i64; 2]; 2] = [[6001, 6002], [6003, 6004]];
/// The conversations (WeChat account, contact) each side writes to; all of tenant A.
const CONVERSATIONS: [&[(i64, i64)]; 2] = [
    &[(200, 5001), (100, 5004)],
    &[(200, 5002), (300, 5003), (200, 5005)],
];
/// The call list (assignee) each side adds to, and the account it adds as.
const LISTS: [(i64, &str); 2] = [(2, "a_sales1"), (3, "a_sales2")];

/// One call of a client.
struct Call {
    side: usize,
    kind: Kind,
    key: u64,
    /// 0 when no answer came within `NO_ANSWER`.
    status: u16,
    /// The envelope's `code`.
    code: Value,
    sent: Instant,
    took: Duration,
    /// The body, when not a 200.
    body: String,
}

impl Call {
    fn answered(&self) -> Instant {
        self.sent + self.took
    }
}

/// The logins every client uses (made through A: sessions are shared).
struct Tokens {
    admin: String,
    lists: [String; 2],
}

/// What the clients share.
struct Load<'a> {
    apps: [&'a TestApp; 2],
    tokens: Tokens,
    calls: RefCell<Vec<Call>>,
    stop: Cell<bool>,
}

fn message(side: usize, key: u64, j: u64, (user, contact): (i64, i64)) -> Value {
    json!({"msgId": format!("{}{key}-{j}", SIDES[side]), "wechatUserId": user,
        "wechatContactId": contact, "isSend": 1, "msgType": 1, "content": "failover",
        "createTime": 1_700_000_000_000_u64 + key * 10 + j})
}

/// The phone of add `key` of `side`.
fn phone(side: usize, key: u64) -> String {
    format!("13{}{key:08}", side + 1)
}

impl Load<'_> {
    /// Call `key` of kind `kind` through `side`'s instance.
    async fn call(&self, side: usize, kind: Kind, key: u64) -> Reply {
        let app = self.apps[side];
        let admin = &self.tokens.admin;
        match kind {
            Kind::Read => match key % 3 {
                0 => {
                    app.get_query(PAGE, admin, &[("limit", "10"), ("pageNo", "1")])
                        .await
                }
                1 => {
                    let q = [("wechatContactIds", "5001,5002,5003,5004,5005")];
                    app.get_query(MESSAGES, admin, &q).await
                }
                _ => {
                    let q = [("adminUserId", "2"), ("limit", "5")];
                    app.get_query(TASK_DETAIL, admin, &q).await
                }
            },
            Kind::Update => {
                let id = CUSTOMERS[side][usize::from(key % 2 == 1)];
                let body = json!({"customerId": id, "remarks": format!("{}{key}", SIDES[side]), "tags": tags_of(key)});
                app.post_json(UPDATE, Some(admin), body).await
            }
            Kind::Add => {
                let body = json!({"customerName": format!("{}加{key}", SIDES[side]),
                    "customerPhone": phone(side, key), "phoneGeo": "廈門"});
                app.post_json(ADD_TASK, Some(&self.tokens.lists[side]), body)
                    .await
            }
            Kind::Chat => {
                let conversations = CONVERSATIONS[side];
                let n = conversations.len() as u64;
                let batch: Vec<Value> = (0..2)
                    .map(|j| {
                        let c = conversations[usize::try_from((key + j) % n).unwrap()];
                        message(side, key, j, c)
                    })
                    .collect();
                app.post_json(RECORD, Some(admin), json!(batch)).await
            }
        }
    }

    /// One client: calls of `kind` through `side` with keys 0, 1, 2… until `stop`.
    async fn client(&self, side: usize, kind: Kind) {
        let mut key = 0;
        while !self.stop.get() {
            let sent = Instant::now();
            let call = match tokio::time::timeout(NO_ANSWER, self.call(side, kind, key)).await {
                Ok(r) => Call {
                    side,
                    kind,
                    key,
                    status: r.status,
                    code: serde_json::from_slice::<Value>(&r.body)
                        .map(|b| b["code"].clone())
                        .unwrap_or(Value::Null),
                    sent,
                    took: sent.elapsed(),
                    body: if r.status == 200 {
                        String::new()
                    } else {
                        r.text()
                    },
                },
                Err(_) => Call {
                    side,
                    kind,
                    key,
                    status: 0,
                    code: Value::Null,
                    sent,
                    took: sent.elapsed(),
                    body: "no answer".to_owned(),
                },
            };
            self.calls.borrow_mut().push(call);
            key += 1;
            sleep(PAUSE).await;
        }
    }

    /// Whether `side` has answered a 200 to every kind of call sent at or after `since`.
    fn serves(&self, side: usize, since: Instant) -> bool {
        self.serves_kinds(side, &KINDS, since)
    }

    /// Whether `side` has answered a 200 to `kinds` sent at or after `since`.
    fn serves_kinds(&self, side: usize, kinds: &[Kind], since: Instant) -> bool {
        let calls = self.calls.borrow();
        kinds.iter().all(|k| {
            calls
                .iter()
                .any(|c| c.side == side && c.kind == *k && c.sent >= since && c.status == 200)
        })
    }
}

/// Polls `check` every 100 ms until it holds; panics after `PATIENCE`. Returns when it held.
async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) -> Instant {
    let started = Instant::now();
    loop {
        if check().await {
            return Instant::now();
        }
        assert!(
            started.elapsed() < PATIENCE,
            "{what}: not after {PATIENCE:?}"
        );
        sleep(Duration::from_millis(100)).await;
    }
}

/// `/readyz` of `app`: its status and what it says of MariaDB and Redis.
async fn ready(app: &TestApp) -> (u16, Value, Value) {
    let r = app.get("/readyz", None).await;
    let data = &r.json()["data"];
    (r.status, data["mysql"].clone(), data["redis"].clone())
}

/// `/readyz`'s answer when one store is down.
fn down(mysql: &str, redis: &str) -> (u16, Value, Value) {
    (503, json!(mysql), json!(redis))
}

/// The Redis node (1..=6) that is master of the slot of `hash_tag`, by `CLUSTER NODES`
/// asked of node `ask`; none while a failed master still holds it.
fn master_of(cluster: &Cluster, ask: usize, hash_tag: &str) -> Option<usize> {
    let port = cluster.redis_port(ask);
    let slot: u32 = redis_cli(port, &["CLUSTER", "KEYSLOT", hash_tag])
        .parse()
        .expect("a slot");
    let nodes = redis_cli(port, &["CLUSTER", "NODES"]);
    for line in nodes.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 9 || !fields[2].contains("master") || fields[2].contains("fail") {
            continue;
        }
        let holds = fields[8..].iter().any(|range| {
            let (lo, hi) = range.split_once('-').unwrap_or((range, range));
            matches!((lo.parse::<u32>(), hi.parse::<u32>()), (Ok(lo), Ok(hi)) if (lo..=hi).contains(&slot))
        });
        if holds {
            let node_port: u16 = fields[1]
                .split(['@', ':'])
                .nth(1)
                .and_then(|p| p.parse().ok())
                .expect("a port");
            return (1..=6).find(|i| cluster.redis_port(*i) == node_port);
        }
    }
    None
}

/// What the test saw of one failover, for the report.
struct Phase {
    name: &'static str,
    killed: Instant,
    end: Instant,
}

impl Phase {
    /// Prints, per instance, the 503s of calls sent in the phase and the window: from the
    /// kill to the answer of the last 503.
    fn report(&self, calls: &[Call]) -> (usize, Duration) {
        let mut total = 0;
        let mut window = Duration::ZERO;
        for (side, name) in SIDES.iter().enumerate() {
            let refused: Vec<&Call> = calls
                .iter()
                .filter(|c| c.side == side && c.sent >= self.killed && c.sent < self.end)
                .filter(|c| c.status != 200)
                .collect();
            let answered = calls
                .iter()
                .filter(|c| c.side == side && c.sent >= self.killed && c.sent < self.end)
                .count();
            let last = refused
                .iter()
                .map(|c| c.answered().duration_since(self.killed))
                .max()
                .unwrap_or_default();
            let by_kind: Vec<String> = KINDS
                .iter()
                .map(|k| {
                    let n = refused.iter().filter(|c| c.kind == *k).count();
                    format!("{k:?} {n}")
                })
                .collect();
            eprintln!(
                "failover {}: instance {name}: {} of {answered} calls answered 503 ({}), the last {:.1} s after the kill",
                self.name,
                refused.len(),
                by_kind.join(", "),
                last.as_secs_f64()
            );
            total += refused.len();
            window = window.max(last);
        }
        (total, window)
    }
}

/// Step 6.
pub async fn failover_under_a_mixed_load(cluster: &Cluster, a: &TestApp, b: &TestApp) {
    let tokens = Tokens {
        admin: a.login("a_admin").await,
        lists: [a.login(LISTS[0].1).await, a.login(LISTS[1].1).await],
    };
    let load = Load {
        apps: [a, b],
        tokens,
        calls: RefCell::default(),
        stop: Cell::new(false),
    };
    let clients = futures_util::future::join_all(
        (0..2)
            .flat_map(|side| KINDS.map(|kind| (side, kind)))
            .map(|(side, kind)| load.client(side, kind)),
    );
    let (_, phases) = tokio::join!(clients, kill_and_restart(cluster, &load));
    let calls = load.calls.take();

    // Every answer a 200 or a 503 in the envelope, in time; a 200 before the first kill.
    let bound = STORE_TIMEOUT + MARGIN;
    let wrong: Vec<String> = calls
        .iter()
        .filter(|c| {
            !(c.status == 200 || (c.status == 503 && c.code == 503))
                || c.took >= bound
                || (c.answered() < phases[0].killed && c.status != 200)
        })
        .map(|c| {
            let since = |p: &Phase| {
                c.sent
                    .checked_duration_since(p.killed)
                    .map(|d| format!("{} +{:.1} s", p.name, d.as_secs_f64()))
            };
            let when = since(&phases[1])
                .or_else(|| since(&phases[0]))
                .unwrap_or_else(|| "before any kill".to_owned());
            format!(
                "{} {:?} {} sent {when}: {} after {:?} {}",
                SIDES[c.side], c.kind, c.key, c.status, c.took, c.body
            )
        })
        .collect();
    for w in wrong.iter().take(20) {
        eprintln!("failover: WRONG {w}");
    }
    assert!(
        wrong.is_empty(),
        "{} answers neither a 200 nor a 503 within {bound:?} (the first above)",
        wrong.len()
    );
    let mut lines = Vec::new();
    for phase in &phases {
        let (refused, window) = phase.report(&calls);
        lines.push(format!(
            "{}: window {:.1} s, {refused} answers 503",
            phase.name,
            window.as_secs_f64()
        ));
    }
    let slowest = calls.iter().map(|c| c.took).max().unwrap_or_default();
    let lost = every_acknowledged_write_is_there(cluster, a, b, &calls).await;
    eprintln!(
        "failover figures: {} calls; {}; slowest answer {:.2} s; writes lost: {lost}",
        calls.len(),
        lines.join("; "),
        slowest.as_secs_f64()
    );
    assert_eq!(lost, 0, "acknowledged writes lost");
}

/// The killing and restarting; stops the clients at the end. Returns the two phases.
async fn kill_and_restart(cluster: &Cluster, load: &Load<'_>) -> [Phase; 2] {
    let [a, b] = load.apps;
    sleep(Duration::from_secs(2)).await;

    // Galera node 1, A's.
    let killed = Instant::now();
    cluster.node("kill", "galera1").await;
    let named = until("A's /readyz names mysql", async || {
        ready(a).await == down("down", "up")
    })
    .await;
    eprintln!(
        "failover galera: A's /readyz said mysql down {:.1} s after the kill",
        named.duration_since(killed).as_secs_f64()
    );
    let b_ready = until("B's /readyz while node 1 is down", async || {
        ready(b).await.0 == 200
    })
    .await;
    let b_serves = until("B serves while node 1 is down", async || {
        load.serves(1, b_ready)
    })
    .await;
    eprintln!(
        "failover galera: B served every kind of call {:.1} s after the kill",
        b_serves.duration_since(killed).as_secs_f64()
    );
    let restarted = Instant::now();
    cluster.node("start", "galera1").await;
    let synced = Instant::now();
    // What A did meanwhile (each call of the load needs MariaDB, for the data or the scope).
    let (a_ok, a_refused) = load
        .calls
        .borrow()
        .iter()
        .filter(|c| c.side == 0 && c.sent >= named && c.answered() < restarted)
        .fold((0, 0), |(ok, refused), c| {
            if c.status == 200 {
                (ok + 1, refused)
            } else {
                (ok, refused + 1)
            }
        });
    eprintln!(
        "failover galera: while node 1 was down, A answered {a_ok} calls 200 and {a_refused} 503"
    );
    let both = until("both serve once node 1 is back", async || {
        load.serves(0, synced) && load.serves(1, synced)
    })
    .await;
    eprintln!(
        "failover galera: node 1 down {:.1} s, synced {:.1} s after its start; both served every kind {:.1} s later",
        restarted.duration_since(killed).as_secs_f64(),
        synced.duration_since(restarted).as_secs_f64(),
        both.duration_since(synced).as_secs_f64()
    );
    let galera = Phase {
        name: "galera node 1 killed",
        killed,
        end: both,
    };

    // The Redis master of A's first conversation.
    sleep(Duration::from_secs(1)).await;
    let (user, contact) = CONVERSATIONS[0][0];
    let master = master_of(cluster, 1, &format!("{{{user}:{contact}}}")).expect("a master");
    let other = if master == 1 { 2 } else { 1 };
    let killed = Instant::now();
    cluster.node("kill", &format!("redis{master}")).await;
    let (mut seen_a, mut seen_b) = (false, false);
    let mut answers = BTreeSet::new();
    let named = until("both /readyz name redis", async || {
        let (ra, rb) = tokio::join!(ready(a), ready(b));
        for (name, r) in [("A", &ra), ("B", &rb)] {
            if answers.insert(format!("{name} {r:?}")) {
                eprintln!(
                    "failover redis: /readyz of {name} {:.1} s after the kill: {r:?}",
                    killed.elapsed().as_secs_f64()
                );
            }
        }
        seen_a = seen_a || ra == down("up", "down");
        seen_b = seen_b || rb == down("up", "down");
        seen_a && seen_b
    })
    .await;
    let promoted = until("a replica promoted", async || {
        master_of(cluster, other, &format!("{{{user}:{contact}}}")).is_some_and(|m| m != master)
            && redis_cli(cluster.redis_port(other), &["CLUSTER", "INFO"])
                .contains("cluster_state:ok")
    })
    .await;
    let ready_again = until("both /readyz once promoted", async || {
        ready(a).await.0 == 200 && ready(b).await.0 == 200
    })
    .await;
    let kept_on = [Kind::Read, Kind::Update, Kind::Add];
    let served = until(
        "both serve reads and MariaDB writes once promoted",
        async || {
            load.serves_kinds(0, &kept_on, ready_again)
                && load.serves_kinds(1, &kept_on, ready_again)
        },
    )
    .await;
    eprintln!(
        "failover redis: /readyz named redis by {:.1} s, replica of redis{master} promoted by {:.1} s, /readyz 200 by {:.1} s, reads and MariaDB writes served by {:.1} s after the kill",
        named.duration_since(killed).as_secs_f64(),
        promoted.duration_since(killed).as_secs_f64(),
        ready_again.duration_since(killed).as_secs_f64(),
        served.duration_since(killed).as_secs_f64()
    );
    let restarted = Instant::now();
    cluster.node("start", &format!("redis{master}")).await;
    let port = cluster.redis_port(master);
    until("the old master is a replica again", async || {
        redis_cli(port, &["INFO", "replication"]).contains("master_link_status:up")
    })
    .await;
    let replica = Instant::now();
    let both = until("both serve once a replica is back", async || {
        load.serves(0, replica) && load.serves(1, replica)
    })
    .await;
    eprintln!(
        "failover redis: redis{master} started again {:.1} s after the kill, a replica {:.1} s later; both served every kind {:.1} s after that",
        restarted.duration_since(killed).as_secs_f64(),
        replica.duration_since(restarted).as_secs_f64(),
        both.duration_since(replica).as_secs_f64()
    );
    sleep(Duration::from_secs(1)).await;
    load.stop.set(true);
    [
        galera,
        Phase {
            name: "redis master killed",
            killed,
            end: both,
        },
    ]
}

/// The `field` of every item of every page (100 a page) of `path` with `query` through `app`;
/// `items` points at the items in a body (a JSON pointer).
async fn every_page(
    app: &TestApp,
    token: &str,
    path: &str,
    query: &[(&str, String)],
    items: &str,
    field: &str,
) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    let mut page = 1;
    loop {
        let page_no = page.to_string();
        let mut q: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        q.extend([("limit", "100"), ("pageNo", page_no.as_str())]);
        let r = app.get_query(path, token, &q).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        let body = r.json();
        let found = body
            .pointer(items)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if found.is_empty() {
            return all;
        }
        all.extend(
            found
                .iter()
                .filter_map(|i| i[field].as_str().map(str::to_owned)),
        );
        page += 1;
    }
}

/// Counts the acknowledged writes missing afterwards, read through the other instance and
/// directly (Galera node 3, the Redis Cluster); prints each one missing.
async fn every_acknowledged_write_is_there(
    cluster: &Cluster,
    a: &TestApp,
    b: &TestApp,
    calls: &[Call],
) -> usize {
    let apps = [a, b];
    let admin = a.login("a_admin").await;
    let node3 = cluster.galera_url(3, &db_name());
    let acked = |side: usize, kind: Kind| -> Vec<u64> {
        calls
            .iter()
            .filter(|c| c.side == side && c.kind == kind && c.status == 200)
            .map(|c| c.key)
            .collect()
    };
    let mut lost = 0;
    let mut missing = |what: String| {
        eprintln!("failover: LOST {what}");
        lost += 1;
    };
    let redis = build_cluster_pool(&cluster.redis_nodes(), &RedisSettings::default()).unwrap();
    for side in 0..2 {
        let other = apps[1 - side];
        let name = SIDES[side];

        // Updates: each customer holds one whole update of this side, no older than the last
        // one acknowledged.
        let updates = acked(side, Kind::Update);
        let page = other
            .get_query(PAGE, &admin, &[("limit", "10"), ("pageNo", "1")])
            .await;
        assert_eq!(page.status, 200, "{}", page.text());
        for (i, id) in CUSTOMERS[side].into_iter().enumerate() {
            let last = updates
                .iter()
                .filter(|k| **k % 2 == i as u64)
                .max()
                .copied();
            let (remarks, tags) = remarks_and_tags(customer_in(&page.json(), id));
            let key: Option<u64> = remarks.strip_prefix(name).and_then(|k| k.parse().ok());
            match (last, key) {
                (Some(last), Some(k)) if k >= last && tags == tags_of(k) => {}
                (None, _) => {}
                _ => missing(format!(
                    "{name}: customer {id} has {remarks:?} {tags:?}, the last update acknowledged {last:?}"
                )),
            }
            let direct = text(
                &node3,
                &format!("SELECT remarks AS s FROM customer WHERE id = {id}"),
            )
            .await;
            if direct != [remarks.clone()] {
                missing(format!(
                    "{name}: customer {id} is {direct:?} on node 3, {remarks:?} through the other"
                ));
            }
        }

        // Call-list additions.
        let (assignee, _) = LISTS[side];
        let query = [("adminUserId", assignee.to_string())];
        let listed = every_page(
            other,
            &admin,
            TASK_DETAIL,
            &query,
            "/data/data",
            "customerPhone",
        )
        .await;
        let direct: BTreeSet<String> = text(
            &node3,
            &format!(
                "SELECT customer_phone AS s FROM manual_entry WHERE admin_user_id = {assignee}"
            ),
        )
        .await
        .into_iter()
        .collect();
        let adds = acked(side, Kind::Add);
        for key in &adds {
            let p = phone(side, *key);
            if !listed.contains(&p) {
                missing(format!(
                    "{name}: call-list entry {p} not listed through the other instance"
                ));
            }
            if !direct.contains(&p) {
                missing(format!("{name}: call-list entry {p} not on node 3"));
            }
        }

        // Chat messages.
        let mut through_other = BTreeSet::new();
        let mut in_redis = BTreeSet::new();
        for &(user, contact) in CONVERSATIONS[side] {
            let query = [
                ("wechatUserIds", user.to_string()),
                ("wechatContactIds", contact.to_string()),
            ];
            through_other
                .extend(every_page(other, &admin, MESSAGES, &query, "/data", "msgId").await);
            let key = format!("{}:chat:{{{user}:{contact}}}:msg", a.config.redis_prefix);
            let ids: Vec<String> = redis
                .idempotent(async |mut c| {
                    deadpool_redis::redis::cmd("HKEYS")
                        .arg(&key)
                        .query_async(&mut c)
                        .await
                })
                .await
                .unwrap();
            in_redis.extend(ids);
        }
        let chats = acked(side, Kind::Chat);
        for key in &chats {
            for j in 0..2 {
                let id = format!("{name}{key}-{j}");
                if !through_other.contains(&id) {
                    missing(format!(
                        "{name}: message {id} not read through the other instance"
                    ));
                }
                if !in_redis.contains(&id) {
                    missing(format!("{name}: message {id} not in Redis"));
                }
            }
        }
        eprintln!(
            "failover: instance {name}: {} updates, {} call-list additions, {} chat calls ({} messages) acknowledged",
            updates.len(),
            adds.len(),
            chats.len(),
            chats.len() * 2
        );
    }
    lost
}
