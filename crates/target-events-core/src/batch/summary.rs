//! A batch's causes told after its rows: a plain table for the terminal, and
//! Markdown (the rows and the causes) for an escalation or a report.

use super::causes::{Cause, described};
use super::{BatchRow, columns};

/// "3 customers", "1 customer".
fn count(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// The causes as lines under a heading; nothing when no period missed.
pub fn causes_text(causes: &[Cause]) -> String {
    if causes.is_empty() {
        return String::new();
    }
    let missed: usize = causes.iter().map(|c| c.periods).sum();
    let mut out = format!("\nWhy {} missed, by cause:\n", count(missed, "period"));
    for c in causes {
        let stake = c.at_stake.map(|a| format!(", {a} short in all")).unwrap_or_default();
        out.push_str(&format!(
            "  {} · {} ({}){stake}\n",
            crate::sanitize::line(&described(c)),
            count(c.customers, "customer"),
            count(c.periods, "period"),
        ));
        let more = c.customers.saturating_sub(c.named.len());
        let mut names = c.named.iter().map(|n| crate::sanitize::line(n).into_owned()).collect::<Vec<_>>().join(", ");
        if more > 0 {
            names.push_str(&format!(" and {more} more"));
        }
        out.push_str(&format!("      {names}\n"));
    }
    out
}

/// Text made safe for a Markdown table cell.
fn cell(text: &str) -> String {
    crate::sanitize::line(text).replace('|', "\\|")
}

/// The rows and, with verdicts, the causes, as Markdown.
pub fn markdown(rows: &[BatchRow], causes: &[Cause], verdict: bool) -> String {
    let cols: Vec<&columns::Column> =
        columns::csv_columns(verdict).filter(|c| c.part != columns::Part::Failure && c.title.is_some()).collect();
    let empty = super::empty_columns(rows);
    let shown: Vec<&&columns::Column> = cols
        .iter()
        .filter(|c| {
            let i = columns::table_columns().position(|t| std::ptr::eq(t, **c));
            i.is_none_or(|i| !empty.get(i).copied().unwrap_or(false))
        })
        .collect();
    let mut out = String::from("| ");
    out.push_str(&shown.iter().map(|c| c.title.unwrap_or(c.header)).collect::<Vec<_>>().join(" | "));
    out.push_str(" |\n|");
    out.push_str(&shown.iter().map(|c| if c.right { " ---: |" } else { " --- |" }).collect::<String>());
    out.push('\n');
    for r in rows {
        out.push_str("| ");
        out.push_str(&shown.iter().map(|c| cell(&(c.cell)(r))).collect::<Vec<_>>().join(" | "));
        out.push_str(" |\n");
    }
    if !causes.is_empty() {
        out.push_str("\n## Why they missed\n\n| cause | customers | periods | short in all | customers named |\n| --- | ---: | ---: | ---: | --- |\n");
        for c in causes {
            let mut names = c.named.join(", ");
            let more = c.customers.saturating_sub(c.named.len());
            if more > 0 {
                names.push_str(&format!(" and {more} more"));
            }
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                cell(&described(c)),
                c.customers,
                c.periods,
                c.at_stake.map(|a| a.to_string()).unwrap_or_default(),
                cell(&names)
            ));
        }
    }
    out
}
