//! Every figure on every screen is whole or absent, never cut: extreme values
//! (huge, negative, tiny, a 1e-28 target), 200-character names, CJK and
//! emoji, at 60, 80, 120 and 200 columns.

use std::time::Duration;

use crate::common::harness::{Harness, buffer_lines};
use crossterm::event::KeyCode;
use serde_json::json;
use target_events::api::model::UserTargetGroup;
use target_events::api::response::parse_events_page;
use target_events::api::{EventsOutcome, Fetched, ResponseMeta};
use target_events::explorer::app::{Effect, Msg};

const USER: i64 = 7_700_000_000_001;
const RULE: i64 = 880_000_000_002;
const PERIOD: i64 = 990_000_000_003;
const GROUP: i64 = 660_000_000_004;
const VALUES: [&str; 4] = ["123456789012.345", "-99999999.999", "0.001", "0.0000000000000000000000000001"];
const LOG_IDS: [i64; 4] =
    [9_223_372_036_854_775_807, 9_000_000_000_000_000_111, 8_111_111_111_111_111_111, 7_222_222_222_222_222_222];

fn long_name() -> String {
    "积分イベント🎉Platinum Anniversary Spend ".repeat(8).chars().take(200).collect()
}

fn page() -> Vec<u8> {
    let events: Vec<_> = VALUES
        .iter()
        .zip(LOG_IDS)
        .map(|(v, id)| {
            json!({
                "eventLogId": id, "eventName": "ADD_TRANSACTION", "customerId": USER,
                "eventDisplayName": long_name(), "uniqueId": format!("bill-{id}"),
                "eventDate": "2025-09-30 23:50:00.0", "eventProcessedDate": "2025-10-01 00:20:00.0",
                "periodId": PERIOD, "targetGroupId": GROUP, "targetRuleId": RULE,
                "targetValue": serde_json::Number::from_string_unchecked(v.to_string())
            })
        })
        .collect();
    json!({"pagination": {"limit": 50, "offset": 0, "total": 4}, "data": events, "errors": [], "warnings": []})
        .to_string()
        .into_bytes()
}

fn groups() -> Vec<UserTargetGroup> {
    serde_json::from_value(json!([{
        "id": GROUP, "name": long_name(),
        "targets": [
            {"targetId": 1, "periodId": PERIOD, "periodRefCode": "積分2025-Q3🎉", "periodStartDate": "2025-07-01",
             "periodEndDate": "2025-09-30", "targetValue": "0.0000000000000000000000000001",
             "targetAchievedValue": "123456789012.345", "targetName": long_name(), "targetRuleId": RULE, "currentPeriod": true},
            {"targetId": 2, "periodId": PERIOD + 1, "periodRefCode": "Q4", "periodStartDate": "2025-10-01",
             "periodEndDate": "2025-12-31", "targetValue": "25000.00", "targetAchievedValue": "-99999999.999",
             "targetName": "Spend", "targetRuleId": RULE, "currentPeriod": false}
        ]
    }]))
    .unwrap()
}

/// Every figure the state holds, as the screens write them.
fn figures() -> Vec<String> {
    let mut v: Vec<String> = VALUES.iter().map(|s| s.to_string()).collect();
    v.extend(LOG_IDS.iter().map(|i| i.to_string()));
    v.extend([USER, RULE, PERIOD, PERIOD + 1].iter().map(|i| i.to_string()));
    // The sum of the four values, exactly.
    v.push("123356789012.3470000000000000000000000001".to_string());
    v.push("25000.00".into());
    v
}

/// Runs of digits (with `.`, `-`, `,`) as they stand on screen, leaving out
/// those beside `…`: a marked cut of text (a unique id, a scrolled input) is
/// allowed, an unmarked piece of a figure is not.
fn unmarked_number_runs(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let is_num = |c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == ',';
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_num(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_num(chars[i]) {
            i += 1;
        }
        // Beside `…`: a marked cut. Beside `:`: a piece of a time of day.
        let beside = |c: char| (start > 0 && chars[start - 1] == c) || chars.get(i) == Some(&c);
        let marked = beside('…') || beside(':');
        if !marked {
            let run: String = chars[start..i].iter().collect();
            runs.push(run.trim_matches(|c| c == '.' || c == ',' || c == '-').to_string());
        }
    }
    runs
}

/// The text inside an overlay's rounded box, when one is open: what lies
/// behind it is partly hidden by design, not cut.
fn overlay_only(lines: Vec<String>) -> Vec<String> {
    let top = lines.iter().position(|l| l.contains('╭'));
    let bottom = lines.iter().position(|l| l.contains('╰'));
    let (Some(top), Some(bottom)) = (top, bottom) else { return lines };
    let row: Vec<char> = lines[top].chars().collect();
    let (Some(x0), Some(x1)) = (row.iter().position(|&c| c == '╭'), row.iter().position(|&c| c == '╮')) else {
        return lines;
    };
    lines[top..=bottom].iter().map(|l| l.chars().skip(x0 + 1).take(x1 - x0 - 1).collect()).collect()
}

/// No run of digits on screen is a piece of a figure without being all of it.
fn assert_whole(h: &Harness, screen: &str) {
    let t = h.render();
    let lines = overlay_only(buffer_lines(t.backend().buffer()));
    let figures = figures();
    for line in &lines {
        for run in unmarked_number_runs(line) {
            if run.len() < 5 || figures.iter().any(|f| f.trim_start_matches('-') == run) {
                continue;
            }
            if let Some(f) = figures.iter().find(|f| f.contains(&run)) {
                panic!(
                    "{screen} at {}×{}: {run:?} is a cut piece of {f}\n{}",
                    h.app.size().width,
                    h.app.size().height,
                    lines.join("\n")
                );
            }
        }
    }
}

fn loaded(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    h.query(&USER.to_string(), &RULE.to_string(), "");
    let page = parse_events_page(&page()).unwrap();
    let meta =
        ResponseMeta { status: 200, request_id: Some("req-1".into()), elapsed: Duration::ZERO, url: String::new() };
    h.answer_with(Ok(Fetched { value: EventsOutcome::Page(page), meta }));
    h.forget_prefetches();
    h
}

fn answer_targets(h: &mut Harness) {
    let lookups: Vec<(u64, i64)> = h
        .pending
        .iter()
        .filter_map(|e| {
            if let Effect::LoadTargets { generation, user_id } = e { Some((*generation, *user_id)) } else { None }
        })
        .collect();
    h.pending.retain(|e| !matches!(e, Effect::LoadTargets { .. }));
    for (generation, user_id) in lookups {
        let result = Ok(Fetched { value: groups(), meta: ResponseMeta::default() });
        h.send(Msg::TargetsLoaded { generation, user_id, result });
    }
}

#[test]
fn every_figure_is_whole_or_absent_on_every_screen() {
    for width in [60, 80, 120, 200] {
        for height in [16, 24, 36, 50] {
            let mut h = loaded(width, height);
            assert_whole(&h, "table");
            for _ in 0..3 {
                h.key(KeyCode::Char('j'));
            }
            h.key(KeyCode::Enter);
            assert_whole(&h, "detail");
            h.key(KeyCode::Char('v'));
            assert_whole(&h, "raw JSON");
            h.key(KeyCode::Esc);
            h.key(KeyCode::Char('s'));
            answer_targets(&mut h);
            assert_whole(&h, "summary");
            h.key(KeyCode::Char('s'));
            h.key(KeyCode::Char('t'));
            answer_targets(&mut h);
            assert_whole(&h, "target picker");
            h.key(KeyCode::Esc);
            h.key(KeyCode::Char('/'));
            h.type_text("ADD");
            h.key(KeyCode::Enter);
            assert_whole(&h, "filtered table");
        }
    }
}

#[test]
fn the_figures_are_on_screen_where_there_is_room() {
    let mut h = loaded(200, 50);
    let text = h.screen_text();
    for v in VALUES {
        assert!(text.contains(v), "{v} is shown at 200 columns");
    }
    h.key(KeyCode::Char('t'));
    answer_targets(&mut h);
    let text = h.screen_text();
    assert!(text.contains("123456789012.345") && text.contains("0.0000000000000000000000000001"), "{text}");
    assert!(text.contains("██████████ 100%"), "a huge value over a tiny target is reached");
    assert!(text.contains('…'), "long names are cut with a mark");
}

/// A target picker over names of 40 characters and figures of 1234567.891,
/// reached as an agent reaches it: the customer typed, `t`, the targets read.
fn picker_with_long_names(width: u16, same_name: bool) -> Harness {
    let name = "Spend 1,234,567.89 in the September Sprt"; // 40 characters
    assert_eq!(name.chars().count(), 40);
    let group = if same_name { name } else { "Festive Spend Club of the Great Northern" };
    let target = |period: i64| {
        serde_json::json!({
            "targetId": period, "periodId": period, "periodRefCode": "Sep_2025",
            "periodStartDate": "2025-09-01", "periodEndDate": "2025-09-30",
            "targetValue": "1234567.891", "targetAchievedValue": "1234567.890",
            "targetName": name, "targetRuleId": 880_000_000_002_i64, "currentPeriod": period == 2,
        })
    };
    let groups = serde_json::json!([{ "id": 1, "name": group, "targets": [target(1), target(2)] }]);
    let mut h = Harness::new(width, 36);
    // Enter on a customer alone offers their targets.
    h.type_text(&USER.to_string());
    h.key(KeyCode::Enter);
    let i = h.pending.iter().position(|e| matches!(e, Effect::LoadTargets { .. })).expect("the targets are asked for");
    let Effect::LoadTargets { generation, user_id } = h.pending.remove(i) else { unreachable!() };
    let value = serde_json::from_value(groups).expect("groups parse");
    h.send(Msg::TargetsLoaded { generation, user_id, result: Ok(Fetched { value, meta: ResponseMeta::default() }) });
    h
}

#[test]
fn target_names_are_whole_from_100_columns_and_go_last_when_narrow() {
    let name = "Spend 1,234,567.89 in the September Sprt";
    for width in [100, 120, 200] {
        let text = picker_with_long_names(width, false).screen_text();
        assert!(text.contains(name), "the name whole at {width}:\n{text}");
        assert!(text.contains("1234567.891") && text.contains("1234567.890"), "figures whole at {width}");
    }
    // A group named as its target: one column says it, so there is room for more.
    let text = picker_with_long_names(120, true).screen_text();
    assert_eq!(text.matches(name).count(), 2, "once per row, not twice:\n{text}");
    assert!(!text.contains("Group"), "{text}");
    // Narrow: the dates and the gauge go first; the name narrows last, marked.
    for width in [60, 80] {
        let text = picker_with_long_names(width, false).screen_text();
        assert!(!text.contains("2025-09-01 → 2025-09-30"), "dates given up at {width}:\n{text}");
        assert!(!text.contains('░'), "the gauge given up at {width}");
        assert!(text.contains("1234567.891"), "figures stay at {width}");
        assert!(text.contains("Spend") && text.contains('…'), "the name narrowed, marked, at {width}:\n{text}");
    }
}
