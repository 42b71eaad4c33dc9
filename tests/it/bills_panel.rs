//! The bills panel (`B`): a period's bills and what happened to each, from
//! the verdict and from the events, at 60, 80, 120 and 200 columns; filter,
//! sort, raw JSON and copy; the verdict with its bills.

use crossterm::event::KeyCode;
use insta::assert_snapshot;
use target_events::core::reconcile::{Fate, Why};
use target_events::explorer::app::Effect;
use target_events::explorer::app::screen::{Owner, Panel};

use crate::common::harness::Harness;

/// Customer 777000777's September, with the bills panel open from the verdict.
fn bills(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    h.query("777000777", "7610", "7601");
    h.answer_all();
    h.key(KeyCode::Char('e'));
    assert!(
        h.pending.iter().any(|e| matches!(e, Effect::LoadBills { user_id: 777000777, .. })),
        "read beside the events"
    );
    h.answer_all();
    h.key(KeyCode::Char('B'));
    assert_eq!(h.app.owner(), Owner::Bills);
    h
}

#[test]
fn the_bills_at_four_widths_keep_their_figures_whole() {
    for (w, hh) in [(60, 20), (80, 24), (120, 36), (200, 40)] {
        let h = bills(w, hh);
        assert_snapshot!(format!("bills_{w}x{hh}"), h.render().backend());
    }
}

#[test]
fn every_bill_is_there_with_what_happened_and_the_one_to_escalate_is_selected() {
    let h = bills(120, 36);
    let panel = h.app.bills().expect("the panel");
    assert_eq!(panel.period_name(), "Sep_2025 (7601)");
    let why = |id: i64| panel.lines().iter().find(|l| l.bill.id == id).map(|l| l.fate.clone());
    assert_eq!(why(994000200), Some(Fate::NotCounted(Why::NoSignal)));
    assert_eq!(why(994000201), Some(Fate::NotCounted(Why::Outlier { status: "OUTLIER".into() })));
    assert_eq!(why(994000202), Some(Fate::NotCounted(Why::NotInterested)));
    // Before the enrolment — said, and that a purchase of the same days
    // counted all the same (so it may not be the reason).
    assert_eq!(why(994000203), Some(Fate::NotCounted(Why::BeforeEnrolment { others_counted: true })));
    assert!(matches!(why(994000104), Some(Fate::CountedElsewhere { period_id: 7602, .. })));
    assert_eq!(panel.selected_line().map(|l| l.bill.id), Some(994000200), "the bill that alone would have reached");
    let text = h.screen_text();
    assert!(text.contains("Bills · Sep_2025 (7601) · customer 777000777"), "{text}");
    assert!(text.contains("Alone it would have reached the target."), "{text}");
}

#[test]
fn filter_sort_raw_json_copy_and_close() {
    let mut h = bills(120, 36);
    h.key(KeyCode::Char('/'));
    h.type_text("outlier");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.bills().unwrap().view().len(), 1, "only the outlier");
    h.key(KeyCode::Char('/'));
    h.key(KeyCode::Esc);
    assert!(h.app.bills().unwrap().view().len() > 5, "the filter cleared");
    h.key(KeyCode::Char('o'));
    assert!(h.app.notice_text().unwrap_or_default().starts_with("Bills sorted by"));
    assert!(h.screen_text().contains("Bill ▲"), "the column sorted by is marked: {}", h.screen_text());
    h.key(KeyCode::Char('O'));
    assert!(h.screen_text().contains("Bill ▼"), "and which way: {}", h.screen_text());
    h.key(KeyCode::Char('v'));
    assert!(h.screen_text().contains("\"billNumber\""), "the raw JSON: {}", h.screen_text());
    // The JSON is longer than its pane: J scrolls it, K back, never past its end.
    let top = h.screen_text();
    h.key(KeyCode::Char('J'));
    h.key(KeyCode::Char('J'));
    assert_ne!(h.screen_text(), top, "J scrolls the JSON");
    for _ in 0..200 {
        h.key(KeyCode::Char('J'));
    }
    assert!(h.screen_text().contains('}'), "its end shows: {}", h.screen_text());
    for _ in 0..300 {
        h.key(KeyCode::Char('K'));
    }
    assert_eq!(h.screen_text(), top, "K comes back to its top");
    h.key(KeyCode::Char('y'));
    let copied = h.pending.iter().chain(&h.other).rev().find_map(|e| match e {
        Effect::Copy { text, .. } => Some(text.clone()),
        _ => None,
    });
    assert!(copied.is_some_and(|t| t.contains("\"id\"")));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('B'));
    assert!(h.app.bills().is_none(), "B closes it");
    assert_eq!(h.app.main_panel(), Some(Panel::Verdict), "and uncovers the verdict");
}

#[test]
fn b_from_the_events_opens_the_querys_period_bills_alone() {
    let mut h = Harness::new(120, 36);
    h.query("777000777", "7610", "7601");
    h.answer_all();
    h.key(KeyCode::Char('B'));
    h.answer_all();
    assert_eq!(h.app.main_panel(), Some(Panel::Bills));
    assert!(!h.app.is_open(Panel::Verdict), "Esc comes back to the events");
    assert_eq!(h.app.bills().unwrap().period_id(), 7601);
    h.key(KeyCode::Esc);
    assert!(h.app.nothing_open());
    assert_eq!(h.app.shown_query().unwrap().period_id, Some(7601), "the table kept its query");
}

#[test]
fn bills_that_could_not_be_read_leave_the_verdict_whole_and_say_so() {
    let mut h = Harness::new(120, 36);
    h.query("777000777", "7610", "7601");
    h.answer_all();
    h.key(KeyCode::Char('e'));
    let mut out: Vec<Effect> = h.pending.drain(..).collect();
    // Everything answers but the bills, which are refused.
    for effect in out.drain(..) {
        match effect {
            Effect::LoadBills { generation, user_id, .. } => {
                let refused = crate::common::harness::api_error(
                    target_events::api::ErrorKind::Auth {
                        code: Some(401),
                        message: Some("no access".into()),
                        sent: target_events::api::SentCredentials::None,
                    },
                    Some(403),
                );
                h.send(target_events::explorer::app::Msg::BillsLoaded { generation, user_id, result: Err(refused) });
            }
            other => h.pending.push(other),
        }
    }
    h.answer_all();
    let v = h.app.verdict().expect("the verdict, whole");
    assert_eq!(v.periods()[0].headline(), "Not reached: 4820.50 of 5000.00 — 179.50 short");
    let text = h.screen_text();
    assert!(text.contains("The bills could not be read:"), "{text}");
    assert!(!text.contains("did not count"), "nothing claimed: {text}");
}

#[test]
fn a_bill_after_midnight_at_the_store_is_shown_on_its_own_day_and_not_claimed_for_september() {
    let mut h = Harness::new(120, 36);
    h.query("780000780", "7810", "");
    h.answer_all();
    // The table dates it by its instant, with the store's offset.
    let table = h.screen_text();
    assert!(table.contains("2025-10-01 03:00:00 +05:30"), "{table}");
    // The 500.00 purchase: the string says 30 September, its instant 1 October.
    let row = h.app.row_of(960000003).unwrap();
    h.select_row(row);
    h.key(KeyCode::Enter);
    let text = h.screen_text();
    assert!(text.contains("2025-09-30 21:30:00.0") && text.contains("→ Wed 01 Oct 2025 03:00:00 +05:30"), "{text}");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('e'));
    h.answer_all();
    let v = h.app.verdict().unwrap();
    let sep = v.periods().iter().find(|p| p.period_id == 7801).unwrap();
    assert!(sep.would_have_reached.is_none() && sep.counted_elsewhere.is_empty() && sep.unsettled.is_empty());
    let said = target_events::core::verdict::report::findings(sep).join(" ");
    assert!(!said.contains("would have reached"), "{said}");
}

#[test]
fn b_from_the_summary_opens_the_selected_periods_bills_and_a_period_lists_only_its_own() {
    let mut h = Harness::new(120, 36);
    h.query("777000777", "7610", "");
    h.answer_all();
    h.key(KeyCode::Char('e'));
    h.answer_all();
    h.key(KeyCode::Char('s'));
    h.answer_all();
    h.key(KeyCode::Char('j'));
    let selected = h.app.summary().and_then(|s| s.period_id);
    assert_eq!(selected, Some(7602));
    h.key(KeyCode::Char('B'));
    h.answer_all();
    assert_eq!(h.app.bills().map(|b| b.period_id()), Some(7602), "the summary's period, not the verdict's");
    // 780000780: the bill made at 03:00 on 1 October at the store is October's alone.
    let mut h = Harness::new(120, 36);
    h.query("780000780", "7810", "7801");
    h.answer_all();
    h.key(KeyCode::Char('B'));
    h.answer_all();
    let panel = h.app.bills().expect("September's bills");
    assert_eq!(panel.period_id(), 7801);
    assert!(
        panel.lines().iter().all(|l| l.bill.id != 996000102),
        "{:?}",
        panel.lines().iter().map(|l| l.bill.id).collect::<Vec<_>>()
    );
    assert_eq!(panel.lines().len(), 2);
}

#[test]
fn a_bill_that_arrives_as_an_event_while_the_bills_are_open_is_said_to_count() {
    use target_events::api::EventsOutcome;
    use target_events::explorer::app::Msg;
    let mut h = Harness::new(120, 36);
    h.query("777000777", "7610", "7601");
    h.answer_all();
    h.key(KeyCode::Char('B'));
    h.answer_all();
    let fate = |h: &Harness| {
        h.app.bills().and_then(|b| b.lines().iter().find(|l| l.bill.id == 994000200)).map(|l| l.fate.clone())
    };
    assert_eq!(fate(&h), Some(Fate::NotCounted(Why::NoSignal)));
    let (generation, query) = watch_and_poll(&mut h);
    // Bill B-88120 becomes an event of September.
    let mut page = h.respond(&query).unwrap();
    if let EventsOutcome::Page(p) = &mut page.value {
        let mut e = p.events.last().unwrap().clone();
        e.event_log_id = 940000099;
        e.unique_id = "994000200".into();
        e.target_value = target_events::api::Money::parse("1250.00").unwrap();
        e.event_date_iso = Some("2025-09-28T19:40:00+05:30".into());
        p.events.push(e);
    }
    h.app.set_clock(h.app.clock().map(|c| c + chrono::Duration::seconds(5)));
    h.send(Msg::WatchPolled { generation, result: Ok(page) });
    h.pending.retain(|e| !matches!(e, Effect::WatchAfter { .. }));
    h.answer_all();
    assert!(matches!(fate(&h), Some(Fate::CountedHere { event_log_id: 940000099, .. })), "{:?}", fate(&h));
    assert_eq!(h.app.main_panel(), Some(Panel::Bills), "still the bills, not the verdict");
}

#[test]
fn an_arrival_reads_the_bills_again_and_its_new_bill_is_found_counted() {
    use target_events::api::EventsOutcome;
    use target_events::explorer::app::Msg;
    let mut h = Harness::new(120, 36);
    h.query("777000777", "7610", "7601");
    h.answer_all();
    h.key(KeyCode::Char('B'));
    h.answer_all();
    let (generation, query) = watch_and_poll(&mut h);
    // A purchase made a moment ago arrives: its bill was not among those read.
    let mut page = h.respond(&query).unwrap();
    if let EventsOutcome::Page(p) = &mut page.value {
        let mut e = p.events.last().unwrap().clone();
        e.event_log_id = 940000098;
        e.unique_id = "994000777".into();
        e.target_value = target_events::api::Money::parse("90.00").unwrap();
        e.event_date_iso = Some("2025-09-29T11:00:00+05:30".into());
        p.events.push(e);
    }
    h.send(Msg::WatchPolled { generation, result: Ok(page) });
    h.pending.retain(|e| !matches!(e, Effect::WatchAfter { .. }));
    let Some((bills_generation, from, to)) = h.pending.iter().find_map(|e| match e {
        Effect::LoadBills { generation, from, to, .. } => Some((*generation, *from, *to)),
        _ => None,
    }) else {
        panic!("the bills are read again: {:?}", h.pending)
    };
    h.pending.retain(|e| !matches!(e, Effect::LoadBills { .. }));
    h.answer_all();
    // Until they answer, the bills read before stay on screen.
    assert!(h.app.bills().is_some_and(|b| !b.lines().is_empty()));
    let mut read = h.bills_for(777000777, from, to).unwrap();
    let new = serde_json::json!({"id": 994000777, "billNumber": "B-90777", "type": "REGULAR",
        "billingTime": "2025-09-29T05:30:00Z", "billingTimeInputOffset": "+05:30", "amount": 90, "outlierStatus": "NORMAL"});
    read.bills.push(target_events::api::bills::Bill::from_value(&new).unwrap());
    h.send(Msg::BillsLoaded { generation: bills_generation, user_id: 777000777, result: Ok(read) });
    h.answer_all();
    let panel = h.app.bills().expect("still the bills");
    let line = panel.lines().iter().find(|l| l.bill.id == 994000777).expect("the new bill is listed");
    assert!(matches!(line.fate, Fate::CountedHere { event_log_id: 940000098, .. }), "{:?}", line.fate);
}

#[test]
fn a_bill_number_that_repeats_is_marked_and_the_bill_told_by_its_id() {
    use target_events::explorer::features::bills::state::BillsPanel;
    let h = bills(120, 36);
    let mut lines = h.app.bills().unwrap().lines().to_vec();
    let number = lines[0].bill.number.clone();
    lines[1].bill.number = number.clone();
    let (id0, id1) = (lines[0].bill.id, lines[1].bill.id);
    let panel = BillsPanel::new(777000777, 7601, "Sep_2025 (7601)".into(), lines, None);
    for line in panel.lines().iter().take(2) {
        assert_eq!(panel.cells(line)[1], format!("{number} ⚠"));
    }
    assert!(!panel.cells(&panel.lines()[2])[1].contains('⚠'), "a number of its own is not marked");
    assert_ne!(id0, id1);
}

#[test]
fn g_and_shift_g_go_to_the_first_and_last_bill() {
    let mut h = bills(120, 36);
    h.key(KeyCode::Char('G'));
    let last = h.app.bills().map(|b| (b.selected(), b.view().len()));
    assert!(last.is_some_and(|(s, n)| s + 1 == n), "{last:?}");
    h.key(KeyCode::Char('g'));
    assert_eq!(h.app.bills().map(|b| b.selected()), Some(0));
    h.key(KeyCode::End);
    assert!(h.app.bills().is_some_and(|b| b.selected() + 1 == b.view().len()));
}

/// Starts a watch on the query shown and makes its first poll due: the
/// watch's generation and the query polled.
fn watch_and_poll(h: &mut Harness) -> (u64, target_events::api::EventsQuery) {
    use target_events::explorer::app::Msg;
    h.key(KeyCode::Char('w'));
    let Some(generation) = h.pending.iter().find_map(|e| match e {
        Effect::WatchAfter { generation, .. } => Some(*generation),
        _ => None,
    }) else {
        panic!("a watch: {:?}", h.pending)
    };
    h.pending.clear();
    h.send(Msg::WatchDue { generation });
    let Some(Effect::WatchPoll { query, .. }) = h.pending.pop() else { panic!("a poll") };
    (generation, query)
}

/// `n` copies the selected bill's number alone: what an agent asks a store
/// about. Where no clipboard is reachable the popup shows it.
#[test]
fn n_copies_the_bill_number_alone() {
    let mut h = bills(120, 36);
    let number = h.app.bills().and_then(|b| b.selected_line().map(|l| l.bill.number.clone())).expect("a bill");
    assert!(!number.is_empty());
    h.key(KeyCode::Char('n'));
    let Some(target_events::explorer::app::state::Overlay::Copied { title, text, .. }) = h.app.overlay().cloned()
    else {
        panic!("the copied popup")
    };
    assert_eq!((title.as_str(), text.as_str()), ("The bill's number", number.as_str()));
    assert!(h.screen_text().contains("n number"), "the footer names it: {}", h.screen_text());
}
