//! Whole-frame snapshots of every state the explorer can be in, rendered from
//! the state on a fixed-size TestBackend, plus style assertions where colour
//! carries meaning (text snapshots do not record it).

use std::time::Duration;

use crossterm::event::KeyCode;
use insta::assert_snapshot;
use ratatui::style::{Color, Modifier};
use target_events::api::error::{ErrorKind, NetCause};
use target_events::explorer::ui::theme::Theme;

use crate::common::harness::{Harness, api_error, find};

fn loaded(user: &str, rule: &str, period: &str) -> Harness {
    let mut h = Harness::new(120, 36);
    h.query(user, rule, period);
    h.answer_all();
    h
}

#[test]
fn start_screen() {
    let h = Harness::new(120, 36);
    assert_snapshot!(h.render().backend());
}

#[test]
fn typing() {
    let mut h = Harness::new(120, 36);
    h.type_text("56433");
    let t = h.render();
    assert_snapshot!(t.backend());
    // The focused pane is obvious: thick cyan border.
    let b = t.backend().buffer();
    assert_eq!(b[(0, 0)].symbol(), "┏");
    assert_eq!(b[(0, 0)].fg, Color::Cyan);
}

#[test]
fn validation_errors() {
    let mut h = Harness::new(120, 36);
    h.type_text("12a");
    h.key(KeyCode::Tab);
    h.type_text("99999999999999999999");
    h.key(KeyCode::Tab);
    h.type_text("0");
    h.key(KeyCode::Enter);
    assert!(h.pending.is_empty());
    let t = h.render();
    assert_snapshot!(t.backend());
    let b = t.backend().buffer();
    let (x, y) = find(b, "12a");
    assert_eq!(b[(x, y)].bg, Color::Red, "an invalid field takes the error style");
    // The customer field names the forms it takes.
    let (x, y) = find(b, "✗ id, phone, email, external:, card:");
    assert_eq!(b[(x, y)].fg, Color::Red);
}

#[test]
fn required_fields_on_enter() {
    let mut h = Harness::new(120, 36);
    h.key(KeyCode::Enter);
    assert_snapshot!(h.render().backend());
}

#[test]
fn loading() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "9889");
    assert_snapshot!(h.render().backend());
}

#[test]
fn results_page_one() {
    let h = loaded("712004518", "2410", "");
    let t = h.render();
    assert_snapshot!(t.backend());
    // The selected row is highlighted while the table has focus.
    let b = t.backend().buffer();
    let (x, y) = find(b, "▶ 2025-01-01");
    assert_eq!(b[(x + 3, y)].bg, Color::Cyan);
    assert!(b[(x + 3, y)].modifier.contains(Modifier::BOLD));
}

#[test]
fn a_middle_page() {
    let mut h = loaded("712004518", "2410", "");
    h.key(KeyCode::Char(':'));
    h.type_text("57");
    h.key(KeyCode::Enter);
    h.answer_all();
    assert_snapshot!(h.render().backend());
}

#[test]
fn the_last_page() {
    let mut h = loaded("712004518", "2410", "");
    h.key(KeyCode::Char('}'));
    h.answer_all();
    h.key(KeyCode::Char('n'));
    assert_snapshot!(h.render().backend());
}

#[test]
fn detail_pane() {
    let mut h = loaded("387544807", "79192", "");
    h.key(KeyCode::Enter);
    let t = h.render();
    assert_snapshot!(t.backend());
    let b = t.backend().buffer();
    let (x, y) = find(b, "┏ Event 31748158");
    assert_eq!(b[(x, y)].fg, Color::Cyan, "the detail pane has focus");
}

#[test]
fn raw_json_view() {
    let mut h = loaded("387544807", "79192", "");
    h.key(KeyCode::Char('v'));
    assert_snapshot!(h.render().backend());
}

#[test]
fn mixed_event_kinds() {
    let mut h = loaded("498221730", "3150", "");
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Char('j'));
    let t = h.render();
    assert_snapshot!(t.backend());
    let b = t.backend().buffer();
    let (x, y) = find(b, "-860.50");
    assert_eq!(b[(x, y)].fg, Color::LightRed, "returns stand out");
    let (x, y) = find(b, "● GENERIC_EVENT");
    assert_eq!(b[(x, y)].fg, Color::LightMagenta, "behavioural events look different");
}

#[test]
fn code_310011_marks_the_user_id() {
    let h = loaded("1", "1986", "");
    let t = h.render();
    assert_snapshot!(t.backend());
    let b = t.backend().buffer();
    let (x, y) = find(b, "[1 ");
    assert_eq!(b[(x + 1, y)].bg, Color::Red);
}

#[test]
fn code_310018_marks_the_rule_id() {
    assert_snapshot!(loaded("564332013", "77", "").render().backend());
}

#[test]
fn code_310019_marks_the_period_id() {
    assert_snapshot!(loaded("564332013", "1986", "5").render().backend());
}

#[test]
fn code_310149_is_an_empty_state() {
    let t = loaded("610000042", "1986", "").render();
    assert_snapshot!(t.backend());
    let b = t.backend().buffer();
    let (x, y) = find(b, "No events recorded");
    assert_ne!(b[(x, y)].fg, Color::Red, "not a red failure");
}

fn with_error(kind: ErrorKind, status: Option<u16>) -> Harness {
    let mut h = loaded("564332013", "1986", "");
    h.key(KeyCode::Char('r'));
    h.answer_with(Err(api_error(kind, status)));
    h
}

#[test]
fn unauthorised_401() {
    let h = with_error(
        ErrorKind::Auth {
            code: Some(401),
            message: Some("Authentication failed".into()),
            sent: target_events::api::SentCredentials::Basic { username: "store123".into() },
        },
        Some(401),
    );
    let t = h.render();
    assert_snapshot!(t.backend());
    let b = t.backend().buffer();
    let (x, y) = find(b, "╔ ✗ Request failed");
    assert_eq!(b[(x, y)].fg, Color::Red);
}

#[test]
fn rate_limited_429() {
    let kind = ErrorKind::RateLimited {
        retry_after: Some(Duration::from_secs(30)),
        message: Some("Too many requests".into()),
    };
    assert_snapshot!(with_error(kind, Some(429)).render().backend());
}

#[test]
fn server_503_with_html() {
    let snippet = "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>".into();
    assert_snapshot!(with_error(ErrorKind::Server { snippet }, Some(503)).render().backend());
}

#[test]
fn network_down() {
    let kind = ErrorKind::Network {
        host: "eu.api.capillarytech.com".into(),
        cause: NetCause::Refused,
        detail: "Connection refused (os error 111)".into(),
    };
    let mut e = api_error(kind, None);
    e.request_id = None;
    let mut h = loaded("564332013", "1986", "");
    h.key(KeyCode::Char('r'));
    h.answer_with(Err(e));
    assert_snapshot!(h.render().backend());
}

#[test]
fn help_overlay() {
    let mut h = loaded("564332013", "1986", "");
    h.key(KeyCode::Char('?'));
    assert_snapshot!(h.render().backend());
}

#[test]
fn hostile_display_names() {
    let mut h = loaded("666000666", "4040", "");
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Char('j'));
    let t = h.render();
    assert_snapshot!(t.backend());
    let b = t.backend().buffer();
    for cell in b.content() {
        assert!(!cell.symbol().chars().any(target_events::sanitize::is_unsafe), "unsafe cell {:?}", cell.symbol());
    }
}

#[test]
fn small_terminal_60x16() {
    let mut h = Harness::new(60, 16);
    h.query("564332013", "1986", "");
    h.answer_all();
    assert_snapshot!(h.render().backend());
    h.key(KeyCode::Enter);
    assert_snapshot!("small_terminal_60x16_detail", h.render().backend());
}

#[test]
fn tiny_terminal_30x8() {
    let h = Harness::new(30, 8);
    assert_snapshot!(h.render().backend());
}

#[test]
fn no_color_carries_meaning_without_colour() {
    let mut h = Harness::with_theme(120, 36, Theme::MONO);
    h.query("498221730", "3150", "");
    h.answer_all();
    let t = h.render();
    let b = t.backend().buffer();
    for cell in b.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "NO_COLOR: no colour at all");
    }
    let (x, y) = find(b, "▶ ");
    assert!(b[(x + 3, y)].modifier.contains(Modifier::REVERSED), "selection by reverse video");
    assert_eq!(b[(0, 4)].symbol(), "┏", "focus by a thick border");
    let (x, y) = find(b, "-860.50");
    assert!(b[(x, y)].modifier.contains(Modifier::BOLD), "returns stand out in bold");
    assert!(h.screen_text().contains("↩ RETURN_BILL"), "and carry a marker");
}

#[test]
fn the_demo_names_its_customers_on_the_empty_table() {
    let h = Harness::with_options(120, 36, |o| o.empty_hint = target_events::demo::suggestion_lines());
    assert_snapshot!(h.render().backend());
}

#[test]
fn a_filter_over_one_page_says_what_it_covers() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    h.key(KeyCode::Char('/'));
    h.type_text("RETURN");
    h.key(KeyCode::Enter);
    let text = h.screen_text();
    assert!(text.contains("10 loaded of 1317 — a loads all"), "{text}");
    h.key(KeyCode::Char('a'));
    h.answer_all();
    assert!(h.screen_text().contains("filter \"RETURN\": 83 of 1317 "), "{}", h.screen_text());
}
