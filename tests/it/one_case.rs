//! One case per customer: a second caller after a first, by every route and
//! over every panel, leaves nothing of the first on screen or in the case;
//! titles are drawn from the case; the API's figures say when they were read.

use crossterm::event::KeyCode;
use target_events::core::batch::rows_for;
use target_events::explorer::app::Field;
use target_events::explorer::app::state::{AppOptions, Overlay};
use target_events::explorer::app::{App, Effect, Msg};

use crate::common::harness::Harness;

/// The first caller, and the second.
const FIRST: i64 = 777000777;
const SECOND: i64 = 564332013;

#[derive(Clone, Copy, Debug)]
enum Panel {
    Events,
    Detail,
    Summary,
    Verdict,
    Bills,
    Batch,
    Watch,
    Picker,
    Help,
}

#[derive(Clone, Copy, Debug)]
enum Route {
    Typing,
    Pasted,
    PastedUrl,
    Recent,
    BatchRow,
    Profile,
}

/// A harness opened on a batch that names the second customer, whose query
/// is in the recent list, serving the first customer with `panel` open.
fn serving_the_first(panel: Panel) -> Harness {
    let mut h = Harness::new(120, 36);
    let groups = h.targets_for(SECOND).unwrap().value;
    let options =
        AppOptions { batch: Some(rows_for("564332013", SECOND, &groups, None)), ..AppOptions::new("DEMO", 10, 1000) };
    let clock = h.app.clock();
    h.app = App::new(options);
    h.app.update(target_events::explorer::app::Msg::Resize(120, 36));
    h.app.set_clock(clock);
    // The second customer was asked about earlier: the recent list has them.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('u'));
    h.query(&SECOND.to_string(), "1986", "");
    h.answer_all();
    h.key(KeyCode::Char('u'));
    h.query(&FIRST.to_string(), "7610", "");
    h.answer_all();
    assert_eq!(h.app.case_customer(), Some(FIRST));
    match panel {
        Panel::Events => {}
        Panel::Detail => h.key(KeyCode::Tab),
        Panel::Summary => h.key(KeyCode::Char('s')),
        Panel::Verdict => h.key(KeyCode::Char('e')),
        Panel::Bills => h.key(KeyCode::Char('B')),
        Panel::Batch => h.key(KeyCode::Char('b')),
        Panel::Watch => h.key(KeyCode::Char('w')),
        Panel::Picker => h.key(KeyCode::Char('t')),
        Panel::Help => h.key(KeyCode::Char('?')),
    }
    h.answer_all();
    if matches!(panel, Panel::Watch) {
        assert!(h.app.watching());
    }
    h
}

/// The agent turns to the second caller by `route`, from wherever the
/// screen is (an overlay is closed first, as an agent does).
fn turn_to_the_second(h: &mut Harness, route: Route) {
    if matches!(h.app.overlay(), Some(Overlay::Help { .. } | Overlay::Picker(_))) {
        h.key(KeyCode::Esc);
    }
    match route {
        Route::Typing => {
            h.key(KeyCode::Char('u'));
            h.type_text(&SECOND.to_string());
            h.key(KeyCode::Tab);
            h.type_text("1986");
            h.key(KeyCode::Enter);
        }
        Route::Pasted => {
            h.key(KeyCode::Char('u'));
            h.send(Msg::Paste(SECOND.to_string()));
            h.key(KeyCode::Tab);
            h.type_text("1986");
            h.key(KeyCode::Enter);
        }
        Route::PastedUrl => {
            h.key(KeyCode::Char('u'));
            let base = h.app.connection().base_url.as_str().trim_end_matches('/').to_string();
            let line = format!("curl --location '{base}/v3/users/{SECOND}/trackedTargetEvents/1986?limit=10&offset=0'");
            h.send(Msg::Paste(line));
        }
        Route::Recent => {
            h.key(KeyCode::Char('h'));
            assert!(matches!(h.app.overlay(), Some(Overlay::Picker(_))), "the recent list");
            h.type_text(&SECOND.to_string());
            h.key(KeyCode::Enter);
        }
        Route::BatchRow => {
            if !h.app.batch_open() {
                h.key(KeyCode::Char('b'));
            }
            assert!(h.app.batch_open(), "the batch");
            h.key(KeyCode::Enter);
        }
        Route::Profile => {
            h.app.set_field(Field::UserId, &SECOND.to_string());
            h.app.set_field(Field::RuleId, "1986");
            h.send(Msg::ProfileChanged {
                result: Ok(target_events::explorer::app::action::ProfileSwitch {
                    label: "other".into(),
                    connection: h.app.connection().clone(),
                }),
            });
        }
    }
    h.answer_all();
}

#[test]
fn a_second_caller_by_every_route_over_every_panel_shows_nothing_of_the_first() {
    let panels = [
        Panel::Events,
        Panel::Detail,
        Panel::Summary,
        Panel::Verdict,
        Panel::Bills,
        Panel::Batch,
        Panel::Watch,
        Panel::Picker,
        Panel::Help,
    ];
    let routes = [Route::Typing, Route::Pasted, Route::PastedUrl, Route::Recent, Route::BatchRow, Route::Profile];
    for panel in panels {
        for route in routes {
            let mut h = serving_the_first(panel);
            turn_to_the_second(&mut h, route);
            let at = format!("{route:?} over {panel:?}");
            assert_eq!(h.app.case_customer(), Some(SECOND), "{at}: the case is the second caller's");
            assert!(h.app.targets_read_for().is_none_or(|u| u == SECOND), "{at}: targets");
            assert!(h.app.rule_events().is_none_or(|(u, _)| u == SECOND), "{at}: the verdict's events");
            assert!(!h.app.watching(), "{at}: no watch carries over");
            assert!(h.app.events().iter().all(|e| e.customer_id == SECOND), "{at}: the table");
            assert!(h.app.verdict().is_none_or(|v| v.user_id() == SECOND), "{at}: the verdict");
            assert!(h.app.bills().is_none_or(|b| b.user_id() == SECOND), "{at}: the bills");
            assert!(h.app.bills_read_for().is_none_or(|u| u == SECOND), "{at}: the bills read");
            let text = h.screen_text();
            assert!(!text.contains(&FIRST.to_string()), "{at}: the first caller is still on screen:\n{text}");
            assert!(text.contains(&SECOND.to_string()), "{at}: the second caller is named:\n{text}");
            // No answer for the first caller is still awaited: late ones are dropped.
            assert!(
                !h.pending.iter().chain(&h.other).any(|e| matches!(
                    e,
                    Effect::Fetch { query, .. } | Effect::FetchAll { query, .. } | Effect::WatchPoll { query, .. }
                        if query.user_id == FIRST
                )),
                "{at}: a request for the first caller is still out"
            );
        }
    }
}

#[test]
fn a_url_pasted_from_another_origin_sends_nothing() {
    let mut h = serving_the_first(Panel::Events);
    h.key(KeyCode::Char('u'));
    h.send(Msg::Paste("https://eu.api.capillarytech.com/v3/users/564332013/trackedTargetEvents/1986".into()));
    assert!(h.pending.is_empty(), "{:?}", h.pending);
    assert!(
        h.app.notice_text().unwrap_or_default().contains("https://eu.api.capillarytech.com, not this profile's origin")
    );
    assert_eq!(h.app.case_customer(), Some(FIRST), "nothing changed");
}

#[test]
fn a_late_answer_for_the_first_caller_lands_nowhere() {
    let mut h = serving_the_first(Panel::Events);
    h.key(KeyCode::Char('e'));
    // The verdict's reads are out when the agent turns to the next caller.
    let out: Vec<Effect> = h.pending.drain(..).collect();
    turn_to_the_second(&mut h, Route::Typing);
    for effect in out {
        match effect {
            Effect::LoadTargets { generation, user_id } => {
                let result = h.targets_for(user_id);
                h.send(Msg::TargetsLoaded { generation, user_id, result });
            }
            Effect::FetchAll { generation, query } => {
                let result = h.all_for(query);
                h.send(Msg::AllDone { generation, query, result });
            }
            _ => {}
        }
    }
    assert!(h.app.verdict().is_none(), "the first caller's verdict does not open over the second");
    assert!(h.app.targets_read_for().is_none_or(|u| u == SECOND));
    assert!(!h.screen_text().contains(&FIRST.to_string()));
}

#[test]
fn the_verdict_opened_and_closed_never_changes_the_query_beneath_it() {
    let mut h = Harness::new(120, 36);
    h.query(&FIRST.to_string(), "7610", "7602");
    h.answer_all();
    let before = h.app.shown_query();
    let rows = h.app.events().len();
    h.key(KeyCode::Char('e'));
    h.answer_all();
    let v = h.app.verdict().expect("the verdict");
    assert_eq!(v.periods()[v.selected()].period_id, 7602, "the period the field names");
    assert!(h.screen_text().contains("Verdict · Oct_2025 (7602)"), "the title names the period shown");
    assert_eq!(h.app.shown_query(), before, "the table's query");
    assert_eq!(h.app.events().len(), rows);
    h.key(KeyCode::Char('k'));
    assert!(h.screen_text().contains("Verdict · Sep_2025 (7601)"), "the title follows the period shown");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.shown_query(), before);
    assert_eq!(h.app.field(Field::PeriodId).text(), "7602");
    assert!(h.screen_text().contains("period 7602"), "{}", h.screen_text());
}

#[test]
fn opening_the_verdict_reads_the_targets_and_the_events_side_by_side() {
    let mut h = Harness::new(120, 36);
    h.query(&FIRST.to_string(), "7610", "");
    h.answer_all();
    h.key(KeyCode::Char('e'));
    let targets = h.pending.iter().filter(|e| matches!(e, Effect::LoadTargets { .. })).count();
    let events = h.pending.iter().filter(|e| matches!(e, Effect::FetchAll { .. })).count();
    assert_eq!((targets, events), (1, 1), "both asked at once: {:?}", h.pending);
    h.answer_all();
    // Again: both read anew, each once.
    h.key(KeyCode::Char('r'));
    let targets = h.pending.iter().filter(|e| matches!(e, Effect::LoadTargets { .. })).count();
    let events = h.pending.iter().filter(|e| matches!(e, Effect::FetchAll { .. })).count();
    assert_eq!((targets, events), (1, 1));
    h.answer_all();
    assert!(h.screen_text().contains("API's achieved value (as of 15:00:00 +05:30)"));
}

#[test]
fn a_verdict_that_arrives_goes_beneath_an_open_overlay() {
    for open in [KeyCode::Char('?'), KeyCode::Char('t'), KeyCode::Char(':')] {
        let mut h = Harness::new(120, 36);
        h.query(&FIRST.to_string(), "7610", "");
        h.answer_all();
        h.key(KeyCode::Char('e'));
        let out: Vec<Effect> = h.pending.drain(..).collect();
        h.key(open);
        let overlay_before = format!("{:?}", h.app.overlay().map(std::mem::discriminant));
        h.pending.extend(out);
        h.answer_all();
        assert!(h.app.overlay().is_some(), "{open:?}: the overlay stays on top");
        assert_eq!(format!("{:?}", h.app.overlay().map(std::mem::discriminant)), overlay_before);
        assert!(h.app.verdict().is_some(), "{open:?}: the verdict is beneath it");
        h.key(KeyCode::Esc);
        assert_eq!(h.app.main_panel(), Some(target_events::explorer::app::screen::Panel::Verdict));
    }
}
