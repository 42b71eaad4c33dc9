//! The binding table in force: [`BINDINGS`] with the config file's `[keys]`
//! applied. An entry maps an action, by the name help shows beside it, to a
//! key or a list of keys (`verdict = "v"`, `down = ["J", "Down"]`); the keys
//! replace the action's own wherever it is bound without a condition. An
//! unknown action, a key that is no key, or a key that would mean two things
//! on one screen (or be typed into a field) is refused with its line.

use crossterm::event::KeyCode;

use super::action::Action;
use super::keys::{BINDINGS, Binding, Context, Key, When, chain};
use super::screen::Owner;
use crate::config::Entry;

/// The bindings in force; help, footers, hints and dispatch all read it.
#[derive(Clone, Debug)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap { bindings: BINDINGS.to_vec() }
    }
}

/// The actions `[keys]` can map, by name. Actions that read the key itself
/// (typing, moving through a picker, a screen up or down) are not here.
pub const ACTION_NAMES: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("cancel", Action::Cancel),
    ("submit", Action::Submit),
    ("next_focus", Action::FocusNext),
    ("previous_focus", Action::FocusPrev),
    ("leave_fields", Action::LeaveInput),
    ("help", Action::ToggleHelp),
    ("next_page", Action::NextPage),
    ("previous_page", Action::PrevPage),
    ("first_page", Action::FirstPage),
    ("last_page", Action::LastPage),
    ("go_to_page", Action::AskPage),
    ("page_size", Action::AskLimit),
    ("down", Action::Down),
    ("up", Action::Up),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("left", Action::Left),
    ("right", Action::Right),
    ("detail", Action::OpenDetail),
    ("raw", Action::ToggleRaw),
    ("filter", Action::StartFilter),
    ("keep_filter", Action::EndFilter),
    ("clear_filter", Action::ClearFilter),
    ("sort", Action::CycleSort),
    ("reverse_sort", Action::ReverseSort),
    ("export", Action::AskExport),
    ("copy", Action::Copy),
    ("copy_curl", Action::CopyCurl),
    ("copy_reply", Action::CopyReply),
    ("copy_bill_number", Action::CopyBillNumber),
    ("edit_query", Action::EditQuery),
    ("close", Action::Close),
    ("targets", Action::PickTarget),
    ("periods", Action::PickPeriod),
    ("recent", Action::PickRecent),
    ("profiles", Action::PickProfile),
    ("fetch_all", Action::FetchAll),
    ("summary", Action::ToggleSummary),
    ("verdict", Action::ToggleVerdict),
    ("bills", Action::ToggleBills),
    ("watch", Action::ToggleWatch),
    ("batch", Action::ToggleBatch),
    ("refresh", Action::Refresh),
    ("period_verdict", Action::OpenVerdict),
    ("verdict_switch", Action::VerdictSwitch),
    ("verdict_event", Action::OpenVerdictEvent),
    ("story_down", Action::DetailDown),
    ("story_up", Action::DetailUp),
    ("batch_row", Action::OpenBatchRow),
    ("batch_row_verdict", Action::BatchRowVerdict),
    ("causes", Action::ToggleCauses),
    ("forget_recent", Action::ForgetRecent),
    ("forget_all_recent", Action::ForgetAllRecent),
    ("other_tenants", Action::OtherTenants),
    ("confirm", Action::Confirm),
    ("close_overlay", Action::CloseOverlay),
];

/// The name `[keys]` gives `action`, if it can be mapped.
pub fn action_name(action: Action) -> Option<&'static str> {
    ACTION_NAMES.iter().find(|(_, a)| *a == action).map(|(n, _)| *n)
}

/// The actions that open a panel, and the panel (where they close it too).
const PANELS: [(Action, Context); 5] = [
    (Action::ToggleSummary, Context::Summary),
    (Action::ToggleVerdict, Context::Verdict),
    (Action::ToggleBills, Context::Bills),
    (Action::ToggleBatch, Context::Batch),
    (Action::ToggleHelp, Context::Help),
];

/// A key a text field would take as typing: a character without Ctrl.
fn is_plain(key: Key) -> bool {
    matches!(key.code, KeyCode::Char(_)) && !key.ctrl
}

/// Whether `opener` opens the panel `closer` closes: one key doing both is by design.
fn opens_and_closes(opener: &Binding, closer: &Binding) -> bool {
    matches!(closer.action, Action::Close | Action::CloseOverlay)
        && PANELS.iter().any(|&(a, panel)| a == opener.action && panel == closer.context)
}

/// The contexts whose owner types a plain character into a field.
const TYPING: [Context; 4] = [Context::Query, Context::Filter, Context::Picker, Context::Prompt];

impl Keymap {
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The built-in table with `entries` (the config's `[keys]`) applied.
    pub fn from_config(entries: &[Entry]) -> Result<Keymap, String> {
        let mut map = Keymap::default();
        let mut remapped: Vec<(usize, usize)> = Vec::new(); // (binding index, line)
        for entry in entries {
            let name = crate::sanitize::line(&entry.name);
            let at = |why: String| format!("line {}: [keys] {name}: {why}", entry.line);
            let Some(&(_, action)) = ACTION_NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(entry.name.trim()))
            else {
                let known: Vec<&str> = ACTION_NAMES.iter().map(|(n, _)| *n).collect();
                return Err(at(format!("no such action; the actions are {}", known.join(", "))));
            };
            let mut keys = Vec::new();
            for text in &entry.values {
                let key = parse_key(text).ok_or_else(|| {
                    at(format!(
                        "\"{}\" is not a key (a character, Ctrl-x, Enter, Esc, Tab, Shift-Tab, Space, Up, Down, \
                         Left, Right, PgUp, PgDn, Home, End, Backspace, Delete, F1–F12)",
                        crate::sanitize::line(text)
                    ))
                })?;
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            if keys.is_empty() {
                return Err(at("no key given".into()));
            }
            // Leaked once at start: the table's bindings name static key lists.
            let keys: &'static [Key] = Box::leak(keys.into_boxed_slice());
            // Where the action is bound without a condition; an action bound
            // only under one (cancel, while busy) there.
            let plain = map.bindings.iter().any(|b| b.action == action && b.when == When::Always);
            // Where a field types what a character key sends, only the named
            // and Ctrl keys are taken; with none, the action keeps its own there.
            let typed: Vec<Key> = keys.iter().copied().filter(|k| !is_plain(*k)).collect();
            let typed: &'static [Key] = Box::leak(typed.into_boxed_slice());
            for (i, b) in map.bindings.iter_mut().enumerate() {
                if b.action == action && (b.when == When::Always || !plain) {
                    match (TYPING.contains(&b.context), typed.is_empty()) {
                        (false, _) => b.keys = keys,
                        (true, false) => b.keys = typed,
                        (true, true) => continue,
                    }
                    remapped.push((i, entry.line));
                }
            }
            // The key that opens a panel also closes it: there, the new keys
            // take the old ones' place among its closing keys.
            if let Some(&(_, panel)) = PANELS.iter().find(|(a, _)| *a == action) {
                let old: Vec<Key> =
                    BINDINGS.iter().filter(|b| b.action == action).flat_map(|b| b.keys.iter().copied()).collect();
                for (i, b) in map.bindings.iter_mut().enumerate() {
                    if b.context == panel && matches!(b.action, Action::Close | Action::CloseOverlay) {
                        // The new keys where the old one stood, the rest kept in order.
                        let mut closing: Vec<Key> = Vec::new();
                        let mut replaced = false;
                        for k in BINDINGS[i].keys {
                            if !old.contains(k) {
                                closing.push(*k);
                            } else if !replaced {
                                replaced = true;
                                closing.extend(keys.iter().copied().filter(|n| !BINDINGS[i].keys.contains(n)));
                            }
                        }
                        if replaced {
                            b.keys = Box::leak(closing.into_boxed_slice());
                            remapped.push((i, entry.line));
                        }
                    }
                }
            }
        }
        map.check(&remapped)?;
        Ok(map)
    }

    /// Refuses a remapped key that means something else where it is bound,
    /// or that a field would take as typing.
    fn check(&self, remapped: &[(usize, usize)]) -> Result<(), String> {
        for &(i, line) in remapped {
            let b = &self.bindings[i];
            let name = action_name(b.action).unwrap_or("?");
            // Keys the built-in table gives this binding share screens as designed.
            let new = b.keys.iter().filter(|k| !BINDINGS[i].keys.contains(k));
            for key in new {
                for owner in Owner::ALL {
                    let (contexts, _) = chain(owner);
                    if !contexts.contains(&b.context) {
                        continue;
                    }
                    let other = self.bindings.iter().enumerate().find(|(_, o)| {
                        contexts.contains(&o.context)
                            && o.action != b.action
                            && o.keys.contains(key)
                            && (o.when == When::Always || o.context == b.context)
                            && !opens_and_closes(b, o)
                            && !opens_and_closes(o, b)
                    });
                    if let Some((j, o)) = other {
                        // Two entries of the file on one key: the later one is the clash.
                        let theirs = remapped.iter().filter(|(k, _)| *k == j).map(|(_, l)| *l).max();
                        let (line, name, key_of, other_name, what, context) = match theirs {
                            Some(l) if l > line => (
                                l,
                                action_name(o.action).unwrap_or("?"),
                                key.label(),
                                Some(name),
                                b.help,
                                b.context.title(),
                            ),
                            _ => (line, name, key.label(), action_name(o.action), o.help, o.context.title()),
                        };
                        let theirs = other_name.map_or_else(String::new, |n| format!(" ({n})"));
                        return Err(format!(
                            "line {line}: [keys] {name} = \"{key_of}\": {key_of} already means \"{what}\"{theirs} \
                             in {context}; map that to another key too, or choose another"
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// A key as people write it: `v`, `V`, `?`, `Ctrl-x` (`C-x`, `ctrl+x`),
/// `Enter`, `Esc`, `Tab`, `Shift-Tab`, `Space`, arrows, `PgUp`, `F5`…
pub fn parse_key(text: &str) -> Option<Key> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    for prefix in ["ctrl-", "ctrl+", "c-"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let mut chars = rest.chars();
            return match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphanumeric() => Some(Key { code: KeyCode::Char(c), ctrl: true }),
                _ => None,
            };
        }
    }
    let mut chars = t.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return (!c.is_control() && c != ' ').then_some(Key { code: KeyCode::Char(c), ctrl: false });
    }
    let code = match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" | "backtab" | "s-tab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "up" | "↑" => KeyCode::Up,
        "down" | "↓" => KeyCode::Down,
        "left" | "←" => KeyCode::Left,
        "right" | "→" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        f if f.starts_with('f') => match f[1..].parse::<u8>() {
            Ok(n @ 1..=12) => KeyCode::F(n),
            _ => return None,
        },
        _ => return None,
    };
    Some(Key { code, ctrl: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, values: &[&str], line: usize) -> Entry {
        Entry { name: name.into(), values: values.iter().map(|v| v.to_string()).collect(), line }
    }

    #[test]
    fn keys_are_read_as_people_write_them() {
        assert_eq!(parse_key("v"), Some(Key { code: KeyCode::Char('v'), ctrl: false }));
        assert_eq!(parse_key("Ctrl-X"), Some(Key { code: KeyCode::Char('x'), ctrl: true }));
        assert_eq!(parse_key("C-x"), parse_key("ctrl+x"));
        assert_eq!(parse_key("PgDn"), Some(Key { code: KeyCode::PageDown, ctrl: false }));
        assert_eq!(parse_key("F5"), Some(Key { code: KeyCode::F(5), ctrl: false }));
        for bad in ["", "Hyper-x", "F13", "Ctrl-", "ab", "\u{1b}"] {
            assert_eq!(parse_key(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_entry_replaces_the_actions_keys() {
        let map = Keymap::from_config(&[entry("raw", &["R"], 2), entry("verdict", &["v"], 3)]).unwrap();
        let verdict = map.bindings().iter().find(|b| b.action == Action::ToggleVerdict).unwrap();
        assert_eq!(verdict.keys, &[parse_key("v").unwrap()]);
        let raw = map.bindings().iter().filter(|b| b.action == Action::ToggleRaw);
        assert!(raw.clone().count() >= 2 && raw.into_iter().all(|b| b.keys == [parse_key("R").unwrap()]));
        // The verdict panel closes on v now, not e; Esc still.
        let close = map.bindings().iter().find(|b| b.context == Context::Verdict && b.action == Action::Close).unwrap();
        assert!(close.keys.contains(&parse_key("v").unwrap()) && close.keys.contains(&parse_key("Esc").unwrap()));
        assert!(!close.keys.contains(&parse_key("e").unwrap()), "{:?}", close.keys);
    }

    #[test]
    fn conflicts_unknown_actions_and_bad_keys_are_refused_with_their_line() {
        // v is the events table's raw JSON.
        let e = Keymap::from_config(&[entry("verdict", &["v"], 7)]).unwrap_err();
        assert!(e.starts_with("line 7: [keys] verdict = \"v\"") && e.contains("raw"), "{e}");
        let e = Keymap::from_config(&[entry("verdikt", &["v"], 3)]).unwrap_err();
        assert!(e.starts_with("line 3: [keys] verdikt: no such action"), "{e}");
        let e = Keymap::from_config(&[entry("verdict", &["Hyper-v"], 4)]).unwrap_err();
        assert!(e.starts_with("line 4:") && e.contains("not a key"), "{e}");
        // A letter where the query fields type it: there the action keeps its keys.
        let map = Keymap::from_config(&[entry("next_page", &["N"], 5), entry("help", &["H", "F1"], 6)]).unwrap();
        let in_query =
            |a: Action| map.bindings().iter().find(|b| b.context == Context::Query && b.action == a).unwrap();
        assert_eq!(in_query(Action::NextPage).keys, &[parse_key("PgDn").unwrap()]);
        assert_eq!(in_query(Action::ToggleHelp).keys, &[parse_key("F1").unwrap()]);
        let table = map.bindings().iter().find(|b| b.context == Context::Table && b.action == Action::NextPage);
        assert_eq!(table.unwrap().keys, &[parse_key("N").unwrap()]);
        // Two actions on one key of one screen.
        let e = Keymap::from_config(&[entry("summary", &["q"], 9)]).unwrap_err();
        assert!(e.starts_with("line 9:") && e.contains("quit"), "{e}");
        assert!(Keymap::from_config(&[entry("submit", &["Ctrl-s", "Enter"], 1)]).is_ok());
        // Two entries on one key: the later line is blamed.
        let e = Keymap::from_config(&[entry("raw", &["R"], 2), entry("detail", &["R"], 5)]).unwrap_err();
        assert!(e.starts_with("line 5: [keys] detail = \"R\"") && e.contains("(raw)"), "{e}");
    }
}
