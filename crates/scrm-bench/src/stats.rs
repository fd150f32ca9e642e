//! Aggregation of one run: requests per second and latency percentiles from the latencies of
//! every completed request (nearest-rank, so a percentile is always an observed value).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What one run of one side (scrm or its floor) measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Completed operations per second (requests, or rows for exports).
    pub rps: f64,
    /// Median latency of one operation, milliseconds.
    pub p50_ms: f64,
    /// 99th percentile latency, milliseconds.
    pub p99_ms: f64,
    /// Operations completed.
    pub count: u64,
    /// Operations that failed (not counted in `rps`).
    pub errors: u64,
}

/// The `p`-th percentile (0 < p <= 100) of sorted values by nearest rank; `None` when empty.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil();
    // `rank` lies in 1..=len for 0 < p <= 100; clamp guards against p outside that range.
    let index = (rank as usize).clamp(1, sorted.len()) - 1;
    sorted.get(index).copied()
}

/// Summarises latencies (in any order) gathered over `elapsed`.
pub fn summarize(mut latencies: Vec<Duration>, errors: u64, elapsed: Duration) -> Summary {
    latencies.sort_unstable();
    let ms: Vec<f64> = latencies.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    let secs = elapsed.as_secs_f64();
    Summary {
        rps: if secs > 0.0 {
            ms.len() as f64 / secs
        } else {
            0.0
        },
        p50_ms: percentile(&ms, 50.0).unwrap_or(0.0),
        p99_ms: percentile(&ms, 99.0).unwrap_or(0.0),
        count: ms.len() as u64,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), Some(50.0));
        assert_eq!(percentile(&v, 99.0), Some(99.0));
        assert_eq!(percentile(&v, 100.0), Some(100.0));
        assert_eq!(percentile(&[7.0], 99.0), Some(7.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0], 50.0), Some(2.0));
        assert_eq!(percentile(&[1.0, 2.0], 50.0), Some(1.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn summary_of_unsorted_latencies() {
        let lat: Vec<Duration> = [30, 10, 20, 40].map(Duration::from_millis).to_vec();
        let s = summarize(lat, 2, Duration::from_secs(2));
        assert!((s.rps - 2.0).abs() < 1e-9);
        assert!((s.p50_ms - 20.0).abs() < 1e-9);
        assert!((s.p99_ms - 40.0).abs() < 1e-9);
        assert_eq!((s.count, s.errors), (4, 2));
    }

    #[test]
    fn summary_of_nothing_is_zero() {
        let s = summarize(Vec::new(), 0, Duration::ZERO);
        assert_eq!((s.rps, s.p50_ms, s.p99_ms, s.count), (0.0, 0.0, 0.0, 0));
    }
}
