//! What a key means, in context. Essentials sit on plain keys (letters,
//! arrows, Enter, Esc, Tab) so tmux and other multiplexers never eat them.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::state::{App, Focus, Overlay};

pub fn action_for(app: &App, key: KeyEvent) -> Action {
    if key.kind == KeyEventKind::Release {
        return Action::None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c')) {
        return Action::Quit;
    }
    if super::layout::too_small(app.chrome.size) {
        // Nothing else is on screen: only quitting makes sense.
        return if matches!(key.code, KeyCode::Char('q')) { Action::Quit } else { Action::None };
    }
    match &app.chrome.overlay {
        Some(Overlay::Help { .. }) => {
            return match key.code {
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => Action::CloseOverlay,
                KeyCode::Char('j') | KeyCode::Down | KeyCode::PageDown => Action::Down,
                KeyCode::Char('k') | KeyCode::Up | KeyCode::PageUp => Action::Up,
                _ => Action::None,
            };
        }
        Some(Overlay::Prompt { .. }) => {
            return match key.code {
                KeyCode::Enter => Action::Confirm,
                KeyCode::Esc => Action::CloseOverlay,
                _ => Action::PromptEdit(key),
            };
        }
        Some(Overlay::Picker(_)) => {
            return match key.code {
                KeyCode::Enter => Action::Confirm,
                KeyCode::Esc => Action::CloseOverlay,
                _ => Action::PickerKey(key),
            };
        }
        Some(Overlay::Confirm { .. }) => {
            return match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => Action::Confirm,
                KeyCode::Esc | KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Enter | KeyCode::Char('q') => {
                    Action::CloseOverlay
                }
                _ => Action::None,
            };
        }
        Some(Overlay::Copied { .. }) => {
            return match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => Action::CloseOverlay,
                _ => Action::None,
            };
        }
        None => {}
    }
    if key.code == KeyCode::Esc && (app.is_loading() || app.workflow.all_run.is_some()) {
        return Action::Cancel;
    }
    if app.results.filter.editing {
        return match key.code {
            KeyCode::Enter | KeyCode::Tab => Action::EndFilter,
            KeyCode::Esc => Action::ClearFilter,
            _ => Action::FilterKey(key),
        };
    }
    if app.batch_open() && !matches!(app.form.focus, Focus::Input(_)) {
        match key.code {
            KeyCode::Enter => return Action::BatchOpenRow,
            KeyCode::Esc | KeyCode::Char('b') => return Action::ToggleBatch,
            _ => {}
        }
    }
    // The verdict panel has the keyboard while it is open (and the query does not).
    if app.workflow.verdict.is_some() && !matches!(app.form.focus, Focus::Input(_)) {
        match key.code {
            KeyCode::Esc | KeyCode::Char('e') => return Action::ToggleVerdict,
            KeyCode::Tab => return Action::VerdictSwitch,
            KeyCode::Enter => return Action::VerdictOpenEvent,
            _ => {}
        }
    }
    match key.code {
        KeyCode::Tab => return Action::FocusNext,
        KeyCode::BackTab => return Action::FocusPrev,
        _ => {}
    }
    if let Focus::Input(field) = app.form.focus {
        let rule_empty = app.field(crate::api::Field::RuleId).input.value().trim().is_empty();
        let user_ok = app.invalid(crate::api::Field::UserId).is_none();
        return match key.code {
            // With only a customer id, Enter looks up their targets.
            KeyCode::Enter if field == crate::api::Field::UserId && rule_empty && user_ok => Action::PickTarget,
            KeyCode::Enter => Action::Submit,
            KeyCode::Up if field == crate::api::Field::UserId => Action::PickRecent,
            KeyCode::Esc => Action::LeaveInput,
            // Ids are digits, so `?` can open help from an input too.
            KeyCode::Char('?') => Action::ToggleHelp,
            KeyCode::PageDown => Action::NextPage,
            KeyCode::PageUp => Action::PrevPage,
            _ => Action::Edit(key),
        };
    }
    let in_detail = app.form.focus == Focus::Detail;
    match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('n') | KeyCode::Char(']') | KeyCode::Right => Action::NextPage,
        KeyCode::Char('p') | KeyCode::Char('[') | KeyCode::Left => Action::PrevPage,
        KeyCode::Char('{') => Action::FirstPage,
        KeyCode::Char('}') => Action::LastPage,
        KeyCode::Char(':') | KeyCode::Char('#') => Action::AskPage,
        KeyCode::Char('=') => Action::AskLimit,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('v') => Action::ToggleRaw,
        KeyCode::Char('t') => Action::PickTarget,
        KeyCode::Char('P') => Action::PickPeriod,
        KeyCode::Char('h') => Action::PickRecent,
        KeyCode::Char('T') => Action::PickProfile,
        KeyCode::Char('a') => Action::FetchAll,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char('o') => Action::CycleSort,
        KeyCode::Char('O') => Action::ReverseSort,
        KeyCode::Char('s') => Action::ToggleSummary,
        KeyCode::Char('e') => Action::ToggleVerdict,
        KeyCode::Char('w') => Action::ToggleWatch,
        KeyCode::Char('b') => Action::ToggleBatch,
        KeyCode::Char('x') => Action::AskExport,
        KeyCode::Char('y') => Action::CopyEvent,
        KeyCode::Char('c') => Action::CopyCurl,
        KeyCode::Char('u') | KeyCode::Char('i') => Action::EditQuery,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Enter if !in_detail => Action::OpenDetail,
        KeyCode::Esc if in_detail => Action::Back,
        KeyCode::Esc if app.workflow.summary.is_some() => Action::ToggleSummary,
        KeyCode::Esc if app.workflow.watch.is_some() => Action::ToggleWatch,
        KeyCode::Esc if app.results.filter.is_active() => Action::ClearFilter,
        KeyCode::Esc => Action::EditQuery,
        _ => Action::None,
    }
}

/// The keys, by pane, for the help overlay: (keys, what they do).
pub const HELP: &[(&str, &[(&str, &str)])] = &[
    (
        "Query",
        &[
            ("Tab / Shift-Tab", "next / previous pane"),
            ("Enter", "fetch page 1 (id alone: targets)"),
            ("↑ in customer", "recent queries"),
            ("Esc", "leave the input for the table"),
            ("PgDn / PgUp", "next / previous page"),
        ],
    ),
    (
        "Events table",
        &[
            ("j k ↑ ↓", "move the selection"),
            ("PgDn PgUp", "move a screen"),
            ("g G Home End", "first / last row"),
            ("Enter", "open the selected event's details"),
            ("u  i  Esc", "edit the query"),
            ("mouse", "wheel scrolls, click selects"),
        ],
    ),
    (
        "Pages",
        &[
            ("n ] →", "next page"),
            ("p [ ←", "previous page"),
            ("{  }", "first / last page"),
            (":  #", "go to a page number"),
            ("=", "change the page size (limit)"),
            ("r", "fetch again (retry)"),
        ],
    ),
    (
        "Verdict (e)",
        &[
            ("j k", "next / previous period, or event"),
            ("Tab", "between periods and their events"),
            ("Enter", "select the event in the table"),
            ("x  y", "save / copy the case note"),
            ("e  Esc", "close"),
        ],
    ),
    ("Detail", &[("j k PgDn PgUp", "scroll"), ("v", "toggle the raw JSON of the event"), ("Esc", "back to the table")]),
    (
        "Workflow",
        &[
            ("t  P  h", "pick a target / period / recent query"),
            ("T", "switch profile (tenant)"),
            ("a", "fetch every page (Esc cancels)"),
            ("s", "summary per period, with chart"),
            ("e", "verdict: reached or not, and why"),
            ("w", "watch live for new events (w stops)"),
            ("b", "the batch table (batch in a terminal)"),
            ("/", "filter loaded events (Esc clears)"),
            ("o  O", "sort by the next column / reverse"),
            ("x", "export to CSV, JSON or JSON Lines"),
            ("y  c", "copy the event (JSON) / query (cURL)"),
        ],
    ),
    (
        "Anywhere",
        &[
            ("Esc", "cancel a request in flight"),
            ("?", "this help"),
            ("q", "quit (outside inputs)"),
            ("Ctrl-C", "quit"),
        ],
    ),
];
