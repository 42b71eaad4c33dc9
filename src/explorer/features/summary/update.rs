//! Opening and closing the summary (`s`), looking up the customer's targets
//! it compares with, and Enter: the selected period's verdict.

use crate::explorer::app::App;

/// Opens the summary, reading the customer's targets again, however the
/// query was entered.
/// Closes it when it is the panel drawn.
pub(crate) fn toggle_summary(app: &mut App, fx: &mut Vec<crate::explorer::app::action::Effect>) {
    use crate::explorer::app::screen::{Layer, Panel, SummaryPanel};
    if app.toggled_off(Panel::Summary) {
        return;
    }
    if app.case.results.view.is_empty() {
        return app.flash("Nothing to summarise: load some events first.");
    }
    let selected = app.screen.summary().map_or(0, |p| p.selected);
    app.screen.push(Layer::Summary(SummaryPanel::opened_at(selected)));
    app.refresh_summary();
    // The achieved values move with every purchase: read them again.
    let Some(user_id) = app.case.results.shown.as_ref().map(|s| s.query.user_id) else { return };
    app.read_targets(user_id, fx);
}

/// Enter in the summary: the verdict of the selected period.
pub(crate) fn summary_open_verdict(app: &mut App) {
    let period = app.screen.summary().and_then(|p| p.summary.periods.get(p.selected)).map(|p| p.period_id);
    let Some(q) = app.base_query() else { return };
    app.ask(crate::explorer::app::action::Ask::Verdict {
        user_id: q.user_id,
        rule_id: q.rule_id,
        period_id: period,
        open_bills: false,
    });
}

/// The keys of the summary, when it owns the screen.
pub(crate) fn on_action(
    app: &mut App,
    action: crate::explorer::app::action::Action,
    key: crossterm::event::KeyEvent,
) -> bool {
    use crate::explorer::app::action::Action;
    if let Some(delta) = action.step(key, 1) {
        if let Some(panel) = app.screen.summary_mut() {
            let n = panel.summary.periods.len() as isize;
            panel.selected = (panel.selected as isize).saturating_add(delta).clamp(0, (n - 1).max(0)) as usize;
        }
        return true;
    }
    match action {
        Action::OpenVerdict => summary_open_verdict(app),
        Action::Copy => {
            let Some(panel) = app.screen.summary() else { return true };
            let text = super::state::as_text(&panel.summary);
            app.ask(crate::explorer::app::action::Ask::Copy { title: "The summary".into(), text });
        }
        _ => return false,
    }
    true
}
