//! Help and key dispatch are read from one table: every binding help shows
//! is the one a key meets where help says it works (not shadowed by another),
//! and every key that does something where there is no text to type into is
//! a binding of the table (so help names it).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use target_events::explorer::app::Field;
use target_events::explorer::app::keys::{
    BINDINGS, Binding, Context, Keymap, When, action_for, binding_for, help_sections,
};
use target_events::explorer::app::screen::Owner;
use target_events::explorer::app::state::Overlay;
use target_events::explorer::app::{Action, Focus};

use crate::common::harness::Harness;

/// A harness with the events of a customer loaded and the table focused.
fn loaded() -> Harness {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    assert_eq!(h.app.owner(), Owner::Table);
    h
}

/// A state where `context` is read for a key and `when` holds, and no
/// other guard of the same key does.
fn state_for(context: Context, when: When) -> Harness {
    let mut h = loaded();
    match context {
        Context::Anywhere | Context::Global | Context::Table => {}
        Context::Busy => h.key(KeyCode::Char('r')),
        Context::Query => {
            h.key(KeyCode::Char('u'));
            if when == When::CustomerAlone {
                h.key(KeyCode::Tab);
                h.key_mod(KeyCode::Char('u'), KeyModifiers::CONTROL);
                h.key(KeyCode::BackTab);
            } else if when == When::Always {
                // Enter then fetches: the rule is filled and the cursor is in it.
                h.key(KeyCode::Tab);
            }
        }
        Context::Detail => h.key(KeyCode::Enter),
        Context::Summary => h.key(KeyCode::Char('s')),
        Context::Verdict => return crate::panels::with_verdict(120, 36),
        Context::Bills => {
            let mut h = crate::panels::with_verdict(120, 36);
            h.key(KeyCode::Char('B'));
            assert_eq!(h.app.owner(), Owner::Bills);
            return h;
        }
        Context::Batch => {
            let mut h = crate::panels::with_verdict(120, 36);
            h.key(KeyCode::Esc);
            h.key(KeyCode::Char('b'));
            assert_eq!(h.app.owner(), Owner::Batch);
            if when == When::Filtering {
                h.key(KeyCode::Char('/'));
                h.type_text("7");
                h.key(KeyCode::Enter);
            }
            return h;
        }
        Context::Filter => h.key(KeyCode::Char('/')),
        Context::Picker if when == When::RecentPicker => h.key(KeyCode::Char('h')),
        Context::Picker => {
            h.key(KeyCode::Char('t'));
            h.answer_all();
        }
        Context::Prompt => h.key(KeyCode::Char(':')),
        Context::Confirm => {
            // An export to a file that exists asks before replacing it.
            h.key(KeyCode::Char('x'));
            h.key(KeyCode::Enter);
            let Some(target_events::explorer::app::Effect::Export { path, .. }) = h.pending.pop() else {
                panic!("an export")
            };
            let exists = Err(target_events::explorer::app::action::ExportError::Exists);
            h.send(target_events::explorer::app::Msg::Exported { path, result: exists });
            assert!(matches!(h.app.overlay(), Some(Overlay::Confirm { .. })));
        }
        Context::Copied => h.key(KeyCode::Char('y')),
        Context::Help => h.key(KeyCode::Char('?')),
    }
    match when {
        When::Watching => h.key(KeyCode::Char('w')),
        When::Filtering => {
            h.key(KeyCode::Char('/'));
            h.type_text("ADD");
            h.key(KeyCode::Enter);
        }
        _ => {}
    }
    h
}

#[test]
fn every_binding_help_shows_is_the_one_its_keys_meet() {
    for binding in BINDINGS {
        let h = state_for(binding.context, binding.when);
        assert!(binding.when.holds(&h.app), "{binding:?}: the state for it does not hold");
        for key in binding.keys {
            let met: Option<&Binding> = binding_for(&h.app, key.event());
            assert!(
                met.is_some_and(|m| (m.context, m.action, m.when, m.help, m.keys)
                    == (binding.context, binding.action, binding.when, binding.help, binding.keys)),
                "{:?} in {:?} (owner {:?}) meets {met:?}, not {binding:?}",
                key.label(),
                binding.context,
                h.app.owner()
            );
            assert_eq!(action_for(&h.app, key.event()), binding.action);
        }
    }
}

#[test]
fn every_binding_is_in_help_with_its_keys() {
    let sections = help_sections(&Keymap::default());
    for binding in BINDINGS {
        let title = binding.context.title();
        let (_, lines) = sections
            .iter()
            .find(|(t, _)| t == title || t.starts_with(&format!("{title} (")))
            .expect("a section per context");
        let keys = binding.keys.iter().map(|k| k.label()).collect::<Vec<_>>().join(" ");
        assert!(lines.iter().any(|(k, what)| *k == keys && *what == binding.help), "{binding:?} is not in help");
    }
    let query: Vec<String> =
        sections.iter().find(|(t, _)| *t == "Query fields").unwrap().1.iter().map(|(k, _)| k.clone()).collect();
    for named in ["Ctrl-U", "Ctrl-W", "Home", "End", "customer"] {
        assert!(query.iter().any(|k| k.split(' ').any(|w| w == named)), "help names {named} for the query fields");
    }
}

/// Keys to try: the printable ones, the named ones and a few Ctrl chords.
fn every_key() -> Vec<KeyEvent> {
    let mut keys: Vec<KeyEvent> = (' '..='~').map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)).collect();
    for code in [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Delete,
        KeyCode::Backspace,
        KeyCode::F(1),
    ] {
        keys.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    for c in ['c', 'u', 'w', 'k', 'a', 'e', 'x'] {
        keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }
    keys
}

#[test]
fn every_key_that_acts_outside_text_fields_is_a_binding() {
    let states = [
        state_for(Context::Table, When::Always),
        state_for(Context::Detail, When::Always),
        state_for(Context::Summary, When::Always),
        state_for(Context::Verdict, When::Always),
        state_for(Context::Batch, When::Always),
        state_for(Context::Help, When::Always),
        state_for(Context::Confirm, When::Always),
        state_for(Context::Copied, When::Always),
    ];
    for h in &states {
        for key in every_key() {
            if action_for(&h.app, key) != Action::None {
                assert!(binding_for(&h.app, key).is_some(), "{key:?} acts for {:?} but is no binding", h.app.owner());
            }
        }
    }
}

#[test]
fn in_the_query_fields_unbound_keys_type() {
    let mut h = loaded();
    h.key(KeyCode::Char('u'));
    assert_eq!(h.app.focus(), Focus::Input(Field::UserId));
    for c in ['j', 'q', 'e', '@', '+'] {
        assert_eq!(action_for(&h.app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)), Action::Edit);
    }
}

/// "j/k" → j, k; "/" is the key itself.
fn split_keys(keys: &str) -> Vec<&str> {
    if keys == "/" { vec!["/"] } else { keys.split('/').collect() }
}

/// The key labels bound where `owner` has the screen.
fn labels_bound(owner: Owner) -> Vec<String> {
    let (contexts, _) = target_events::explorer::app::keys::chain(owner);
    BINDINGS.iter().filter(|b| contexts.contains(&b.context)).flat_map(|b| b.keys.iter().map(|k| k.label())).collect()
}

/// Every panel's footer names only keys bound where that panel has the
/// keys, and each does what the footer says: the footers are read from the
/// binding table, and what is drawn is checked against it.
#[test]
fn every_footer_names_only_keys_that_do_what_it_says() {
    use target_events::explorer::app::keys::{footer, footers, keys_for};
    let specs: [(Owner, &[target_events::explorer::app::keys::FooterItem]); 5] = [
        (Owner::Bills, footers::BILLS),
        (Owner::Summary, footers::SUMMARY),
        (Owner::Batch, footers::BATCH),
        (Owner::Verdict, footers::VERDICT_PERIODS),
        (Owner::Verdict, footers::VERDICT_EVENTS),
    ];
    for (owner, items) in specs {
        for (actions, words) in items {
            for action in *actions {
                assert!(
                    keys_for(&Keymap::default(), owner, *action).is_some(),
                    "{owner:?}: {words} names {action:?}, which has no key"
                );
            }
        }
        let text = footer(&Keymap::default(), owner, items);
        for item in text.trim().split(" · ") {
            let keys = item.split(' ').next().unwrap();
            for key in split_keys(keys) {
                assert!(labels_bound(owner).iter().any(|l| l == key), "{owner:?}'s footer names {key}: {text}");
            }
        }
    }
    // What is drawn: each panel's bottom line, its keys bound where it has the screen.
    let mut h = Harness::new(200, 40);
    h.query("777000777", "7610", "7601");
    h.answer_all();
    let drawn = |h: &Harness| -> String {
        let screen = h.screen();
        let bottom = screen.iter().rev().find(|l| l.starts_with('┗')).cloned().unwrap_or_default();
        bottom.trim_matches(|c| c == '┗' || c == '┛' || c == '━').to_string()
    };
    let check = |h: &Harness| {
        let owner = h.app.owner();
        let text = match owner {
            // An overlay's bottom border is rounded; a "lines a–b of n" part is no key.
            Owner::Help | Owner::Copied => {
                let screen = h.screen();
                let bottom = screen.iter().rev().find(|l| l.contains('╰')).cloned().unwrap_or_default();
                let inner = bottom.split('╰').nth(1).unwrap_or_default().split('╯').next().unwrap_or_default();
                let inner = inner.trim_matches(|c| c == '─' || c == ' ').to_string();
                inner.split(" · ").filter(|i| !i.starts_with("lines ")).collect::<Vec<_>>().join(" · ")
            }
            _ => drawn(h),
        };
        assert!(!text.trim().is_empty(), "{owner:?} has a footer");
        for item in text.trim().split(" · ") {
            for key in split_keys(item.split(' ').next().unwrap()) {
                assert!(labels_bound(owner).iter().any(|l| l == key), "{owner:?} draws {key}: {text}");
            }
        }
    };
    h.key(KeyCode::Char('e'));
    h.answer_all();
    check(&h);
    h.key(KeyCode::Tab);
    check(&h);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Char('B'));
    h.answer_all();
    assert_eq!(h.app.owner(), Owner::Bills);
    check(&h);
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('s'));
    h.answer_all();
    assert_eq!(h.app.owner(), Owner::Summary);
    check(&h);
    // The help and copied text over it.
    h.key(KeyCode::Char('?'));
    assert_eq!(h.app.owner(), Owner::Help);
    check(&h);
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('y'));
    assert_eq!(h.app.owner(), Owner::Copied);
    check(&h);
}

/// The keys messages name are found in the binding table where the message
/// is shown: a hint never names "?" for want of a binding.
#[test]
fn the_keys_messages_name_are_bound_where_they_are_shown() {
    use target_events::explorer::app::keys::key_of;
    for (owner, action, key) in [
        (Owner::Verdict, Action::Refresh, "r"),
        (Owner::Table, Action::Cancel, "Esc"),
        (Owner::Bills, Action::Close, "Esc"),
        (Owner::Verdict, Action::ToggleBills, "B"),
    ] {
        assert_eq!(key_of(&Keymap::default(), owner, action), key, "{owner:?} {action:?}");
    }
}

/// The keys a text on screen names: key names (Enter, Esc, Tab, Ctrl-…) and
/// whatever follows "press". "Enter" before "a"/"an"/"the" is the verb.
fn keys_named(screen: &str) -> Vec<String> {
    let words: Vec<&str> = screen.split(|c: char| c.is_whitespace() || "│┃║(),.;:·╯╰─━┗┛".contains(c)).collect();
    let mut named = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let next = words[i + 1..].iter().find(|w| !w.is_empty()).copied().unwrap_or("");
        if word.eq_ignore_ascii_case("press") && !next.is_empty() {
            named.push(next.to_string());
            continue;
        }
        for part in word.split('/') {
            let verb = part == "Enter" && matches!(next, "a" | "an" | "the");
            if ["Enter", "Esc", "Tab", "Shift-Tab", "PgUp", "PgDn", "Backspace"].contains(&part) && !verb
                || part.starts_with("Ctrl-") && part.len() > 5
            {
                named.push(part.to_string());
            }
        }
    }
    named.dedup();
    named
}

/// No text on screen names a key that does nothing there: for every
/// binding's state, an error banner in the fields and over the table, a
/// fetch-all under way and the empty start, each key a line names (a hint,
/// a footer, a message, a remedy) is bound where the screen's owner reads
/// keys. Help lists every context, so its keys need only be bound somewhere.
#[test]
fn no_text_on_screen_names_a_key_no_binding_has() {
    use target_events::api::ErrorKind;
    let check = |h: &Harness, what: &str| {
        let owner = h.app.owner();
        let bound: Vec<String> = if owner == Owner::Help {
            BINDINGS.iter().flat_map(|b| b.keys.iter().map(|k| k.label())).collect()
        } else {
            labels_bound(owner)
        };
        let text = h.screen_text();
        for key in keys_named(&text) {
            assert!(bound.contains(&key), "{what} ({owner:?}) names {key}, which is not bound there:\n{text}");
        }
    };
    for b in BINDINGS {
        let h = state_for(b.context, b.when);
        check(&h, &format!("{:?}/{:?}", b.context, b.when));
    }
    // The empty start.
    check(&Harness::new(120, 36), "the start");
    // A server failure in the fields (Enter asks again) and over the table (r does).
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_with(Err(crate::common::harness::api_error(ErrorKind::Server { snippet: String::new() }, Some(503))));
    assert!(h.screen_text().contains("retry"), "{}", h.screen_text());
    check(&h, "a failure with the cursor in a field");
    h.key(KeyCode::Esc);
    check(&h, "a failure over the table");
    // A field the API blames.
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "5");
    h.answer_all();
    check(&h, "a blamed field");
    // Every page being fetched.
    let mut h = loaded();
    h.key(KeyCode::Char('a'));
    check(&h, "fetch-all under way");
}

#[test]
fn a_hint_names_the_keys_not_the_verb() {
    assert_eq!(keys_named("Enter a customer id, then press Enter."), vec!["Enter"]);
    assert_eq!(keys_named(" Enter/Tab keeps · Esc clears · Press r to retry"), vec!["Enter", "Tab", "Esc", "r"]);
}

/// The config's `[keys]` in force everywhere keys are named: dispatch, help's
/// titles and lines, and the panel's footer.
#[test]
fn a_remapped_key_is_the_one_dispatch_help_and_footers_name() {
    use target_events::config::Entry;
    let entry = |name: &str, key: &str, line| Entry { name: name.into(), values: vec![key.into()], line };
    let keymap = Keymap::from_config(&[entry("raw", "R", 1), entry("verdict", "v", 2)]).unwrap();
    let keymap = std::sync::Arc::new(keymap);
    let mut h = Harness::with_options(120, 36, |o| o.keymap = keymap.clone());
    h.query("777000777", "7610", "");
    h.answer_all();
    h.key(KeyCode::Char('e'));
    assert!(!h.screen_text().contains("Verdict ·"), "e no longer opens the verdict");
    h.key(KeyCode::Char('v'));
    h.answer_all();
    let screen = h.screen_text();
    assert!(screen.contains("Verdict ·"), "{screen}");
    assert!(screen.contains("Esc/v closes"), "the footer names the key in force: {screen}");
    let sections = help_sections(&keymap);
    assert!(
        sections.iter().any(|(t, _)| t == "Verdict (v)"),
        "{:?}",
        sections.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    let table = &sections.iter().find(|(t, _)| t == "Events table").unwrap().1;
    assert!(table.iter().any(|(k, what)| k == "R" && what.contains("raw JSON")), "{table:?}");
    h.key(KeyCode::Char('v'));
    assert!(!h.screen_text().contains("Verdict ·"), "v closes it too");
}
