//! A batch of customers: the lines of a customers file, and one row per
//! customer × target × period (or the customer's error). Pure: the headless
//! command fetches, the explorer shows.

use crate::told::Told;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
pub use crate::api::error::Failure;
use crate::api::model::{Money, UserTargetGroup};
use crate::verdict::brief::Brief;

mod answer;
pub mod causes;
pub mod columns;
mod lines;
pub mod summary;
mod table;

pub use answer::{Answered, Ask, Heard, answer};
pub use columns::{COLUMNS, Column, Part};
pub use lines::{BatchLine, LineList, MAX_FILE_BYTES, MAX_LINE_CHARS, clean_given, parse_lines};
pub use table::{empty_columns, table_cells, table_column, table_titles, table_widths};

/// One row: a customer × target × period, or a customer that failed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BatchRow {
    /// The customer as the file gave them: every form that named them.
    pub customer: String,
    /// The lines of the file that named them ("2, 5, 9 and 12 more").
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lines: String,
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
    /// Why a missed period missed, and the verdict as a sentence (JSON;
    /// CSV and the tables compute the same cells).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cause: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub headline: String,
}

impl BatchRow {
    /// The row's cells as a filter reads them: each column answers to its
    /// CSV header and its table title (`verdict:missed`, `short by:179`).
    pub fn cells(&self) -> Vec<crate::filter::Cell<'static>> {
        let verdict = self.verdict.is_some();
        columns::csv_columns(verdict)
            .filter(|c| c.part != Part::Failure)
            .map(|c| crate::filter::Cell { names: [c.header, c.title.unwrap_or(""), ""], text: (c.cell)(self).into() })
            .collect()
    }

    /// The row as `header: value` lines, empty cells left out: what copying a row gives.
    pub fn as_lines(&self) -> String {
        columns::csv_columns(self.verdict.is_some())
            .filter(|c| c.part != Part::Failure)
            .map(|c| (c.header, (c.cell)(self)))
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| format!("{h}: {}", crate::sanitize::line(&v)))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl BatchRow {
    /// Every amount at the target's scale (at least two decimals), as the
    /// tables show them, and the cause and headline filled: what JSON holds.
    pub fn finish(&mut self) {
        let scale = self.target_value.map_or(2, |t| t.0.scale()).max(2);
        let at = |m: &mut Option<Money>| {
            if let Some(Money(d)) = m
                && d.scale() < scale
            {
                d.rescale(scale);
            }
        };
        at(&mut self.target_value);
        at(&mut self.achieved);
        at(&mut self.missing);
        if let Some(v) = &mut self.verdict {
            at(&mut v.short_by);
            at(&mut v.returns_total);
            if let Some(b) = &mut v.bills {
                at(&mut b.uncounted_amount);
                for s in &mut b.uncounted_stores {
                    at(&mut s.amount);
                }
            }
        }
        self.cause = causes::cause_of(self).map(|c| c.text()).unwrap_or_default();
        self.headline = causes::headline(self);
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
/// formula are neutralised. `verdict` adds the verdict's columns.
pub fn csv_text<'a>(rows: impl Iterator<Item = &'a BatchRow>, verdict: bool) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(columns::csv_columns(verdict).map(|c| c.header));
    for r in rows {
        let cells = columns::csv_columns(verdict).map(|c| crate::export::csv_cell(&(c.cell)(r)).into_owned());
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
                lines: String::new(),
                cause: String::new(),
                headline: String::new(),
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
