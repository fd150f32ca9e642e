//! scrm on a real Galera cluster and a real Redis Cluster: `scripts/cluster.sh up` brings up
//! a 3-node MariaDB Galera cluster and a 3+3 Redis Cluster once for this binary (in a folder
//! of its own), which runs its steps in order in one test and takes both down at the end. If
//! the script fails, the test fails. Instances A (Galera node 1) and B (node 2) share the
//! Redis Cluster (`SCRM_REDIS_CLUSTER_NODES`, `SCRM_REDIS_WAIT_REPLICAS=1`). Each step says
//! what it proves:
//!
//! 1. `both_instances_start_at_once_and_migrate_once`: instance A on node 1 and instance B on
//!    node 2 open the same fresh database at the same moment: both migrate without error,
//!    every migration is recorded once, the migration lock is released, and every table has
//!    a primary key and is InnoDB (what Galera replicates).
//! 2. `a_write_through_one_node_is_read_through_the_other`: a session from A works on B;
//!    writes through A are read through B at once: a customer update (B's list, its total
//!    and the exact counts of the tags it gave and took away; node 3 directly), a chat
//!    message, the after-call switch and an entry added to a call list (list and count).
//! 3. `concurrent_updates_through_two_nodes`: writers on A and B update the same customers at
//!    the same moment: every answer is a 200 or a 503 (a certification conflict that stayed
//!    one after the retries), never a 500, and each customer ends with the remarks and tags
//!    of one complete update.
//! 4. `the_index_is_exact_while_every_node_writes` (`index`): writers through B (node 2) and
//!    A (node 1) rename and re-tag customers while node 3 holds a transaction that changes a
//!    tag and commits it after them; after every write A's list, answered by A's customer
//!    index, has it at once (node 3's late commit below numbers A read before included), A's
//!    counts equal SQL's and `/readyz` reports the index warm and not behind; three rounds.
//! 5. `the_redis_contracts_hold_on_the_redis_cluster`: every Redis contract suite of
//!    `scrm-test-support` on the 3+3 Redis Cluster (`SCRM_REDIS_CLUSTER_NODES`); a
//!    `CROSSSLOT` anywhere fails it.
//! 6. `chat_ingest_waits_for_the_replicas`: an instance on the Redis Cluster with
//!    `SCRM_REDIS_WAIT_REPLICAS=5` (more replicas than exist) answers chat ingest with a 503;
//!    with 1, the re-sent batch is taken and read back.
//! 7. `the_end_to_end_suite_passes_on_the_clusters` (`e2e`): the black-box suite (the `e2e`
//!    binary, its MariaDB tests) as a child process, its servers on node 1, its direct reads
//!    and writes through node 3, its keys on the Redis Cluster; a failed test fails this one
//!    with its name and output.
//! 8. `failover_under_a_mixed_load` (`failover`): reads, customer updates, call-list
//!    additions and chat ingest through A and B while Galera node 1 (A's) is killed and
//!    started again, then a Redis master is killed (its replica takes over) and started again
//!    (it comes back as a replica): every answer a 200 or a 503 in the envelope within the
//!    store timeout plus 3 s, `/readyz` naming the store, B serving while A's node is down,
//!    both serving again by themselves, and every acknowledged write read back through the
//!    other instance and directly (node 3, the Redis Cluster). It prints the figures
//!    (`failover figures: ...`) that docs/scaling.md quotes.
//!
//! Beside it (`watch`), five quick tests of the script's clean-up when a test run that brought
//! a cluster up is killed before it takes it down: the watcher `up` leaves behind (it has
//! `SCRM_CLUSTER_OWNER` from `Cluster::up`) and `scripts/cluster.sh reap`.

#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests: a broken environment or a failed step should stop the test loudly"
)]

mod cluster;
mod e2e;
mod failover;
mod galera;
mod index;
mod instance;
mod redis_cluster;
mod watch;

#[actix_web::test]
async fn scrm_on_a_galera_and_a_redis_cluster() {
    // The servers' log (RUST_LOG, else info), shown when the test fails: a 500 in the
    // concurrent updates through two nodes was seen once (2026-12-07) without its cause.
    scrm_app::init_logging(&scrm_app::Config::default());
    let cluster = cluster::Cluster::up();
    let started = std::time::Instant::now();
    let (a, b) = galera::both_instances_start_at_once_and_migrate_once(&cluster).await;
    galera::a_write_through_one_node_is_read_through_the_other(&cluster, &a, &b).await;
    galera::concurrent_updates_through_two_nodes(&a, &b).await;
    index::the_index_is_exact_while_every_node_writes(&cluster, &a, &b).await;
    redis_cluster::the_redis_contracts_hold_on_the_redis_cluster(&cluster);
    redis_cluster::chat_ingest_waits_for_the_replicas().await;
    e2e::the_end_to_end_suite_passes_on_the_clusters(&cluster);
    failover::failover_under_a_mixed_load(&cluster, &a, &b).await;
    eprintln!("cluster steps took {:?}", started.elapsed());
}
