//! Moving through what is shown: the table selection and its window, the
//! detail pane's scroll, the help's scroll, and the mouse.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use crate::explorer::app::action::Action;
use crate::explorer::app::layout;
use crate::explorer::app::screen::{Layer, Owner, Panel};
use crate::explorer::app::state::{App, Focus};

/// Rows the mouse wheel moves per notch.
const WHEEL_ROWS: usize = 3;

/// Moves whatever owns the screen: the help's scroll, a panel's
/// selection, the detail pane's scroll or the table's selection.
/// Moves the table's selection (the panels and overlays move their own).
pub(crate) fn move_selection(app: &mut App, delta: isize) {
    let len = app.case.results.view.len();
    if len == 0 {
        return;
    }
    let target = (app.case.results.table.selected as isize).saturating_add(delta).clamp(0, len as isize - 1) as usize;
    if target != app.case.results.table.selected {
        app.case.results.table.selected = target;
        app.case.results.detail.scroll = 0;
    } else if delta > 0 && app.owner() == Owner::Table {
        app.flash("Last row of this page: n for the next page.");
    }
}

/// Keeps the selection inside the visible window of the table.
pub(crate) fn fit_table(app: &mut App) {
    let rows = app.page_rows();
    let len = app.case.results.view.len();
    let t = &mut app.case.results.table;
    if t.selected < t.offset {
        t.offset = t.selected;
    } else if t.selected >= t.offset + rows {
        t.offset = t.selected + 1 - rows;
    }
    t.offset = t.offset.min(len.saturating_sub(rows));
}

pub(crate) fn mouse(app: &mut App, m: MouseEvent) {
    if app.screen.overlay().is_some() {
        return;
    }
    let areas = layout::areas(app.chrome.size, app);
    let at = Position::new(m.column, m.row);
    match m.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let step = if m.kind == MouseEventKind::ScrollDown { WHEEL_ROWS as isize } else { -(WHEEL_ROWS as isize) };
            if areas.detail.is_some_and(|r| r.contains(at)) {
                focus_detail(app);
            } else if areas.table.is_some_and(|r| r.contains(at)) {
                focus_table(app);
            }
            // The wheel is a movement of whoever owns the screen there.
            // A notch is a few rows of a table, one step of a panel's list.
            let action = if step > 0 { Action::Down } else { Action::Up };
            let rows = matches!(app.owner(), Owner::Table | Owner::Detail);
            for _ in 0..if rows { step.unsigned_abs() } else { 1 } {
                app.apply(action, crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Null), &mut Vec::new());
            }
        }
        MouseEventKind::Down(MouseButton::Left) => {
            if let Some(i) = areas.fields.iter().position(|r| r.contains(at)) {
                app.form.focus = Focus::FIELDS[i];
                if i == 0 {
                    app.ask(crate::explorer::app::action::Ask::SelectCustomer);
                }
            } else if let Some(row) = areas.table_row_at(at) {
                focus_table(app);
                let index = app.case.results.table.offset + row;
                if index < app.case.results.view.len() {
                    app.case.results.table.selected = index;
                    app.case.results.detail.scroll = 0;
                }
            } else if areas.detail.is_some_and(|r| r.contains(at)) {
                focus_detail(app);
            } else if areas.table.is_some_and(|r| r.contains(at)) {
                focus_table(app);
            }
        }
        _ => {}
    }
}

/// The mouse reached the table: it has the keys (the table and detail
/// pane are only drawn when no other panel is).
pub(crate) fn focus_table(app: &mut App) {
    app.form.focus = Focus::Table;
    app.screen.remove(Panel::Detail);
}

/// The mouse reached the detail pane: it has the keys.
pub(crate) fn focus_detail(app: &mut App) {
    app.form.focus = Focus::Table;
    if app.screen.main() != Some(Panel::Detail) {
        app.screen.push(Layer::Detail);
    }
}
