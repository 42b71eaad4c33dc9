//! The verdict panel: `e` loads what it needs, shows the verdict per period,
//! selects an event in the table, and saves or copies the case note.

use chrono::NaiveDateTime;
use crossterm::event::KeyCode;
use insta::assert_snapshot;
use target_events::explorer::app::Effect;
use target_events::explorer::app::state::Overlay;

use crate::common::harness::Harness;

fn opened(width: u16, height: u16) -> Harness {
    verdict_in(Harness::new(width, height))
}

/// The same, where no clipboard is reachable: copies show in a popup.
fn opened_without_clipboard(width: u16, height: u16) -> Harness {
    verdict_in(Harness::with_options(width, height, |o| o.connection.clipboard = false))
}

fn verdict_in(mut h: Harness) -> Harness {
    h.app.set_clock(Some(NaiveDateTime::parse_from_str("2025-10-22 15:00:00", "%Y-%m-%d %H:%M:%S").unwrap()));
    h.query("777000777", "7610", "7601");
    h.answer_all();
    h.key(KeyCode::Char('e'));
    assert!(h.pending.iter().any(|e| matches!(e, Effect::LoadTargets { user_id: 777000777, .. })), "the targets first");
    h.answer_all();
    h
}

#[test]
fn e_loads_the_targets_and_every_period_then_shows_the_verdict() {
    let h = opened(120, 36);
    let panel = h.app.verdict().expect("the panel is open");
    assert_eq!(panel.periods().iter().map(|v| v.period_id).collect::<Vec<_>>(), vec![7601, 7602]);
    assert_eq!(panel.selected(), 0, "the query's period first");
    // Every period is read for the verdict, apart from the table, whose
    // query (period 7601, its first page) stays as the fields say.
    let (_, read) = h.app.rule_events().expect("every event of the rule");
    assert!(read.iter().any(|e| e.period_id == 7602) && read.iter().any(|e| e.period_id == 7601));
    assert!(!h.app.showing_all(), "the table is not turned into every page");
    assert_eq!(h.app.shown_query().unwrap().period_id, Some(7601));
    let text = h.screen_text();
    assert!(text.contains("Not reached: 4820.50 of 5000.00 — 179.50 short"), "{text}");
    assert!(text.contains("Not reached yet: 4350.00 of 5000.00 — 650.00 still needed, 10 days left"), "{text}");
    assert!(text.contains("Event 940000005 (600.00, dated 2025-09-30 23:50:00 +05:30)"), "{text}");
    assert!(text.contains("alone it would have reached the target"), "{text}");
    assert_snapshot!("verdict_120x36", h.render().backend());
}

#[test]
fn the_panel_at_60x16_keeps_its_figures_whole() {
    let h = opened(60, 16);
    assert_snapshot!("verdict_60x16", h.render().backend());
}

#[test]
fn j_k_tab_and_enter_select_the_event_in_the_table() {
    let mut h = opened(120, 36);
    h.key(KeyCode::Char('j'));
    assert_eq!(h.app.verdict().unwrap().selected(), 1);
    h.key(KeyCode::Char('k'));
    h.key(KeyCode::Tab);
    // The late bill counted in October: the table (September) does not hold
    // it, and says so rather than changing its query.
    h.key(KeyCode::Enter);
    assert!(h.app.verdict().is_some());
    assert_eq!(h.app.shown_query().unwrap().period_id, Some(7601));
    let said = h.app.notice_text().unwrap_or_default().to_string();
    assert_eq!(said, "Event 940000005 counted in Oct_2025 (7602): not in the table's query.");
    // The next notable event is September's: its row, with its detail, over the verdict.
    h.key(KeyCode::Char('j'));
    let wanted = {
        let v = h.app.verdict().unwrap();
        target_events::core::verdict::report::notable(&v.periods()[0])[1].0.event_log_id
    };
    h.key(KeyCode::Enter);
    assert_eq!(h.app.main_panel(), Some(target_events::explorer::app::screen::Panel::Detail));
    assert_eq!(h.app.selected_event().map(|e| e.event_log_id), Some(wanted));
    // Esc comes back to the verdict, where it was.
    h.key(KeyCode::Esc);
    let v = h.app.verdict().expect("the verdict again");
    assert!(v.in_events() && v.event() == 1);
    assert_eq!(h.app.main_panel(), Some(target_events::explorer::app::screen::Panel::Verdict));
}

#[test]
fn the_case_note_is_saved_and_copied() {
    let mut h = opened(120, 36);
    h.key(KeyCode::Char('x'));
    assert!(matches!(h.app.overlay(), Some(Overlay::Prompt { .. })));
    h.key(KeyCode::Enter);
    let Some(Effect::WriteFile { path, text, overwrite: false, .. }) = h.pending.pop() else {
        panic!("a note to write")
    };
    assert_eq!(path.to_str(), Some("case-note-777000777-7610-7601.md"));
    assert!(text.starts_with("# Case note: customer 777000777, rule 7610"), "{text}");
    assert!(text.contains("8c1f02d7-groups-777000777"), "the targets request and its id: {text}");
    assert!(text.contains("| 200 | `8c1f02d7-"), "the events requests (their ids set as code): {text}");
    assert!(text.contains("Made 2025-10-22 15:00"), "{text}");
    h.key(KeyCode::Char('y'));
    let copied =
        h.pending.iter().rev().find_map(|e| if let Effect::Copy { text, .. } = e { Some(text.clone()) } else { None });
    assert_eq!(copied.as_deref(), Some(text.as_str()));
}

#[test]
fn the_case_note_says_how_the_customer_was_found() {
    let mut h = Harness::new(120, 36);
    h.query("ravi.kumar@example.com", "7610", "");
    h.answer_all();
    h.key(KeyCode::Char('e'));
    h.answer_all();
    let note = h.app.case_note().expect("the verdict is open");
    assert!(note.contains("- Customer: 777000777 (found by `email ravi.kumar@example.com`)"), "{note}");
    assert!(note.contains("/v2/customers/lookup"), "the lookup is among the requests: {note}");
}

#[test]
fn a_lifetime_periods_chart_stops_at_today() {
    let mut h = Harness::new(120, 36);
    h.app.set_clock(Some(NaiveDateTime::parse_from_str("2026-11-26 12:00:00", "%Y-%m-%d %H:%M:%S").unwrap()));
    h.query("808000808", "8080", "");
    h.answer_all();
    h.key(KeyCode::Char('e'));
    h.answer_all();
    let text = h.screen_text();
    assert!(text.contains("Not reached yet: 9000.00 of 10000.00 — 1000.00 still needed"), "{text}");
    assert!(text.contains("26 Nov 2026") && !text.contains("2099"), "the axis ends today: {text}");
    assert_snapshot!("verdict_lifetime_120x36", h.render().backend());
}

#[test]
fn the_panel_at_80_and_200_columns_keeps_its_figures_and_words_whole() {
    let h = opened(80, 24);
    assert_snapshot!("verdict_80x24", h.render().backend());
    let h = opened(200, 40);
    assert_snapshot!("verdict_200x40", h.render().backend());
    let text = h.screen_text();
    assert!(text.contains("dated before enrolment on 5 Sep 2025, counted all the same (in the sum)"), "{text}");
    assert!(text.contains("counted in Oct_2025 (7602)"), "{text}");
}

#[test]
fn m_copies_a_reply_for_the_customer_without_any_id() {
    let mut h = opened(120, 36);
    h.key(KeyCode::Char('m'));
    let reply = h
        .pending
        .iter()
        .chain(&h.other)
        .rev()
        .find_map(|e| if let Effect::Copy { text, .. } = e { Some(text.clone()) } else { None })
        .expect("a copy");
    assert!(
        reply.starts_with(
            "In September 2025 the purchases that count came to 4820.50 of the 5000.00 needed, 179.50 short."
        ),
        "{reply}"
    );
    assert!(reply.contains("Your purchase of 600.00 on 30 September 2025 counted toward October 2025 instead because it was processed on 1 October 2025"), "{reply}");
    for id in ["940000005", "7610", "7601", "777000777", "8c1f02d7"] {
        assert!(!reply.contains(id), "{id} in the reply: {reply}");
    }
    assert!(matches!(h.app.overlay(), Some(Overlay::Copied { .. })));
}

#[test]
fn the_copied_note_scrolls_and_keeps_its_table_rows_whole() {
    let mut h = opened_without_clipboard(80, 24);
    h.key(KeyCode::Char('y'));
    let Some(Overlay::Copied { text, .. }) = h.app.overlay().cloned() else { panic!("the popup") };
    let row = text.lines().find(|l| l.starts_with("| 940000005 |")).expect("a table row").to_string();
    assert!(row.chars().count() > 80, "a row wider than the screen");
    let screen = h.screen_text();
    assert!(screen.contains("select the text below by hand"), "{screen}");
    assert!(screen.contains("lines 1–"), "it says it scrolls: {screen}");
    // Scrolled down to the row: its start is on one line, never wrapped onto the next.
    for _ in 0..200 {
        if h.screen_text().contains("│| 940000005 |") {
            break;
        }
        h.key(KeyCode::Char('j'));
    }
    let screen = h.screen_text();
    let line = screen.lines().find(|l| l.contains("| 940000005 |")).expect("the row in view");
    assert!(line.contains("| 940000005 | `ADD_TRANSACTION`"), "{line}");
    // Scrolled right, the rest of the row comes into view on the same line.
    for _ in 0..16 {
        h.key(KeyCode::Char('l'));
    }
    assert!(h.screen_text().lines().any(|l| l.contains("alone it would have reached")), "{}", h.screen_text());
}

#[test]
fn the_reply_popup_wraps_at_words_at_60_columns() {
    let mut h = opened_without_clipboard(60, 24);
    h.key(KeyCode::Char('m'));
    let screen = h.screen_text();
    assert!(screen.contains("179.50 short."), "every word on screen, wrapped: {screen}");
    assert!(screen.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 60));
}
