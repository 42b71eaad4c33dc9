//! A batch of customers: the lines of a customers file, and one row per
//! customer × target × period (or the customer's error). Pure: the headless
//! command fetches, the explorer shows.

use serde::{Deserialize, Serialize};

use crate::api::ApiError;
pub use crate::api::error::Failure;
use crate::api::model::{Money, UserTargetGroup};
use crate::core::verdict::brief::Brief;

mod answer;
mod lines;
mod table;

pub use answer::{Answered, Ask, Heard, answer};
pub use lines::{BatchLine, MAX_FILE_BYTES, MAX_LINE_CHARS, parse_lines};
pub use table::{TABLE_TITLES, is_figure_column, table_cells, table_widths};

/// One row: a customer × target × period, or a customer that failed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
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
    /// The period's verdict in brief (`batch --verdict`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Brief>,
}

/// The columns CSV adds after [`HEADERS`]: the failure field by field.
pub const FAILURE_HEADERS: [&str; 4] = ["code", "message", "httpStatus", "requestId"];

/// The columns `--verdict` adds (CSV: after [`FAILURE_HEADERS`]).
pub const VERDICT_HEADERS: [&str; 6] =
    ["verdict", "shortBy", "returnsTotal", "eventsCounted", "countedElsewhere", "wouldHaveReached"];

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
        let mut text = self.cells().join(" ");
        if self.verdict.is_some() {
            text.push(' ');
            text.push_str(&self.verdict_cells().join(" "));
        }
        text
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

impl BatchRow {
    /// The verdict's cells, in [`VERDICT_HEADERS`] order (empty without one).
    pub fn verdict_cells(&self) -> [String; 6] {
        let Some(v) = &self.verdict else { return Default::default() };
        let money = |m: Option<Money>| m.map(|m| m.to_string()).unwrap_or_default();
        [
            v.standing.word().to_string(),
            money(v.short_by),
            money(v.returns_total),
            v.events_counted.to_string(),
            v.counted_elsewhere.to_string(),
            v.would_have_reached_text(),
        ]
    }

    /// The error cut to its code and first sentence, for a table cell; the
    /// whole of it (and the request id) goes on the row's detail line.
    pub fn short_error(&self) -> String {
        let Some(f) = &self.failure else { return self.error.clone() };
        let reason = f.message.split_once(". ").map_or(f.message.as_str(), |(first, _)| first);
        let reason = reason.trim_end_matches('.');
        let prefix = if self.error.starts_with("no verdict: ") { "no verdict: " } else { "" };
        match f.code {
            Some(code) => format!("{prefix}{code} {reason}"),
            None => format!("{prefix}{reason}"),
        }
    }
}

/// Rows as CSV with a header line; cells that a spreadsheet would run as a
/// formula are neutralised. `verdict` adds [`VERDICT_HEADERS`].
pub fn csv_text<'a>(rows: impl Iterator<Item = &'a BatchRow>, verdict: bool) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let extra: &[&str] = if verdict { &VERDICT_HEADERS } else { &[] };
    let _ = w.write_record(HEADERS.iter().chain(&FAILURE_HEADERS).chain(extra));
    for r in rows {
        let f = r.failure.clone().unwrap_or_default();
        let opt = |v: Option<String>| v.unwrap_or_default();
        let failure = [
            opt(f.code.map(|c| c.to_string())),
            f.message,
            opt(f.http_status.map(|s| s.to_string())),
            opt(f.request_id),
        ];
        let verdict = if verdict { r.verdict_cells().to_vec() } else { Vec::new() };
        let cells = r
            .cells()
            .into_iter()
            .chain(failure)
            .chain(verdict)
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
                verdict: None,
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
