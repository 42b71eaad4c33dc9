//! A verdict written out: plain text for the terminal, JSON for programs
//! (money as exact strings), and the Markdown case note an agent pastes into
//! an escalation — with every request made, its request id and a cURL line
//! that reproduces it without any secret.

use serde::Serialize;

use super::{EventRef, Outcome, PeriodVerdict};
use crate::api::ResponseMeta;
use crate::api::model::Money;

/// Everything a report says.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub customer: CustomerInfo,
    pub rule_id: i64,
    pub target_name: Option<String>,
    pub group_name: Option<String>,
    pub periods: Vec<PeriodVerdict>,
    pub requests: Vec<RequestInfo>,
    /// When it was made (local time, with its offset).
    pub made_at: String,
    pub tool_version: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerInfo {
    pub user_id: i64,
    /// The identifier it was found by ("email name@example.com"), when not the id.
    pub found_by: Option<String>,
}

/// A request made for the report.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestInfo {
    pub url: String,
    pub status: u16,
    pub request_id: Option<String>,
    /// Reproduces it; credentials come from the environment, never written here.
    pub curl: String,
}

impl RequestInfo {
    pub fn of(meta: &ResponseMeta, curl: String) -> RequestInfo {
        RequestInfo { url: meta.url.clone(), status: meta.status, request_id: meta.request_id.clone(), curl }
    }
}

fn money(m: Option<Money>) -> String {
    m.map_or_else(|| "—".into(), |m| m.as_money())
}

/// The enrolment day for people: "5 Sep 2025", or the API's text.
fn enrolment_day(v: &PeriodVerdict) -> String {
    let raw = v.enrolled_on.as_deref().unwrap_or("?");
    chrono::NaiveDate::parse_from_str(raw.get(..10).unwrap_or(raw), "%Y-%m-%d")
        .map_or_else(|_| raw.to_string(), |d| d.format("%-d %b %Y").to_string())
}

/// The notable events of a period, each with why it is notable. Every
/// listed event counted somewhere (the API lists only those): the words
/// say where, and the sums use the same events.
pub fn notable(v: &PeriodVerdict) -> Vec<(&EventRef, String)> {
    let mut out: Vec<(&EventRef, String)> = Vec::new();
    if let Outcome::Reached { on, .. } = &v.outcome {
        out.push((on, "reached the target".into()));
    }
    for e in &v.counted_elsewhere {
        let why = if v.would_have_reached.as_ref().is_some_and(|w| w.event_log_id == e.event_log_id) {
            format!("dated in this period, counted in {}; alone it would have reached the target", e.period_name())
        } else {
            format!("dated in this period, counted in {}", e.period_name())
        };
        out.push((e, why));
    }
    for e in &v.counted_here_from_outside {
        out.push((e, "dated outside this period, counted here (in the sum)".into()));
    }
    for e in &v.unsettled {
        out.push((
            e,
            format!(
                "counted in {}; dated within {} hours of this period's bounds without an offset: the API's dates cannot settle which period it belongs to",
                e.period_name(),
                super::window::UNSETTLED_HOURS
            ),
        ));
    }
    for e in &v.returns {
        let below = v.returned_below.as_ref().is_some_and(|b| b.event_log_id == e.event_log_id);
        out.push((e, if below { "return: took the total back below the target".into() } else { "return".into() }));
    }
    for e in &v.before_enrolment {
        out.push((e, format!("dated before enrolment on {}, counted all the same (in the sum)", enrolment_day(v))));
    }
    for e in &v.membership {
        out.push((e, membership_word(e).into()));
    }
    for m in &v.milestones {
        if let Some(e) = &m.crossed_on {
            out.push((e, format!("crossed the sub-milestone {} ({})", m.name, money(m.value))));
        }
    }
    out
}

/// "enrolled" or "unenrolled", for an ENROL or UNENROL event.
fn membership_word(e: &EventRef) -> &'static str {
    if crate::api::model::EventKind::of(&e.event_name) == crate::api::model::EventKind::Unenrol {
        "unenrolled"
    } else {
        "enrolled"
    }
}

/// "12:00:05 +05:30", a reading's time on this machine's clock.
fn clock(t: chrono::NaiveDateTime) -> String {
    crate::clock::shown(t, "%H:%M:%S")
}

/// What explains the period beyond its figures, one sentence each: a late
/// enrolment, an enrolment or unenrolment inside it, an event that alone
/// would have reached the target, a return that took a reached total back
/// below it, an achieved value read before the last arrival. The panel,
/// the text and the case note say the same.
pub fn findings(v: &PeriodVerdict) -> Vec<String> {
    let mut out = Vec::new();
    if v.readings.targets_stale()
        && let (Some(at), Some(arrival)) = (v.readings.targets_at, v.readings.last_arrival)
    {
        out.push(format!(
            "The API's achieved value was read at {}, before an event arrived at {}: it is not compared with the events until read again.",
            clock(at),
            clock(arrival)
        ));
    }
    if let Some(l) = &v.late_enrolment {
        let mut s = l.sentence();
        s[..1].make_ascii_uppercase();
        out.push(format!("{s}."));
    }
    for e in &v.membership {
        // An enrolment on the day the late enrolment names is said once.
        let day = super::parse_day(Some(&e.event_date));
        if membership_word(e) == "enrolled" && v.late_enrolment.as_ref().is_some_and(|l| Some(l.enrolled) == day) {
            continue;
        }
        let mut word = membership_word(e).to_string();
        word[..1].make_ascii_uppercase();
        out.push(format!("{word} on {} (event {}).", e.dated(), e.event_log_id));
    }
    if let Some(w) = &v.would_have_reached {
        out.push(format!(
            "Event {} ({}, dated {}) counted in {}: alone it would have reached the target.",
            w.event_log_id,
            w.value.as_money(),
            w.dated(),
            w.period_name()
        ));
    }
    // One that might have: said, and not claimed.
    if let Outcome::NotReached { short_by: Some(short) } = &v.outcome
        && v.would_have_reached.is_none()
        && let Some(u) = v.unsettled.iter().filter(|u| u.value.0 >= short.0).min_by_key(|u| u.value)
    {
        out.push(format!(
            "Event {} ({}, dated {}) counted in {}: if it belongs to this period it alone would have reached the target, but the API's dates have no offsets to settle which period it belongs to.",
            u.event_log_id,
            u.value.as_money(),
            u.dated(),
            u.period_name()
        ));
    }
    if let Some(story) = &v.bills {
        out.extend(story.sentences());
    }
    if let Some(r) = &v.returned_below {
        out.push(format!(
            "Return {} ({} on {}) took the total back below the target.",
            r.event_log_id,
            r.value.as_money(),
            r.dated()
        ));
    }
    out
}

/// The figures of a period, as (label, value) lines; each figure read from
/// the server says when, where the front end knows.
pub fn figures(v: &PeriodVerdict) -> Vec<(String, String)> {
    let as_of = |t: Option<chrono::NaiveDateTime>| t.map_or(String::new(), |t| format!(" (as of {})", clock(t)));
    let mut out = vec![
        ("Target".to_string(), money(v.target)),
        (format!("API's achieved value{}", as_of(v.readings.targets_at)), money(v.achieved)),
        (
            format!(
                "Sum of the {} counted here{}",
                crate::verdict::count(v.events_count, "event", "events"),
                as_of(v.readings.events_at)
            ),
            v.events_sum.map_or_else(|| "not exact (beyond 28 digits)".into(), |s| s.as_money()),
        ),
    ];
    if let Some(d) = v.difference {
        let (label, d) = super::difference_label(d);
        out.push((label.to_string(), d.as_money()));
    }
    if !v.returns.is_empty() {
        out.push((format!("Returns ({})", v.returns.len()), money(v.returns_total)));
    }
    out
}

/// "Period Oct_2025 (7602): 2025-10-01 → 2025-10-31, current".
pub fn period_title(v: &PeriodVerdict) -> String {
    let dates = match (v.start, v.end) {
        (Some(s), Some(e)) => format!(": {s} → {e}"),
        _ => String::new(),
    };
    let current = if v.current { ", current" } else { "" };
    let name = match v.ref_code.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(_) => v.name(),
        None => v.period_id.to_string(),
    };
    format!("Period {name}{dates}{current}")
}

impl Report {
    /// Plain text, for a terminal.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let found = self.customer.found_by.as_deref().map_or(String::new(), |f| format!(" (found by {f})"));
        let target = self.target_name.as_deref().map_or(String::new(), |t| format!(", target \"{t}\""));
        out.push_str(&format!("Customer {}{found}, rule {}{target}\n", self.customer.user_id, self.rule_id));
        for v in &self.periods {
            out.push_str(&format!("\n{}\n  {}\n", period_title(v), v.headline()));
            for (label, value) in figures(v) {
                out.push_str(&format!("  {label}: {value}\n"));
            }
            for finding in findings(v) {
                out.push_str(&format!("  {finding}\n"));
            }
            for (e, why) in notable(v) {
                out.push_str(&format!(
                    "  event {} {} {} on {}, processed {}: {why}\n",
                    e.event_log_id,
                    e.event_name,
                    e.value,
                    e.dated(),
                    e.processed()
                ));
            }
            for l in v.bills.iter().flat_map(|b| &b.lines) {
                let store = l.bill.store.as_deref().map_or_else(String::new, |s| format!(" at {s}"));
                out.push_str(&format!(
                    "  {} {} {} {}{store}: {}\n",
                    l.bill.named(),
                    l.bill.kind,
                    l.bill.amount_text(),
                    l.bill.when,
                    l.fate_words()
                ));
            }
        }
        out
    }

    /// The case note, in Markdown. Every value that came from the API or
    /// the agent is set as code, so a hostile name cannot become a link, an
    /// image, HTML or a comment in the ticket it is pasted into.
    pub fn markdown(&self) -> String {
        markdown_of(std::slice::from_ref(self))
    }

    /// The reply for the customer about `period`, else the period a
    /// complaint is most likely about; None when the target has no period.
    pub fn reply(&self, period: Option<i64>) -> Option<String> {
        let at = period
            .and_then(|p| self.periods.iter().position(|v| v.period_id == p))
            .unwrap_or_else(|| super::complaint_period(&self.periods));
        let v = self.periods.get(at)?;
        Some(super::reply::reply(v, &self.periods))
    }

    /// JSON with money as exact strings.
    pub fn json(&self) -> String {
        crate::export::terminal_safe_json(&serde_json::to_value(self).unwrap_or_default(), true)
    }
}

/// `text` as a Markdown code span: literal, whatever it holds (no link,
/// image, HTML, comment or emphasis), on one line, and safe in a table cell.
fn code(text: &str) -> String {
    let text = crate::sanitize::line(text);
    let longest = longest_run(&text, '`');
    let ticks = "`".repeat(longest + 1);
    // A space inside the ticks when the text starts or ends with one.
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// [`code`] in a table cell, where a `|` would end the cell.
fn cell(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// `text` as a fenced code block whose fence no line of it can close.
fn fenced(info: &str, text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    format!("{fence}{info}\n{text}\n{fence}\n")
}

fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// The case note of one target, or of every target of a customer (one
/// section each), in Markdown. Every value that came from the API or the
/// agent is set as code.
pub fn markdown_of(reports: &[Report]) -> String {
    let Some(first) = reports.first() else { return String::new() };
    let many = reports.len() > 1;
    let mut out = String::new();
    let scope = if many { "every target".to_string() } else { format!("rule {}", first.rule_id) };
    out.push_str(&format!("# Case note: customer {}, {scope}\n\n", first.customer.user_id));
    // The time and version are the tool's own, not the API's.
    out.push_str(&format!("Made {} with target-events {}.\n\n", first.made_at, first.tool_version));
    match &first.customer.found_by {
        Some(f) => out.push_str(&format!("- Customer: {} (found by {})\n", first.customer.user_id, code(f))),
        None => out.push_str(&format!("- Customer: {}\n", first.customer.user_id)),
    }
    // One target: its periods are the sections; several: a section each,
    // their periods beneath.
    let period_level = if many { "###" } else { "##" };
    for report in reports {
        let target = report.target_name.as_deref().map(code).unwrap_or_else(|| "—".into());
        let group = report.group_name.as_deref().map(code).unwrap_or_else(|| "—".into());
        if many {
            out.push_str(&format!("\n## Target {target} (group {group}), rule {}\n", report.rule_id));
        } else {
            out.push_str(&format!("- Target: {target} (group {group}), rule {}\n", report.rule_id));
        }
        for v in &report.periods {
            out.push_str(&format!("\n{period_level} {}\n\n**{}**\n\n", code(&period_title(v)), code(&v.headline())));
            out.push_str("| Figure | Value |\n| --- | ---: |\n");
            for (label, value) in figures(v) {
                out.push_str(&format!("| {} | {} |\n", cell(&label), cell(&value)));
            }
            let found = findings(v);
            if !found.is_empty() {
                out.push('\n');
            }
            for finding in found {
                out.push_str(&format!("- {}\n", code(&finding)));
            }
            let events = notable(v);
            if !events.is_empty() {
                out.push_str("\n| Event log id | Event | Value | Date | Processed | Counted in | Why |\n");
                out.push_str("| --- | --- | ---: | --- | --- | --- | --- |\n");
                for (e, why) in events {
                    out.push_str(&format!(
                        "| {} | {} | {} | {} | {} | {} | {} |\n",
                        e.event_log_id,
                        cell(&e.event_name),
                        cell(&e.value.as_money()),
                        cell(&e.dated()),
                        cell(&e.processed()),
                        e.period_id,
                        cell(&why)
                    ));
                }
            }
            let lines = v.bills.as_ref().map_or(&[][..], |b| b.lines.as_slice());
            if !lines.is_empty() {
                out.push_str("\n| Bill | Id | Type | Amount | When | Store | What happened |\n");
                out.push_str("| --- | --- | --- | ---: | --- | --- | --- |\n");
                for l in lines {
                    out.push_str(&format!(
                        "| {} | {} | {} | {} | {} | {} | {} |\n",
                        cell(&l.bill.number),
                        l.bill.id,
                        cell(&l.bill.kind),
                        cell(&l.bill.amount_text()),
                        cell(&l.bill.when),
                        cell(l.bill.store.as_deref().unwrap_or("—")),
                        cell(&l.fate_words())
                    ));
                }
            }
        }
    }
    // Every request once, in the order made (a lookup shared by the targets too).
    let mut requests: Vec<&RequestInfo> = Vec::new();
    for r in reports.iter().flat_map(|r| &r.requests) {
        if !requests.iter().any(|x| x.url == r.url && x.request_id == r.request_id) {
            requests.push(r);
        }
    }
    out.push_str("\n## Requests\n\n| Status | Request id | URL |\n| --- | --- | --- |\n");
    for r in &requests {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            r.status,
            cell(r.request_id.as_deref().unwrap_or("-")),
            cell(&r.url)
        ));
    }
    out.push_str("\nTo reproduce (credentials from CAP_* environment variables):\n\n");
    for r in &requests {
        out.push_str(&fenced("sh", &r.curl));
    }
    out
}
