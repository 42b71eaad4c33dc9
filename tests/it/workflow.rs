//! The support workflow driven by keys: pickers, fetch-all with its progress
//! and cancellation, summary, filter, export and copy. Snapshots of each
//! screen, with style assertions where colour carries meaning.

use crate::common;

use crossterm::event::KeyCode;
use insta::assert_snapshot;
use ratatui::style::Color;
use target_events::api::fetch_all::Progress;
use target_events::core::case_note::AuthKind;
use target_events::explorer::app::Field;
use target_events::explorer::app::state::Overlay;
use target_events::explorer::app::{Effect, Msg};

use crate::common::harness::{Harness, find};

fn all_generation(h: &Harness) -> u64 {
    h.pending
        .iter()
        .find_map(|e| if let Effect::FetchAll { generation, .. } = e { Some(*generation) } else { None })
        .expect("a fetch-all is pending")
}

#[test]
fn target_picker_from_the_customer_alone() {
    let mut h = Harness::new(120, 36);
    h.type_text("564332013");
    h.key(KeyCode::Enter);
    assert!(matches!(h.pending[0], Effect::LoadTargets { user_id: 564332013, .. }));
    assert_snapshot!("target_picker_loading", h.render().backend());
    h.answer_all();
    let t = h.render();
    assert_snapshot!("target_picker", t.backend());
    let text = h.screen_text();
    assert!(
        text.contains(" 3999.54      5000.00") && text.contains("●"),
        "exact figures, each in its column, and the current period"
    );
    // Type to narrow, then choose.
    h.type_text("cycle_2");
    assert!(h.screen_text().contains("1 of 3"));
    h.key(KeyCode::Enter);
    assert_eq!(h.app.field(Field::RuleId).text(), "1986");
    assert_eq!(h.app.field(Field::PeriodId).text(), "9888");
    h.answer_all();
    assert_eq!(h.app.events().len(), 3);
}

#[test]
fn customer_enter_enter_opens_the_current_period() {
    let mut h = Harness::new(120, 36);
    h.type_text("564332013");
    h.key(KeyCode::Enter);
    h.answer_all();
    h.key(KeyCode::Enter);
    // Cycle_2 ended short of its target: the period a caller complains about.
    assert_eq!(h.app.field(Field::PeriodId).text(), "9888", "the ✗ period was selected");
    h.answer_all();
    assert!(h.app.events().iter().all(|e| e.period_id == 9888) && !h.app.events().is_empty());
}

#[test]
fn period_picker_for_the_group() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "");
    h.answer_all();
    h.key(KeyCode::Char('P'));
    assert!(matches!(h.pending[0], Effect::LoadPeriods { group_id: 1717, .. }));
    h.answer_all();
    assert_snapshot!("period_picker", h.render().backend());
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    assert_eq!(h.app.field(Field::PeriodId).text(), "9889");
    h.answer_all();
    assert_eq!(h.app.events().len(), 2);
}

#[test]
fn picker_errors_show_inline() {
    let mut h = Harness::new(120, 36);
    h.type_text("1");
    h.key(KeyCode::Enter);
    h.answer_all();
    let text = h.screen_text();
    assert!(text.contains("The API rejected the userId: Invalid userId."), "{text}");
}

#[test]
fn fetch_all_shows_progress_and_cancels_cleanly() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_fetch_only();
    let before = h.app.shown_query().unwrap();
    h.key(KeyCode::Char('a'));
    let generation = all_generation(&h);
    h.pending.clear();
    h.send(Msg::AllProgress { generation, progress: Progress::Planned { pages: 14, total: Some(1317) } });
    for page in 0..7 {
        h.send(Msg::AllProgress { generation, progress: Progress::Page { page, events: 100 } });
    }
    h.send(Msg::AllProgress {
        generation,
        progress: Progress::Retrying { page: 7, attempt: 1, wait: std::time::Duration::from_secs(1) },
    });
    let t = h.render();
    assert_snapshot!("fetch_all_progress", t.backend());
    let b = t.backend().buffer();
    let status = b.area.height - 1;
    let fgs: Vec<Color> = (0..b.area.width).map(|x| b[(x, status)].fg).collect();
    assert!(fgs.contains(&Color::Cyan) && fgs.contains(&Color::DarkGray), "a gauge filled in part: {fgs:?}");
    // Esc cancels: the task is aborted and the table is as it was.
    h.key(KeyCode::Esc);
    assert!(h.pending.contains(&Effect::Cancel { generation }));
    assert!(h.app.fetch_all_progress().is_none());
    assert_eq!(h.app.shown_query().unwrap(), before);
    assert!(h.app.shown_all().is_none());
    assert!(h.app.notice_text().unwrap().contains("cancelled after 7 of 14 pages"));
    // A late answer from the cancelled fetch is dropped.
    let late = h.all_for(before);
    h.send(Msg::AllDone { generation, query: before, result: late });
    assert!(h.app.shown_all().is_none());
}

#[test]
fn a_page_asked_for_while_every_page_loads_does_not_race_it() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    h.key(KeyCode::Char('a'));
    assert!(h.app.fetch_all_progress().is_some());
    // n, p, r and a page number would each show a page the fetch-all then replaces.
    for key in [KeyCode::Char('n'), KeyCode::Char('r'), KeyCode::Char('}')] {
        h.key(key);
        assert!(!h.pending.iter().any(|e| matches!(e, Effect::Fetch { .. })), "{key:?} sent nothing");
        assert!(h.app.notice_text().unwrap().contains("Every page is being fetched"));
    }
    h.answer_all();
    assert!(h.app.showing_all() && h.app.events().len() == 1317, "the table ends on every page");
    // Once it is in, pages can be asked for again.
    h.key(KeyCode::Char('r'));
    assert!(h.pending.iter().any(|e| matches!(e, Effect::FetchAll { .. } | Effect::Fetch { .. })));
}

#[test]
fn fetch_all_then_summary_with_chart() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "");
    h.answer_all();
    // Look the targets up, so the summary knows them.
    h.key(KeyCode::Char('t'));
    h.answer_all();
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('a'));
    h.answer_all();
    assert!(h.app.showing_all());
    assert_eq!(h.app.events().len(), 10);
    h.key(KeyCode::Char('s'));
    // The summary reads the achieved values again; they say when.
    assert!(h.app.targets_loading());
    h.answer_all();
    h.key(KeyCode::Char('j'));
    let t = h.render();
    assert_snapshot!("summary_and_chart", t.backend());
    let text = h.screen_text();
    assert!(text.contains("9000.92") && text.contains("3999.54") && text.contains("-1000.46"), "{text}");
    let b = t.backend().buffer();
    let (x, y) = find(b, "-3000.00");
    assert_eq!(b[(x, y)].fg, Color::LightRed, "a shortfall stands out");
}

#[test]
fn filter_shows_its_count() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    h.key(KeyCode::Char('a'));
    h.answer_all();
    h.key(KeyCode::Char('/'));
    h.type_text("RETURN");
    assert_snapshot!("filter_typing", h.render().backend());
    h.key(KeyCode::Enter);
    assert_eq!(h.app.row_count(), 83);
    assert_snapshot!("filter_applied", h.render().backend());
    h.key(KeyCode::Esc);
    assert_eq!(h.app.row_count(), 1317, "Esc clears the filter");
}

#[test]
fn sort_orders_locally() {
    let mut h = Harness::new(120, 36);
    h.query("498221730", "3150", "");
    h.answer_all();
    h.key(KeyCode::Char('o'));
    h.key(KeyCode::Char('o'));
    assert_eq!(h.app.notice_text(), Some("Sorted by value."));
    assert_eq!(h.app.selected_event().unwrap().target_value.to_string(), "-860.50");
    h.key(KeyCode::Char('O'));
    assert_eq!(h.app.selected_event().unwrap().target_value.to_string(), "1500.00");
}

#[test]
fn export_asks_for_a_path_and_confirms() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    h.key(KeyCode::Char('a'));
    h.answer_all();
    h.key(KeyCode::Char('/'));
    h.type_text("return");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('x'));
    assert_snapshot!("export_prompt", h.render().backend());
    h.key(KeyCode::Enter);
    h.answer_all();
    let Some(Effect::Export { path, indices, .. }) = h.other.pop() else { panic!("an export effect") };
    assert_eq!(path.to_str(), Some("target-events-712004518-2410-all.csv"));
    assert_eq!(indices.len(), 83);
    assert_eq!(indices.len(), h.app.row_count());
    h.send(Msg::Exported {
        path: "/home/agent/target-events-712004518-2410-all.csv".into(),
        result: Ok(indices.len()),
    });
    assert_snapshot!("export_confirmation", h.render().backend());
    // An unknown extension is refused in the prompt.
    h.key(KeyCode::Char('x'));
    for _ in 0..3 {
        h.key(KeyCode::Backspace);
    }
    h.type_text("xls");
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.overlay(), Some(Overlay::Prompt { error: Some(e), .. }) if e.contains(".csv")));
}

#[test]
fn copies_are_sanitised_and_the_curl_has_no_secret() {
    let mut h = Harness::with_options(120, 36, |o| {
        o.connection.base_url = "https://eu.api.capillarytech.com/".parse().unwrap();
        o.connection.auth = AuthKind::Basic;
    });
    h.query("666000666", "4040", "");
    h.answer_all();
    h.key(KeyCode::Char('y'));
    h.answer_all();
    let Some(Effect::Copy { text, .. }) = h.other.pop() else { panic!("a copy effect") };
    assert!(text.contains("\\u001b[31mRED ALERT"), "escapes are escaped in JSON: {text}");
    assert!(!text.chars().any(|c| c != '\n' && target_events::sanitize::is_unsafe(c)));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('c'));
    h.answer_all();
    let Some(Effect::Copy { text, .. }) = h.other.pop() else { panic!("a copy effect") };
    assert_snapshot!("curl_copy", h.render().backend());
    assert!(text.starts_with(
        "curl 'https://eu.api.capillarytech.com/v3/users/666000666/trackedTargetEvents/4040?limit=10&offset=0'"
    ));
    assert!(text.contains("$CAP_USERNAME") && text.contains("$CAP_PASSWORD"));
    // The shell fills the placeholders in: the header is exactly the documented Basic header.
    let header_line = text.lines().find(|l| l.contains("Authorization")).unwrap();
    let expr = header_line.trim().trim_start_matches("--header ").trim_matches('"');
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("printf '%s' \"{expr}\""))
        .env("CAP_USERNAME", common::USER)
        .env("CAP_PASSWORD", common::PASSWORD)
        .output()
        .unwrap();
    let expected = target_events::api::auth::basic_header(
        common::USER,
        &target_events::secret::Secret::new(common::PASSWORD),
        false,
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("Authorization: {}", expected.expose()));
    assert!(!text.contains(common::PASSWORD) && !text.contains(expected.expose()));
}

#[test]
fn recent_queries_are_remembered_and_recalled() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "9889");
    h.answer_all();
    assert!(h.other.iter().any(|e| matches!(e, Effect::SaveRecent(list) if list[0].user_id == 564332013)));
    let recent = h.app.recent().to_vec();
    let mut h2 = Harness::with_options(120, 36, |o| o.recent = recent);
    h2.key(KeyCode::Up);
    assert!(matches!(h2.app.overlay(), Some(Overlay::Picker(_))));
    h2.key(KeyCode::Enter);
    assert_eq!(h2.app.field(Field::PeriodId).text(), "9889");
    assert!(matches!(h2.pending[0], Effect::Fetch { .. }));
    // Ctrl-K in the list clears it.
    h2.answer_all();
    h2.key(KeyCode::Char('h'));
    h2.key_mod(KeyCode::Char('k'), crossterm::event::KeyModifiers::CONTROL);
    h2.answer_all();
    assert!(h2.app.recent().is_empty());
    assert!(matches!(h2.other.last(), Some(Effect::SaveRecent(list)) if list.is_empty()));
}

#[test]
fn a_new_query_stops_a_fetch_all_of_the_old_one() {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    h.key(KeyCode::Char('a'));
    let generation = all_generation(&h);
    h.pending.clear();
    h.key(KeyCode::Char('u'));
    for _ in 0..9 {
        h.key(KeyCode::Backspace);
    }
    h.type_text("564332013");
    h.key(KeyCode::Tab);
    for _ in 0..4 {
        h.key(KeyCode::Backspace);
    }
    h.type_text("1986");
    h.key(KeyCode::Enter);
    assert!(h.pending.contains(&Effect::Cancel { generation }));
    assert!(h.app.fetch_all_progress().is_none());
    h.answer_all();
    assert_eq!(h.app.shown_query().unwrap().user_id, 564332013);
}

#[test]
fn a_url_without_a_profile_asks_for_one_and_switching_starts_afresh() {
    use target_events::config::ProfileChoice;
    use target_events::core::case_note::ConnectionInfo;
    use target_events::explorer::app::action::ProfileSwitch;
    let note = "no profile for http://127.0.0.1:18777 — choose one with --profile or add it to the config";
    let mut h = Harness::with_options(120, 36, |o| {
        o.profiles = vec![
            ProfileChoice { name: "eu".into(), origin: "https://eu.api.capillarytech.com".into() },
            ProfileChoice { name: "local".into(), origin: "http://127.0.0.1:9000".into() },
        ];
        o.ask_profile = Some((note.into(), None));
    });
    // The explorer opens on the question.
    assert_snapshot!("profile_picker_for_an_unknown_origin", h.render().backend());
    h.key(KeyCode::Esc);
    h.query("564332013", "1986", "");
    h.answer_all();
    assert!(h.app.cached_pages() > 0);
    h.key(KeyCode::Char('T'));
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    let Some(Effect::UseProfile { name }) = h.pending.pop() else { panic!("a profile switch") };
    assert_eq!(name, "local");
    let connection =
        ConnectionInfo { base_url: "http://127.0.0.1:9000/".parse().unwrap(), ..ConnectionInfo::default() };
    h.send(Msg::ProfileChanged { result: Ok(ProfileSwitch { label: "local".into(), connection }) });
    // Nothing learnt from the old origin is kept; the query goes to the new one.
    assert_eq!(h.app.label(), "local");
    assert!(h.app.cached_pages() == 0 && h.app.shown_query().is_none());
    assert!(h.pending.iter().any(|e| matches!(e, Effect::Fetch { query, .. } if query.user_id == 564332013)));
    // A profile that cannot be used says why and changes nothing.
    h.send(Msg::ProfileChanged { result: Err("no password for till".into()) });
    assert_eq!(h.app.label(), "local");
    assert!(h.screen_text().contains("Could not switch profile: no password for till"));
}

#[test]
fn the_summary_looks_up_the_target_however_the_query_was_entered() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "");
    h.answer_all();
    h.key(KeyCode::Char('a'));
    h.answer_all();
    h.key(KeyCode::Char('s'));
    let lookups = h.pending.iter().filter(|e| matches!(e, Effect::LoadTargets { user_id: 564332013, .. })).count();
    assert_eq!(lookups, 1, "one lookup of the customer's targets");
    assert!(h.app.targets_loading(), "the achieved values are read again");
    h.answer_all();
    let text = h.screen_text();
    for figure in ["Cycle_2", "2025-01-13 → 2025-01-21", "5000.00", "3999.54", "-1000.46", "+4000.92"] {
        assert!(text.contains(figure), "{figure} missing:\n{text}");
    }
    // Closing and opening again reads the achieved values again, once.
    h.key(KeyCode::Char('s'));
    h.key(KeyCode::Char('s'));
    assert_eq!(h.pending.iter().filter(|e| matches!(e, Effect::LoadTargets { .. })).count(), 1);
}

#[test]
fn an_existing_export_is_replaced_only_after_a_yes() {
    use target_events::explorer::app::action::ExportError;
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "");
    h.answer_all();
    h.key(KeyCode::Char('x'));
    h.key(KeyCode::Enter);
    let Some(Effect::Export { path, overwrite: false, .. }) = h.pending.pop() else { panic!("a first export") };
    h.send(Msg::Exported { path: path.clone(), result: Err(ExportError::Exists) });
    assert!(matches!(h.app.overlay(), Some(Overlay::Confirm { .. })));
    assert!(h.screen_text().contains("already exists. Replace it? (y/n)"));
    // No closes it, writing nothing.
    h.key(KeyCode::Char('n'));
    assert!(h.app.overlay().is_none() && h.pending.is_empty());
    h.send(Msg::Exported { path: path.clone(), result: Err(ExportError::Exists) });
    h.key(KeyCode::Char('y'));
    assert!(matches!(h.pending.pop(), Some(Effect::Export { overwrite: true, path: p, .. }) if p == path));
}
