//! The help overlay and the keymap cannot drift apart: every key help names
//! does something where help says it does, and every key that does something
//! in the table or detail pane is named in help.

use crate::common::harness::Harness;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use target_events::app::keymap::{HELP, action_for};
use target_events::app::{Action, Focus};

/// The keys a help entry names; words that are not keys ("mouse", "in
/// customer") are skipped.
fn parse(keys: &str) -> Vec<KeyEvent> {
    let plain = |c| KeyEvent::new(c, KeyModifiers::NONE);
    let tokens: Vec<&str> = keys.split_whitespace().collect();
    // " / " separates keys ("Tab / Shift-Tab"); "/" alone is the filter key.
    let separator = |t: &&str| tokens.len() > 1 && *t == "/";
    tokens
        .iter()
        .copied()
        .filter(|t| !separator(t))
        .filter_map(|t| match t {
            "Tab" => Some(plain(KeyCode::Tab)),
            "Shift-Tab" => Some(plain(KeyCode::BackTab)),
            "Enter" => Some(plain(KeyCode::Enter)),
            "Esc" => Some(plain(KeyCode::Esc)),
            "PgDn" => Some(plain(KeyCode::PageDown)),
            "PgUp" => Some(plain(KeyCode::PageUp)),
            "Home" => Some(plain(KeyCode::Home)),
            "End" => Some(plain(KeyCode::End)),
            "↑" => Some(plain(KeyCode::Up)),
            "↓" => Some(plain(KeyCode::Down)),
            "←" => Some(plain(KeyCode::Left)),
            "→" => Some(plain(KeyCode::Right)),
            "Ctrl-C" => Some(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            t if t.chars().count() == 1 => Some(plain(KeyCode::Char(t.chars().next().unwrap()))),
            _ => None,
        })
        .collect()
}

/// A harness with events loaded and the given pane focused.
fn focused(focus: Focus) -> Harness {
    let mut h = Harness::new(120, 36);
    h.query("712004518", "2410", "");
    h.answer_all();
    h.app.form.focus = focus;
    h
}

fn focus_for(section: &str) -> Focus {
    match section {
        "Query" => Focus::Input(target_events::api::Field::UserId),
        "Detail" => Focus::Detail,
        _ => Focus::Table,
    }
}

#[test]
fn every_key_in_help_does_something_where_help_says() {
    for (section, entries) in HELP {
        let h = focused(focus_for(section));
        for (keys, what) in *entries {
            let parsed = parse(keys);
            if *keys != "mouse" {
                assert!(!parsed.is_empty(), "{section}: {keys:?} names no key");
            }
            for key in parsed {
                // "Esc cancels a request in flight" needs one in flight.
                let mut h2;
                let app = if *section == "Anywhere" && key.code == KeyCode::Esc {
                    h2 = focused(Focus::Table);
                    h2.key(KeyCode::Char('r'));
                    &h2.app
                } else {
                    &h.app
                };
                assert_ne!(action_for(app, key), Action::None, "{section}: {keys:?} ({what}) is bound to nothing");
            }
        }
    }
}

#[test]
fn every_bound_key_is_in_help() {
    let named: Vec<KeyEvent> = HELP.iter().flat_map(|(_, e)| e.iter()).flat_map(|(k, _)| parse(k)).collect();
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
    ] {
        keys.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    keys.push(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    for focus in [Focus::Table, Focus::Detail] {
        let h = focused(focus);
        for key in &keys {
            if action_for(&h.app, *key) != Action::None {
                assert!(named.contains(key), "{key:?} does something in {focus:?} but help does not name it");
            }
        }
    }
}
