//! The detail pane: every field of the selected event, long values wrapped,
//! dates raw and parsed; `v` shows the event's JSON as the server sent it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::api::model::{EventTime, TargetEvent};
use crate::core::export::terminal_safe_json;
use crate::explorer::app::screen::Panel;
use crate::explorer::app::{App, Focus};
use crate::explorer::features::events::table::{LARGE_LAG, format_lag};
use crate::explorer::ui::theme::Theme;
use crate::sanitize;

const KEY_WIDTH: usize = 19;
const CONTINUATION: &str = "  ";
/// The most of one value the pane lays out: a 10 MB name must not cost a
/// second per frame. Exports and copies carry the whole value.
pub const MAX_SHOWN_BYTES: usize = 4096;

/// `text` sanitised, cut to [`MAX_SHOWN_BYTES`] with a note of its whole size.
pub fn bounded(text: &str) -> String {
    if text.len() <= MAX_SHOWN_BYTES {
        return sanitize::line(text).into_owned();
    }
    let mut end = MAX_SHOWN_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} in all: y copies it whole)", sanitize::line(&text[..end]), size_text(text.len()))
}

fn size_text(bytes: usize) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

/// The event's JSON with every long string cut as [`bounded`] cuts it.
fn bounded_json(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) if s.len() > MAX_SHOWN_BYTES => {
            let mut end = MAX_SHOWN_BYTES;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            Value::String(format!("{}… ({} in all)", &s[..end], size_text(s.len())))
        }
        Value::Array(items) => Value::Array(items.iter().map(bounded_json).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), bounded_json(v))).collect()),
        other => other.clone(),
    }
}

/// The API's string, and beneath it the moment it stands for: by the ISO
/// field with its offset where the API gave one (the legacy string is the
/// cluster's local time, which can be another day), else the string read.
fn date_lines(t: &EventTime, iso: Option<&str>) -> Vec<String> {
    let mut v = vec![bounded(&t.raw)];
    v.push(match (crate::core::verdict::window::instant(iso), t.parsed) {
        (Some(at), _) => format!("→ {}", at.format("%a %d %b %Y %H:%M:%S %:z")),
        // Only the cluster's local string: no offset to give.
        (None, Some(p)) => format!("→ {} (no offset)", p.format("%a %d %b %Y %H:%M:%S")),
        (None, None) => "→ (not a date the tool understands)".into(),
    });
    v
}

/// (key, value lines, value style) for every field of the event.
fn fields(
    theme: &Theme,
    e: &TargetEvent,
    dated_elsewhere: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
) -> Vec<(&'static str, Vec<String>, Style)> {
    let kind = match e.kind() {
        crate::api::model::EventKind::Transaction => "transaction",
        crate::api::model::EventKind::Return => "return",
        crate::api::model::EventKind::Behavioural => "behavioural event",
        crate::api::model::EventKind::Enrol => "enrolment",
        crate::api::model::EventKind::Unenrol => "unenrolment",
        crate::api::model::EventKind::Other => "other",
    };
    let value_style = if e.target_value.is_negative() { theme.negative() } else { Style::new() };
    let mut processed = date_lines(&e.event_processed_date, e.event_processed_date_iso.as_deref());
    let mut lag_style = Style::new();
    if let Some(lag) = e.processing_lag() {
        if lag > LARGE_LAG {
            processed.push(format!("⚠ processed {} after the event", format_lag(lag).trim_start_matches('+')));
            lag_style = theme.warning();
        } else if lag < chrono::TimeDelta::zero() {
            processed.push("⚠ processed before the event date".into());
            lag_style = theme.warning();
        }
    }
    let display_name = e.event_display_name.as_deref().map_or("—".into(), bounded);
    let mut v = vec![
        ("eventLogId", vec![e.event_log_id.to_string()], Style::new()),
        ("eventName", vec![bounded(&e.event_name), format!("{} {kind}", e.kind().marker())], Style::new()),
        ("eventDisplayName", vec![display_name], Style::new()),
        ("targetValue", vec![e.target_value.to_string()], value_style),
        ("uniqueId", vec![bounded(&e.unique_id)], Style::new()),
        ("customerId", vec![e.customer_id.to_string()], Style::new()),
        ("eventDate", date_lines(&e.event_date, e.event_date_iso.as_deref()), Style::new()),
        ("eventProcessedDate", processed, lag_style),
        match (dated_elsewhere, e.event_date.parsed) {
            (Some((start, end)), Some(date)) => (
                "periodId",
                vec![
                    e.period_id.to_string(),
                    format!(
                        "⇄ dated {}, outside this period ({start} → {end}): it counted here, not in the period of its date",
                        match crate::core::verdict::window::instant(e.event_date_iso.as_deref()) {
                            Some(at) => at.format("%-d %b %Y %H:%M %:z").to_string(),
                            None => date.format("%-d %b %Y %H:%M").to_string(),
                        }
                    ),
                ],
                theme.warning(),
            ),
            _ => ("periodId", vec![e.period_id.to_string()], Style::new()),
        },
        ("targetGroupId", vec![e.target_group_id.to_string()], Style::new()),
        ("targetRuleId", vec![e.target_rule_id.to_string()], Style::new()),
    ];
    if let Some(iso) = &e.event_date_iso {
        v.push(("eventDateISO", vec![bounded(iso)], Style::new()));
    }
    if let Some(iso) = &e.event_processed_date_iso {
        v.push(("eventProcessedDateISO", vec![bounded(iso)], Style::new()));
    }
    v
}

/// The pane's content at `width` columns, already wrapped.
pub fn lines(app: &App, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let Some(e) = app.selected_event() else {
        return vec![Line::styled("No event selected.", theme.muted())];
    };
    let width = width as usize;
    if app.case.results.detail.raw {
        let json = terminal_safe_json(&bounded_json(&e.as_sent()), true);
        return json.lines().flat_map(|l| crate::core::columns::hard_wrap(l, width)).map(Line::from).collect();
    }
    let stacked = width < KEY_WIDTH + 16;
    let mut out = Vec::new();
    for (key, values, style) in fields(theme, e, app.dated_elsewhere(e)) {
        let key_span = Span::styled(format!("{key:<KEY_WIDTH$}"), theme.muted());
        if stacked {
            out.push(Line::from(Span::styled(key, theme.muted())));
            for v in values {
                for piece in crate::core::columns::hard_wrap(&v, width.saturating_sub(2)) {
                    out.push(Line::from(vec![Span::raw("  "), Span::styled(piece, style)]));
                }
            }
            continue;
        }
        // The first line sits beside the key; further lines go beneath it,
        // slightly indented, so long values keep most of the width.
        let mut first = true;
        for v in values {
            // A sentence (a ⚠ or ⇄ note) wraps at words beneath the value.
            if !first && (v.starts_with('⚠') || v.starts_with('⇄')) {
                for piece in crate::explorer::ui::columns::wrap_words(&v, width.saturating_sub(CONTINUATION.len())) {
                    out.push(Line::from(vec![Span::raw(CONTINUATION), Span::styled(piece, style)]));
                }
                continue;
            }
            let room = if first { width.saturating_sub(KEY_WIDTH) } else { width.saturating_sub(CONTINUATION.len()) };
            let below = width.saturating_sub(CONTINUATION.len());
            // A value too wide to sit beside its key, that would fit whole on a
            // line of its own, goes beneath it instead of being broken.
            if first && v.width() > room && v.width() <= below {
                out.push(Line::from(key_span.clone()));
                out.push(Line::from(vec![Span::raw(CONTINUATION), Span::styled(v, style)]));
                first = false;
                continue;
            }
            let pieces = crate::core::columns::hard_wrap(&v, room);
            let (head, rest) = pieces.split_first().map_or((String::new(), &[][..]), |(h, r)| (h.clone(), r));
            let lead = if first { key_span.clone() } else { Span::raw(CONTINUATION) };
            out.push(Line::from(vec![lead, Span::styled(head, style)]));
            first = false;
            for piece in crate::core::columns::hard_wrap(&rest.concat(), width.saturating_sub(CONTINUATION.len())) {
                if !piece.is_empty() {
                    out.push(Line::from(vec![Span::raw(CONTINUATION), Span::styled(piece, style)]));
                }
            }
        }
    }
    out
}

/// Draws the pane; returns how far it can scroll at this size.
pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) -> u16 {
    let focused = app.form.focus == Focus::Table && app.screen.main() == Some(Panel::Detail);
    let title = match app.selected_event() {
        Some(e) if app.case.results.detail.raw => format!(" Event {} · raw JSON ", e.event_log_id),
        Some(e) => format!(" Event {} ", e.event_log_id),
        None => " Event ".to_string(),
    };
    let block = Block::bordered()
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(theme.border(focused))
        .title(Span::styled(title, theme.title(focused)))
        .title_bottom(
            Line::from(Span::styled(
                {
                    let raw = crate::explorer::app::keys::key_of(
                        &app.keymap,
                        crate::explorer::app::screen::Owner::Detail,
                        crate::explorer::app::Action::ToggleRaw,
                    );
                    if app.case.results.detail.raw { format!(" {raw} fields ") } else { format!(" {raw} raw JSON ") }
                },
                theme.muted(),
            ))
            .right_aligned(),
        );
    let inner = block.inner(area);
    let content = lines(app, theme, inner.width);
    let max_scroll = u16::try_from(content.len().saturating_sub(inner.height as usize)).unwrap_or(u16::MAX);
    let scroll = app.case.results.detail.scroll.min(max_scroll);
    frame.render_widget(Paragraph::new(content).block(block).scroll((scroll, 0)), area);
    max_scroll
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_respects_wide_characters() {
        assert_eq!(crate::core::columns::hard_wrap("abcdef", 4), vec!["abcd", "ef"]);
        assert_eq!(crate::core::columns::hard_wrap("積分イベ", 5), vec!["積分", "イベ"]);
        assert_eq!(crate::core::columns::hard_wrap("", 4), vec![""]);
    }

    #[test]
    fn a_number_is_not_split_across_lines_when_it_fits_on_one() {
        assert_eq!(
            crate::core::columns::hard_wrap("bill-9223372036854775807", 20),
            vec!["bill-", "9223372036854775807"]
        );
        assert_eq!(crate::core::columns::hard_wrap("ab 123.45", 7), vec!["ab ", "123.45"]);
        // Longer than a line: it has to be cut, as before.
        assert_eq!(crate::core::columns::hard_wrap("1234567890", 4), vec!["1234", "5678", "90"]);
    }

    #[test]
    fn a_huge_value_is_shown_in_part_with_its_size() {
        let huge = "é".repeat(5 * 1024 * 1024);
        let shown = bounded(&huge);
        assert!(shown.len() < MAX_SHOWN_BYTES + 100);
        assert!(shown.ends_with("… (10.0 MB in all: y copies it whole)"), "{}", &shown[shown.len() - 60..]);
        let json = bounded_json(&serde_json::json!({"n": huge, "v": 1}));
        assert!(json["n"].as_str().unwrap().ends_with("(10.0 MB in all)"));
        assert_eq!(json["v"], 1);
        assert_eq!(bounded("short"), "short");
    }
}
