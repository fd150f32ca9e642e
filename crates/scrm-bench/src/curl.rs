//! Requests to scrm through `curl` (the ingest of chat messages, the check of each case).

use std::io::Write as _;
use std::process::{Command, Stdio};

use anyhow::Context;

/// `curl` of a request to scrm: the HTTP status and the body.
pub fn curl(url: &str, token: &str, body: Option<&str>) -> anyhow::Result<(u16, String)> {
    curl_timed(url, token, body).map(|(status, body, _)| (status, body))
}

/// [`curl`], with the seconds the request took as curl measured them (`time_total`).
pub fn curl_timed(
    url: &str,
    token: &str,
    body: Option<&str>,
) -> anyhow::Result<(u16, String, f64)> {
    let mut c = Command::new("curl");
    c.args(["-sS", "-w", "\n%{time_total} %{http_code}", "-H"])
        .arg(format!("Authorization: Bearer {token}"));
    if body.is_some() {
        c.args([
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            "@-",
        ]);
    }
    let mut child = c
        .arg(url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("running curl")?;
    if let (Some(b), Some(mut stdin)) = (body, child.stdin.take()) {
        stdin.write_all(b.as_bytes()).context("writing to curl")?;
    }
    let out = child.wait_with_output().context("running curl")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, last) = text.rsplit_once('\n').unwrap_or(("", &text));
    let (secs, status) = last.trim().split_once(' ').unwrap_or(("0", last));
    Ok((
        status.trim().parse().unwrap_or(0),
        body.to_owned(),
        secs.parse().unwrap_or(0.0),
    ))
}
