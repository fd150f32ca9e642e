//! The targets of the issues, judged on the rows at [`TARGET_CONNS`] connections: a ratio to
//! the floor (issues 14 and before), a ratio to the same request with `SCRM_INDEX=off` and a
//! p99 bound (issue 16), a ratio to an equivalent case of the same run (issue 17).

use crate::report::ResultRow;

/// The connection count the targets apply to.
pub const TARGET_CONNS: usize = 16;
/// Memory the export may take: what it adds to the server under test (its RSS growth over
/// its RSS before the downloads), and the whole peak of the server with `SCRM_INDEX=off`.
pub const RSS_LIMIT_KIB: u64 = 128 * 1024;

/// The servers' memory during an export, KiB. The server under test carries the customer
/// index, loaded before the export began (some 250 MiB for 300,000 customers); that is the
/// index's memory, not the export's, so its export is judged on what it added. The server with
/// `SCRM_INDEX=off` holds nothing else, so its whole peak is judged too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportRss {
    /// The server under test: its RSS just before the downloads began.
    pub before_kib: Option<u64>,
    /// The server under test: its peak RSS during them.
    pub peak_kib: Option<u64>,
    /// The server with `SCRM_INDEX=off`: its peak RSS during its own downloads (`None` when
    /// it was not run).
    pub sql_peak_kib: Option<u64>,
}

impl ExportRss {
    /// What the export added to the server under test: its peak minus its RSS before.
    pub fn growth_kib(&self) -> Option<u64> {
        Some(self.peak_kib?.saturating_sub(self.before_kib?))
    }
}

/// KiB as MiB with one decimal.
pub fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

/// One target of a case.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// `scrm_rps >= x * floor_rps`.
    Floor(f64),
    /// The export's memory under [`RSS_LIMIT_KIB`] ([`ExportRss`]): the growth of the server
    /// under test, and the peak of the server with `SCRM_INDEX=off` when that ran (unmet when
    /// not sampled).
    PeakRss,
    /// `scrm_rps >= x * sql_rps`: the index against the same server with `SCRM_INDEX=off`.
    Index(f64),
    /// The p99 latency through scrm under this many milliseconds.
    P99Under(f64),
    /// `scrm_rps >= x *` the `scrm_rps` of the named case at the same connection count.
    Versus { case: String, at_least: f64 },
}

/// A target's outcome on one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// `None` when it cannot be judged (the other side was not measured).
    pub met: Option<bool>,
    /// The target and the measured value, for the table.
    pub text: String,
}

impl Target {
    /// The short name of its kind, for the summary line.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Floor(_) | Self::PeakRss => "floor",
            Self::Index(_) => "index",
            Self::P99Under(_) => "p99",
            Self::Versus { .. } => "q",
        }
    }

    /// Judges `row` (whose memory is `rss`, the export only) among all rows of the run.
    pub fn judge(&self, row: &ResultRow, rss: Option<&ExportRss>, all: &[ResultRow]) -> Verdict {
        let at_least = |v: Option<f64>, x: f64| v.map(|v| v >= x);
        match self {
            Self::Floor(x) => verdict(at_least(row.ratio, *x), format!("floor >= {x}")),
            Self::PeakRss => {
                let rss = rss.copied().unwrap_or_default();
                let under = |k: Option<u64>| k.is_some_and(|k| k < RSS_LIMIT_KIB);
                let growth = rss.growth_kib();
                let shown = |k: Option<u64>| k.map_or_else(|| "?".to_owned(), mib);
                let mut what = format!("RSS growth < 128 MiB ({})", shown(growth));
                let mut met = under(growth);
                if rss.sql_peak_kib.is_some() {
                    what.push_str(&format!(
                        ", SCRM_INDEX=off peak < 128 MiB ({})",
                        shown(rss.sql_peak_kib)
                    ));
                    met &= under(rss.sql_peak_kib);
                }
                verdict(Some(met), what)
            }
            // SQL that answered nothing in the run (every request outlasted it) is beaten by
            // any answer; `index_ratio` stays 0 there (a ratio over 0 rps), so judge the rates.
            Self::Index(x) if row.sql_rps == Some(0.0) && row.scrm_rps > 0.0 => verdict(
                Some(true),
                format!("index >= {x}x SQL: SQL answered nothing in the run"),
            ),
            Self::Index(x) => verdict(at_least(row.index_ratio, *x), format!("index >= {x}x SQL")),
            Self::P99Under(ms) => verdict(Some(row.scrm_p99_ms < *ms), format!("p99 < {ms} ms")),
            Self::Versus { case, at_least: x } => {
                let other = all
                    .iter()
                    .find(|r| r.case == *case && r.conns == row.conns)
                    .filter(|r| r.scrm_rps > 0.0)
                    .map(|r| row.scrm_rps / r.scrm_rps);
                let seen = other.map_or_else(|| "not run".to_owned(), |v| format!("{v:.2}x"));
                verdict(
                    at_least(other, *x),
                    format!("rps >= {x}x \"{case}\" ({seen})"),
                )
            }
        }
    }
}

fn verdict(met: Option<bool>, what: String) -> Verdict {
    let word = match met {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "not judged",
    };
    Verdict {
        met,
        text: format!("{word} ({what})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(case: &str, scrm: f64, p99: f64, floor: Option<f64>, sql: Option<f64>) -> ResultRow {
        ResultRow {
            case: case.to_owned(),
            conns: TARGET_CONNS,
            scrm_rps: scrm,
            scrm_p50_ms: p99 / 2.0,
            scrm_p99_ms: p99,
            floor_rps: floor,
            ratio: floor.map(|f| scrm / f),
            sql_rps: sql,
            index_ratio: sql.map(|s| scrm / s),
            bare_rps: None,
        }
    }

    #[test]
    fn floor_index_and_p99_targets() {
        let r = row("tag", 100.0, 80.0, Some(200.0), Some(9.0));
        let judge = |t: Target| t.judge(&r, None, &[]).met;
        assert_eq!(judge(Target::Floor(0.5)), Some(true));
        assert_eq!(judge(Target::Floor(0.6)), Some(false));
        assert_eq!(judge(Target::Index(10.0)), Some(true));
        assert_eq!(judge(Target::Index(12.0)), Some(false));
        assert_eq!(judge(Target::P99Under(100.0)), Some(true));
        assert_eq!(judge(Target::P99Under(80.0)), Some(false));
        // Without a floor or an SQL run there is nothing to judge.
        let bare = row("q", 100.0, 1.0, None, None);
        assert_eq!(Target::Floor(0.1).judge(&bare, None, &[]).met, None);
        assert_eq!(Target::Index(0.9).judge(&bare, None, &[]).met, None);
        // SQL answered nothing within the run: any answer from the index beats it; none does
        // not.
        let stalled = row("q", 40.0, 500.0, None, Some(0.0));
        assert_eq!(
            Target::Index(10.0).judge(&stalled, None, &[]).met,
            Some(true)
        );
        let both_stalled = row("q", 0.0, 500.0, None, Some(0.0));
        assert_eq!(
            Target::Index(0.9).judge(&both_stalled, None, &[]).met,
            Some(false)
        );
    }

    #[test]
    fn the_export_is_judged_on_its_rss_growth_and_the_sql_servers_peak() {
        let r = row("downLoad whole tenant", 80.0, 1.0, Some(100.0), None);
        let t = Target::PeakRss;
        let rss = |before, peak, sql| ExportRss {
            before_kib: Some(before),
            peak_kib: Some(peak),
            sql_peak_kib: sql,
        };
        // A server holding a 300 MiB index whose export adds 40 MiB: met.
        let indexed = rss(300_000, 340_000, Some(50_000));
        let v = t.judge(&r, Some(&indexed), &[]);
        assert_eq!(v.met, Some(true), "{}", v.text);
        assert!(
            v.text.contains("(39.1)") && v.text.contains("(48.8)"),
            "{}",
            v.text
        );
        // The export itself growing by 140 MiB, or the SQL server peaking at 140 MiB: missed.
        assert_eq!(
            t.judge(&r, Some(&rss(300_000, 440_000, None)), &[]).met,
            Some(false)
        );
        assert_eq!(
            t.judge(&r, Some(&rss(20_000, 60_000, Some(140_000))), &[])
                .met,
            Some(false)
        );
        // Without an SQL server, the growth alone.
        assert_eq!(
            t.judge(&r, Some(&rss(20_000, 60_000, None)), &[]).met,
            Some(true)
        );
        // Not sampled: missed.
        assert_eq!(t.judge(&r, None, &[]).met, Some(false));
        let unsampled = ExportRss::default();
        assert_eq!(t.judge(&r, Some(&unsampled), &[]).met, Some(false));
    }

    #[test]
    fn versus_compares_with_the_other_case_at_the_same_connections() {
        let name = row("name: common surname", 100.0, 1.0, None, None);
        let mut one_conn = row("name: common surname", 1000.0, 1.0, None, None);
        one_conn.conns = 1;
        let all = [one_conn, name];
        let q = row("q: surname", 60.0, 1.0, None, None);
        let t = |x| Target::Versus {
            case: "name: common surname".into(),
            at_least: x,
        };
        let v = t(0.5).judge(&q, None, &all);
        assert_eq!(v.met, Some(true));
        assert!(v.text.contains("0.60x"), "{}", v.text);
        assert_eq!(t(0.7).judge(&q, None, &all).met, Some(false));
        assert_eq!(t(0.5).judge(&q, None, &[]).met, None);
    }
}
