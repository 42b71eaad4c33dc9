//! Watching a customer live: new events arrive between polls and join the
//! table, marked and announced; errors back off without stopping the watch.

use std::time::Duration;

use chrono::NaiveDateTime;
use crossterm::event::KeyCode;
use insta::assert_snapshot;
use ratatui::style::Modifier;
use target_events::api::error::ErrorKind;
use target_events::api::response::parse_events_page;
use target_events::api::{EventsOutcome, Fetched, ResponseMeta};
use target_events::explorer::app::{Effect, Msg};

use crate::common::harness::{Harness, api_error, find};

fn watching() -> (Harness, u64) {
    let mut h = Harness::new(120, 36);
    h.app.set_clock(Some(NaiveDateTime::parse_from_str("2025-05-20 12:00:00", "%Y-%m-%d %H:%M:%S").unwrap()));
    h.query("498221730", "3150", "");
    h.answer_all();
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Char('w'));
    // Page 1 of 2 is on screen: the last page is learnt first, as it is now.
    let Some(Effect::WatchPoll { generation, query }) = h.pending.pop() else {
        panic!("a first poll of the last page")
    };
    let now = h.respond(&query);
    h.send(Msg::WatchPolled { generation, result: now });
    assert_eq!(h.app.events().len(), 10, "nothing already there counts as new");
    let Some(Effect::WatchAfter { generation, delay }) = h.pending.pop() else { panic!("a wait before the next poll") };
    assert_eq!(delay, Duration::from_secs(5));
    (h, generation)
}

/// The page the watch polls, with one new purchase at the end.
fn with_new_event(h: &mut Harness) -> Fetched<EventsOutcome> {
    let Some(Effect::WatchPoll { query, .. }) = h.pending.pop() else { panic!("a poll") };
    assert_eq!(query.page, 1, "the last page is polled");
    let mut page = match h.respond(&query).unwrap().value {
        EventsOutcome::Page(p) => p,
        other => panic!("{other:?}"),
    };
    let new = r#"{"eventLogId":640199999,"eventName":"ADD_TRANSACTION","customerId":498221730,"eventDisplayName":null,
        "uniqueId":"882999999","eventDate":"2025-05-20 12:00:00.0","eventProcessedDate":"2025-05-20 12:00:03.0",
        "periodId":31502,"targetGroupId":2050,"targetRuleId":3150,"targetValue":333.33}"#;
    let body = format!(r#"{{"data":[{new}],"pagination":{{"limit":10,"offset":1,"total":13}}}}"#);
    page.events.extend(parse_events_page(body.as_bytes()).unwrap().events);
    Fetched { value: EventsOutcome::Page(page), meta: ResponseMeta::default() }
}

#[test]
fn a_new_event_arrives_marked_and_announced_without_moving_the_selection() {
    let (mut h, generation) = watching();
    let selected = h.app.selected_event().unwrap().event_log_id;
    h.send(Msg::WatchDue { generation });
    h.send(Msg::WatchDue { generation });
    assert_eq!(
        h.pending.iter().filter(|e| matches!(e, Effect::WatchPoll { .. })).count(),
        1,
        "never two polls at once"
    );
    let page = with_new_event(&mut h);
    h.send(Msg::WatchPolled { generation, result: Ok(page) });
    assert!(h.app.events().iter().any(|e| e.event_log_id == 640199999));
    assert_eq!(h.app.selected_event().unwrap().event_log_id, selected, "the selection stays on its event");
    // When it arrived (the clock), and when it is dated.
    assert_eq!(h.app.notice_text(), Some("✚ 12:00:00 +05:30 ADD_TRANSACTION 333.33 (dated 12:00, no offset)"));
    assert!(matches!(h.pending.last(), Some(Effect::WatchAfter { delay, .. }) if *delay == Duration::from_secs(5)));
    let t = h.render();
    assert_snapshot!("watch_new_event", t.backend());
    let b = t.backend().buffer();
    let (x, y) = find(b, "✚$ ADD_TRANSACTION");
    assert!(b[(x, y)].modifier.contains(Modifier::BOLD | Modifier::UNDERLINED), "marked by style as well as ✚");
    // The same event polled again is not added twice.
    h.send(Msg::WatchDue { generation });
    let page = with_new_event(&mut h);
    let before = h.app.events().len();
    h.send(Msg::WatchPolled { generation, result: Ok(page) });
    assert_eq!(h.app.events().len(), before);
}

#[test]
fn an_error_while_watching_backs_off_and_keeps_watching() {
    let (mut h, generation) = watching();
    h.send(Msg::WatchDue { generation });
    h.pending.clear();
    let e = api_error(ErrorKind::Server { snippet: "<html>busy</html>".into() }, Some(503));
    h.send(Msg::WatchPolled { generation, result: Err(e) });
    assert!(h.app.watching(), "still watching");
    assert!(h.app.banner_error().is_some(), "the error is in the banner");
    assert!(matches!(h.pending.last(), Some(Effect::WatchAfter { delay, .. }) if *delay == Duration::from_secs(10)));
    assert_snapshot!("watch_error", h.render().backend());
    // The next answer clears the banner.
    h.send(Msg::WatchDue { generation });
    let page = with_new_event(&mut h);
    h.send(Msg::WatchPolled { generation, result: Ok(page) });
    assert!(h.app.banner_error().is_none());
}

#[test]
fn w_esc_or_a_new_query_stops_the_watch_and_late_answers_are_dropped() {
    let (mut h, generation) = watching();
    h.key(KeyCode::Char('w'));
    assert!(!h.app.watching());
    assert!(h.pending.iter().any(|e| matches!(e, Effect::Cancel { generation: g } if *g == generation)));
    assert_snapshot!("watch_stopped", h.render().backend());
    // A late answer to the stopped watch changes nothing.
    let page = with_new_event_from_scratch(&mut h);
    let before = h.app.events().len();
    h.send(Msg::WatchPolled { generation, result: Ok(page) });
    assert_eq!(h.app.events().len(), before);
    h.key(KeyCode::Char('w'));
    h.pending.clear();
    h.key(KeyCode::Esc);
    assert!(!h.app.watching(), "Esc stops it");
    h.key(KeyCode::Char('w'));
    h.key(KeyCode::Char('u'));
    h.key(KeyCode::Enter);
    assert!(!h.app.watching(), "a new query stops it");
}

fn with_new_event_from_scratch(h: &mut Harness) -> Fetched<EventsOutcome> {
    h.pending.push(Effect::WatchPoll {
        generation: 0,
        query: target_events::api::EventsQuery {
            user_id: 498221730,
            rule_id: 3150,
            period_id: None,
            limit: 10,
            page: 1,
        },
    });
    with_new_event(h)
}

#[test]
fn the_verdict_follows_what_arrives_and_asks_the_api_again() {
    let (mut h, generation) = watching();
    h.key(KeyCode::Char('e'));
    h.answer_all();
    let counted = |h: &Harness| {
        let v = h.app.verdict().expect("the verdict is open");
        v.periods().iter().find(|p| p.period_id == 31502).map(|p| p.events_count).unwrap_or_default()
    };
    let before = counted(&h);
    assert!(h.app.watching(), "still watching");
    h.pending.retain(|e| !matches!(e, Effect::WatchAfter { .. }));
    h.send(Msg::WatchDue { generation });
    let page = with_new_event(&mut h);
    // The purchase arrives a few seconds after the targets were read.
    h.app.set_clock(h.app.clock().map(|c| c + chrono::Duration::seconds(5)));
    h.send(Msg::WatchPolled { generation, result: Ok(page) });
    // The verdict takes the arrival in at once; the API's achieved values,
    // read before it, are not compared with the events until asked again.
    let v = h.app.verdict().expect("the verdict stays open");
    assert!(v.periods().iter().all(|p| p.readings.targets_stale() && p.difference.is_none()));
    assert_eq!(counted(&h), before + 1, "the new purchase is in the verdict at once");
    let Some(Effect::LoadTargets { generation: g, user_id }) =
        h.pending.iter().find(|e| matches!(e, Effect::LoadTargets { .. })).cloned()
    else {
        panic!("the targets are asked again: {:?}", h.pending)
    };
    h.pending.retain(|e| !matches!(e, Effect::LoadTargets { .. }));
    let result = h.targets_for(user_id);
    h.send(Msg::TargetsLoaded { generation: g, user_id, result });
    assert_eq!(counted(&h), before + 1, "the new purchase is in the verdict");
    let v = h.app.verdict().expect("the verdict stays open");
    assert!(v.periods().iter().all(|p| p.readings.comparable()), "read again after the arrival");
    // Closing it while a refresh is on its way does not bring it back.
    h.send(Msg::WatchDue { generation });
    let page = with_new_event(&mut h);
    let mut page = page;
    if let EventsOutcome::Page(p) = &mut page.value {
        let mut e = p.events.last().unwrap().clone();
        e.event_log_id += 1;
        p.events.push(e);
    }
    h.send(Msg::WatchPolled { generation, result: Ok(page) });
    h.key(KeyCode::Char('e'));
    assert!(h.app.verdict().is_none());
    h.answer_all();
    assert!(h.app.verdict().is_none(), "closed stays closed");
}
