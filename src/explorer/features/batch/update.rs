//! `batch` in a terminal: the results as a table in the explorer, sortable
//! and filterable like the events; Enter opens that customer's events for the
//! row's rule and period, and `b` comes back to the table.

use crate::explorer::app::Field;
use crate::explorer::app::action::{Action, Ask, Effect};
use crate::explorer::app::screen::{Layer, Panel};
use crate::explorer::app::state::{App, Focus};
use crate::explorer::features::batch::state::CausesView;

/// Rebuilds the batch's view after its filter, sort or rows changed.
pub(crate) fn refresh_batch_view(app: &mut App) {
    if let Some(b) = &mut app.workflow.batch {
        let filter = b.filter.input.value().to_string();
        b.refresh(&filter);
    }
}

/// `b`: back to the batch table (or away from it).
pub(crate) fn toggle_batch(app: &mut App) {
    if app.workflow.batch.is_none() {
        return app.flash("No batch here: run target-events batch --customers FILE in a terminal.");
    }
    if !app.toggled_off(Panel::Batch) {
        app.screen.push(Layer::Batch);
        refresh_batch_view(app);
    }
}

pub(crate) fn batch_move(app: &mut App, delta: isize) {
    let Some(b) = &mut app.workflow.batch else { return };
    let n = b.view.len();
    b.selected = (b.selected as isize).saturating_add(delta).clamp(0, n.saturating_sub(1) as isize) as usize;
}

pub(crate) fn batch_sort(app: &mut App, reverse: bool) {
    let Some(b) = &mut app.workflow.batch else { return };
    let n = b.sortable().len();
    let (col, desc) = b.sort.unwrap_or((n.saturating_sub(1), false));
    b.sort = Some(if reverse { (col, !desc) } else { ((col + 1) % n.max(1), false) });
    let Some((title, desc)) = b.sort_column() else { return };
    let order = if desc { ", descending" } else { "" };
    refresh_batch_view(app);
    app.flash(&format!("Sorted by {title}{order}."));
}

/// The selected row's customer, rule and period, put in the query form;
/// None (and why, flashed) when the row has no target.
fn take_row(app: &mut App) -> Option<(i64, i64, Option<i64>)> {
    let b = app.workflow.batch.as_ref()?;
    let row = b.selected_row()?;
    let (Some(user), Some(rule)) = (row.user_id, row.rule_id) else {
        let why = if row.error.is_empty() {
            format!("{} has no target to open.", row.customer)
        } else {
            format!("Nothing to open for {}: {}", row.customer, row.error)
        };
        app.flash(&why);
        return None;
    };
    let period = row.period_id;
    app.case.results.filter = Default::default();
    app.set_field(Field::UserId, &user.to_string());
    app.set_field(Field::RuleId, &rule.to_string());
    app.set_field(Field::PeriodId, &period.map(|p| p.to_string()).unwrap_or_default());
    Some((user, rule, period))
}

/// Enter on a row: that customer's events for its rule and period.
pub(crate) fn batch_open_row(app: &mut App) {
    if take_row(app).is_none() {
        return;
    }
    app.form.focus = Focus::Table;
    if let Some(q) = app.query_from_inputs() {
        app.ask(Ask::NewQuery(q));
    }
}

/// `e` on a row: that period's full verdict, drawn over the table (Esc
/// comes back to it).
pub(crate) fn batch_row_verdict(app: &mut App, fx: &mut Vec<Effect>) {
    if let Some((user, rule, period)) = take_row(app) {
        // Another customer: a new case (the batch stays beneath the verdict).
        if app.case.customer().is_some_and(|c| c != user) {
            app.new_case(fx);
            app.screen.push(crate::explorer::app::screen::Layer::Batch);
        }
        app.ask(Ask::Verdict { user_id: user, rule_id: rule, period_id: period, open_bills: false });
    }
}

/// The keys of the batch table, when it owns the screen.
pub(crate) fn on_action(app: &mut App, action: Action, key: crossterm::event::KeyEvent, fx: &mut Vec<Effect>) -> bool {
    if app.workflow.batch.as_ref().is_some_and(|b| b.causes_view.is_some()) {
        return causes_action(app, action, key, fx);
    }
    if action == Action::ToggleCauses {
        return show_causes(app);
    }
    if let Some(delta) = action.step(key, app.page_rows()) {
        batch_move(app, delta);
        return true;
    }
    match action {
        Action::CycleSort => batch_sort(app, false),
        Action::ReverseSort => batch_sort(app, true),
        Action::OpenBatchRow => batch_open_row(app),
        Action::BatchRowVerdict => batch_row_verdict(app, fx),
        Action::Copy => match app.batch_row_text() {
            Some(row) => app.ask(Ask::Copy { title: "The batch row".into(), text: row }),
            None => app.flash("No row selected."),
        },
        Action::AskExport => app.ask(Ask::SaveText {
            path: "target-events-batch.csv".into(),
            kind: crate::explorer::app::state::TextFile::BatchRows,
        }),
        _ => return false,
    }
    true
}

/// `c`: the causes instead of the rows; with no verdict, says why none.
fn show_causes(app: &mut App) -> bool {
    let Some(b) = &mut app.workflow.batch else { return true };
    if !b.verdicts {
        app.flash("No verdicts in this batch: run it with --verdict to see why customers missed.");
    } else if b.causes.is_empty() {
        app.flash("No period in this batch was missed: there is no cause to show.");
    } else {
        b.causes_view = Some(Default::default());
    }
    true
}

/// The keys of the causes view: move, Enter opens a cause's customers and
/// then one's verdict, Esc steps back (to the causes, then to the rows).
fn causes_action(app: &mut App, action: Action, key: crossterm::event::KeyEvent, fx: &mut Vec<Effect>) -> bool {
    let rows = app.page_rows();
    let Some(b) = &mut app.workflow.batch else { return false };
    let Some(mut v) = b.causes_view else { return false };
    let listed = b.cause_rows().map_or(0, <[usize]>::len);
    if let Some(delta) = action.step(key, rows) {
        let (at, len) = if v.open { (&mut v.row, listed) } else { (&mut v.cause, b.causes.len()) };
        *at = (*at as isize).saturating_add(delta).clamp(0, len.saturating_sub(1) as isize) as usize;
        b.causes_view = Some(v);
        return true;
    }
    match action {
        Action::OpenBatchRow if !v.open => {
            b.causes_view = Some(CausesView { open: true, row: 0, ..v });
            let listed = b.cause_rows().map(<[usize]>::to_vec).unwrap_or_default();
            b.shown_empty = b.empty_of(&listed);
        }
        Action::OpenBatchRow | Action::BatchRowVerdict if v.open => batch_row_verdict(app, fx),
        // Esc (or b) steps back: from a cause's customers to the causes, then to the rows.
        Action::Close if v.open => {
            b.causes_view = Some(CausesView { open: false, ..v });
            b.shown_empty = b.empty_of(&b.view.clone());
        }
        Action::Close => {
            b.causes_view = None;
            b.shown_empty = b.empty_of(&b.view.clone());
        }
        Action::ToggleCauses => {
            b.causes_view = None;
            b.shown_empty = b.empty_of(&b.view.clone());
        }
        Action::Copy if v.open => match app.batch_row_text() {
            Some(row) => app.ask(Ask::Copy { title: "The batch row".into(), text: row }),
            None => app.flash("No row selected."),
        },
        Action::Copy => {
            let text = crate::core::batch::summary::causes_text(&b.causes);
            app.ask(Ask::Copy { title: "Why they missed, by cause".into(), text: text.trim_start().to_string() });
        }
        // The rest (filter, sort, export) work on the rows: said, not silently dropped.
        Action::StartFilter | Action::CycleSort | Action::ReverseSort | Action::AskExport | Action::BatchRowVerdict => {
            let rows = crate::explorer::app::keys::key_of(
                &app.keymap,
                crate::explorer::app::screen::Owner::Batch,
                Action::ToggleCauses,
            );
            app.flash(&format!("That works on the rows: {rows} goes back to them."));
        }
        _ => return false,
    }
    true
}
