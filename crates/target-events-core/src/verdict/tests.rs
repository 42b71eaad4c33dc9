use chrono::NaiveDateTime;
use serde_json::json;

use super::*;

/// The offset of the tests' cluster and stores: the API gives instants.
const OFFSET: &str = "+05:30";

/// An event as a cluster with the ISO fields sends it: the local string and
/// the same moment with its offset.
fn event(id: i64, name: &str, value: &str, date: &str, processed: &str, period: i64) -> TargetEvent {
    let iso = format!("{}{OFFSET}", date.get(..19).unwrap_or(date).replace(' ', "T"));
    let raw = json!({
        "eventLogId": id, "eventName": name, "customerId": 1, "eventDisplayName": null, "uniqueId": format!("u{id}"),
        "eventDate": date, "eventProcessedDate": processed, "periodId": period, "targetGroupId": 9,
        "targetRuleId": 100, "targetValue": serde_json::Number::from_string_unchecked(value.into()),
        "eventDateISO": iso
    });
    TargetEvent::from_raw(&raw.to_string()).unwrap()
}

/// The same event as a cluster without the ISO fields sends it.
fn legacy(mut e: TargetEvent) -> TargetEvent {
    e.event_date_iso = None;
    e
}

fn target(period: i64, start: &str, end: &str, value: &str, achieved: &str, current: bool) -> UserTarget {
    serde_json::from_value(json!({
        "periodId": period, "periodRefCode": format!("P{period}"), "periodStartDate": start, "periodEndDate": end,
        "targetValue": value, "targetAchievedValue": achieved, "targetRuleId": 100, "currentPeriod": current,
        "periodStartDateWithTimeStampISO": format!("{start}T00:00:00{OFFSET}"),
        "periodEndDateWithTimeStampISO": format!("{end}T23:59:59{OFFSET}")
    }))
    .unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// September (7601) ends short; its last bill was processed in October (7602).
fn late_bill() -> (UserTarget, Vec<TargetEvent>) {
    let events = vec![
        event(1, "ADD_TRANSACTION", "3000.00", "2025-09-10 10:00:00.0", "2025-09-10 10:00:05.0", 7601),
        event(2, "ADD_TRANSACTION", "2000.50", "2025-09-20 12:00:00.0", "2025-09-20 12:00:05.0", 7601),
        event(3, "RETURN_BILL", "-180.00", "2025-09-25 09:00:00.0", "2025-09-25 09:00:05.0", 7601),
        event(6, "ADD_TRANSACTION", "600.00", "2025-09-30 23:50:00.0", "2025-10-01 00:20:00.0", 7602),
        event(7, "ADD_TRANSACTION", "100.00", "2025-10-05 10:00:00.0", "2025-10-05 10:00:02.0", 7602),
    ];
    (target(7601, "2025-09-01", "2025-09-30", "5000.00", "4820.50", false), events)
}

#[test]
fn not_reached_says_how_short_and_names_the_event_that_moved() {
    let (t, events) = late_bill();
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    assert_eq!(v.headline(), "Not reached: 4820.50 of 5000.00 — 179.50 short");
    assert_eq!(v.events_sum.unwrap().to_string(), "4820.50");
    assert_eq!(v.difference, None, "the API and the events agree");
    assert_eq!(v.counted_elsewhere.iter().map(|e| e.event_log_id).collect::<Vec<_>>(), vec![6]);
    let moved = v.would_have_reached.expect("the late bill alone would have covered it");
    assert_eq!((moved.event_log_id, moved.period_id), (6, 7602));
    assert_eq!(v.returns.len(), 1);
    assert_eq!(v.returns_total.unwrap().to_string(), "-180.00");
    assert_eq!(v.days_left, None, "a closed period has no days left");
}

#[test]
fn reached_names_the_event_that_crossed() {
    let (_, events) = late_bill();
    let t = target(7602, "2025-10-01", "2025-10-31", "650.00", "700.00", false);
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    assert_eq!(v.headline(), "Reached on 2025-10-05 10:00 with event 7 (cumulative 700.00 of 650.00)");
    // Counted in October but dated in September.
    assert_eq!(v.counted_here_from_outside.iter().map(|e| e.event_log_id).collect::<Vec<_>>(), vec![6]);
    assert!(v.counted_elsewhere.is_empty());
}

#[test]
fn the_current_period_says_what_is_needed_and_the_days_left() {
    let (_, events) = late_bill();
    let t = target(7602, "2025-10-01", "2025-10-31", "5000.00", "700.00", true);
    let v = period_verdict(&t, &events, at("2025-10-22 15:00:00"));
    assert_eq!(v.days_left, Some(10));
    assert_eq!(v.headline(), "Not reached yet: 700.00 of 5000.00 — 4300.00 still needed, 10 days left");
}

#[test]
fn a_disagreeing_api_value_is_said_plainly() {
    let (_, events) = late_bill();
    let t = target(7601, "2025-09-01", "2025-09-30", "5000.00", "5100.00", false);
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    assert_eq!(v.difference.unwrap().to_string(), "279.50");
    assert_eq!(v.outcome, Outcome::ReachedByApi, "the API counts more than the listed events");
}

#[test]
fn events_before_enrolment_and_milestones() {
    let (_, events) = late_bill();
    let mut t = target(7601, "2025-09-01", "2025-09-30", "5000.00", "4820.50", false);
    t.enrolled_on = Some("2025-09-15 00:00:00".into());
    t.milestones = serde_json::from_value(json!([
        {"id": 1, "triggerName": "Half way", "triggerValue": 2500, "isAchieved": true},
        {"id": 2, "triggerName": "Almost", "triggerValue": "4900.00", "isAchieved": false}
    ]))
    .unwrap();
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    assert_eq!(v.before_enrolment.iter().map(|e| e.event_log_id).collect::<Vec<_>>(), vec![1]);
    assert_eq!(v.milestones[0].crossed_on.as_ref().map(|e| e.event_log_id), Some(1));
    assert_eq!(v.milestones[0].reached_by_api, Some(true));
    assert_eq!(v.milestones[1].crossed_on, None);
}

#[test]
fn every_period_of_the_rule_in_order() {
    let (_, events) = late_bill();
    let a = target(7602, "2025-10-01", "2025-10-31", "650.00", "700.00", true);
    let b = target(7601, "2025-09-01", "2025-09-30", "5000.00", "4820.50", false);
    let other_rule = UserTarget { target_rule_id: 5, ..b.clone() };
    let all = verdicts(&[&a, &b, &other_rule], 100, None, &events, at("2025-10-22 00:00:00"));
    assert_eq!(all.iter().map(|v| v.period_id).collect::<Vec<_>>(), vec![7601, 7602]);
    assert_eq!(verdicts(&[&a, &b], 100, Some(7602), &events, at("2025-10-22 00:00:00")).len(), 1);
}

#[test]
fn a_sum_that_cannot_be_exact_is_absent_not_rounded() {
    let events = vec![
        event(1, "ADD_TRANSACTION", "123356789012.347", "2025-09-10 10:00:00.0", "2025-09-10 10:00:00.0", 7601),
        event(
            2,
            "ADD_TRANSACTION",
            "0.0000000000000000000000000001",
            "2025-09-11 10:00:00.0",
            "2025-09-11 10:00:00.0",
            7601,
        ),
    ];
    let t = target(7601, "2025-09-01", "2025-09-30", "5000.00", "4820.50", false);
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    assert_eq!(v.events_sum, None);
}

#[test]
fn a_difference_is_said_from_the_side_that_counts_more() {
    let m = |s| Money::parse(s).unwrap();
    assert_eq!(difference_label(m("150.00")), ("The API counts more than the events by", m("150.00")));
    assert_eq!(difference_label(m("-1103.23")), ("The events count more than the API by", m("1103.23")));
}

#[test]
fn a_late_enrolment_a_return_below_the_target_and_money_figures() {
    let events = vec![
        event(1, "ADD_TRANSACTION", "5200", "2025-09-12 10:00:00.0", "2025-09-12 10:00:05.0", 7601),
        event(2, "RETURN_BILL", "-400.0", "2025-09-20 12:00:00.0", "2025-09-20 12:00:05.0", 7601),
    ];
    let mut t = target(7601, "2025-09-01", "2025-09-30", "5000", "4800", false);
    t.enrolled_on = Some("2025-09-10T00:00:00.000+0000".into());
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    let late = v.late_enrolment.clone().expect("enrolled ten days in");
    assert_eq!(late.sentence(), "enrolled 10 Sep 2025: 21 of the period's 30 days");
    assert_eq!(v.returned_below.as_ref().map(|e| e.event_log_id), Some(2), "the return took it back below");
    assert_eq!(v.headline(), "Not reached: 4800.00 of 5000.00 — 200.00 short", "figures as money");
    let found = report::findings(&v);
    assert!(found.iter().any(|f| f == "Enrolled 10 Sep 2025: 21 of the period's 30 days."), "{found:?}");
    assert!(found.iter().any(|f| f.starts_with("Return 2 (-400.00 on")), "{found:?}");
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["lateEnrolment"]["daysEnrolled"], 21);
    assert_eq!(json["returnedBelow"]["eventLogId"], 2);
    // Enrolled before the period: nothing to say.
    t.enrolled_on = Some("2025-08-01T00:00:00.000+0000".into());
    assert!(period_verdict(&t, &events, at("2025-11-01 00:00:00")).late_enrolment.is_none());
}

#[test]
fn the_complaint_is_about_the_last_ended_period_that_fell_short() {
    let (_, events) = late_bill();
    let mk = |p: i64, achieved: &str, current: bool| {
        period_verdict(
            &target(p, "2025-09-01", "2025-09-30", "5000.00", achieved, current),
            &events,
            at("2025-11-01 00:00:00"),
        )
    };
    let periods = vec![mk(7600, "100", false), mk(7601, "100", false), mk(7602, "6000", false), mk(7603, "0", true)];
    assert_eq!(complaint_period(&periods), 1, "7601: ended, short; 7602 was reached");
    let periods = vec![mk(7602, "6000", false), mk(7603, "0", true)];
    assert_eq!(complaint_period(&periods), 1, "none ended short: the current one");
    assert_eq!(complaint_period(&[]), 0);
}

#[test]
fn money_keeps_its_digits_and_has_at_least_two_decimals() {
    let m = |s: &str| Money::parse(s).unwrap().as_money();
    assert_eq!(
        (m("2500.0"), m("2000"), m("1.000"), m("-0.5")),
        ("2500.00".into(), "2000.00".into(), "1.000".into(), "-0.50".into())
    );
}

#[test]
fn the_case_note_cannot_act_whatever_the_names() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let hostile = [
        "![t](http://evil.example/beacon.png)",
        "[click](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "<!--",
        "www.evil.example/x",
        "``` ` | pipe",
        "<https://evil.example>",
        "**bold** _em_ # head",
    ];
    let mut events = Vec::new();
    for (i, name) in hostile.iter().enumerate() {
        events.push(event(i as i64 + 1, name, "10.00", "2025-09-10 10:00:00.0", "2025-09-10 10:00:05.0", 7601));
    }
    // A return, a late bill and a milestone make every kind of row.
    events.push(event(20, "RETURN_BILL", "-5.00", "2025-09-11 10:00:00.0", "2025-09-11 10:00:05.0", 7601));
    events.push(event(21, hostile[0], "600.00", "2025-09-30 23:50:00.0", "2025-10-01 00:20:00.0", 7602));
    let mut t = target(7601, "2025-09-01", "2025-09-30", "5000.00", "75.00", false);
    t.period_ref_code = Some(hostile[1].into());
    t.milestones = serde_json::from_value(json!([{"triggerName": hostile[2], "triggerValue": "20"}])).unwrap();
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    let report = report::Report {
        customer: report::CustomerInfo { user_id: 1, found_by: Some(format!("email {}", hostile[3])) },
        rule_id: 100,
        target_name: Some(hostile[4].into()),
        group_name: Some(hostile[5].into()),
        periods: vec![v],
        requests: vec![report::RequestInfo {
            url: format!("http://127.0.0.1/{}", hostile[6]),
            status: 200,
            request_id: Some(hostile[7].into()),
            curl: "curl 'x'\n```\n![t](http://evil.example/b.png)".into(),
        }],
        made_at: "2025-11-01 00:00".into(),
        tool_version: "0".into(),
    };
    let note = report.markdown();
    let mut code = String::new();
    for e in Parser::new_ext(&note, Options::ENABLE_TABLES) {
        match e {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => panic!("a link or image in:\n{note}"),
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in:\n{note}"),
            Event::Code(c) | Event::Text(c) => code.push_str(&c),
            _ => {}
        }
    }
    for name in hostile {
        assert!(code.contains(name), "{name:?} is shown as it is:\n{note}");
    }
    // The curl block is not closed by the backticks inside it.
    assert!(code.contains("![t](http://evil.example/b.png)"), "{note}");
}

#[test]
fn a_shortfall_past_exact_figures_is_absent_never_a_different_number() {
    let events = vec![event(1, "RETURN_BILL", "-1", "2025-09-10 10:00:00.0", "2025-09-10 10:00:05.0", 7601)];
    let max = "79228162514264337593543950335";
    let t = target(7601, "2025-09-01", "2025-09-30", max, &format!("-{max}"), false);
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    assert_eq!(v.outcome, Outcome::NotReached { short_by: None });
    assert!(v.headline().ends_with("short by an amount not exact"), "{}", v.headline());
    assert!(!v.headline().contains("950335 short"), "never the target passed off as the gap");
    assert_eq!(serde_json::to_value(&v).unwrap()["outcome"]["shortBy"], serde_json::Value::Null);
}

#[test]
fn every_target_of_a_customer_is_one_note_with_a_section_each() {
    let (t, events) = late_bill();
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    let request = |id: &str| report::RequestInfo {
        url: format!("http://x/{id}"),
        status: 200,
        request_id: Some(id.into()),
        curl: format!("curl 'http://x/{id}'"),
    };
    let make = |rule: i64, name: &str, own: &str| report::Report {
        customer: report::CustomerInfo { user_id: 1, found_by: None },
        rule_id: rule,
        target_name: Some(name.into()),
        group_name: None,
        periods: vec![v.clone()],
        requests: vec![request("groups"), request(own)],
        made_at: "2025-11-01 00:00".into(),
        tool_version: "0".into(),
    };
    let note = report::markdown_of(&[make(100, "Spend", "r100"), make(200, "Visit", "r200")]);
    assert!(note.starts_with("# Case note: customer 1, every target"), "{note}");
    assert!(
        note.contains("## Target `Spend` (group —), rule 100")
            && note.contains("## Target `Visit` (group —), rule 200")
    );
    assert_eq!(note.matches("### `Period P7601 (7601)").count(), 2, "each target's periods beneath it");
    assert_eq!(note.matches("| 200 | `groups` |").count(), 1, "a request shared by the targets is listed once");
    // One target reads as before.
    let one = report::markdown_of(&[make(100, "Spend", "r100")]);
    assert!(one.starts_with("# Case note: customer 1, rule 100") && one.contains("\n## `Period P7601 (7601)"));
}

#[test]
fn the_brief_names_the_moved_event_and_the_tally_agrees() {
    let (t, events) = late_bill();
    let now = at("2025-11-01 00:00:00");
    let full = brief::Brief::of(&period_verdict(&t, &events, now));
    assert_eq!(full.standing, brief::Standing::NotReached);
    assert_eq!(full.short_by.unwrap().to_string(), "179.50");
    assert_eq!(full.returns_total.unwrap().to_string(), "-180.00");
    assert_eq!((full.events_counted, full.counted_elsewhere), (3, 1));
    assert_eq!(full.would_have_reached, vec![6]);
    // Streamed one event at a time, in reverse: the same brief.
    let mut tally = brief::RuleTally::new([&t], 100);
    for e in events.iter().rev() {
        tally.add(std::slice::from_ref(e));
    }
    assert_eq!(tally.finish(now), vec![(7601, full)]);
}

mod streamed {
    use super::*;
    use proptest::prelude::*;

    fn arb_event() -> impl Strategy<Value = (i64, i32, u32, i64, bool)> {
        // (period 1..=3, value in cents, day of a 90-day span, processed lag, a return)
        (1i64..=3, -50_000i32..200_000, 0u32..95, 0i64..3, any::<bool>())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// However the events arrive, in pages of any size, the tally's brief
        /// is the full verdict's: the batch and `e` say the same thing.
        #[test]
        fn the_tally_matches_the_full_verdict(
            raw in proptest::collection::vec(arb_event(), 0..40),
            target_cents in 1i64..2_000_000,
            achieved in proptest::option::of(0i64..2_000_000),
            page in 1usize..7,
            current in any::<bool>(),
            today in 0i64..100,
        ) {
            let day = |n: u32| chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap() + chrono::Days::new(u64::from(n));
            let events: Vec<TargetEvent> = raw.iter().enumerate().map(|(i, &(period, cents, d, _lag, ret))| {
                let value = rust_decimal::Decimal::new(i64::from(cents), 2).to_string();
                let date = format!("{} 10:00:00.0", day(d));
                event(i as i64 + 1, if ret { "RETURN_BILL" } else { "ADD_TRANSACTION" }, &value, &date, &date, 7600 + period)
            }).collect();
            let cents = |c: i64| rust_decimal::Decimal::new(c, 2).to_string();
            // Three 30-day periods; the events may fall in any.
            let targets: Vec<UserTarget> = (1..=3).map(|p| {
                let start = day(30 * (p as u32 - 1));
                let end = day(30 * p as u32 - 1);
                let mut t = target(7600 + p, &start.to_string(), &end.to_string(), &cents(target_cents), "0", current && p == 2);
                t.target_achieved_value = achieved.map(|a| crate::api::model::Money(rust_decimal::Decimal::new(a, 2)));
                t
            }).collect();
            let now = day(today as u32).and_hms_opt(12, 0, 0).unwrap();
            let mut tally = brief::RuleTally::new(&targets, 100);
            for chunk in events.chunks(page) {
                tally.add(chunk);
            }
            let streamed = tally.finish(now);
            for (t, (period, b)) in targets.iter().zip(&streamed) {
                prop_assert_eq!(Some(*period), t.period_id);
                prop_assert_eq!(b, &brief::Brief::of(&period_verdict(t, &events, now)));
            }
        }
    }
}

mod streamed_with_bills {
    use super::*;
    use crate::api::bills::Bill;
    use crate::verdict::bills_brief::BillsReading;
    use proptest::prelude::*;

    /// (period 1..=3, cents, day, minute of the day, a return, how its bill is
    /// found: 0 none, 1 by id, 2 by time and amount)
    fn arb_event() -> impl Strategy<Value = (i64, i32, u32, u32, bool, u8)> {
        (1i64..=3, -50_000i32..200_000, 0u32..95, 0u32..1440, any::<bool>(), 0u8..3)
    }

    /// (cents, day, minute, type, outlier, offset minutes)
    fn arb_bill() -> impl Strategy<Value = (i32, u32, u32, u8, bool, i32)> {
        (0i32..400_000, 0u32..95, 0u32..1440, 0u8..4, any::<bool>(), -600i32..=600)
    }

    fn stamp(day: chrono::NaiveDate, minute: u32, offset_min: i32) -> String {
        let t = day.and_hms_opt(minute / 60, minute % 60, 0).unwrap();
        let off = chrono::FixedOffset::east_opt(offset_min * 60).unwrap();
        t.and_local_timezone(off).unwrap().to_rfc3339()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// However the events arrive, the batch's bills in brief are the full
        /// verdict's: the same uncounted bills, sum and bill that would reach.
        #[test]
        fn the_tally_tells_the_bills_as_the_full_verdict(
            raw in proptest::collection::vec(arb_event(), 0..30),
            stray in proptest::collection::vec(arb_bill(), 0..12),
            target_cents in 1i64..2_000_000,
            achieved in proptest::option::of(0i64..2_000_000),
            page in 1usize..7,
        ) {
            let day = |n: u32| chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap() + chrono::Days::new(u64::from(n));
            let off = 330;
            let mut bills: Vec<Bill> = Vec::new();
            let events: Vec<TargetEvent> = raw.iter().enumerate().map(|(i, &(period, cents, d, m, ret, found))| {
                let value = rust_decimal::Decimal::new(i64::from(cents), 2);
                let iso = stamp(day(d), m, off);
                let local = day(d).and_hms_opt(m / 60, m % 60, 0).unwrap().format("%Y-%m-%d %H:%M:%S.0").to_string();
                let unique = 10_000 + i as i64;
                let e = json!({
                    "eventLogId": i as i64 + 1, "eventName": if ret { "RETURN_BILL" } else { "ADD_TRANSACTION" },
                    "customerId": 1, "uniqueId": unique.to_string(), "eventDate": local, "eventProcessedDate": local,
                    "periodId": 7600 + period, "targetGroupId": 9, "targetRuleId": 100,
                    "targetValue": serde_json::Number::from_string_unchecked(value.to_string()), "eventDateISO": iso
                });
                let id = match found { 1 => Some(unique), 2 => Some(50_000 + i as i64), _ => None };
                if let Some(id) = id {
                    let amount = value.abs().to_string();
                    let b = json!({"id": id, "billNumber": format!("B-{id}"), "type": if ret { "RETURN" } else { "REGULAR" },
                        "billingTime": stamp(day(d), m, off), "amount": serde_json::Number::from_string_unchecked(amount),
                        "outlierStatus": "NORMAL"});
                    bills.push(Bill::from_value(&b).unwrap());
                }
                TargetEvent::from_raw(&e.to_string()).unwrap()
            }).collect();
            for (i, &(cents, d, m, kind, outlier, o)) in stray.iter().enumerate() {
                let kind = ["REGULAR", "NOT_INTERESTED", "RETURN", "REGULAR"][kind as usize];
                let amount = rust_decimal::Decimal::new(i64::from(cents), 2).to_string();
                let b = json!({"id": 90_000 + i as i64, "billNumber": format!("S-{i}"), "type": kind,
                    "billingTime": stamp(day(d), m, o), "amount": serde_json::Number::from_string_unchecked(amount),
                    "outlierStatus": if outlier { "OUTLIER" } else { "NORMAL" }});
                bills.push(Bill::from_value(&b).unwrap());
            }
            let cents = |c: i64| rust_decimal::Decimal::new(c, 2).to_string();
            let targets: Vec<UserTarget> = (1..=3).map(|p| {
                let start = day(30 * (p as u32 - 1));
                let end = day(30 * p as u32 - 1);
                let mut t = target(7600 + p, &start.to_string(), &end.to_string(), &cents(target_cents), "0", false);
                t.target_achieved_value = achieved.map(|a| crate::api::model::Money(rust_decimal::Decimal::new(a, 2)));
                t.enrolled_on = Some(format!("{}T00:00:00.000+0530", day(10)));
                t.enrolled_on_iso = Some(format!("{}T00:00:00+05:30", day(10)));
                t
            }).collect();
            let now = day(120).and_hms_opt(12, 0, 0).unwrap();
            let refs: Vec<&UserTarget> = targets.iter().collect();
            let mut full = verdicts_read(&refs, 100, None, &events, now, Readings::default());
            crate::reconcile::attach(&mut full, &refs, &events, Ok(&bills), None);
            let reading = BillsReading::Read { bills: bills.clone().into(), incomplete: None };
            let mut tally = brief::RuleTally::new(&targets, 100).with_bills(reading);
            for chunk in events.chunks(page) {
                tally.add(chunk);
            }
            for (period, b) in tally.finish(now) {
                let v = full.iter().find(|v| v.period_id == period).unwrap();
                prop_assert_eq!(&b, &brief::Brief::of(v));
                prop_assert!(b.bills.is_some());
            }
        }
    }
}

#[test]
fn the_reply_names_the_month_the_amount_short_and_where_the_purchase_went_without_ids() {
    let (t, mut events) = late_bill();
    let october = target(7602, "2025-10-01", "2025-10-31", "5000.00", "700.00", true);
    events.push(event(8, "ADD_TRANSACTION", "50.00", "2025-10-06 10:00:00.0", "2025-10-06 10:00:02.0", 7602));
    let now = at("2025-11-05 00:00:00");
    let periods = verdicts(&[&t, &october], 100, None, &events, now);
    let text = reply::reply(&periods[0], &periods);
    assert_eq!(
        text,
        "In September 2025 the purchases that count came to 4820.50 of the 5000.00 needed, 179.50 short. \
         Your purchase of 600.00 on 30 September 2025 counted toward October 2025 instead because it was \
         processed on 1 October 2025; with it, September 2025 would have reached the target. A return of 180.00 on \
         25 September 2025 took the total back below the target. September 2025 has \
         closed, so its total can no longer change. If you made a purchase that is not reflected here, send us \
         its bill number and we will look into it."
    );
    // The current period, with days left by the clock.
    let now = at("2025-10-22 15:00:00");
    let periods = verdicts(&[&t, &october], 100, None, &events, now);
    let text = reply::reply(&periods[1], &periods);
    assert!(text.starts_with("So far in October 2025 the purchases that count come to 700.00 of the 5000.00 needed: 4300.00 more by 31 October 2025 reaches it."), "{text}");
    for id in ["7601", "7602", "100", "u6"] {
        assert!(!text.contains(id), "{id}: {text}");
    }
}

mod words {
    use super::*;
    use crate::api::model::Money;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn arb_event() -> impl Strategy<Value = (i64, i32, u32, u8)> {
        // (period 1..=3, value in cents, day of a 95-day span, kind: purchase, return, enrol, unenrol)
        (1i64..=3, -50_000i32..200_000, 0u32..95, 0u8..10)
    }

    fn amounts(text: &str) -> Vec<Decimal> {
        text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|w| w.contains('.') && w.len() > 2)
            .filter_map(|w| w.trim_end_matches('.').parse().ok())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Every amount a sentence names is one the sums use, and every event
        /// a sentence says counted here is in the sum.
        #[test]
        fn every_amount_a_sentence_names_is_the_one_the_sums_use(
            raw in proptest::collection::vec(arb_event(), 0..30),
            target_cents in 1i64..2_000_000,
            achieved in proptest::option::of(0i64..2_000_000),
            enrolled_day in proptest::option::of(0u32..95),
            milestone_cents in proptest::option::of(1i64..2_000_000),
            today in 0i64..100,
            stale in any::<bool>(),
        ) {
            let day = |n: u32| chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap() + chrono::Days::new(u64::from(n));
            let events: Vec<TargetEvent> = raw.iter().enumerate().map(|(i, &(period, cents, d, kind))| {
                let (name, cents) = match kind {
                    0..=5 => ("ADD_TRANSACTION", cents.abs()),
                    6..=7 => ("RETURN_BILL", -cents.abs()),
                    8 => ("ENROL", 0),
                    _ => ("UNENROL", 0),
                };
                let value = Decimal::new(i64::from(cents), 2).to_string();
                let date = format!("{} 10:00:00.0", day(d));
                event(i as i64 + 1, name, &value, &date, &date, 7600 + period)
            }).collect();
            let cents = |c: i64| Decimal::new(c, 2).to_string();
            let targets: Vec<UserTarget> = (1..=3).map(|p| {
                let start = day(30 * (p as u32 - 1));
                let end = day(30 * p as u32 - 1);
                let mut t = target(7600 + p, &start.to_string(), &end.to_string(), &cents(target_cents), "0", p == 3);
                t.target_achieved_value = achieved.map(|a| Money(Decimal::new(a, 2)));
                t.enrolled_on = enrolled_day.map(|d| format!("{}T00:00:00.000+0000", day(d)));
                t.milestones = milestone_cents.map(|m| vec![crate::api::model::Milestone {
                    id: Some(1), trigger_name: Some("Half".into()), trigger_value: Some(Money(Decimal::new(m, 2))), is_achieved: None,
                }]).unwrap_or_default();
                t
            }).collect();
            let now = day(today as u32).and_hms_opt(12, 0, 0).unwrap();
            let at = |s: i64| Some(now + chrono::Duration::seconds(s));
            let readings = Readings { targets_at: at(0), events_at: at(5), last_arrival: if stale { at(3) } else { None } };
            let refs: Vec<&UserTarget> = targets.iter().collect();
            let periods = verdicts_read(&refs, 100, None, &events, now, readings);
            prop_assert_eq!(periods.len(), 3);
            for v in &periods {
                let here: Vec<&TargetEvent> = events.iter().filter(|e| e.period_id == v.period_id).collect();
                let sum: Decimal = here.iter().map(|e| e.target_value.0).sum();
                prop_assert_eq!(v.events_sum.map(|s| s.0), Some(sum));
                prop_assert_eq!(v.events_count, here.len());
                // The headline's figures: what they have, the target, how short.
                let have = v.have().map(|h| h.0);
                prop_assert_eq!(have, if stale { Some(sum) } else { achieved.map(|a| Decimal::new(a, 2)).or(Some(sum)) });
                let t = Decimal::new(target_cents, 2);
                let named = amounts(&v.headline());
                if let Outcome::NotReached { short_by: Some(s) } = &v.outcome {
                    prop_assert_eq!(s.0, t - have.unwrap());
                    prop_assert!(named.contains(&s.0) && named.contains(&t) && named.contains(&have.unwrap()), "{}", v.headline());
                }
                // The figures: the sum of exactly the events counted here, the returns among them.
                for (label, value) in report::figures(v) {
                    if label.starts_with("Sum of the") {
                        prop_assert!(label.starts_with(&format!("Sum of the {} counted here", crate::verdict::count(here.len(), "event", "events"))), "{}", label);
                        prop_assert_eq!(value.parse::<Decimal>().ok(), Some(sum));
                    }
                    if label.starts_with("The ") {
                        prop_assert!(!stale, "no difference is claimed from figures read before an arrival");
                        let a = achieved.map(|a| Decimal::new(a, 2)).unwrap();
                        prop_assert_eq!(value.parse::<Decimal>().ok(), Some((a - sum).abs()));
                    }
                }
                // Every event a sentence says counted here is in the sum; one
                // said to have counted elsewhere is not, and names its period.
                for (e, why) in report::notable(v) {
                    let in_sum = here.iter().any(|h| h.event_log_id == e.event_log_id);
                    if why == "enrolled" || why == "unenrolled" {
                        // A change of membership inside the period: no claim about counting.
                        prop_assert!(v.membership.iter().any(|m| m.event_log_id == e.event_log_id));
                    } else if why.contains("counted in ") {
                        prop_assert!(!in_sum, "{}", why);
                        prop_assert!(why.contains(&e.period_name()), "{}", why);
                        prop_assert!(e.period_ref.is_some());
                    } else {
                        prop_assert!(in_sum, "{}: {}", e.event_log_id, why);
                    }
                    prop_assert!(!why.contains("does not count"), "{}", why);
                }
                // "Would have reached" holds exactly when adding it reaches the target.
                if let (Some(w), Outcome::NotReached { short_by: Some(s) }) = (&v.would_have_reached, &v.outcome) {
                    prop_assert!(have.unwrap() + w.value.0 >= t && w.value.0 >= s.0);
                    let said = report::findings(v).join(" ");
                    prop_assert!(amounts(&said).contains(&w.value.0), "{}", said);
                }
                if v.would_have_reached.is_none() && let Outcome::NotReached { short_by: Some(s) } = &v.outcome {
                    prop_assert!(v.counted_elsewhere.iter().all(|e| e.value.0 < s.0));
                }
                // An enrolment or unenrolment inside the period is said.
                let said = report::findings(v).join(" ");
                for m in &v.membership {
                    let same_day = v.late_enrolment.as_ref().map(|l| l.enrolled) == parse_day(Some(&m.event_date));
                    let said_once = m.event_name == "ENROL" && same_day;
                    prop_assert!(said_once || said.contains(&format!("(event {})", m.event_log_id)), "{}", said);
                }
            }
        }
    }
}

#[test]
fn with_local_strings_only_a_bill_near_the_end_is_not_claimed_for_either_period() {
    let (mut t, events) = late_bill();
    t.period_start_iso = None;
    t.period_end_iso = None;
    let events: Vec<TargetEvent> = events.into_iter().map(legacy).collect();
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    assert_eq!(v.would_have_reached, None, "nothing is promised from a string comparison");
    assert_eq!(v.unsettled.iter().map(|e| e.event_log_id).collect::<Vec<_>>(), vec![6]);
    assert!(v.counted_elsewhere.is_empty());
    let said = report::findings(&v).join(" ");
    assert!(
        said.contains(
            "if it belongs to this period it alone would have reached the target, but the API's dates have no offsets"
        ),
        "{said}"
    );
    assert!(!said.contains("alone it would have reached"), "{said}");
}

#[test]
fn a_bill_after_midnight_at_the_store_on_a_utc_cluster_counted_next_month_rightly() {
    // The issue's case: a UTC cluster, a store at +05:30. 03:00 on 1 October
    // at the store reads 21:30 on 30 September in the cluster's string.
    let mut t = target(7801, "2025-09-01", "2025-09-30", "5000.00", "4820.50", false);
    t.period_end_iso = Some("2025-09-30T23:59:59+05:30".into());
    let mut moved = event(3, "ADD_TRANSACTION", "500.00", "2025-09-30 21:30:00.0", "2025-09-30 21:31:00.0", 7802);
    moved.event_date_iso = Some("2025-10-01T03:00:00+05:30".into());
    let events = vec![
        event(1, "ADD_TRANSACTION", "3000.00", "2025-09-08 10:00:00.0", "2025-09-08 10:00:00.0", 7801),
        event(2, "ADD_TRANSACTION", "1820.50", "2025-09-19 10:00:00.0", "2025-09-19 10:00:00.0", 7801),
        moved,
    ];
    let v = period_verdict(&t, &events, at("2025-11-01 00:00:00"));
    assert_eq!(v.would_have_reached, None, "it was rightly counted in October");
    assert!(v.counted_elsewhere.is_empty() && v.unsettled.is_empty());
    assert!(report::findings(&v).iter().all(|f| !f.contains("would have reached")));
    // October sees it as its own, dated with the store's offset.
    let oct = target(7802, "2025-10-01", "2025-10-31", "5000.00", "500.00", true);
    let o = period_verdict(&oct, &events, at("2025-10-05 00:00:00"));
    assert!(o.counted_here_from_outside.is_empty(), "inside October by its instant");
}
