//! The customer index on Galera (issue 16, "exact across instances"): instance A (node 1)
//! answers lists from its index while writers on every node change them, one of them a
//! transaction on node 3 held open while nodes 1 and 2 commit higher log numbers.

use std::cell::Cell;
use std::time::{Duration, Instant};

use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use scrm_e2e::{Reply, TestApp, tags_of};
use serde_json::{Value, json};

use crate::cluster::Cluster;
use crate::galera::{PAGE, UPDATE, db_name};

/// Rounds of the test, each with a transaction on node 3 held open.
const ROUNDS: u64 = 3;
/// Updates of each writer in a round.
const UPDATES: u64 = 8;
/// How long node 3's transaction stays open in the first round: longer than the 10 s the
/// reader used to wait for another node's numbers before it took them for never coming (the
/// log's lanes need no wait: migration `2026-12-10-000001`); 1.5 s in the other rounds.
const LONG_HOLD: Duration = Duration::from_secs(12);
const HOLD: Duration = Duration::from_millis(1500);

fn page(reply: &Reply) -> (u64, Vec<i64>) {
    assert_eq!(reply.status, 200, "{}", reply.text());
    (
        reply.json()["count"].as_u64().expect("a count"),
        scrm_e2e::ids(reply),
    )
}

/// A's `/readyz` index report.
async fn index_of(app: &TestApp) -> Value {
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["data"]["index"].clone()
}

/// Until A's index has loaded tenant 1 (a list starts the load; SQL answers meanwhile).
async fn warm(app: &TestApp, token: &str) {
    let started = Instant::now();
    loop {
        page(&app.get_query(PAGE, token, &[("limit", "10")]).await);
        let index = index_of(app).await;
        if index["state"] == "warm" {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "A's index never loaded: {index}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A server over A's database on node 1 with the index off: SQL's answers.
async fn sql_instance(a: &TestApp) -> TestApp {
    let mut config = a.config.clone();
    config.index = false;
    let stores = scrm_app::open_stores(&config).await.expect("stores");
    crate::instance::serve(config, stores)
}

/// Writers through B (node 2: customers 6001, 6002) and A (node 1: 6003) rename and re-tag
/// their customer; after each acknowledged write A's list by the new name answers exactly
/// that customer. Meanwhile node 3 holds a transaction that gives or takes tag 1001 of
/// customer 6004 (contact 5004) and commits it mid-way: A's tag list has the change at once,
/// although its log number is below numbers A read before. Then A's counts of every filter
/// equal SQL's, and A's `/readyz` reports the index warm and not behind.
pub async fn the_index_is_exact_while_every_node_writes(
    cluster: &Cluster,
    a: &TestApp,
    b: &TestApp,
) {
    let started = Instant::now();
    let token = a.login("a_admin").await;
    warm(a, &token).await;
    let sql = sql_instance(a).await;
    let node3 = cluster.galera_url(3, &db_name());
    let tagged = |tag: &'static str| [("tagIds", tag), ("limit", "50")];
    for round in 0..ROUNDS {
        let give = !page(&a.get_query(PAGE, &token, &tagged("1001")).await)
            .1
            .contains(&6004);
        let mut held = AsyncMysqlConnection::establish(&node3).await.unwrap();
        diesel::sql_query("BEGIN").execute(&mut held).await.unwrap();
        let change = if give {
            "INSERT INTO contact_tag (contact_id, tag_id, tenant_id, admin_user_id) \
             VALUES (5004, 1001, 1, 1)"
        } else {
            "DELETE FROM contact_tag WHERE contact_id = 5004 AND tag_id = 1001"
        };
        assert_eq!(
            diesel::sql_query(change).execute(&mut held).await.unwrap(),
            1
        );

        let written = Cell::new(0_u64);
        let writers =
            [(b, 6001_i64, "b1"), (b, 6002, "b2"), (a, 6003, "a1")].map(|(app, id, who)| {
                let (token, written) = (token.clone(), &written);
                async move {
                    for k in 0..UPDATES {
                        let name = format!("gx{who}r{round}u{k}");
                        let body = json!({"customerId": id, "customerName": name,
                            "tags": tags_of(round * UPDATES + k)});
                        // A 503 (a certification conflict lost more often than the
                        // server retries it: writers on three nodes) changed nothing; the
                        // writer sends it again, as a client does.
                        let mut r = app.post_json(UPDATE, Some(&token), body.clone()).await;
                        for _ in 0..5 {
                            if r.status != 503 {
                                break;
                            }
                            r = app.post_json(UPDATE, Some(&token), body.clone()).await;
                        }
                        assert_eq!(r.status, 200, "{who} update {k}: {}", r.text());
                        written.set(written.get() + 1);
                        let found = a
                            .get_query(PAGE, &token, &[("customerName", &name), ("limit", "10")])
                            .await;
                        assert_eq!(page(&found), (1, vec![id]), "A reads {who}'s {name}");
                    }
                }
            });
        let committer = async {
            let opened = Instant::now();
            // Once the writers have committed higher numbers, and a while after.
            let hold = if round == 0 { LONG_HOLD } else { HOLD };
            // A reads its tag list meanwhile (each read a catch-up of its index): the change
            // is not there while it has not committed.
            while written.get() < UPDATES || opened.elapsed() < hold {
                let ids = page(&a.get_query(PAGE, &token, &tagged("1001")).await).1;
                assert_eq!(
                    ids.contains(&6004),
                    !give,
                    "round {round}: node 3's change is not in A's list before it commits"
                );
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            diesel::sql_query("COMMIT")
                .execute(&mut held)
                .await
                .unwrap();
            let ids = page(&a.get_query(PAGE, &token, &tagged("1001")).await).1;
            assert_eq!(
                ids.contains(&6004),
                give,
                "round {round}: A has node 3's late commit at once: {ids:?}"
            );
        };
        futures_util::future::join(futures_util::future::join_all(writers), committer).await;

        for filter in [
            vec![("limit", "50")],
            tagged("1000").to_vec(),
            tagged("1001").to_vec(),
            vec![("customerName", "gx"), ("limit", "50")],
            vec![("customerName", "gxb"), ("limit", "50")],
            vec![("customerPhone", "186"), ("limit", "50")],
        ] {
            let by_index = page(&a.get_query(PAGE, &token, &filter).await);
            let by_sql = page(&sql.get_query(PAGE, &token, &filter).await);
            assert_eq!(
                by_index, by_sql,
                "round {round}, {filter:?}: A's index and SQL"
            );
        }
        let index = index_of(a).await;
        assert_eq!(
            (&index["state"], &index["behind"]),
            (&json!("warm"), &json!(0)),
            "round {round}: {index}"
        );
        let since = index["sinceCatchUpSecs"].as_f64().expect("caught up");
        assert!(since < 5.0, "A's index caught up just now: {index}");
    }
    eprintln!(
        "index on Galera: {ROUNDS} rounds of {} writes through nodes 1 and 2 and one held on \
         node 3, every count exact, in {:?}",
        3 * UPDATES,
        started.elapsed()
    );
}
