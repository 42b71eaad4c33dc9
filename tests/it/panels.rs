//! One owner of the screen: every panel opened over every other, and each
//! key that matters pressed. The panel drawn is the one that reacts; the one
//! below it keeps its state; `Esc` uncovers exactly the one below.

use chrono::NaiveDateTime;
use crossterm::event::KeyCode;
use target_events::core::batch::{BatchRow, rows_for};
use target_events::explorer::app::screen::{Owner, Panel};
use target_events::explorer::app::state::{AppOptions, Overlay, Prompt, TextFile};
use target_events::explorer::app::{App, Focus};

use crate::common::harness::Harness;

/// Customer 777000777's rule 7610 loaded with every period, its verdict
/// open, and a batch of three customers behind it (hidden).
pub fn with_verdict(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    let mut rows: Vec<BatchRow> = Vec::new();
    for (given, user) in [("777000777", 777000777), ("564332013", 564332013), ("498221730", 498221730)] {
        rows.extend(rows_for(given, user, &h.targets_for(user).unwrap().value, None));
    }
    h.app = App::new(AppOptions { batch: Some(rows), ..AppOptions::new("DEMO", 10, 1000) });
    h.app.update(target_events::explorer::app::Msg::Resize(width, height));
    h.app.set_clock(Some(NaiveDateTime::parse_from_str("2025-10-22 15:00:00", "%Y-%m-%d %H:%M:%S").unwrap()));
    h.key(KeyCode::Char('b'));
    h.key(KeyCode::Char('u'));
    h.query("777000777", "7610", "");
    h.answer_all();
    h.key(KeyCode::Char('e'));
    h.answer_all();
    assert_eq!(h.app.owner(), Owner::Verdict, "{:?}", h.app.open_panels());
    h
}

/// The panels a key can open, and the key.
const PANELS: [(Panel, char); 6] = [
    (Panel::Detail, '\n'),
    (Panel::Summary, 's'),
    (Panel::Verdict, 'e'),
    (Panel::Bills, 'B'),
    (Panel::Batch, 'b'),
    (Panel::Overlay, '?'),
];

/// A state with `below` drawn over the events (and nothing else open).
fn with(below: Panel) -> Harness {
    let mut h = with_verdict(120, 36);
    h.key(KeyCode::Esc);
    assert!(h.app.nothing_open());
    open(&mut h, below);
    assert_eq!(h.app.main_panel(), Some(below));
    h
}

fn open(h: &mut Harness, panel: Panel) {
    let (_, key) = PANELS.iter().find(|(p, _)| *p == panel).unwrap();
    h.key(if *key == '\n' { KeyCode::Enter } else { KeyCode::Char(*key) });
    h.answer_all();
}

/// What a panel's keys change, to see it did (or did not) react.
fn state_of(app: &App, panel: Panel) -> String {
    match panel {
        Panel::Detail => format!("{:?} {:?}", app.detail_view(), app.table_view()),
        Panel::Summary => format!("{:?}", app.summary().map(|s| s.selected)),
        Panel::Verdict => format!("{:?}", app.verdict().map(|v| (v.selected(), v.event(), v.in_events()))),
        Panel::Bills => format!(
            "{:?}",
            app.bills().map(|b| (b.selected(), b.filter().text().to_string(), b.filter().typing(), b.raw()))
        ),
        Panel::Batch => {
            let b = app.batch().unwrap();
            format!("{} {} {:?}", b.selected(), b.filter().text(), b.filter().typing())
        }
        Panel::Overlay => format!("{:?}", app.overlay().map(|o| format!("{o:?}"))),
    }
}

#[test]
fn every_panel_over_every_other_takes_the_keys_and_esc_uncovers_the_one_below() {
    let openable_over = |below: Panel, top: Panel| {
        // The detail pane belongs to the table: Enter and Tab over a panel
        // mean that panel's own things, so it opens only from the table.
        below != top && top != Panel::Detail && below != Panel::Overlay
    };
    for (below, _) in PANELS {
        for (top, _) in PANELS {
            if !openable_over(below, top) {
                continue;
            }
            for key in ['j', 'k', '\x1b', '\t', '\n', 'x', 'y', '/'] {
                let mut h = with(below);
                open(&mut h, top);
                let context = format!("{top:?} over {below:?}, key {key:?}");
                assert_eq!(h.app.top_panel(), Some(top), "{context}: the new panel is on top");
                let before = state_of(&h.app, below);
                let top_before = state_of(&h.app, top);
                h.key(match key {
                    '\x1b' => KeyCode::Esc,
                    '\t' => KeyCode::Tab,
                    '\n' => KeyCode::Enter,
                    c => KeyCode::Char(c),
                });
                if h.app.is_open(below) && key != '\n' {
                    assert_eq!(state_of(&h.app, below), before, "{context}: the hidden panel did not react");
                }
                match key {
                    '\x1b' => {
                        assert!(!h.app.is_open(top), "{context}: Esc closes the panel drawn");
                        assert_eq!(h.app.main_panel(), Some(below), "{context}: and uncovers the one below");
                    }
                    'j' if top == Panel::Verdict => {
                        assert_ne!(state_of(&h.app, top), top_before, "{context}: j moves the verdict")
                    }
                    'j' if top == Panel::Batch => {
                        assert_ne!(state_of(&h.app, top), top_before, "{context}: j moves the batch")
                    }
                    'x' => {
                        let prompt = match h.app.overlay() {
                            Some(Overlay::Prompt { prompt, .. }) => Some(prompt.clone()),
                            _ => None,
                        };
                        match top {
                            Panel::Verdict => assert!(
                                matches!(prompt, Some(Prompt::SaveText(_, TextFile::CaseNote))),
                                "{context}: x saves the case note"
                            ),
                            Panel::Batch => assert!(
                                matches!(prompt, Some(Prompt::SaveText(_, TextFile::BatchRows))),
                                "{context}: x exports the rows"
                            ),
                            Panel::Summary => {
                                assert!(matches!(prompt, Some(Prompt::Export(_))), "{context}: x exports the events")
                            }
                            _ => assert!(prompt.is_none(), "{context}: help does not export"),
                        }
                    }
                    'y' => {
                        let title = match h.app.overlay() {
                            Some(Overlay::Copied { title, .. }) => title.clone(),
                            _ => String::new(),
                        };
                        let expected = match top {
                            Panel::Verdict => "case note",
                            Panel::Batch => "batch row",
                            Panel::Summary => "summary",
                            _ => "",
                        };
                        assert!(title.contains(expected), "{context}: y copied {title:?}");
                    }
                    '/' => {
                        let batch_filter = h.app.batch().unwrap().filter().typing();
                        let events_filter = h.app.events_filter_typing();
                        match top {
                            Panel::Batch => assert!(batch_filter && !events_filter, "{context}: the rows' filter"),
                            Panel::Summary => assert!(events_filter && !batch_filter, "{context}: the events' filter"),
                            _ => assert!(!batch_filter && !events_filter, "{context}: no filter"),
                        }
                    }
                    '\t' => match top {
                        Panel::Verdict => assert!(h.app.verdict().unwrap().in_events(), "{context}"),
                        Panel::Overlay => assert_eq!(h.app.top_panel(), Some(top), "{context}"),
                        _ => {
                            assert_eq!(h.app.owner(), Owner::Query, "{context}: Tab goes to the fields");
                            assert_eq!(h.app.main_panel(), Some(top), "{context}: the panel stays drawn");
                        }
                    },
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn the_three_reported_cases() {
    // e, then s: the summary's j moves the summary, Esc closes it (not the verdict).
    let mut h = with_verdict(120, 36);
    h.key(KeyCode::Char('s'));
    assert_eq!(h.app.owner(), Owner::Summary);
    h.key(KeyCode::Char('j'));
    assert_eq!(h.app.summary().unwrap().selected, 1);
    assert_eq!(h.app.verdict().unwrap().selected(), 0, "the verdict below did not move");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.owner(), Owner::Verdict, "Esc uncovered the verdict");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.owner(), Owner::Table);

    // Tab to the detail pane, then s: j moves the summary, not the detail's scroll.
    h.key(KeyCode::Tab);
    assert_eq!(h.app.owner(), Owner::Detail);
    h.key(KeyCode::Char('s'));
    let detail = h.app.detail_view();
    h.key(KeyCode::Char('j'));
    assert_eq!(h.app.detail_view(), detail);
    assert_eq!(h.app.summary().unwrap().selected, 1);
    h.key(KeyCode::Esc);
    assert_eq!(h.app.owner(), Owner::Detail, "Esc uncovered the detail pane");

    // The batch open, then e: Enter and Esc act on the verdict.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('b'));
    h.key(KeyCode::Char('e'));
    h.answer_all();
    assert_eq!(h.app.owner(), Owner::Verdict);
    let batch_before = state_of(&h.app, Panel::Batch);
    h.key(KeyCode::Esc);
    assert_eq!(h.app.owner(), Owner::Batch, "Esc closed the verdict, not the batch");
    assert_eq!(state_of(&h.app, Panel::Batch), batch_before);
}

#[test]
fn a_new_query_closes_every_panel_of_the_last_one() {
    let mut h = with_verdict(120, 36);
    h.key(KeyCode::Char('s'));
    h.key(KeyCode::Char('u'));
    assert_eq!(h.app.owner(), Owner::Query);
    assert_eq!(h.app.main_panel(), Some(Panel::Summary), "the fields take the keys; the summary stays drawn");
    h.key(KeyCode::Enter);
    assert!(h.app.nothing_open(), "{:?}", h.app.open_panels());
    h.answer_all();
    assert_eq!(h.app.focus(), Focus::Table);
    assert_eq!(h.app.owner(), Owner::Table);
}

/// A verdict asked for again (Enter on another period in the summary, `e`
/// over the bills) while another panel covers it comes up, on the period
/// asked, instead of being refreshed out of sight.
#[test]
fn a_verdict_asked_for_again_under_a_panel_comes_up_on_the_period_asked() {
    let mut h = Harness::new(120, 36);
    h.query("777000777", "7610", "7601");
    h.answer_all();
    h.key(KeyCode::Char('e'));
    h.answer_all();
    assert_eq!(h.app.owner(), Owner::Verdict);
    h.key(KeyCode::Char('s'));
    h.answer_all();
    assert_eq!(h.app.owner(), Owner::Summary);
    // The summary's other period, then Enter: its verdict.
    h.key(KeyCode::Char('j'));
    let asked = h.app.summary().and_then(|s| s.period_id).expect("a period selected");
    h.key(KeyCode::Enter);
    h.answer_all();
    assert_eq!(h.app.owner(), Owner::Verdict, "{:?}", h.app.open_panels());
    let v = h.app.verdict().unwrap();
    assert_eq!(v.periods()[v.selected()].period_id, asked);
}

/// After a later page failed, `r` asks for that page again, not the one
/// still shown.
#[test]
fn r_retries_the_page_that_failed() {
    use target_events::api::ErrorKind;
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_fetch_only();
    h.key(KeyCode::Char('n'));
    let asked = h.app.asked().expect("page 2 asked for");
    assert_eq!(asked.page, 1);
    h.answer_with(Err(crate::common::harness::api_error(ErrorKind::Server { snippet: String::new() }, Some(503))));
    assert!(h.app.banner_error().is_some());
    assert!(h.screen_text().contains("Press r to retry"), "{}", h.screen_text());
    h.key(KeyCode::Char('r'));
    assert_eq!(h.app.asked().map(|q| q.page), Some(1), "the failed page, not the one shown");
}
