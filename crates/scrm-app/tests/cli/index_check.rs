//! `scrm index check`: clean on the seeded demo data in every scope, and a clear failure for a
//! tenant that does not exist. (A planted difference is found in tests/index, which keeps
//! one index loaded while a write bypasses the change log.)

use scrm_test_support::{TestDatabase, TestRedis};

use crate::{scrm, text};

#[tokio::test]
async fn the_index_agrees_with_sql_on_the_seeded_demo_data() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let out = scrm(&db, &redis, &["seed", "--tenants", "2", "--contacts", "60"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = scrm(&db, &redis, &["index", "check"]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(!printed.contains("DIFFERENT"), "{printed}");
    let summary = printed
        .lines()
        .find(|l| l.ends_with(" differences"))
        .unwrap_or_else(|| panic!("no summary in {printed}"));
    let numbers: Vec<usize> = summary
        .split_whitespace()
        .filter_map(|w| w.trim_matches(['(', ')']).parse().ok())
        .collect();
    assert_eq!(numbers.len(), 4, "{summary}");
    assert_eq!(numbers[0], 2, "two tenants: {summary}");
    // Every tag, name, phone and time case and the bin, in every scope of both tenants,
    // nearly all answered by the index.
    assert!(numbers[1] >= 50, "{summary}");
    assert!(numbers[2] * 10 < numbers[1], "{summary}");
    assert_eq!(numbers[3], 0, "{summary}");
}

#[tokio::test]
async fn an_unknown_tenant_fails_naming_it() {
    let db = TestDatabase::unborn();
    let redis = TestRedis::new();
    let out = scrm(&db, &redis, &["migrate"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = scrm(&db, &redis, &["index", "check", "--tenant", "987654"]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("no tenant (main account) 987654"),
        "{}",
        text(&out)
    );
}
