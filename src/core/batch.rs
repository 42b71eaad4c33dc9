//! A batch of customers: the lines of a customers file, and one row per
//! customer × target × period (or the customer's error). Pure: the headless
//! command fetches, the explorer shows.

use serde::Serialize;

use crate::api::model::{Money, UserTargetGroup};
use crate::api::{ApiError, CustomerRef};

/// A line of the file that names a customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchLine {
    pub line: usize,
    pub given: String,
    pub customer: CustomerRef,
}

/// The most a customers file may hold: past it, nothing is sent.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// The longest line: a customer in any form fits well within it.
pub const MAX_LINE_CHARS: usize = 320;
/// How much of a bad line an error repeats.
const ECHO_CHARS: usize = 60;

/// Reads the customers file: blank lines and `#` comments are skipped; a
/// line that is no text, too long, or no customer is an error naming it
/// (repeating at most its start). A national phone number takes
/// `country_code`, as in the customer field.
pub fn parse_lines(bytes: &[u8], country_code: Option<&str>) -> Result<Vec<BatchLine>, String> {
    let mut out = Vec::new();
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = i + 1;
        let Ok(text) = std::str::from_utf8(raw) else {
            return Err(format!("line {line} is not text (binary data?)"));
        };
        let given = text.trim();
        if given.is_empty() || given.starts_with('#') {
            continue;
        }
        let echo = crate::sanitize::truncate_chars(&crate::sanitize::line(given), ECHO_CHARS).into_owned();
        if given.chars().count() > MAX_LINE_CHARS {
            return Err(format!("line {line} (\"{echo}\") is longer than {MAX_LINE_CHARS} characters"));
        }
        match CustomerRef::parse_with(given, country_code) {
            Ok(customer) => out.push(BatchLine { line, given: given.to_string(), customer }),
            Err(bad) => return Err(format!("line {line}: \"{echo}\": {}", bad.reason())),
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
    /// The same failure as data: the API's code, the sentence, the HTTP
    /// status and the request id, each on its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

/// Why a customer could not be answered, field by field (for programs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub code: Option<i64>,
    pub message: String,
    pub http_status: Option<u16>,
    pub request_id: Option<String>,
}

impl Failure {
    pub fn of(e: &ApiError) -> Failure {
        Failure { code: e.code(), message: e.sentence(), http_status: e.status, request_id: e.request_id.clone() }
    }
}

/// The columns CSV adds after [`HEADERS`]: the failure field by field.
pub const FAILURE_HEADERS: [&str; 4] = ["code", "message", "httpStatus", "requestId"];

pub const HEADERS: [&str; 15] = [
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
    /// What a filter matches against.
    pub fn search_text(&self) -> String {
        self.cells().join(" ")
    }

    pub fn cells(&self) -> [String; 15] {
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

/// Rows as CSV with a header line; cells that a spreadsheet would run as a
/// formula are neutralised.
pub fn csv_text<'a>(rows: impl Iterator<Item = &'a BatchRow>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(HEADERS.iter().chain(&FAILURE_HEADERS));
    for r in rows {
        let f = r.failure.clone().unwrap_or_default();
        let opt = |v: Option<String>| v.unwrap_or_default();
        let failure = [
            opt(f.code.map(|c| c.to_string())),
            f.message,
            opt(f.http_status.map(|s| s.to_string())),
            opt(f.request_id),
        ];
        let cells = r
            .cells()
            .into_iter()
            .chain(failure)
            .map(|c| crate::core::export::csv_cell(&c).into_owned())
            .collect::<Vec<_>>();
        let _ = w.write_record(cells);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn error_text(e: &ApiError) -> String {
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
                failure: None,
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

/// Answers every line: each distinct customer is found (as the customer
/// field finds them: digits that are no id are tried as a mobile) and their
/// targets fetched under the client's one rate limit, `opts.concurrency` at
/// a time, with the shared retry policy, until `stop` completes (an
/// interruption). Returns the rows of the lines answered (a failed customer
/// is one row with its error), how many lines failed, and how many were left
/// unanswered. `hear` is told of each customer answered and each retry.
pub async fn answer(
    client: &crate::api::Client,
    lines: &[BatchLine],
    rule: Option<i64>,
    country_code: Option<&str>,
    opts: &crate::api::fetch_all::FetchAllOptions,
    hear: &(dyn Fn(Heard) + Sync),
    stop: impl Future<Output = ()>,
) -> Answered {
    use crate::api::fetch_all::with_retries;
    use futures::StreamExt;
    use std::collections::HashMap;
    // Each distinct customer is asked about once, however often listed.
    let mut distinct: Vec<&CustomerRef> = Vec::new();
    let mut seen: HashMap<&CustomerRef, usize> = HashMap::new();
    for l in lines {
        seen.entry(&l.customer).or_insert_with(|| {
            distinct.push(&l.customer);
            distinct.len() - 1
        });
    }
    // Per customer: their id and targets, or why not (with the id when found).
    type Answer = Result<(i64, Vec<UserTargetGroup>), (Option<i64>, ApiError)>;
    let answers: Vec<Answer> = futures::stream::iter(&distinct)
        .map(|customer| async move {
            let retry = |_, _| hear(Heard::Retrying);
            let limiter = Some(client.limiter());
            let find = || crate::core::customer::resolve(client, customer, country_code);
            let answer = match with_retries(limiter, opts, find, retry).await {
                Err(e) => Err((None, e)),
                Ok(found) => with_retries(limiter, opts, || client.target_groups(found.user_id), retry)
                    .await
                    .map(|groups| (found.user_id, groups.value))
                    .map_err(|e| (Some(found.user_id), e)),
            };
            hear(Heard::Answered);
            answer
        })
        .buffered(opts.concurrency.max(1))
        .take_until(stop)
        .collect()
        .await;
    // A row set per line, in the file's order, each naming the customer as
    // that line gave them; lines whose customer was not answered yet (an
    // interruption) are counted, not guessed.
    let mut failed = 0;
    let mut unanswered = 0;
    let mut rows = Vec::new();
    for l in lines {
        let Some(answer) = answers.get(seen[&l.customer]) else {
            unanswered += 1;
            continue;
        };
        match answer {
            Ok((user_id, groups)) => rows.extend(rows_for(&l.given, *user_id, groups, rule)),
            Err((user_id, e)) => {
                failed += 1;
                rows.push(BatchRow {
                    customer: crate::sanitize::line(&l.given).into_owned(),
                    user_id: *user_id,
                    error: error_text(e),
                    failure: Some(Failure::of(e)),
                    ..BatchRow::default()
                });
            }
        }
    }
    Answered { rows, failed, unanswered }
}

/// What a batch run tells as it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    /// A customer was answered (or failed for good).
    Answered,
    /// A request is retried after a refusal.
    Retrying,
}

/// What a batch run answered.
#[derive(Debug, Default)]
pub struct Answered {
    pub rows: Vec<BatchRow>,
    /// Lines whose customer could not be found or fetched.
    pub failed: usize,
    /// Lines not answered because the run was interrupted.
    pub unanswered: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_comments_and_name_the_bad_one() {
        let text =
            "# affected by the store 12 outage\n564332013\n\nmobile:910712004518\n  email:mei.lin@example.com  \n";
        let lines = parse_lines(text.as_bytes(), None).unwrap();
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), vec![2, 4, 5]);
        assert_eq!(lines[2].given, "email:mei.lin@example.com");
        let err = parse_lines(b"564332013\nmobile:12\n", None).unwrap_err();
        assert!(err.starts_with("line 2: \"mobile:12\": a mobile is 8–15 digits"), "{err}");
    }
}
