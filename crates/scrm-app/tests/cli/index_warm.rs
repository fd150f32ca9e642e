//! `scrm serve` loads the biggest tenants into the customer index at start, beside the
//! requests: without a single customer list asked for, `/readyz` and `/metrics` soon show the
//! biggest tenant of a seed loaded, within the budget (`SCRM_INDEX_MAX_MB`).

use std::thread::sleep;
use std::time::{Duration, Instant};

use mysql_async::prelude::Queryable;
use scrm_test_support::{TestDatabase, TestRedis};

use crate::server::Server;
use crate::{command, scrm, text};

/// The JSON body of a response.
fn body(response: &str) -> serde_json::Value {
    let (_, body) = response.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn a_started_server_loads_the_biggest_tenant_without_a_request_within_its_budget() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let out = scrm(
        &db,
        &redis,
        &["seed", "--customers", "3000", "--tenants", "3"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(db.url()).unwrap())
        .await
        .unwrap();
    let sizes: Vec<i64> = conn
        .query(
            "SELECT CAST(SUM(live + binned) AS SIGNED) FROM customer_count \
             GROUP BY tenant_id ORDER BY 1 DESC",
        )
        .await
        .unwrap();
    drop(conn);
    assert_eq!(sizes.len(), 3);
    // What the index may hold: the biggest tenant, with or without some of the others.
    let with_biggest: Vec<i64> = (0..4)
        .map(|others: usize| {
            sizes[0]
                + (1..3)
                    .filter(|i| others & (1 << (i - 1)) != 0)
                    .map(|i| sizes[i])
                    .sum::<i64>()
        })
        .collect();

    let budget_mb = 2;
    let mut serve = command(&db, &redis, &["serve"]);
    serve.env("SCRM_INDEX_MAX_MB", budget_mb.to_string());
    let server = Server::serving(serve);
    let deadline = Instant::now() + Duration::from_secs(120);
    let index = loop {
        let ready = body(&server.get("/readyz").unwrap());
        let index = ready["data"]["index"].clone();
        if index["customers"].as_i64().unwrap_or(0) >= sizes[0] {
            break index;
        }
        assert!(Instant::now() < deadline, "never loaded: {ready}");
        sleep(Duration::from_millis(200));
    };
    assert_eq!(index["state"], "warm", "{index}");
    let customers = index["customers"].as_i64().unwrap();
    assert!(
        with_biggest.contains(&customers),
        "{index}, sizes {sizes:?}"
    );
    let bytes = index["bytes"].as_u64().unwrap();
    assert!(bytes > 0 && bytes <= budget_mb << 20, "{index}");
    let metrics = server.get("/metrics").unwrap();
    let tenants = index["tenants"].as_u64().unwrap();
    assert!(tenants >= 1);
    assert!(
        metrics.contains(&format!("scrm_index_tenants {tenants}")),
        "{metrics}"
    );
}
