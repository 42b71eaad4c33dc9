//! Hostile text in every string the API sends (escape sequences, C1 controls,
//! NUL, line breaks, tabs, bidi overrides, line separators, 10,000 characters)
//! never reaches the screen, an export or the clipboard as itself.

use std::time::Duration;
use target_events::core::told::Told;

use crate::common::harness::Harness;
use crossterm::event::KeyCode;
use serde_json::json;
use target_events::api::error::ErrorKind;
use target_events::api::model::{TargetPeriod, UserTargetGroup};
use target_events::api::response::parse_events_page;
use target_events::api::{ApiError, EventsOutcome, Fetched, ResponseMeta};
use target_events::core::export::{self, Format};
use target_events::explorer::app::{Effect, Msg};
use target_events::sanitize::is_unsafe;

const HOSTILE: &str =
    "x\u{1b}[31mred\u{1b}]52;c;aGk=\u{7}\u{9b}2J\u{85}\0nul\r\nline\ttab\u{202e}evil\u{2028}sep\u{2029}";

fn long() -> String {
    let mut s = HOSTILE.repeat(10_000 / HOSTILE.chars().count() + 1);
    s.truncate(s.char_indices().nth(10_000).map_or(s.len(), |(i, _)| i));
    s
}

fn hostile_page() -> Vec<u8> {
    let event = |id: i64, name: String| {
        json!({
            "eventLogId": id, "eventName": HOSTILE, "customerId": 1, "eventDisplayName": name,
            "uniqueId": HOSTILE, "eventDate": HOSTILE, "eventProcessedDate": HOSTILE,
            "periodId": 7, "targetGroupId": 8, "targetRuleId": 9, "targetValue": "12.50"
        })
    };
    json!({
        "pagination": {"limit": 10, "offset": 0, "total": 2},
        "data": [event(1, HOSTILE.to_string()), event(2, long())],
        "errors": [], "warnings": [{"code": 1, "message": HOSTILE}]
    })
    .to_string()
    .into_bytes()
}

fn hostile_groups() -> Vec<UserTargetGroup> {
    serde_json::from_value(json!([{
        "id": 8, "name": HOSTILE, "trackingType": HOSTILE,
        "targets": [{
            "targetId": 1, "periodId": 7, "periodRefCode": HOSTILE, "periodStartDate": HOSTILE,
            "periodEndDate": HOSTILE, "targetValue": "100.00", "targetAchievedValue": "25.00",
            "targetName": long(), "targetRuleId": 9, "currentPeriod": true
        }]
    }]))
    .unwrap()
}

fn hostile_periods() -> Vec<TargetPeriod> {
    serde_json::from_value(json!([{
        "id": 7, "refCode": HOSTILE, "startDate": HOSTILE, "endDate": HOSTILE, "periodStatus": HOSTILE
    }]))
    .unwrap()
}

fn meta() -> ResponseMeta {
    ResponseMeta {
        status: 200,
        request_id: Some(HOSTILE.into()),
        elapsed: Duration::from_millis(5),
        url: "http://127.0.0.1/v3".into(),
    }
}

fn assert_clean(what: &str, text: &str) {
    let bad: Vec<char> = text.chars().filter(|&c| c != '\n' && is_unsafe(c)).collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} got through");
}

fn assert_screen_clean(h: &Harness, what: &str) {
    let t = h.render();
    for cell in t.backend().buffer().content() {
        assert!(!cell.symbol().chars().any(is_unsafe), "{what}: unsafe cell {:?}", cell.symbol());
    }
}

/// Loads the hostile page into a harness of this size.
fn loaded(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    h.query("1", "9", "");
    let page = parse_events_page(&hostile_page()).expect("hostile text is still JSON");
    h.answer_with(Ok(Fetched { value: EventsOutcome::Page(page), meta: meta() }));
    h
}

#[test]
fn every_screen_shows_hostile_text_defanged() {
    for (w, hgt) in [(120, 36), (60, 16), (200, 50)] {
        let mut h = loaded(w, hgt);
        assert_screen_clean(&h, "table");
        h.key(KeyCode::Char('j'));
        h.key(KeyCode::Enter);
        assert_screen_clean(&h, "detail");
        h.key(KeyCode::Char('v'));
        assert_screen_clean(&h, "raw JSON");
        h.key(KeyCode::Esc);
        h.key(KeyCode::Char('s'));
        assert_screen_clean(&h, "summary");
        h.key(KeyCode::Esc);
        // The target picker with hostile names, dates and ref codes.
        h.key(KeyCode::Char('t'));
        let Some(Effect::LoadTargets { generation, user_id }) =
            h.pending.iter().rev().find(|e| matches!(e, Effect::LoadTargets { .. })).cloned()
        else {
            panic!("a target lookup")
        };
        let result = Ok(Fetched { value: hostile_groups(), meta: meta() });
        h.send(Msg::TargetsLoaded { generation, user_id, result });
        assert_screen_clean(&h, "target picker");
        h.key(KeyCode::Esc);
        h.key(KeyCode::Char('P'));
        if let Some(Effect::LoadPeriods { generation, .. }) =
            h.pending.iter().rev().find(|e| matches!(e, Effect::LoadPeriods { .. })).cloned()
        {
            h.send(Msg::PeriodsLoaded { generation, result: Ok(hostile_periods()) });
            assert_screen_clean(&h, "period picker");
            h.key(KeyCode::Esc);
        }
        // The error banner with a hostile message and request id.
        h.key(KeyCode::Char('r'));
        let error = ApiError::new(
            ErrorKind::Api { code: Some(310011), message: long(), more: vec![] },
            Some(400),
            Some(HOSTILE.into()),
            HOSTILE,
        );
        h.answer_with(Err(error));
        assert_screen_clean(&h, "error banner");
    }
}

#[test]
fn exports_and_the_clipboard_are_defanged() {
    let page = parse_events_page(&hostile_page()).unwrap();
    for format in [Format::Table, Format::Csv, Format::Json, Format::Jsonl] {
        let mut out = Vec::new();
        export::write(&mut out, format, &page.events).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_clean(&format!("{format:?} export"), &text);
    }
    let mut h = loaded(120, 36);
    h.key(KeyCode::Char('y'));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('c'));
    h.answer_all();
    let copies: Vec<&String> =
        h.other.iter().filter_map(|e| if let Effect::Copy { text, .. } = e { Some(text) } else { None }).collect();
    assert_eq!(copies.len(), 2, "the event and the cURL line were copied");
    for text in copies {
        assert_clean("clipboard", text);
    }
}

/// A figure with more digits than an exact decimal holds is refused with a
/// sentence naming it, never shown rounded to a different number.
#[test]
fn a_figure_past_exact_decimals_is_refused_not_rounded() {
    use target_events::api::response::interpret_events;
    let body = r#"{"data":[{"eventLogId":1,"eventName":"ADD_TRANSACTION","customerId":1,"eventDisplayName":null,
        "uniqueId":"u","eventDate":"2025-01-01 00:00:00.0","eventProcessedDate":"2025-01-01 00:00:00.0",
        "periodId":1,"targetGroupId":1,"targetRuleId":1,"targetValue":0.00000000000000000000000000000001}],
        "pagination":{"limit":10,"offset":0,"total":1},"errors":[],"warnings":null}"#;
    let e = interpret_events(200, Some("r-1".into()), None, "http://x/v3", body.as_bytes()).unwrap_err();
    let sentence = e.sentence();
    assert!(sentence.contains("not an exact decimal"), "{sentence}");
    assert_eq!(e.request_id.as_deref(), Some("r-1"));
}
