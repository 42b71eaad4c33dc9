//! The explorer's state driven by key events, with answers arriving in any
//! order: the page last asked for always wins and no stale page is shown.

use crate::common;

use crossterm::event::KeyCode;
use target_events::api::EventsQuery;
use target_events::explorer::app::Field;
use target_events::explorer::app::{Effect, Focus, Msg};

use crate::common::harness::Harness;

fn shown_page(h: &Harness) -> Option<u32> {
    h.app.shown_query().map(|q| q.page)
}

#[test]
fn enter_fetches_page_one_and_moves_to_the_table() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "");
    assert!(h.app.is_loading());
    assert!(matches!(
        h.pending[0],
        Effect::Fetch { query: EventsQuery { user_id: 564332013, rule_id: 1986, page: 0, .. }, .. }
    ));
    h.answer_all();
    assert_eq!(h.app.focus(), Focus::Table);
    assert_eq!(h.app.events().len(), 10);
    assert!(!h.app.is_loading());
}

#[test]
fn nothing_is_sent_while_a_field_is_invalid() {
    let mut h = Harness::new(120, 36);
    h.query("56433x", "1986", "");
    assert!(h.pending.is_empty());
    assert!(h.app.notice_text().unwrap().contains("nothing was sent"));
    let mut h = Harness::new(120, 36);
    h.key(KeyCode::Enter);
    assert!(h.pending.is_empty(), "required fields are empty");
}

#[test]
fn rapid_paging_with_answers_out_of_order_ends_on_the_last_page_asked_for() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_fetch_only();
    assert_eq!(shown_page(&h), Some(0));
    // n, n, n, p without waiting: the last request asks for page index 2.
    for k in ['n', 'n', 'n', 'p'] {
        h.key(KeyCode::Char(k));
    }
    let fetches: Vec<(u64, EventsQuery)> = h
        .pending
        .iter()
        .filter_map(|e| if let Effect::Fetch { generation, query } = e { Some((*generation, *query)) } else { None })
        .collect();
    let cancels = h.pending.iter().filter(|e| matches!(e, Effect::Cancel { .. })).count();
    assert_eq!(fetches.len(), 4);
    assert_eq!(cancels, 3, "each superseded request is cancelled");
    assert_eq!(fetches.last().unwrap().1.page, 2);
    h.pending.clear();
    // Answers arrive newest first, then the stale ones late.
    for (generation, query) in fetches.iter().rev() {
        let result = h.respond(query);
        h.send(Msg::Fetched { generation: *generation, query: *query, elapsed: Default::default(), result });
        assert_eq!(shown_page(&h), Some(2), "a stale page must never replace the newest");
    }
    assert!(!h.app.is_loading());
}

#[test]
fn a_stale_answer_before_the_newest_is_never_shown() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_fetch_only();
    h.key(KeyCode::Char('n'));
    h.key(KeyCode::Char('n'));
    let fetches: Vec<(u64, EventsQuery)> = h
        .pending
        .iter()
        .filter_map(|e| if let Effect::Fetch { generation, query } = e { Some((*generation, *query)) } else { None })
        .collect();
    h.pending.clear();
    let (g, q) = fetches[0];
    let result = h.respond(&q);
    h.send(Msg::Fetched { generation: g, query: q, elapsed: Default::default(), result });
    assert_eq!(shown_page(&h), Some(0), "the superseded page 2 is dropped; page 1 stays until page 3 arrives");
    assert!(h.app.is_loading());
    let (g, q) = fetches[1];
    let result = h.respond(&q);
    h.send(Msg::Fetched { generation: g, query: q, elapsed: Default::default(), result });
    assert_eq!(shown_page(&h), Some(2));
}

#[test]
fn the_next_page_is_prefetched_and_shown_at_once() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    assert!(h.app.is_cached(&EventsQuery { user_id: 712004518, rule_id: 2410, period_id: None, limit: 10, page: 1 }));
    h.key(KeyCode::Char('n'));
    assert_eq!(shown_page(&h), Some(1), "served from the prefetch cache");
    assert!(!h.app.is_loading());
    assert!(h.pending.iter().any(|e| matches!(e, Effect::Prefetch { query } if query.page == 2)));
    // r refetches for real.
    h.pending.clear();
    h.key(KeyCode::Char('r'));
    assert!(matches!(h.pending[0], Effect::Fetch { query, .. } if query.page == 1));
}

#[test]
fn paging_waits_for_a_prefetch_already_under_way() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    // Answer page 1 only; its prefetch of page 2 stays in flight.
    h.answer_fetch();
    assert!(h.pending.iter().any(|e| matches!(e, Effect::Prefetch { .. })));
    h.key(KeyCode::Char('n'));
    assert!(!h.pending.iter().any(|e| matches!(e, Effect::Fetch { .. })), "no second request for the same page");
    assert!(h.app.is_loading());
    h.answer_all();
    assert_eq!(shown_page(&h), Some(1));
}

#[test]
fn the_ends_say_why_the_key_did_nothing() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "");
    h.answer_all();
    h.key(KeyCode::Char('p'));
    assert!(h.pending.is_empty());
    assert_eq!(h.app.notice_text(), Some("Already on the first page."));
    h.key(KeyCode::Char('n'));
    assert_eq!(h.app.notice_text(), Some("Already on the last page (page 1 of 1)."));
    h.key(KeyCode::Char('}'));
    assert!(h.app.notice_text().unwrap().starts_with("Already on the last page"));
}

#[test]
fn first_last_and_go_to_page() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    h.key(KeyCode::Char('}'));
    h.answer_all();
    assert_eq!(shown_page(&h), Some(131));
    h.key(KeyCode::Char('{'));
    h.answer_all();
    assert_eq!(shown_page(&h), Some(0));
    h.key(KeyCode::Char(':'));
    h.type_text("500");
    h.key(KeyCode::Enter);
    assert!(h.app.overlay().is_some(), "an out-of-range page keeps the prompt open");
    for _ in 0..3 {
        h.key(KeyCode::Backspace);
    }
    h.type_text("57");
    h.key(KeyCode::Enter);
    h.answer_all();
    assert_eq!(shown_page(&h), Some(56));
    assert!(h.app.overlay().is_none());
}

#[test]
fn changing_the_page_size_keeps_the_first_event_in_view() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    h.key(KeyCode::Char(':'));
    h.type_text("5");
    h.key(KeyCode::Enter);
    h.answer_all(); // page index 4 = events 41–50
    h.key(KeyCode::Char('='));
    for _ in 0..2 {
        h.key(KeyCode::Backspace);
    }
    h.type_text("25");
    h.key(KeyCode::Enter);
    h.answer_all();
    let info = h.app.shown_info().unwrap();
    assert_eq!((info.limit, info.page), (25, 1));
    assert!(info.first_record() <= 41 && 41 <= info.last_record());
}

#[test]
fn api_codes_mark_their_field_until_it_is_edited() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "5");
    h.answer_all();
    let period = h.app.field(Field::PeriodId);
    assert_eq!(period.complaint().map(|e| e.0), Some(310019));
    assert_eq!(h.app.focus(), Focus::Input(Field::PeriodId), "focus goes to the blamed field");
    h.key(KeyCode::Backspace);
    assert!(h.app.field(Field::PeriodId).complaint().is_none());
}

#[test]
fn errors_keep_the_previous_results_on_screen() {
    use target_events::api::error::ErrorKind;
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "");
    h.answer_all();
    h.key(KeyCode::Char('r'));
    h.answer_with(Err(common::harness::api_error(ErrorKind::Server { snippet: "<html>".into() }, Some(503))));
    assert!(h.app.banner_error().is_some());
    assert_eq!(h.app.events().len(), 10, "the old page stays under the error");
    h.key(KeyCode::Char('r'));
    h.answer_all();
    assert!(h.app.banner_error().is_none(), "r recovers");
}

#[test]
fn esc_cancels_a_request_in_flight() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "");
    assert!(h.app.is_loading());
    h.key(KeyCode::Esc);
    assert!(!h.app.is_loading());
    assert!(h.pending.iter().any(|e| matches!(e, Effect::Cancel { .. })));
}

#[test]
fn selection_stays_in_view() {
    let mut h = Harness::new(120, 20);
    h.query("712004518", "2410", "");
    // A big page so it cannot all fit.
    h.answer_all();
    h.key(KeyCode::Char('='));
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.type_text("100");
    h.key(KeyCode::Enter);
    h.answer_all();
    let rows = h.app.page_rows();
    for _ in 0..40 {
        h.key(KeyCode::Char('j'));
    }
    let t = h.app.table_view();
    assert_eq!(t.selected, 40);
    assert!(t.offset <= t.selected && t.selected < t.offset + rows);
    h.key(KeyCode::End);
    assert_eq!(h.app.table_view().selected, 99);
    assert!(h.app.table_view().offset + rows > 99);
    h.key(KeyCode::Home);
    assert_eq!((h.app.table_view().selected, h.app.table_view().offset), (0, 0));
}

#[test]
fn quit_keys() {
    let mut h = Harness::new(120, 36);
    h.type_text("q");
    assert!(!h.app.should_quit(), "q in an input is text");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('q'));
    assert!(h.app.should_quit());
    let mut h = Harness::new(120, 36);
    h.key_mod(KeyCode::Char('c'), crossterm::event::KeyModifiers::CONTROL);
    assert!(h.app.should_quit());
}

#[test]
fn q_quits_a_too_small_terminal_even_from_an_input() {
    let mut h = Harness::new(30, 8);
    h.key(KeyCode::Char('q'));
    assert!(h.app.should_quit());
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    use target_events::explorer::app::layout;
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "");
    h.answer_all();
    let areas = layout::areas(h.app.size(), &h.app);
    let table = areas.table.unwrap();
    let mouse = |kind, column, row| Msg::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE });
    // The fourth row (under the border and the header).
    h.send(mouse(MouseEventKind::Down(MouseButton::Left), table.x + 5, table.y + 2 + 3));
    assert_eq!(h.app.table_view().selected, 3);
    assert_eq!(h.app.focus(), Focus::Table);
    h.send(mouse(MouseEventKind::ScrollDown, table.x + 5, table.y + 5));
    assert_eq!(h.app.table_view().selected, 6);
    h.send(mouse(MouseEventKind::ScrollUp, table.x + 5, table.y + 5));
    assert_eq!(h.app.table_view().selected, 3);
    // A click on the rule input focuses it.
    let rule = areas.fields[1];
    h.send(mouse(MouseEventKind::Down(MouseButton::Left), rule.x + 2, rule.y));
    assert_eq!(h.app.focus(), Focus::Input(Field::RuleId));
    // A click below the last row selects nothing new.
    h.send(mouse(MouseEventKind::Down(MouseButton::Left), table.x + 5, table.y + table.height - 2));
    assert_eq!(h.app.table_view().selected, 3);
}

#[test]
fn resize_keeps_the_selection_in_view() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    h.key(KeyCode::Char('G'));
    assert_eq!(h.app.table_view().selected, 9);
    h.send(Msg::Resize(80, 16));
    let rows = h.app.page_rows();
    assert!(rows < 10);
    let t = h.app.table_view();
    assert!(t.offset <= t.selected && t.selected < t.offset + rows, "{t:?} rows {rows}");
    assert!(h.screen_text().contains("▶"));
}

#[test]
fn pasted_ids_are_accepted_without_control_characters() {
    let mut h = Harness::new(120, 36);
    h.send(Msg::Paste(" 564332013\u{1b}[31m ".into()));
    assert_eq!(h.app.field(Field::UserId).text(), "564332013[31m");
    let mut h = Harness::new(120, 36);
    h.send(Msg::Paste(" 564332013 ".into()));
    h.key(KeyCode::Tab);
    h.type_text("1986");
    h.key(KeyCode::Enter);
    assert!(matches!(h.pending[0], Effect::Fetch { query: EventsQuery { user_id: 564332013, .. }, .. }));
}

#[test]
fn a_huge_paste_is_one_edit_cut_to_the_field_with_a_notice() {
    let mut h = Harness::new(120, 36);
    h.type_text("ab");
    h.key(KeyCode::Left);
    // A megabyte pasted between a and b: kept to the field's longest value.
    h.send(Msg::Paste("9".repeat(1_000_000)));
    let value = h.app.field(Field::UserId).text().to_string();
    assert_eq!(value.chars().count(), 320, "the customer field's longest sensible value");
    assert!(value.starts_with("a99") && value.ends_with("9b"), "pasted at the cursor: {value:.10}…");
    let notice = h.app.notice_text().unwrap_or_default().to_string();
    assert!(notice.contains("1000000 characters") && notice.contains("at most 320"), "{notice}");
    assert!(h.screen_text().contains("at most 320"), "said on screen");
    // Typing continues where the paste ended.
    h.type_text("7");
    assert!(
        h.app.field(Field::UserId).text().ends_with("97b") || h.app.field(Field::UserId).text().chars().count() == 321
    );
    // A rule id field holds an id; a filter its own length.
    let mut h = Harness::new(120, 36);
    h.key(KeyCode::Tab);
    h.send(Msg::Paste("1".repeat(500)));
    assert_eq!(h.app.field(Field::RuleId).text().len(), 20);
    // Two lines: the first taken, never the two run together.
    for two in ["498221730\n3150\n", "498221730\r3150", "498221730\r\n3150", "498221730\t3150"] {
        let mut h = Harness::new(120, 36);
        h.send(Msg::Paste(two.into()));
        assert_eq!(h.app.field(Field::UserId).text(), "498221730", "{two:?}");
        assert!(h.app.notice_text().unwrap_or_default().contains("The paste had 2 lines"), "{:?}", h.app.notice_text());
    }
    // A paste that fits says nothing.
    let mut h = Harness::new(120, 36);
    h.send(Msg::Paste("name@example.com".into()));
    assert_eq!(h.app.field(Field::UserId).text(), "name@example.com");
    assert!(h.app.notice_text().is_none_or(|n| !n.contains("at most")));
}

#[test]
fn help_scrolls_on_a_short_screen() {
    use target_events::explorer::app::state::Overlay;
    let mut h = Harness::new(60, 16);
    h.key(KeyCode::Char('?'));
    assert!(!h.screen_text().contains("Ctrl-C"), "the end of the list is below the screen at first");
    for _ in 0..200 {
        h.key(KeyCode::Char('j'));
    }
    assert!(matches!(h.app.overlay(), Some(Overlay::Help { scroll }) if *scroll > 0));
    assert!(h.screen_text().contains("Ctrl-C"), "j scrolls to the end:\n{}", h.screen_text());
    h.key(KeyCode::Esc);
    assert!(h.app.overlay().is_none());
}
