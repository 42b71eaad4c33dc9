//! Opening and closing the summary (`s`), looking up the customer's targets
//! it compares with, and Enter: the selected period's verdict.

use crate::explorer::app::App;
use crate::explorer::features::verdict::update as verdict;

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
    app.screen.push(Layer::Summary(SummaryPanel { summary: Default::default(), selected }));
    app.refresh_summary();
    // The achieved values move with every purchase: read them again.
    let Some(user_id) = app.case.results.shown.as_ref().map(|s| s.query.user_id) else { return };
    app.read_targets(user_id, fx);
}

/// Enter in the summary: the verdict of the selected period.
pub(crate) fn summary_open_verdict(app: &mut App, fx: &mut Vec<crate::explorer::app::action::Effect>) {
    let period = app.screen.summary().and_then(|p| p.summary.periods.get(p.selected)).map(|p| p.period_id);
    let Some(q) = app.base_query() else { return };
    verdict::want_verdict(app, q.user_id, q.rule_id, period, fx);
}
