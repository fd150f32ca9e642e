//! The results: one row per case variant and connection count, `results.json` in the shape
//! of the issues, the printed table, and the generated part of `docs/benchmarks.md` (the date,
//! the machine, the index's load, the table and the targets met or missed at 16 connections).

use serde::Serialize;

use crate::stats::Summary;
use crate::targets::{ExportRss, TARGET_CONNS, Target, Verdict, mib};

/// One entry of `target/bench/results.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultRow {
    pub case: String,
    pub conns: usize,
    pub scrm_rps: f64,
    pub scrm_p50_ms: f64,
    pub scrm_p99_ms: f64,
    /// `null` for a case without a floor (the `q` cases).
    pub floor_rps: Option<f64>,
    /// `scrm_rps / floor_rps` (0 when the floor did nothing).
    pub ratio: Option<f64>,
    /// The same request to the server with `SCRM_INDEX=off`; `null` when not sent there.
    pub sql_rps: Option<f64>,
    /// `scrm_rps / sql_rps` (0 when that server answered nothing).
    pub index_ratio: Option<f64>,
    /// The same request to the bare HTTP service (`bare.rs`, the call pop-up only), for the
    /// report's notes; not in results.json, whose fields the issues list.
    #[serde(skip)]
    pub bare_rps: Option<f64>,
}

/// A measured case variant: the row plus what the report needs beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub row: ResultRow,
    pub group: u8,
    /// The servers' memory during the export (case 8).
    pub rss: Option<ExportRss>,
    pub targets: Vec<Target>,
}

fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { round(a / b, 3) } else { 0.0 }
}

impl ResultRow {
    /// A row from the summaries of scrm, its floor and scrm with `SCRM_INDEX=off`.
    pub fn new(
        case: &str,
        conns: usize,
        scrm: &Summary,
        floor: Option<&Summary>,
        sql: Option<&Summary>,
    ) -> Self {
        Self {
            case: case.to_owned(),
            conns,
            scrm_rps: round(scrm.rps, 1),
            scrm_p50_ms: round(scrm.p50_ms, 3),
            scrm_p99_ms: round(scrm.p99_ms, 3),
            floor_rps: floor.map(|f| round(f.rps, 1)),
            ratio: floor.map(|f| ratio(scrm.rps, f.rps)),
            sql_rps: sql.map(|s| round(s.rps, 1)),
            index_ratio: sql.map(|s| ratio(scrm.rps, s.rps)),
            bare_rps: None,
        }
    }

    /// The row with what the bare service answered.
    pub fn with_bare(self, bare: Option<&Summary>) -> Self {
        Self {
            bare_rps: bare.map(|b| round(b.rps, 1)),
            ..self
        }
    }

    /// What the bare service answered, beside scrm and the floor, for the report's notes.
    pub fn bare_note(&self) -> Option<String> {
        let bare = self.bare_rps?;
        let floor = self
            .floor_rps
            .map(|f| format!(", {:.3} of the floor's {f:.1}/s", ratio(bare, f)))
            .unwrap_or_default();
        Some(format!(
            "{}, {} connections: the bare HTTP service (`bare.rs`: HTTP, the session's `GETEX` \
             and the floor's statements, nothing else) answered {bare:.1}/s{floor}; scrm \
             {:.1}/s, {:.3} of the bare service.",
            self.case,
            self.conns,
            self.scrm_rps,
            ratio(self.scrm_rps, bare)
        ))
    }
}

/// The outcome of each target of a row; none for rows not at `TARGET_CONNS`.
pub fn verdicts(m: &Measured, all: &[Measured]) -> Vec<Verdict> {
    if m.row.conns != TARGET_CONNS {
        return Vec::new();
    }
    let rows: Vec<ResultRow> = all.iter().map(|m| m.row.clone()).collect();
    m.targets
        .iter()
        .map(|t| t.judge(&m.row, m.rss.as_ref(), &rows))
        .collect()
}

/// `results.json`: the rows in order.
///
/// # Errors
/// Never in practice (plain numbers and strings).
pub fn json(measured: &[Measured]) -> serde_json::Result<String> {
    let rows: Vec<&ResultRow> = measured.iter().map(|m| &m.row).collect();
    serde_json::to_string_pretty(&rows)
}

/// The export's memory cell: the server's peak, its growth over its RSS before the export,
/// and the peak of the server with `SCRM_INDEX=off` (`316.0 (+40.2); off 48.4`).
fn rss_text(m: &Measured) -> String {
    let Some(rss) = m.rss else {
        return String::new();
    };
    let mut out = rss.peak_kib.map(mib).unwrap_or_default();
    if let Some(growth) = rss.growth_kib() {
        out.push_str(&format!(" (+{})", mib(growth)));
    }
    if let Some(sql) = rss.sql_peak_kib {
        out.push_str(&format!("; off {}", mib(sql)));
    }
    out
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}")).unwrap_or_default()
}

/// The table as Markdown (printed and put in the docs).
pub fn table(measured: &[Measured]) -> String {
    let mut out = String::from(
        "| # | case | conns | scrm rps | p50 ms | p99 ms | floor rps | ratio | SQL rps | index ratio | export RSS MiB: peak (+growth); off | targets |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for m in measured {
        let r = &m.row;
        let targets: Vec<String> = verdicts(m, measured).into_iter().map(|v| v.text).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {:.1} | {:.2} | {:.2} | {} | {} | {} | {} | {} | {} |\n",
            m.group,
            r.case,
            r.conns,
            r.scrm_rps,
            r.scrm_p50_ms,
            r.scrm_p99_ms,
            opt(r.floor_rps, 1),
            opt(r.ratio, 3),
            opt(r.sql_rps, 1),
            opt(r.index_ratio, 2),
            rss_text(m),
            targets.join("; "),
        ));
    }
    out
}

/// The summary line: targets met of those judged, by kind, and the ones missed.
fn summary(measured: &[Measured]) -> String {
    const KINDS: [&str; 4] = ["floor", "index", "p99", "q"];
    let mut counts = [(0_usize, 0_usize); KINDS.len()];
    let mut missed = Vec::new();
    let mut unjudged = Vec::new();
    for m in measured {
        for (t, v) in m.targets.iter().zip(verdicts(m, measured)) {
            let what = format!("{}: {}", m.row.case, v.text);
            let Some(met) = v.met else {
                unjudged.push(what);
                continue;
            };
            if let Some(k) = KINDS.iter().position(|k| *k == t.kind()) {
                counts[k].1 += 1;
                counts[k].0 += usize::from(met);
            }
            if !met {
                missed.push(what);
            }
        }
    }
    let (met, all) = counts.iter().fold((0, 0), |(a, b), c| (a + c.0, b + c.1));
    let by_kind: Vec<String> = KINDS
        .iter()
        .zip(counts)
        .filter(|(_, c)| c.1 > 0)
        .map(|(kind, (met, all))| format!("{kind} {met} of {all}"))
        .collect();
    let mut out = format!(
        "Targets at {TARGET_CONNS} connections: {met} of {all} met ({}).",
        by_kind.join(", ")
    );
    if !missed.is_empty() {
        out.push_str(&format!(" Missed: {}.", missed.join("; ")));
    }
    if !unjudged.is_empty() {
        out.push_str(&format!(" Not judged: {}.", unjudged.join("; ")));
    }
    out
}

/// The generated section of `docs/benchmarks.md`: the header, notes (the index's load, the
/// servers' peak RSS, warnings), the table and the targets.
pub fn markdown(measured: &[Measured], header: &str, notes: &[String]) -> String {
    let mut out = String::from(header);
    for n in notes {
        out.push('\n');
        out.push_str(n);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&table(measured));
    out.push('\n');
    out.push_str(&summary(measured));
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

    fn measured(
        targets: &[Target],
        conns: usize,
        scrm: f64,
        floor: f64,
        rss: Option<u64>,
    ) -> Measured {
        Measured {
            row: ResultRow::new("c", conns, &summary(scrm), Some(&summary(floor)), None),
            group: 2,
            rss: rss.map(|peak| ExportRss {
                before_kib: Some(10_000),
                peak_kib: Some(10_000 + peak),
                sql_peak_kib: None,
            }),
            targets: targets.to_vec(),
        }
    }

    #[test]
    fn results_json_has_exactly_the_fields_of_the_issues() {
        let row = ResultRow::new(
            "c",
            16,
            &summary(300.0),
            Some(&summary(1000.0)),
            Some(&summary(30.0)),
        );
        let json = json(&[Measured {
            row,
            group: 2,
            rss: None,
            targets: Vec::new(),
        }])
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let obj = v.as_array().unwrap()[0].as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        // Issue 14's fields, then issue 16's `sql_rps` and `index_ratio`.
        assert_eq!(
            keys,
            [
                "case",
                "conns",
                "floor_rps",
                "index_ratio",
                "ratio",
                "scrm_p50_ms",
                "scrm_p99_ms",
                "scrm_rps",
                "sql_rps"
            ]
        );
        assert_eq!(obj["ratio"], 0.3);
        assert_eq!(obj["scrm_p50_ms"], 1.235);
        assert_eq!(obj["conns"], 16);
        assert_eq!(obj["sql_rps"], 30.0);
        assert_eq!(obj["index_ratio"], 10.0);
    }

    #[test]
    fn a_case_without_floor_or_sql_run_has_nulls() {
        let row = ResultRow::new("q", 16, &summary(300.0), None, None);
        let v = serde_json::to_value(&row).unwrap();
        assert!(v["floor_rps"].is_null() && v["ratio"].is_null(), "{v}");
        assert!(v["sql_rps"].is_null() && v["index_ratio"].is_null(), "{v}");
    }

    #[test]
    fn ratio_of_a_zero_floor_is_zero() {
        assert_eq!(measured(&[], 1, 5.0, 0.0, None).row.ratio, Some(0.0));
        let row = ResultRow::new("c", 1, &summary(5.0), None, Some(&summary(0.0)));
        assert_eq!(row.index_ratio, Some(0.0));
    }

    /// Whether a row meets all its judged targets (`None` below `TARGET_CONNS`).
    fn verdict(m: &Measured, all: &[Measured]) -> Option<bool> {
        let judged: Vec<bool> = verdicts(m, all).iter().filter_map(|v| v.met).collect();
        (!judged.is_empty()).then(|| judged.iter().all(|ok| *ok))
    }

    #[test]
    fn targets_are_judged_at_16_connections_only() {
        let all = |m: &Measured| verdict(m, std::slice::from_ref(m));
        let call = [Target::Floor(0.8)];
        assert_eq!(all(&measured(&call, 1, 1.0, 100.0, None)), None);
        assert_eq!(all(&measured(&call, 16, 80.0, 100.0, None)), Some(true));
        assert_eq!(all(&measured(&call, 16, 79.0, 100.0, None)), Some(false));
        assert_eq!(
            all(&measured(&[Target::Floor(0.25)], 16, 25.0, 100.0, None)),
            Some(true)
        );
        assert_eq!(
            all(&measured(&[Target::Floor(0.3)], 16, 29.0, 100.0, None)),
            Some(false)
        );
        // The export also needs its RSS growth under 128 MiB.
        let export = [Target::Floor(0.7), Target::PeakRss];
        assert_eq!(
            all(&measured(&export, 16, 80.0, 100.0, Some(100_000))),
            Some(true)
        );
        assert_eq!(
            all(&measured(&export, 16, 80.0, 100.0, Some(140_000))),
            Some(false)
        );
        assert_eq!(all(&measured(&export, 16, 80.0, 100.0, None)), Some(false));
    }

    #[test]
    fn markdown_counts_misses_and_splices_between_markers() {
        let t = [Target::Floor(0.25), Target::P99Under(100.0)];
        let m = [
            measured(&t, 16, 300.0, 1000.0, None),
            measured(&t, 16, 100.0, 1000.0, None),
        ];
        let md = markdown(&m, "header", &["the index".to_owned()]);
        assert!(md.contains("3 of 4 met (floor 1 of 2, p99 2 of 2)"), "{md}");
        assert!(md.contains("MISSED"), "{md}");
        assert!(md.starts_with("header\nthe index\n"), "{md}");
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

    #[test]
    fn the_bare_service_is_a_note_beside_scrm_and_the_floor() {
        let row = ResultRow::new("call", 16, &summary(300.0), Some(&summary(500.0)), None);
        assert_eq!(row.bare_note(), None);
        let note = row.with_bare(Some(&summary(400.0))).bare_note().unwrap();
        assert!(
            note.contains("answered 400.0/s, 0.800 of the floor's 500.0/s"),
            "{note}"
        );
        assert!(
            note.contains("scrm 300.0/s, 0.750 of the bare service"),
            "{note}"
        );
    }
}
