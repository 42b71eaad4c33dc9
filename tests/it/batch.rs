//! `batch` in the explorer: the rows as a table, filtered and sorted like the
//! events; Enter opens a row's events, `b` comes back.

use crossterm::event::KeyCode;
use insta::assert_snapshot;
use target_events::core::batch::{BatchRow, rows_for};
use target_events::explorer::app::Effect;
use target_events::explorer::app::Field;
use target_events::explorer::app::screen::Owner;
use target_events::explorer::app::state::AppOptions;

use crate::common::harness::Harness;

fn rows(h: &Harness) -> Vec<BatchRow> {
    let mut rows = Vec::new();
    for (given, user) in [("564332013", 564332013), ("email:mei.lin@example.com", 498221730)] {
        let groups = h.targets_for(user).unwrap().value;
        rows.extend(rows_for(given, user, &groups, None));
    }
    rows.push(BatchRow {
        customer: "nobody@example.com".into(),
        error: "8015 No customer was found with that identifier. [request id 5ec897b9-0003]".into(),
        ..BatchRow::default()
    });
    rows
}

fn with_batch(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    let options = AppOptions { batch: Some(rows(&h)), ..AppOptions::new("DEMO", 10, 1000) };
    h.app = target_events::explorer::app::App::new(options);
    h.app.update(target_events::explorer::app::Msg::Resize(width, height));
    assert_eq!(h.app.focus(), target_events::explorer::app::Focus::Table, "the batch has the keyboard");
    h
}

#[test]
fn the_batch_opens_as_a_table_with_its_figures_whole() {
    let h = with_batch(120, 36);
    assert!(h.app.batch_open());
    let text = h.screen_text();
    assert!(text.contains("Batch · 6 rows · 1 not found or failed"), "{text}");
    assert_snapshot!("batch_120x36", h.render().backend());
    let h = with_batch(60, 16);
    assert_snapshot!("batch_60x16", h.render().backend());
}

#[test]
fn filter_sort_and_enter_open_a_rows_events() {
    let mut h = with_batch(120, 36);
    h.key(KeyCode::Char('/'));
    h.type_text("mei.lin");
    h.key(KeyCode::Enter);
    assert!(h.screen_text().contains("2 match"), "{}", h.screen_text());
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Enter);
    assert!(!h.app.batch_open(), "the events are shown");
    assert_eq!(h.app.field(Field::UserId).text(), "498221730");
    assert_eq!(h.app.field(Field::RuleId).text(), "3150");
    assert_eq!(h.app.field(Field::PeriodId).text(), "31502");
    assert!(h.pending.iter().any(
        |e| matches!(e, Effect::Fetch { query, .. } if query.user_id == 498221730 && query.period_id == Some(31502))
    ));
    h.answer_all();
    h.key(KeyCode::Char('b'));
    assert!(h.app.batch_open(), "b comes back to the batch");
    let b = h.app.batch().unwrap();
    assert_eq!(b.rows()[b.view()[b.selected()]].period_id, Some(31502), "on the row that was opened");
    // Sorting by what is missing, most first: `o` steps through the
    // columns that sort, left to right.
    for _ in 0..4 {
        h.key(KeyCode::Char('o'));
    }
    assert_eq!(h.app.notice_text(), Some("Sorted by missing."));
    let b = h.app.batch().unwrap();
    let missing: Vec<_> = b.view().iter().map(|&i| b.rows()[i].missing).collect();
    assert!(missing.is_sorted(), "{missing:?}");
    h.key(KeyCode::Char('O'));
    assert_eq!(h.app.notice_text(), Some("Sorted by missing, descending."));
}

#[test]
fn a_failed_rows_error_is_readable_in_full() {
    let mut h = with_batch(60, 16);
    h.key(KeyCode::Char('G'));
    let text = h.screen_text();
    // The error column is cut (or dropped) at this width; the selected row's line is not.
    assert!(text.contains("✗ nobody@example.com: 8015"), "{text}");
    h.key(KeyCode::Enter);
    assert!(h.app.batch_open(), "nothing to open");
    let notice = h.app.notice_text().unwrap_or_default().to_string();
    assert!(notice.starts_with("Nothing to open for nobody@example.com: 8015"), "{notice}");
}

#[test]
fn extreme_figures_and_hostile_names_are_whole_or_absent() {
    let money = |s: &str| target_events::api::model::Money::parse(s);
    let rows = vec![BatchRow {
        customer: "email:\u{1b}[2Jvery.long.name.of.a.customer.who.wrote.in@example.com".into(),
        user_id: Some(9_223_372_036_854_775_807),
        group: "G".repeat(300),
        target: "積分イベント🎉 奖励 \u{202e}gnp.exe".into(),
        rule_id: Some(1),
        period_id: Some(2),
        target_value: money("1234567890123456789012.345678"),
        achieved: money("0.000001"),
        missing: money("1234567890123456789012.345677"),
        reached: Some(false),
        current: Some(true),
        ..BatchRow::default()
    }];
    for (width, height) in [(120, 36), (80, 24), (60, 16)] {
        let mut h = Harness::new(width, height);
        let options = AppOptions { batch: Some(rows.clone()), ..AppOptions::new("DEMO", 10, 1000) };
        h.app = target_events::explorer::app::App::new(options);
        h.app.update(target_events::explorer::app::Msg::Resize(width, height));
        let text = h.screen_text();
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{text}");
        // The table's line (the one with the marker) holds each figure whole or not at all.
        let line = text.lines().find(|l| l.contains('▶')).unwrap_or_else(|| panic!("{text}"));
        for figure in ["1234567890123456789012.345678", "0.000001", "1234567890123456789012.345677"] {
            let tokens = line.split(|c: char| c.is_whitespace() || c == '┃' || c == '│' || c == '…');
            let cut =
                tokens.filter(|t| t.len() >= 3).any(|t| t != figure && (figure.starts_with(t) || figure.ends_with(t)));
            assert!(!cut, "{figure} is cut at {width}x{height}: {line}");
        }
        if width == 120 {
            assert!(line.contains(" 1234567890123456789012.345677 ") && line.contains(" 0.000001 "), "{line}");
        }
    }
}

#[test]
fn the_title_counts_every_customer_that_failed() {
    let mut h = Harness::new(120, 36);
    let mut all = rows(&h);
    // Found, but their targets could not be fetched: a failure too.
    all.push(BatchRow {
        customer: "564332013".into(),
        user_id: Some(564332013),
        error: "503 The API is unavailable. [request id 5ec897b9-0004]".into(),
        ..BatchRow::default()
    });
    h.app =
        target_events::explorer::app::App::new(AppOptions { batch: Some(all), ..AppOptions::new("DEMO", 10, 1000) });
    h.app.update(target_events::explorer::app::Msg::Resize(120, 36));
    assert!(h.screen_text().contains("2 not found or failed"), "{}", h.screen_text());
}

/// 777000777's and 808000808's rows with each period's verdict, as
/// `batch --verdict` makes them: through the verdict core's tally.
fn verdict_rows(h: &mut Harness) -> Vec<BatchRow> {
    rows_with_verdicts(h, &[(777000777, 7610), (808000808, 8080)])
}

/// The rows `batch --verdict` gives these customers' rules, made by the same
/// core (the rule's events streamed through the tally with the bills).
fn rows_with_verdicts(h: &mut Harness, asked: &[(i64, i64)]) -> Vec<BatchRow> {
    use target_events::api::EventsQuery;
    use target_events::core::reconcile::bills_window;
    use target_events::core::verdict::bills_brief::BillsReading;
    use target_events::core::verdict::brief::RuleTally;
    let now = h.app.now();
    let mut rows = Vec::new();
    for &(user, rule) in asked {
        let groups = h.targets_for(user).unwrap().value;
        let events = h.all_for(EventsQuery { user_id: user, rule_id: rule, period_id: None, limit: 1, page: 0 });
        let targets: Vec<_> = groups.iter().flat_map(|g| &g.targets).collect();
        let (from, to) = bills_window(targets.iter().copied(), now.date()).unwrap();
        let bills = h.bills_for(user, from, to).unwrap().bills;
        let reading = BillsReading::Read { bills: bills.into(), incomplete: None };
        let mut tally = RuleTally::new(targets.iter().copied(), rule).with_bills(reading);
        tally.add(&events.unwrap().events);
        let briefs = tally.finish(now);
        for mut row in rows_for(&user.to_string(), user, &groups, Some(rule)) {
            row.verdict = briefs.iter().find(|(p, _)| Some(*p) == row.period_id).map(|(_, b)| b.clone());
            rows.push(row);
        }
    }
    rows
}

fn with_verdicts(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    h.app.set_clock(Some(chrono::NaiveDateTime::parse_from_str("2025-10-22 15:00:00", "%Y-%m-%d %H:%M:%S").unwrap()));
    let rows = verdict_rows(&mut h);
    let clock = h.app.clock();
    let options = AppOptions { batch: Some(rows), ..AppOptions::new("DEMO", 10, 1000) };
    h.app = target_events::explorer::app::App::new(options);
    h.app.set_clock(clock);
    h.app.update(target_events::explorer::app::Msg::Resize(width, height));
    h
}

#[test]
fn verdict_columns_show_whole_and_e_opens_the_rows_period() {
    let h = with_verdicts(200, 20);
    let text = h.screen_text();
    for header in ["verdict", "short by", "returns", "would reach"] {
        assert!(text.contains(header), "{header} at 200 columns: {text}");
    }
    let sep = h.screen().into_iter().find(|l| l.contains("▶ 777000777")).unwrap();
    assert!(sep.contains("not reached") && sep.contains("179.50") && sep.contains("940000005"), "{sep}");
    assert!(text.contains("in progress"), "808000808's lifetime target: {text}");
    assert!(
        text.contains("not reached, 179.50 short; event 940000005 counted elsewhere would have reached it"),
        "the detail line says why: {text}"
    );
    assert_snapshot!("batch_verdict_200x20", h.render().backend());
    // Narrower: every figure whole or its column left out, and the selected
    // row's story whole beneath the table, over as many lines as it takes.
    for width in [60, 80, 120] {
        let h = with_verdicts(width, 20);
        let story: String = h
            .screen()
            .iter()
            .skip_while(|l| !l.contains("777000777 → userId"))
            .take_while(|l| !l.contains("Esc hides"))
            .map(|l| l.trim_matches(|c| c == '┃' || c == ' ').to_string())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            story.contains("not reached, 179.50 short; event 940000005 counted elsewhere would have reached it")
                && story.contains("4 bills dated in the period did not count (3945.00)")
                && story.contains("bill B-88120 (id 994000200) alone would have reached it"),
            "{width}: {story}"
        );
        for line in h.screen() {
            for cut in ["179.…", "940000…", "-380.…", "3945.…", "(id 9940…"] {
                assert!(!line.contains(cut), "a figure cut at {width}: {line}");
            }
        }
        assert_snapshot!(format!("batch_verdict_{width}x20"), h.render().backend());
    }

    // The verdict is filtered on, and copied with the row.
    let mut h = with_verdicts(120, 36);
    let text = h.app.batch_row_text().unwrap();
    assert!(text.contains("verdict: not reached") && text.contains("wouldHaveReached: 940000005"), "{text}");
    assert!(text.contains("cause: late") && text.contains("headline: Missed by 179.50: "), "{text}");
    assert!(
        text.contains("uncountedBills: 4")
            && text.contains("uncountedAmount: 3945.00")
            && text.contains("billWouldHaveReached: B-88120 (id 994000200)"),
        "{text}"
    );
    h.key(KeyCode::Char('/'));
    h.type_text("in progress");
    h.key(KeyCode::Enter);
    assert!(h.screen_text().contains("2 match"), "October and 808000808's lifetime: {}", h.screen_text());

    // Sorted by what is short, most first: 808000808's 1000.00.
    let mut h = with_verdicts(120, 36);
    for _ in 0..9 {
        h.key(KeyCode::Char('o'));
    }
    h.key(KeyCode::Char('O'));
    assert_eq!(h.app.notice_text(), Some("Sorted by short by, descending."));
    let b = h.app.batch().unwrap();
    assert_eq!(b.rows()[b.view()[0]].customer, "808000808");

    // `e` on October's row: that period's full verdict over the table; Esc comes back.
    let mut h = with_verdicts(120, 36);
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Char('e'));
    h.answer_all();
    let panel = h.app.verdict().expect("the verdict is drawn");
    assert_eq!((panel.user_id(), panel.rule_id()), (777000777, 7610));
    assert_eq!(panel.periods()[panel.selected()].period_id, 7602, "the row's period");
    assert!(h.screen_text().contains("Not reached yet: 4350.00 of 5000.00"), "{}", h.screen_text());
    h.key(KeyCode::Esc);
    assert!(h.app.batch_open(), "Esc uncovers the batch table");
    assert_eq!(h.app.batch().unwrap().selected(), 1, "on the same row");
    // The next customer's row: their verdict, nothing of the first's.
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Char('e'));
    h.answer_all();
    let panel = h.app.verdict().expect("the second customer's verdict");
    assert_eq!((panel.user_id(), panel.rule_id()), (808000808, 8080));
    assert_eq!(panel.periods().iter().map(|v| v.period_id).collect::<Vec<_>>(), vec![8001]);
    assert_eq!(h.app.field(Field::UserId).text(), "808000808");
    assert!(!h.screen_text().contains("777000777"), "{}", h.screen_text());
    // Help over the verdict over the batch takes the keys, and Esc peels one at a time.
    h.key(KeyCode::Char('?'));
    h.key(KeyCode::Esc);
    assert!(h.app.verdict().is_some());
    h.key(KeyCode::Esc);
    assert!(h.app.batch_open());
}

/// The verdict's columns with figures no demo has: whole or absent at every
/// width, in the explorer and in `--format table` alike.
#[test]
fn extreme_verdicts_are_whole_or_absent_in_both_tables() {
    use target_events::core::verdict::bills_brief::{BillsBrief, NamedBill};
    use target_events::core::verdict::brief::{Brief, Standing};
    let money = |s: &str| target_events::api::model::Money::parse(s);
    let ids: Vec<i64> = (0..10).map(|i| 9_223_372_036_854_775_797 + i).collect();
    let row = BatchRow {
        customer: "card:\u{1b}]52;c;aGk=\u{7}LOYAL".into(),
        user_id: Some(1),
        target: "T".repeat(200),
        rule_id: Some(1),
        period_id: Some(2),
        target_value: money("79228162514264337593543950335"),
        achieved: money("0.0000000001"),
        verdict: Some(Brief {
            standing: Standing::NotReached,
            short_by: Some(money("7922816251426433759354395033.5").expect("29 digits fit")),
            returns_total: money("-98765432109876543210.123456"),
            events_counted: 1_000_000,
            counted_elsewhere: 123_456,
            would_have_reached: ids.clone(),
            would_have_reached_count: 123_456,
            bills: Some(BillsBrief {
                uncounted: Some(987_654),
                uncounted_amount: money("12345678901234567890.12345678"),
                would_have_reached: vec![NamedBill { id: i64::MAX, number: "B\u{1b}[31m-118".into(), amount: None }],
                note: Some("the bills could not be read: \u{1b}]0;x\u{7}".into()),
                late: 3,
                late_hours: Some((23, 23)),
                late_stores: vec!["MUM-\u{1b}[2J-ANDHERI-02".into()],
                ..BillsBrief::default()
            }),
        }),
        ..BatchRow::default()
    };
    let figures = [
        "7922816251426433759354395033.5",
        "-98765432109876543210.123456",
        "1000000",
        "123456",
        "987654",
        "12345678901234567890.12345678",
    ];
    let whole = |line: &str, width: u16| {
        for figure in figures {
            let tokens = line.split(|c: char| c.is_whitespace() || c == '┃' || c == '│' || c == '…');
            let cut =
                tokens.filter(|t| t.len() >= 3).any(|t| t != figure && (figure.starts_with(t) || figure.ends_with(t)));
            assert!(!cut, "{figure} is cut at {width}: {line}");
        }
        assert!(!line.contains('\u{1b}') && !line.contains('\u{7}'), "{line}");
    };
    for width in [60u16, 80, 120, 200] {
        let mut h = Harness::new(width, 20);
        let options = AppOptions { batch: Some(vec![row.clone()]), ..AppOptions::new("DEMO", 10, 1000) };
        h.app = target_events::explorer::app::App::new(options);
        h.app.update(target_events::explorer::app::Msg::Resize(width, 20));
        let text = h.screen_text();
        whole(text.lines().find(|l| l.contains('▶')).unwrap(), width);
        let table = target_events::headless::batch::table(std::slice::from_ref(&row), Some(width));
        let row_line = table.lines().nth(1).unwrap();
        whole(row_line, width);
        assert!(unicode_width::UnicodeWidthStr::width(row_line) <= width as usize, "{row_line}");
    }
    // Wide enough, the short-by and the ids are there whole.
    let table = target_events::headless::batch::table(std::slice::from_ref(&row), None);
    assert!(table.contains("7922816251426433759354395033.5"), "{table}");
    assert!(
        table.contains(&format!("{} +123446 more", ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")))
    );
}

/// The batch panel's filter reads words, not letters: `reached` finds the
/// rows that reached, never "not reached"; `verdict:missed` narrows by the
/// verdict's column; `-word` leaves rows out.
#[test]
fn the_batch_filter_reads_words_and_columns() {
    let mut h = with_verdicts(200, 30);
    let all: Vec<String> = h
        .app
        .batch()
        .unwrap()
        .rows()
        .iter()
        .map(|r| r.verdict.as_ref().map(|v| v.standing.word().to_string()).unwrap_or_default())
        .collect();
    let count = |w: &str| all.iter().filter(|s| s.as_str() == w).count();
    assert!(count("not reached") > 0, "{all:?}");
    let mut shown = |typed: &str| {
        h.key(KeyCode::Char('/'));
        h.key_mod(KeyCode::Char('u'), crossterm::event::KeyModifiers::CONTROL);
        h.type_text(typed);
        h.key(KeyCode::Enter);
        let n = h.app.batch().unwrap().view().len();
        h.key(KeyCode::Esc);
        n
    };
    assert_eq!(shown("reached"), count("reached"), "\"not reached\" is not reached");
    assert_eq!(shown("missed"), count("not reached"));
    assert_eq!(shown("verdict:missed"), count("not reached"));
    assert_eq!(shown("-missed"), all.len() - count("not reached"));
    assert_eq!(shown("verdict:7610"), 0, "a column term looks in that column only");
    // A column the table lacks is said while typing.
    h.key(KeyCode::Char('/'));
    h.type_text("store:saket");
    assert!(h.screen_text().contains("no column \"store\" here"), "{}", h.screen_text());
    h.key(KeyCode::Esc);
}

/// The demo's campaign cohort answered with verdicts, as `batch --verdict`
/// over assets/campaign.txt gives them, on 22 October 2025.
fn with_campaign(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    let clock = chrono::NaiveDateTime::parse_from_str("2025-10-22 15:00:00", "%Y-%m-%d %H:%M:%S").ok();
    h.app.set_clock(clock);
    let campaign: Vec<(i64, i64)> = (776_000_001..=776_000_012).map(|u| (u, 7610)).collect();
    let rows = rows_with_verdicts(&mut h, &campaign);
    let options = AppOptions { batch: Some(rows), ..AppOptions::new("DEMO", 10, 1000) };
    h.app = target_events::explorer::app::App::new(options);
    h.app.set_clock(clock);
    h.app.update(target_events::explorer::app::Msg::Resize(width, height));
    h
}

/// `c` shows why the campaign's customers missed, most customers first:
/// late at Andheri in the last hour of September, Saket's bills without the
/// loyalty number, returns. Enter lists a cause's customers, Enter again
/// opens one's verdict; Esc steps back to the causes, then to the rows.
#[test]
fn the_causes_view_groups_the_campaign_and_opens_a_customer_s_verdict() {
    for width in [80, 120, 200] {
        let mut h = with_campaign(width, 24);
        h.key(KeyCode::Char('c'));
        let causes = h.app.batch().unwrap().causes().to_vec();
        let said: Vec<(&str, usize)> = causes.iter().map(|c| (c.said.as_str(), c.customers)).collect();
        assert_eq!(said, [("late", 5), ("store DEL-SAKET-01 (Saket)", 4), ("returns", 2)], "{causes:?}");
        assert_eq!(causes[0].hours, Some((23, 23)));
        assert_eq!(causes[0].stores, ["MUM-ANDHERI-02 (Andheri East)"]);
        let text = h.screen_text();
        assert!(text.contains("Why they missed · 11 periods · 3 causes"), "{text}");
        assert!(!text.contains("2000.…") && !text.contains("2800.…"), "figures whole at {width}: {text}");
        assert_snapshot!(format!("batch_causes_{width}x24"), h.render().backend());
    }
    let mut h = with_campaign(120, 24);
    h.key(KeyCode::Char('c'));
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Enter);
    let text = h.screen_text();
    assert!(text.contains("Why they missed · store DEL-SAKET-01 (Saket) · 4 customers"), "{text}");
    assert!(text.contains("776000006") && !text.contains("776000001 "), "the cause's customers only: {text}");
    h.key(KeyCode::Enter);
    assert!(
        h.pending.iter().any(|e| matches!(e, Effect::LoadTargets { user_id: 776_000_006, .. })),
        "their verdict is read"
    );
    h.answer_all();
    assert_eq!(h.app.owner(), Owner::Verdict);
    assert!(h.screen_text().contains("Not reached: 4300.00 of 5000.00"), "{}", h.screen_text());
    // Esc: the verdict, then the cause's customers, then the causes, then the rows.
    h.key(KeyCode::Esc);
    assert_eq!(h.app.owner(), Owner::Batch);
    assert!(h.app.batch().unwrap().causes_view().is_some_and(|v| v.open));
    h.key(KeyCode::Esc);
    assert!(h.app.batch().unwrap().causes_view().is_some_and(|v| !v.open));
    h.key(KeyCode::Esc);
    assert!(h.app.batch().unwrap().causes_view().is_none());
    assert!(h.screen_text().contains(" Batch · 24 rows"), "{}", h.screen_text());
}

/// A filter gives the room of the columns empty in every row it shows to
/// those that have something: "in progress" rows have no event or bill that
/// would have reached, so those columns go.
#[test]
fn a_filter_gives_the_room_of_columns_empty_in_what_it_shows() {
    let mut h = with_verdicts(120, 20);
    assert!(h.screen_text().contains("would reach"), "{}", h.screen_text());
    h.key(KeyCode::Char('/'));
    h.type_text("\"in progress\"");
    h.key(KeyCode::Enter);
    let text = h.screen_text();
    assert!(text.contains("2 match"), "{text}");
    assert!(!text.contains("would reach"), "empty in what is shown: {text}");
    h.key(KeyCode::Esc);
    assert!(h.screen_text().contains("would reach"), "back with every row");
}
