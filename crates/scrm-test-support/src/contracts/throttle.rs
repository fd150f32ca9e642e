//! The `LoginThrottle` contract: an attempt is counted on its login name and on its client
//! address when admitted; past either limit attempts are refused with the seconds left in the
//! fuller window, and a refused attempt counts against neither; other names and addresses are
//! unaffected; a success clears the name's count and takes its one attempt back off the
//! address; parallel attempts cannot overshoot a limit; windows end. Names and addresses are
//! opaque strings of any content. The factory takes the `ThrottleLimits`.

use std::time::Duration;

use scrm_domain::throttle::{Limit, LoginThrottle, ThrottleLimits};

use super::Guarded;

/// A minute: long enough that no window of these tests ends by itself.
const MINUTE: Duration = Duration::from_secs(60);

fn limits(per_name: u32, per_addr: u32, window: Duration) -> ThrottleLimits {
    ThrottleLimits {
        per_name: Limit::new(per_name, window),
        per_addr: Limit::new(per_addr, window),
    }
}

/// Whether `n` attempts of `name` from `addr` are all admitted.
async fn admitted(throttle: &dyn LoginThrottle, name: &str, addr: &str, n: usize) -> bool {
    for _ in 0..n {
        if throttle.admit(name, addr).await.unwrap().is_some() {
            return false;
        }
    }
    true
}

/// The retry-after of a refused attempt, checked to be within `1..=max_secs`.
async fn refused(throttle: &dyn LoginThrottle, name: &str, addr: &str, max_secs: u64) -> u64 {
    let retry = throttle
        .admit(name, addr)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{name} from {addr} is admitted"));
    assert!((1..=max_secs).contains(&retry.0), "{retry:?}");
    retry.0
}

pub async fn a_name_is_refused_past_its_limit_from_any_address(
    factory: impl AsyncFn(ThrottleLimits) -> Guarded<dyn LoginThrottle>,
) {
    let throttle = factory(limits(3, 100, MINUTE)).await;
    assert!(admitted(&*throttle, "li", "10.0.0.1", 3).await);
    let retry = refused(&*throttle, "li", "10.0.0.1", 60).await;
    assert!(retry >= 55, "most of the window is left: {retry}");
    refused(&*throttle, "li", "10.0.0.2", 60).await;
    // Names are opaque: case, spaces, Redis-ish and CJK characters, any length.
    for other in [
        "Li",
        "li ",
        "wang",
        "li:*",
        "{li}",
        "李 華",
        &"x".repeat(2000),
        "",
    ] {
        assert!(
            admitted(&*throttle, other, "10.0.0.1", 3).await,
            "{other:?} has a count of its own"
        );
    }
}

pub async fn an_address_is_refused_past_its_limit_whatever_the_name(
    factory: impl AsyncFn(ThrottleLimits) -> Guarded<dyn LoginThrottle>,
) {
    let throttle = factory(limits(2, 3, MINUTE)).await;
    for name in ["a", "b", "c"] {
        assert!(admitted(&*throttle, name, "10.0.0.1", 1).await);
    }
    refused(&*throttle, "d", "10.0.0.1", 60).await;
    refused(&*throttle, "d", "10.0.0.1", 60).await;
    for (name, addr) in [
        ("e", "10.0.0.2"),
        ("f", "2001:db8::/64"),
        ("g", "unknown"),
        ("h", "地址 {x}:*"),
    ] {
        assert!(admitted(&*throttle, name, addr, 2).await, "{addr}");
    }
    // The refused attempts of `d` did not count on `d`: it still has its 2 attempts.
    assert!(admitted(&*throttle, "d", "10.0.0.3", 2).await);
    refused(&*throttle, "d", "10.0.0.3", 60).await;
}

pub async fn a_success_clears_the_name_but_takes_back_only_its_own_attempt_from_the_address(
    factory: impl AsyncFn(ThrottleLimits) -> Guarded<dyn LoginThrottle>,
) {
    let throttle = factory(limits(3, 5, MINUTE)).await;
    // Two failures and a success: `li` 3, the address 3, then 0 and 2.
    assert!(admitted(&*throttle, "li", "10.0.0.1", 3).await);
    throttle.record_success("li", "10.0.0.1").await.unwrap();
    // `li` has its 3 attempts again; the address reaches 5 with them.
    assert!(admitted(&*throttle, "li", "10.0.0.1", 3).await);
    refused(&*throttle, "li", "10.0.0.1", 60).await;
    refused(&*throttle, "wang", "10.0.0.1", 60).await;
    // A success of a name without failures, or from another address, changes nothing else.
    throttle.record_success("wang", "10.0.0.9").await.unwrap();
    refused(&*throttle, "wang", "10.0.0.1", 60).await;
}

pub async fn parallel_attempts_cannot_pass_a_limit(
    factory: impl AsyncFn(ThrottleLimits) -> Guarded<dyn LoginThrottle>,
) {
    let throttle = factory(limits(3, 1000, MINUTE)).await;
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let throttle = throttle.port.clone();
            let addr = format!("10.0.1.{i}");
            tokio::spawn(async move { throttle.admit("li", &addr).await })
        })
        .collect();
    let mut admitted = 0;
    for task in tasks {
        if task.await.unwrap().unwrap().is_none() {
            admitted += 1;
        }
    }
    assert_eq!(admitted, 3);
}

pub async fn windows_end_and_refused_attempts_do_not_stretch_them(
    factory: impl AsyncFn(ThrottleLimits) -> Guarded<dyn LoginThrottle>,
) {
    let throttle = factory(limits(3, 5, Duration::from_secs(2))).await;
    assert!(admitted(&*throttle, "li", "10.0.0.1", 3).await);
    assert!(admitted(&*throttle, "wang", "10.0.0.1", 2).await);
    refused(&*throttle, "li", "10.0.0.2", 2).await;
    refused(&*throttle, "zhao", "10.0.0.1", 2).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    // Refused again half-way: neither window starts over.
    refused(&*throttle, "li", "10.0.0.2", 1).await;
    refused(&*throttle, "zhao", "10.0.0.1", 1).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(
        admitted(&*throttle, "li", "10.0.0.1", 3).await,
        "name window ended"
    );
    assert!(admitted(&*throttle, "zhao", "10.0.0.1", 1).await);
    refused(&*throttle, "li", "10.0.0.1", 2).await;
}
