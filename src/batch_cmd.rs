//! `target-events batch`: many customers' progress in one table. Each line of
//! the file is a customer in any form the customer field takes; each is looked
//! up and its targets fetched under one rate limit, a few at a time, with
//! retries. Exit codes: 0 every line answered, 1 any line failed (the others
//! are still written), 2 an unreadable file or an invalid line (nothing sent).

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::api::fetch_all::RateLimiter;
use crate::api::model::{Money, UserTargetGroup};
use crate::api::{ApiError, Client, CustomerRef};
use crate::cli::{BatchArgs, BatchFormat};
use crate::config::Settings;
use crate::export::csv_cell;

/// A line of the file that names a customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchLine {
    pub line: usize,
    pub given: String,
    pub customer: CustomerRef,
}

/// Reads the customers file: blank lines and `#` comments are skipped; an
/// invalid line is an error naming it.
pub fn parse_lines(text: &str) -> Result<Vec<BatchLine>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let given = raw.trim();
        if given.is_empty() || given.starts_with('#') {
            continue;
        }
        match CustomerRef::parse(given) {
            Ok(customer) => out.push(BatchLine { line: i + 1, given: given.to_string(), customer }),
            Err(bad) => {
                return Err(format!("line {}: \"{}\": {}", i + 1, crate::sanitize::line(given), bad.reason()));
            }
        }
    }
    Ok(out)
}

/// One row: a customer × target × period, or a customer that failed.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchRow {
    pub customer: String,
    pub user_id: Option<i64>,
    pub group: String,
    pub target: String,
    pub rule_id: Option<i64>,
    pub period_id: Option<i64>,
    pub ref_code: String,
    pub start: String,
    pub end: String,
    pub target_value: Option<Money>,
    pub achieved: Option<Money>,
    pub missing: Option<Money>,
    pub reached: Option<bool>,
    pub current: Option<bool>,
    /// "CODE sentence" for a customer that could not be found or fetched.
    pub error: String,
}

const HEADERS: [&str; 15] = [
    "customer",
    "userId",
    "group",
    "target",
    "ruleId",
    "periodId",
    "refCode",
    "start",
    "end",
    "targetValue",
    "achieved",
    "missing",
    "reached",
    "current",
    "error",
];

impl BatchRow {
    fn cells(&self) -> [String; 15] {
        let opt = |v: Option<String>| v.unwrap_or_default();
        [
            self.customer.clone(),
            opt(self.user_id.map(|v| v.to_string())),
            self.group.clone(),
            self.target.clone(),
            opt(self.rule_id.map(|v| v.to_string())),
            opt(self.period_id.map(|v| v.to_string())),
            self.ref_code.clone(),
            self.start.clone(),
            self.end.clone(),
            opt(self.target_value.map(|v| v.to_string())),
            opt(self.achieved.map(|v| v.to_string())),
            opt(self.missing.map(|v| v.to_string())),
            opt(self.reached.map(|v| v.to_string())),
            opt(self.current.map(|v| v.to_string())),
            self.error.clone(),
        ]
    }
}

fn error_text(e: &ApiError) -> String {
    let code = e.code().map(|c| format!("{c} ")).unwrap_or_default();
    let id = e.request_id.as_deref().map(|r| format!(" [request id {r}]")).unwrap_or_default();
    format!("{code}{}{id}", e.sentence())
}

/// The rows of one customer: one per target and period (of `rule` only, when given).
pub fn rows_for(given: &str, user_id: i64, groups: &[UserTargetGroup], rule: Option<i64>) -> Vec<BatchRow> {
    let s = |v: Option<&String>| v.map(|t| crate::sanitize::line(t).into_owned()).unwrap_or_default();
    let mut rows = Vec::new();
    for g in groups {
        for t in g.targets.iter().filter(|t| rule.is_none_or(|r| r == t.target_rule_id)) {
            let missing = match (t.target_value, t.target_achieved_value) {
                (Some(v), Some(a)) if a.0 < v.0 => v.checked_add(Money(-a.0)),
                (Some(_), Some(_)) => Some(Money::ZERO),
                _ => None,
            };
            rows.push(BatchRow {
                customer: crate::sanitize::line(given).into_owned(),
                user_id: Some(user_id),
                group: s(g.name.as_ref()),
                target: s(t.target_name.as_ref()),
                rule_id: Some(t.target_rule_id),
                period_id: t.period_id,
                ref_code: s(t.period_ref_code.as_ref()),
                start: s(t.period_start_date.as_ref()),
                end: s(t.period_end_date.as_ref()),
                target_value: t.target_value,
                achieved: t.target_achieved_value,
                missing,
                reached: t.target_value.zip(t.target_achieved_value).map(|(v, a)| a.0 >= v.0),
                current: t.current_period,
                error: String::new(),
            });
        }
    }
    if rows.is_empty() {
        let why = match rule {
            Some(r) => format!("no target with rule {r}"),
            None => "no targets".to_string(),
        };
        rows.push(BatchRow {
            customer: crate::sanitize::line(given).into_owned(),
            user_id: Some(user_id),
            error: why,
            ..BatchRow::default()
        });
    }
    rows
}

pub async fn run(client: &Client, args: &BatchArgs, settings: &Settings) -> i32 {
    use std::io::IsTerminal;
    if let Some(path) = &args.output
        && !args.force
        && std::fs::symlink_metadata(path).is_ok()
    {
        eprintln!("error: {} already exists: pass --force to replace it. Nothing was sent.", path.display());
        return 2;
    }
    let text = match std::fs::read_to_string(&args.customers) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}. Nothing was sent.", args.customers.display());
            return 2;
        }
    };
    let lines = match parse_lines(&text) {
        Ok(l) => l,
        Err(why) => {
            eprintln!("error: {}: {why}. Nothing was sent.", args.customers.display());
            return 2;
        }
    };
    let opts = settings.fetch_all_options();
    let limiter = RateLimiter::new(opts.requests_per_minute);
    let bar =
        if std::io::stderr().is_terminal() { ProgressBar::new(lines.len() as u64) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} customers · {msg} · {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let failed = AtomicUsize::new(0);
    let answers: Vec<Vec<BatchRow>> = futures::stream::iter(&lines)
        .map(|l| {
            let (limiter, bar, failed, opts) = (&limiter, &bar, &failed, &opts);
            async move {
                let fail = |e: &ApiError| {
                    failed.fetch_add(1, Ordering::Relaxed);
                    vec![BatchRow {
                        customer: crate::sanitize::line(&l.given).into_owned(),
                        error: error_text(e),
                        ..BatchRow::default()
                    }]
                };
                let retry = |_, _| bar.set_message("retrying after a refusal".to_string());
                let rows = match limiter.call(opts, || client.lookup(&l.customer), retry).await {
                    Err(e) => fail(&e),
                    Ok(found) => match limiter.call(opts, || client.target_groups(found.value), retry).await {
                        Err(e) => {
                            let mut r = fail(&e);
                            r[0].user_id = Some(found.value);
                            r
                        }
                        Ok(groups) => rows_for(&l.given, found.value, &groups.value, args.rule_id),
                    },
                };
                bar.inc(1);
                rows
            }
        })
        .buffered(opts.concurrency.max(1))
        .collect()
        .await;
    bar.finish_and_clear();
    let rows: Vec<BatchRow> = answers.into_iter().flatten().collect();
    let body = match args.format.unwrap_or(BatchFormat::Table) {
        BatchFormat::Table => table(&rows),
        BatchFormat::Csv => csv_text(&rows),
        BatchFormat::Json => {
            crate::export::terminal_safe_json(&serde_json::to_value(&rows).unwrap_or_default(), true) + "\n"
        }
    };
    let written = match &args.output {
        Some(path) => crate::private_file::create(path, args.force).and_then(|mut f| f.write_all(body.as_bytes())),
        None => std::io::stdout().lock().write_all(body.as_bytes()),
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("Could not write the output: {e}");
        return 1;
    }
    let failed = failed.load(Ordering::Relaxed);
    eprintln!("{} customers, {} rows; {failed} could not be answered.", lines.len(), rows.len());
    if failed > 0 { 1 } else { 0 }
}

fn csv_text(rows: &[BatchRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(HEADERS);
    for r in rows {
        let _ = w.write_record(r.cells().iter().map(|c| csv_cell(c).into_owned()));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn table(rows: &[BatchRow]) -> String {
    use unicode_width::UnicodeWidthStr;
    let cells: Vec<[String; 15]> =
        rows.iter().map(|r| r.cells().map(|c| crate::sanitize::truncate_chars(&c, 40).into_owned())).collect();
    let mut widths: Vec<usize> = HEADERS.iter().map(|h| h.width()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.width());
        }
    }
    // Figures right-aligned so their decimal points line up.
    let right = |i: usize| matches!(i, 9..=11);
    let line = |row: &[String]| {
        let mut s = String::new();
        for (i, (c, w)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let pad = " ".repeat(w.saturating_sub(c.width()));
            if right(i) {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&pad);
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(&HEADERS.map(String::from)) + "\n";
    for row in &cells {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_comments_and_name_the_bad_one() {
        let text =
            "# affected by the store 12 outage\n564332013\n\nmobile:910712004518\n  email:mei.lin@example.com  \n";
        let lines = parse_lines(text).unwrap();
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), vec![2, 4, 5]);
        assert_eq!(lines[2].given, "email:mei.lin@example.com");
        let err = parse_lines("564332013\nmobile:12\n").unwrap_err();
        assert!(err.starts_with("line 2: \"mobile:12\": a mobile is 8–15 digits"), "{err}");
    }
}
