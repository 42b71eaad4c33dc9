//! Writing events out: aligned table, CSV, JSON and JSON Lines. Used by the
//! headless `fetch` command and by exports from the explorer.
//!
//! Everything written is safe for a terminal, a file and a spreadsheet: text
//! is sanitised, JSON escapes what a terminal could act on, and CSV cells that
//! a spreadsheet would run as a formula are neutralised.

use std::io::{self, Write};

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::api::model::TargetEvent;
use crate::sanitize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
}

impl Format {
    /// Every format, by the name a command line gives it.
    pub const NAMES: [(&'static str, Format); 4] =
        [("table", Format::Table), ("json", Format::Json), ("jsonl", Format::Jsonl), ("csv", Format::Csv)];

    pub fn named(name: &str) -> Option<Format> {
        Format::NAMES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }
}

/// Column headers of the table and CSV forms.
pub const HEADERS: [&str; 11] = [
    "eventDate",
    "eventName",
    "eventDisplayName",
    "targetValue",
    "periodId",
    "uniqueId",
    "eventLogId",
    "eventProcessedDate",
    "customerId",
    "targetGroupId",
    "targetRuleId",
];

/// The cells of one event, sanitised, in [`HEADERS`] order.
pub fn cells(e: &TargetEvent) -> [String; 11] {
    [
        sanitize::line(&e.event_date.raw).into_owned(),
        sanitize::line(&e.event_name).into_owned(),
        e.event_display_name.as_deref().map(|d| sanitize::line(d).into_owned()).unwrap_or_default(),
        e.target_value.to_string(),
        e.period_id.to_string(),
        sanitize::line(&e.unique_id).into_owned(),
        e.event_log_id.to_string(),
        sanitize::line(&e.event_processed_date.raw).into_owned(),
        e.customer_id.to_string(),
        e.target_group_id.to_string(),
        e.target_rule_id.to_string(),
    ]
}

/// Writes the events at `indices` (a filtered, sorted view) to a file.
/// Returns how many were written.
pub fn write_view(
    path: &std::path::Path,
    format: Format,
    outcome: &crate::api::EventsOutcome,
    indices: &[u32],
    overwrite: bool,
) -> io::Result<usize> {
    let events = match outcome {
        crate::api::EventsOutcome::Page(p) => &p.events[..],
        crate::api::EventsOutcome::NoEvents { .. } => &[],
    };
    let chosen: Vec<&TargetEvent> = indices.iter().filter_map(|&i| events.get(i as usize)).collect();
    let mut file = crate::output::OutputFile::create(path, overwrite)?;
    write_refs(&mut file, format, &chosen)?;
    file.commit()?;
    Ok(chosen.len())
}

pub fn write(out: &mut dyn Write, format: Format, events: &[TargetEvent]) -> io::Result<()> {
    write_refs(out, format, &events.iter().collect::<Vec<_>>())
}

/// Writes borrowed events, so a filtered view is exported without copies.
pub fn write_refs(out: &mut dyn Write, format: Format, events: &[&TargetEvent]) -> io::Result<()> {
    match format {
        Format::Table => write_table(out, events),
        Format::Json => write_json(out, events),
        Format::Jsonl => write_jsonl(out, events),
        Format::Csv => write_csv(out, events),
    }
}

/// JSON text with every character a terminal could act on escaped. serde_json
/// escapes C0 controls already; C1 controls, DEL, bidi controls and line
/// separators are escaped here, which keeps the JSON equal in meaning.
pub fn terminal_safe_json(value: &Value, pretty: bool) -> String {
    let text =
        if pretty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) }.unwrap_or_default();
    if !text.chars().any(|c| c != '\n' && sanitize::is_unsafe(c)) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c != '\n' && sanitize::is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn write_json(out: &mut dyn Write, events: &[&TargetEvent]) -> io::Result<()> {
    let all = Value::Array(events.iter().map(|e| e.as_sent()).collect());
    writeln!(out, "{}", terminal_safe_json(&all, true))
}

fn write_jsonl(out: &mut dyn Write, events: &[&TargetEvent]) -> io::Result<()> {
    for e in events {
        writeln!(out, "{}", terminal_safe_json(&e.as_sent(), false))?;
    }
    Ok(())
}

/// Neutralises a CSV cell a spreadsheet would treat as a formula. A number
/// (including a negative one) stays a number.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(text) { format!("'{text}").into() } else { text.into() }
}

fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}

fn write_csv(out: &mut dyn Write, events: &[&TargetEvent]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADERS)?;
    for e in events {
        let cells = cells(e);
        w.write_record(cells.iter().map(|c| csv_cell(c).into_owned()))?;
    }
    w.flush()
}

/// Columns shown by the table form, by index into [`HEADERS`].
const TABLE_COLUMNS: [usize; 7] = [0, 1, 2, 3, 4, 5, 6];
const TABLE_TITLES: [&str; 7] = ["EVENT DATE", "EVENT", "NAME", "VALUE", "PERIOD", "UNIQUE ID", "EVENT LOG ID"];
const MAX_NAME: usize = 40;

fn write_table(out: &mut dyn Write, events: &[&TargetEvent]) -> io::Result<()> {
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            let all = cells(e);
            TABLE_COLUMNS
                .iter()
                .map(|&i| match i {
                    2 if all[2].is_empty() => "—".to_string(),
                    2 => sanitize::truncate_chars(&all[2], MAX_NAME).into_owned(),
                    _ => all[i].clone(),
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = TABLE_TITLES.iter().map(|t| t.width()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w.saturating_sub(cell.width());
            if i > 0 {
                s.push_str("  ");
            }
            // Money is right-aligned so the decimal points line up.
            if i == 3 {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        s
    };
    writeln!(out, "{}", line(&TABLE_TITLES.map(String::from)))?;
    for row in &rows {
        writeln!(out, "{}", line(row))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+SUM(A1)"), "'+SUM(A1)");
        assert_eq!(csv_cell("@cmd"), "'@cmd");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("-250.50"), "-250.50");
        assert_eq!(csv_cell("ADD_TRANSACTION"), "ADD_TRANSACTION");
    }

    #[test]
    fn json_escapes_what_a_terminal_would_act_on() {
        let v = serde_json::json!({"n": "a\u{1b}[31m\u{202e}b\u{9b}"});
        let text = terminal_safe_json(&v, false);
        assert_eq!(text, r#"{"n":"a\u001b[31m\u202eb\u009b"}"#);
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
