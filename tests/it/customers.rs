//! The customer field in its other forms: an email, a mobile, an external id
//! or a card is looked up first, then Enter goes on as with the id.

use crossterm::event::KeyCode;
use insta::assert_snapshot;
use target_events::explorer::app::Effect;
use target_events::explorer::app::Field;
use target_events::explorer::app::state::Overlay;

use crate::common::harness::Harness;

fn lookups(h: &Harness) -> usize {
    h.pending.iter().filter(|e| matches!(e, Effect::Lookup { .. })).count()
}

#[test]
fn an_email_is_looked_up_then_the_targets_open() {
    let mut h = Harness::new(120, 36);
    h.type_text("priya.nair@example.com");
    assert!(h.app.invalid(Field::UserId).is_none(), "an email is a valid customer");
    h.key(KeyCode::Enter);
    assert_eq!(lookups(&h), 1, "one lookup, nothing else sent");
    assert_eq!(h.pending.len(), 1);
    assert!(h.app.is_loading());
    assert_snapshot!("customer_resolving", h.render().backend());
    h.answer_all();
    assert!(
        matches!(h.app.overlay(), Some(Overlay::Picker(p)) if p.title().contains("564332013")),
        "the target picker of the customer found"
    );
    h.key(KeyCode::Esc);
    assert_snapshot!("customer_resolved", h.render().backend());
    // Known now: Enter again asks nobody to look it up.
    h.key(KeyCode::Enter);
    assert_eq!(lookups(&h), 0);
}

#[test]
fn a_mobile_with_a_rule_goes_straight_to_the_events_and_is_remembered() {
    let mut h = Harness::new(120, 36);
    h.query("+910564332013", "1986", "");
    assert_eq!(lookups(&h), 1);
    h.answer_all();
    assert_eq!(h.app.shown_query().map(|q| q.user_id), Some(564332013));
    // The title says the customer as the field holds it, and the id found.
    assert!(h.screen_text().contains("customer +910564332013 → 564332013"), "{}", h.screen_text());
    let recent = &h.app.recent()[0];
    assert_eq!((recent.typed.as_deref(), recent.user_id), (Some("+910564332013"), 564332013));
}

#[test]
fn an_unknown_customer_marks_the_field_with_8015() {
    let mut h = Harness::new(120, 36);
    h.type_text("email:nobody@example.com");
    h.key(KeyCode::Enter);
    h.answer_all();
    let (code, message) = h.app.field(Field::UserId).complaint().cloned().expect("the field is marked");
    assert_eq!(code, 8015);
    assert!(message.starts_with("no customer with email nobody@example.com · request id 8c1f02d7-"), "{message}");
    assert!(h.app.banner_error().is_none(), "not a banner: the field is to blame");
    assert_snapshot!("customer_not_found", h.render().backend());
}

#[test]
fn each_form_is_validated_as_it_is_typed() {
    let mut h = Harness::new(120, 36);
    for (text, reason) in [
        ("mobile:12", "a mobile is 8–15 digits"),
        ("name@", "an email needs a name"),
        ("card:", "a value without spaces"),
    ] {
        h.app.set_field(Field::UserId, text);
        h.key(KeyCode::Enter);
        assert!(h.pending.is_empty(), "{text}: nothing is sent");
        assert!(h.screen_text().contains(reason), "{text}: {}", h.screen_text());
    }
}

/// A harness whose profile completes national numbers with 91, as the demo's.
fn with_country_code() -> Harness {
    Harness::with_options(120, 36, |o| o.country_code = Some("91".into()))
}

#[test]
fn a_number_as_it_is_spoken_is_a_mobile() {
    for spoken in ["98000 00007", "+91 98000-00007", "098000 00007", "(+91) 98000.00007", "0091 9800000007"] {
        let mut h = with_country_code();
        h.type_text(spoken);
        assert!(h.app.invalid(Field::UserId).is_none(), "{spoken}");
        h.key(KeyCode::Enter);
        assert!(
            matches!(&h.pending[..], [Effect::Lookup { customer: target_events::api::CustomerRef::Mobile(m), .. }] if m == "919800000007"),
            "{spoken}: {:?}",
            h.pending
        );
        h.answer_all();
        assert!(
            matches!(h.app.overlay(), Some(Overlay::Picker(p)) if p.title().contains("777000777")),
            "{spoken}: the targets of the customer found"
        );
    }
    // Without a country code a national number says what it needs.
    let mut h = Harness::new(120, 36);
    h.type_text("98000 00007");
    assert!(h.app.invalid(Field::UserId).is_some_and(|i| i.reason().contains("default_country_code")));
}

#[test]
fn digits_no_customer_has_as_id_are_found_as_the_mobile_within_the_same_enter() {
    let mut h = with_country_code();
    h.query("919800000007", "7610", "");
    assert!(matches!(h.pending[0], Effect::Fetch { .. }), "tried as an id first: {:?}", h.pending);
    h.answer_all();
    assert_eq!(h.app.shown_query().map(|q| q.user_id), Some(777000777));
    let text = h.screen_text();
    assert!(text.contains("No customer 919800000007; found by mobile +91 98000 00007 → 777000777"), "{text}");
    assert!(text.contains("→ 777000777 by mobile +91 98000 00007"), "{text}");
    assert!(h.app.field(Field::UserId).complaint().is_none(), "the field is not blamed");

    // Customer alone: the same through the targets.
    let mut h = with_country_code();
    h.type_text("9800000007");
    h.key(KeyCode::Enter);
    h.answer_all();
    assert!(matches!(h.app.overlay(), Some(Overlay::Picker(p)) if p.title().contains("777000777")));
}

#[test]
fn a_number_that_is_both_an_id_and_a_mobile_is_the_id_and_neither_says_so() {
    // 564332013's digits are also a (short) number: an id is never looked up.
    let mut h = with_country_code();
    h.query("564332013", "1986", "");
    assert!(matches!(h.pending[0], Effect::Fetch { .. }));
    h.answer_all();
    assert_eq!(h.app.shown_query().map(|q| q.user_id), Some(564332013));
    assert!(lookups(&h) == 0 && h.app.lookups_found() == 0);

    // 15 digits nobody has, as id or as mobile: both are named, the field is marked.
    let mut h = with_country_code();
    h.query("999999999999999", "1986", "");
    h.answer_all();
    let (code, message) = h.app.field(Field::UserId).complaint().cloned().expect("marked");
    assert_eq!(code, 8015);
    assert!(message.contains("id 999999999999999 nor mobile +999999999999999"), "{message}");

    // 8 digits are too short for a mobile: the API's 310011 stands.
    let mut h = with_country_code();
    h.query("12345678", "1986", "");
    h.answer_all();
    assert_eq!(h.app.field(Field::UserId).complaint().map(|e| e.0), Some(310011));
}

#[test]
fn a_new_caller_starts_clean() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "9889");
    h.answer_all();
    h.key(KeyCode::Char('s'));
    h.answer_all();
    assert!(h.app.summary().is_some());
    // u selects the customer: typing replaces it, the rule and period go.
    h.key(KeyCode::Char('u'));
    assert!(h.app.customer_selected());
    h.type_text("712004518");
    assert_eq!(h.app.field(Field::UserId).text(), "712004518");
    assert_eq!(h.app.field(Field::RuleId).text(), "", "the last caller's rule does not carry over");
    assert_eq!(h.app.field(Field::PeriodId).text(), "");
    assert!(h.app.nothing_open(), "nor their panels");
    // Enter opens the new customer's targets, not the old rule's events.
    h.key(KeyCode::Enter);
    assert!(matches!(h.pending[..], [Effect::LoadTargets { user_id: 712004518, .. }]), "{:?}", h.pending);
    h.answer_all();
    assert!(matches!(h.app.overlay(), Some(Overlay::Picker(p)) if p.title().contains("712004518")));

    // Other keys keep the selected text: ← moves, then typing inserts.
    let mut h = Harness::new(120, 36);
    h.query("564332013", "1986", "");
    h.answer_all();
    h.key(KeyCode::Char('u'));
    h.key(KeyCode::End);
    h.type_text("9");
    assert_eq!(h.app.field(Field::UserId).text(), "5643320139");
    // Backspace over selected text empties the field.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('u'));
    h.key(KeyCode::Backspace);
    assert_eq!(h.app.field(Field::UserId).text(), "");
}

#[test]
fn no_events_for_a_rule_the_customer_has_no_target_in_offers_their_targets() {
    let mut h = Harness::new(120, 36);
    h.query("564332013", "7610", "");
    h.answer_all();
    assert!(
        matches!(h.app.overlay(), Some(Overlay::Picker(p)) if p.title().contains("564332013")),
        "their targets are offered: {:?}",
        h.app.open_panels()
    );
    assert!(
        h.app.notice_text().is_some_and(|n| n.contains("has no target with rule 7610")),
        "{:?}",
        h.app.notice_text()
    );
    // A customer enrolled in the rule with no events yet is simply empty.
    let mut h = Harness::new(120, 36);
    h.query("610000042", "1986", "");
    h.answer_all();
    assert!(h.app.overlay().is_none());
}

#[test]
fn an_event_dated_outside_the_period_it_counted_in_is_flagged_in_the_table_and_explained() {
    let mut h = Harness::new(120, 36);
    // The caller's path: customer alone, their targets, the October period.
    h.type_text("777000777");
    h.key(KeyCode::Enter);
    h.answer_all();
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.answer_all();
    assert_eq!(h.app.shown_query().and_then(|q| q.period_id), Some(7602));
    let text = h.screen_text();
    // 940000005: dated 30 Sep 23:50, processed 30 minutes later, counted in October.
    let row = text.lines().find(|l| l.contains("2025-09-30 23:50")).expect("the late bill's row");
    assert!(row.contains("7602 ⇄"), "flagged whatever its processing delay: {row}");
    assert!(!text.lines().filter(|l| l.contains("2025-10-04")).any(|l| l.contains('⇄')), "others are not");
    let at = h.app.row_of(940000005).unwrap();
    h.select_row(at);
    h.key(KeyCode::Enter);
    let text = h.screen_text();
    // Wrapped at words in the pane: the sentence read whole.
    let pane: String =
        text.lines().filter_map(|l| l.split('┃').nth(1)).map(|l| l.trim().to_string()).collect::<Vec<_>>().join(" ");
    assert!(
        pane.contains(
            "⇄ dated 30 Sep 2025 23:50 +05:30, outside this period (2025-10-01 → 2025-10-31): it counted here, not in the period of its date"
        ),
        "{pane}"
    );
}

#[test]
fn recent_queries_belong_to_their_tenant() {
    use target_events::explorer::features::pickers::recent::RecentQuery;
    let entry = |user: i64, tenant: &str| RecentQuery {
        user_id: user,
        rule_id: 1986,
        period_id: None,
        at: "2026-11-30 09:00".into(),
        typed: None,
        tenant: Some(tenant.into()),
    };
    let mut h = Harness::with_options(120, 36, |o| {
        o.connection.tenant = "https://eu.api.capillarytech.com".into();
        o.recent = vec![entry(564332013, "demo"), entry(498221730, "https://eu.api.capillarytech.com")];
    });
    // ↑ in the customer field opens the recent list, as h does from the table.
    h.key(KeyCode::Up);
    let shown = |h: &Harness| match h.app.overlay() {
        Some(Overlay::Picker(p)) => p.visible().len(),
        _ => 0,
    };
    assert_eq!(shown(&h), 1, "this tenant's only");
    let text = h.screen_text();
    assert!(text.contains("498221730") && !text.contains("564332013"), "{text}");
    assert!(text.contains("Tab: also the 1 made on other tenants"), "{text}");
    // Tab: every tenant's, labelled.
    h.key(KeyCode::Tab);
    assert_eq!(shown(&h), 2);
    let text = h.screen_text();
    assert!(text.contains("Tenant") && text.contains("demo"), "{text}");
    // The other tenant's query (first, the most recent) is not sent here.
    h.pending.clear();
    let picked = match h.app.overlay() {
        Some(Overlay::Picker(p)) => p.selected_item().cloned(),
        _ => None,
    };
    assert!(
        matches!(picked, Some(target_events::explorer::features::pickers::picker::PickerItem::Recent(r)) if r.user_id == 564332013)
    );
    h.key(KeyCode::Enter);
    assert!(h.pending.is_empty(), "nothing sent: {:?}", h.pending);
    assert!(h.app.notice_text().is_some_and(|n| n.contains("made on demo")), "{:?}", h.app.notice_text());
}
