//! The results: one row per case variant and connection count, `results.json` in the shape
//! of the issue, the printed table, and the generated part of `docs/benchmarks.md` (the date,
//! the machine, the table and the targets met or missed at 16 connections).

use serde::Serialize;

use crate::stats::Summary;

/// One entry of `target/bench/results.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultRow {
    pub case: String,
    pub conns: usize,
    pub scrm_rps: f64,
    pub scrm_p50_ms: f64,
    pub scrm_p99_ms: f64,
    pub floor_rps: f64,
    /// `scrm_rps / floor_rps` (0 when the floor did nothing).
    pub ratio: f64,
}

/// A measured case variant: the row plus what the report needs beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub row: ResultRow,
    pub group: u8,
    /// Peak RSS of the server during the export (case 8), KiB.
    pub peak_rss_kib: Option<u64>,
}

/// The connection count the targets apply to.
pub const TARGET_CONNS: usize = 16;
/// Peak RSS allowed during the export.
pub const RSS_LIMIT_KIB: u64 = 128 * 1024;

fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

impl ResultRow {
    /// A row from both sides' summaries.
    pub fn new(case: &str, conns: usize, scrm: &Summary, floor: &Summary) -> Self {
        let ratio = if floor.rps > 0.0 {
            scrm.rps / floor.rps
        } else {
            0.0
        };
        Self {
            case: case.to_owned(),
            conns,
            scrm_rps: round(scrm.rps, 1),
            scrm_p50_ms: round(scrm.p50_ms, 3),
            scrm_p99_ms: round(scrm.p99_ms, 3),
            floor_rps: round(floor.rps, 1),
            ratio: round(ratio, 3),
        }
    }
}

/// The target ratio of a case number of the issue.
pub fn target(group: u8) -> f64 {
    match group {
        1 => 0.4,
        8 => 0.7,
        10 => 0.3,
        _ => 0.25,
    }
}

/// Whether a measured row meets its target (only rows at `TARGET_CONNS` are judged).
pub fn verdict(m: &Measured) -> Option<bool> {
    (m.row.conns == TARGET_CONNS).then(|| {
        let rss_ok = m.group != 8 || m.peak_rss_kib.is_some_and(|k| k < RSS_LIMIT_KIB);
        m.row.ratio >= target(m.group) && rss_ok
    })
}

/// `results.json`: the rows in order.
///
/// # Errors
/// Never in practice (plain numbers and strings).
pub fn json(measured: &[Measured]) -> serde_json::Result<String> {
    let rows: Vec<&ResultRow> = measured.iter().map(|m| &m.row).collect();
    serde_json::to_string_pretty(&rows)
}

fn verdict_text(m: &Measured) -> String {
    match verdict(m) {
        None => String::new(),
        Some(ok) => format!(
            "{} (>= {})",
            if ok { "met" } else { "MISSED" },
            target(m.group)
        ),
    }
}

fn rss_text(m: &Measured) -> String {
    m.peak_rss_kib
        .map(|k| format!("{:.1}", k as f64 / 1024.0))
        .unwrap_or_default()
}

/// The table as Markdown (printed and put in the docs).
pub fn table(measured: &[Measured]) -> String {
    let mut out = String::from(
        "| # | case | conns | scrm rps | p50 ms | p99 ms | floor rps | ratio | peak RSS MiB | target |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for m in measured {
        let r = &m.row;
        out.push_str(&format!(
            "| {} | {} | {} | {:.1} | {:.2} | {:.2} | {:.1} | {:.3} | {} | {} |\n",
            m.group,
            r.case,
            r.conns,
            r.scrm_rps,
            r.scrm_p50_ms,
            r.scrm_p99_ms,
            r.floor_rps,
            r.ratio,
            rss_text(m),
            verdict_text(m),
        ));
    }
    out
}

/// The generated section of `docs/benchmarks.md`.
pub fn markdown(measured: &[Measured], header: &str) -> String {
    let judged: Vec<&Measured> = measured.iter().filter(|m| verdict(m).is_some()).collect();
    let missed: Vec<&str> = judged
        .iter()
        .filter(|m| verdict(m) == Some(false))
        .map(|m| m.row.case.as_str())
        .collect();
    let mut out = String::from(header);
    out.push('\n');
    out.push_str(&table(measured));
    out.push_str(&format!(
        "\nTargets at {TARGET_CONNS} connections: {} of {} met.",
        judged.len() - missed.len(),
        judged.len()
    ));
    if !missed.is_empty() {
        out.push_str(&format!(" Missed: {}.", missed.join("; ")));
    }
    out.push('\n');
    out
}

/// Replaces the text between the markers of `doc` with `section` (appends them when missing).
pub fn splice(doc: &str, section: &str) -> String {
    const BEGIN: &str = "<!-- bench:begin (written by make bench) -->";
    const END: &str = "<!-- bench:end -->";
    let block = format!("{BEGIN}\n{section}{END}");
    match (doc.find(BEGIN), doc.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{block}{}", &doc[..b], &doc[e + END.len()..]),
        _ => format!("{doc}\n{block}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(rps: f64) -> Summary {
        Summary {
            rps,
            p50_ms: 1.23456,
            p99_ms: 9.87654,
            count: 10,
            errors: 0,
        }
    }

    fn measured(group: u8, conns: usize, scrm: f64, floor: f64, rss: Option<u64>) -> Measured {
        Measured {
            row: ResultRow::new("c", conns, &summary(scrm), &summary(floor)),
            group,
            peak_rss_kib: rss,
        }
    }

    #[test]
    fn results_json_has_exactly_the_fields_of_the_issue() {
        let json = json(&[measured(2, 16, 300.0, 1000.0, None)]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let obj = v.as_array().unwrap()[0].as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "case",
                "conns",
                "floor_rps",
                "ratio",
                "scrm_p50_ms",
                "scrm_p99_ms",
                "scrm_rps"
            ]
        );
        assert_eq!(obj["ratio"], 0.3);
        assert_eq!(obj["scrm_p50_ms"], 1.235);
        assert_eq!(obj["conns"], 16);
    }

    #[test]
    fn ratio_of_a_zero_floor_is_zero() {
        assert_eq!(measured(2, 1, 5.0, 0.0, None).row.ratio, 0.0);
    }

    #[test]
    fn targets_are_judged_at_16_connections_only() {
        assert_eq!(verdict(&measured(1, 1, 1.0, 100.0, None)), None);
        assert_eq!(verdict(&measured(1, 16, 40.0, 100.0, None)), Some(true));
        assert_eq!(verdict(&measured(1, 16, 39.0, 100.0, None)), Some(false));
        assert_eq!(verdict(&measured(9, 16, 25.0, 100.0, None)), Some(true));
        assert_eq!(verdict(&measured(10, 16, 29.0, 100.0, None)), Some(false));
        // The export also needs its peak RSS under 128 MiB.
        assert_eq!(
            verdict(&measured(8, 16, 80.0, 100.0, Some(100_000))),
            Some(true)
        );
        assert_eq!(
            verdict(&measured(8, 16, 80.0, 100.0, Some(140_000))),
            Some(false)
        );
        assert_eq!(verdict(&measured(8, 16, 80.0, 100.0, None)), Some(false));
    }

    #[test]
    fn markdown_counts_misses_and_splices_between_markers() {
        let m = [
            measured(2, 16, 300.0, 1000.0, None),
            measured(3, 16, 100.0, 1000.0, None),
        ];
        let md = markdown(&m, "header");
        assert!(md.contains("1 of 2 met"), "{md}");
        assert!(md.contains("MISSED"), "{md}");
        let doc = splice("# Title\n\nprose\n", "one\n");
        assert!(doc.starts_with("# Title\n\nprose\n"));
        let again = splice(&doc, "two\n");
        assert!(
            again.contains("two\n") && !again.contains("one\n"),
            "{again}"
        );
        assert!(again.starts_with("# Title\n\nprose\n"));
        assert_eq!(again.matches("bench:begin").count(), 1);
    }
}
