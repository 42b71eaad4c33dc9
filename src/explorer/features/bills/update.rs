//! Opening the bills panel (`B`) from the verdict or the events, moving,
//! sorting and the raw JSON.

use crate::explorer::app::action::{Action, Ask};
use crate::explorer::app::screen::{Layer, Owner, Panel};
use crate::explorer::app::state::App;

use super::state::{BillsPanel, COLUMNS};

/// `B`: the bills of the period the verdict shows; from the events, the
/// verdict of the query is made first (the bills open over it). `B` again closes.
pub(crate) fn toggle_bills(app: &mut App) {
    if app.toggled_off(Panel::Bills) {
        return;
    }
    if app.screen.main() == Some(Panel::Verdict) {
        return open_from_verdict(app);
    }
    let Some(q) = app.base_query().or_else(|| app.query_from_inputs()) else {
        return app.flash("Enter a customer and a target rule first: the bills are those of their period.");
    };
    // The period in view: the summary's selected one, the query's, else the
    // selected event's.
    let period = app
        .screen
        .summary()
        .filter(|_| app.screen.main() == Some(Panel::Summary))
        .and_then(|s| s.selected_period())
        .map(|p| p.period_id)
        .or(q.period_id)
        .or_else(|| app.selected_event().map(|e| e.period_id));
    // A verdict already made (beneath) has that period's bills: no new read.
    if let Some(v) = app.screen.verdict().filter(|v| v.user_id() == q.user_id && v.rule_id() == q.rule_id)
        && let Some(p) = v.periods().iter().find(|p| Some(p.period_id) == period)
        && let Some(panel) = BillsPanel::for_period(v.user_id(), p)
    {
        return app.screen.push(Layer::Bills(panel));
    }
    app.ask(Ask::Verdict { user_id: q.user_id, rule_id: q.rule_id, period_id: period, open_bills: true });
}

/// The bills of the verdict's selected period, the bill that would have
/// reached the target under the cursor.
pub(crate) fn open_from_verdict(app: &mut App) {
    let Some(v) = app.screen.verdict() else { return };
    let Some(p) = v.periods().get(v.selected()) else { return };
    match BillsPanel::for_period(v.user_id(), p) {
        Some(panel) => app.screen.push(Layer::Bills(panel)),
        None => {
            let r =
                crate::explorer::app::keys::key_of(&app.keymap, Owner::Verdict, crate::explorer::app::Action::Refresh);
            app.flash(&format!("The bills were not read for this verdict: {r} reads everything again."))
        }
    }
}

pub(crate) fn bills_move(app: &mut App, delta: isize) {
    let Some(p) = app.screen.bills_mut() else { return };
    let n = p.view.len() as isize;
    p.selected = (p.selected as isize).saturating_add(delta).clamp(0, (n - 1).max(0)) as usize;
    p.detail_scroll = 0;
}

/// `J`/`K`: the detail beneath scrolls (the view stops it at its end).
pub(crate) fn bills_scroll(app: &mut App, delta: i16) {
    if let Some(p) = app.screen.bills_mut() {
        p.detail_scroll = p.detail_scroll.saturating_add_signed(delta);
    }
}

pub(crate) fn bills_sort(app: &mut App, reverse: bool) {
    let Some(p) = app.screen.bills_mut() else { return };
    p.sort = Some(match (p.sort, reverse) {
        (Some((c, d)), true) => (c, !d),
        (None, true) => (0, true),
        (Some((c, _)), false) => ((c + 1) % COLUMNS.len(), false),
        (None, false) => (1, false),
    });
    p.rebuild();
    let (col, desc) = p.sort.unwrap_or_default();
    let order = if desc { ", descending" } else { "" };
    app.flash(&format!("Bills sorted by {}{order}.", COLUMNS[col].0.to_lowercase()));
}

pub(crate) fn bills_raw(app: &mut App) {
    if let Some(p) = app.screen.bills_mut() {
        p.raw = !p.raw;
        p.detail_scroll = 0;
    }
}

/// The selected bill as the server sent it (made safe), for `y`.
pub fn selected_json(app: &App) -> Option<(String, String)> {
    let p = app.screen.bills()?;
    let line = p.selected_line()?;
    let raw = app
        .case
        .bills
        .as_ref()
        .and_then(|b| b.read.as_ref().ok())
        // Two bills can share an id: the one whose number and amount are this line's.
        .and_then(|r| {
            r.bills.iter().find(|b| {
                b.id == line.bill.id && b.number == line.bill.number && b.amount_text == line.bill.amount_sent
            })
        })
        .and_then(|b| serde_json::from_str::<serde_json::Value>(&b.raw).ok())
        .map(|raw| crate::core::export::terminal_safe_json(&raw, true))?;
    Some((format!("The {} as JSON", line.bill.named()), raw))
}

/// The keys of the bills panel, when it owns the screen; false leaves the
/// action to what is shared (the query, pickers, quitting).
pub(crate) fn on_action(app: &mut App, action: Action, key: crossterm::event::KeyEvent) -> bool {
    if let Some(delta) = action.step(key, app.page_rows()) {
        bills_move(app, delta);
        return true;
    }
    match action {
        Action::CycleSort => bills_sort(app, false),
        Action::ReverseSort => bills_sort(app, true),
        Action::ToggleRaw => bills_raw(app),
        Action::DetailDown => bills_scroll(app, 1),
        Action::DetailUp => bills_scroll(app, -1),
        Action::Copy => match selected_json(app) {
            Some((title, text)) => app.ask(Ask::Copy { title, text }),
            None => app.flash("No bill selected."),
        },
        Action::CopyBillNumber => {
            let number = app.screen.bills().and_then(|p| p.selected_line()).map(|l| l.bill.number.clone());
            match number {
                // Sanitised like every API string that leaves the tool.
                Some(n) if !n.is_empty() => app
                    .ask(Ask::Copy { title: "The bill's number".into(), text: crate::sanitize::line(&n).into_owned() }),
                Some(_) => app.flash(&format!(
                    "This bill has no number: {} copies it whole.",
                    crate::explorer::app::keys::key_of(&app.keymap, Owner::Bills, Action::Copy)
                )),
                None => app.flash("No bill selected."),
            }
        }
        _ => return false,
    }
    true
}

/// A period's bills alone (`B` from the events, once its verdict is made),
/// beneath any overlay opened meanwhile. Read again over an open panel of
/// the same period, the cursor stays on its bill.
pub(crate) fn show_bills(app: &mut App, user_id: i64, period: &crate::core::verdict::PeriodVerdict) {
    let Some(mut b) = BillsPanel::for_period(user_id, period) else { return };
    let open = app.screen.bills().filter(|o| o.user_id() == b.user_id() && o.period_id() == b.period_id());
    if let Some(id) = open.and_then(|o| o.selected_line()).map(|l| l.bill.id) {
        b.select(id);
    }
    app.screen.push_beneath_overlay(Layer::Bills(b));
}
