//! The verdict panel (`e`): why the current query's target was or was not
//! reached, per period. It needs the customer's targets and every event of
//! the rule (all periods: events move between neighbours), so it looks them
//! up — the targets once per customer, the events with a fetch-all — and
//! computes when both are there.

use crate::api::EventsQuery;
use crate::core::verdict::verdicts;
use crate::explorer::app::action::Effect;
use crate::explorer::app::screen::{Layer, Panel};
use crate::explorer::app::state::{AllRun, App};

use super::state::{VerdictPanel, VerdictWanted};

/// `e`: opens the verdict for the current query, or closes it.
pub(crate) fn toggle_verdict(app: &mut App, fx: &mut Vec<Effect>) {
    if app.screen.main() == Some(Panel::Verdict) {
        // A refresh on its way (while watching) must not reopen it.
        app.workflow.verdict_wanted = None;
        app.screen.remove(Panel::Verdict);
        return;
    }
    let Some(q) = app.base_query().or_else(|| app.query_from_inputs()) else {
        return app.flash("Enter a customer and a target rule first: the verdict is about their target.");
    };
    want_verdict(app, q.user_id, q.rule_id, q.period_id, fx);
}

/// Asks for the verdict of a customer's rule, opening on `period_id`.
pub(crate) fn want_verdict(app: &mut App, user_id: i64, rule_id: i64, period_id: Option<i64>, fx: &mut Vec<Effect>) {
    app.workflow.verdict_wanted = Some(VerdictWanted { user_id, rule_id, period_id });
    advance_verdict(app, fx);
}

/// Takes the next step towards the wanted verdict: the targets, then
/// every event of the rule, then the verdict itself.
pub(crate) fn advance_verdict(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(want) = app.workflow.verdict_wanted else { return };
    if !app.workflow.targets.contains_key(&want.user_id) {
        if app.workflow.targets_pending.is_none_or(|(_, u)| u != want.user_id) {
            app.generation += 1;
            app.workflow.targets_pending = Some((app.generation, want.user_id));
            fx.push(Effect::LoadTargets { generation: app.generation, user_id: want.user_id });
        }
        return;
    }
    let every_event = app.results.shown.as_ref().is_some_and(|s| {
        s.all.is_some()
            && s.query.user_id == want.user_id
            && s.query.rule_id == want.rule_id
            && s.query.period_id.is_none()
    });
    if !every_event {
        if app.workflow.all_run.is_none() {
            let query =
                EventsQuery { user_id: want.user_id, rule_id: want.rule_id, period_id: None, limit: 1, page: 0 };
            app.generation += 1;
            let generation = app.generation;
            app.workflow.all_run = Some(AllRun { generation, query, pages: 0, pages_done: 0, events: 0, retries: 0 });
            fx.push(Effect::FetchAll { generation, query });
        }
        return;
    }
    app.workflow.verdict_wanted = None;
    let groups = app.workflow.targets.get(&want.user_id).cloned().unwrap_or_default();
    let targets: Vec<_> = groups.iter().flat_map(|g| &g.targets).collect();
    let now = app.now();
    let periods = verdicts(&targets, want.rule_id, None, app.events(), now);
    if periods.is_empty() {
        return app.warn(&format!("Customer {} has no target with rule {}.", want.user_id, want.rule_id));
    }
    // The period the query named, else the one a complaint is most likely about.
    let selected = want
        .period_id
        .and_then(|p| periods.iter().position(|v| v.period_id == p))
        .unwrap_or_else(|| crate::core::verdict::complaint_period(&periods));
    let target_name = targets
        .iter()
        .find(|t| t.target_rule_id == want.rule_id)
        .and_then(|t| t.target_name.as_deref())
        .map(|n| crate::sanitize::line(n).into_owned());
    let panel = VerdictPanel {
        user_id: want.user_id,
        rule_id: want.rule_id,
        target_name,
        periods,
        selected,
        event: 0,
        in_events: false,
    };
    match app.screen.verdict_mut() {
        // A refresh (while watching) keeps its place in the stack.
        Some(open) if open.user_id == panel.user_id && open.rule_id == panel.rule_id => *open = panel,
        _ => app.screen.push(Layer::Verdict(panel)),
    }
}

pub(crate) fn verdict_switch(app: &mut App) {
    if let Some(v) = app.screen.verdict_mut() {
        v.in_events = !v.in_events;
    }
}

/// Moves through the periods, or through the selected period's events.
pub(crate) fn verdict_move(app: &mut App, delta: isize) {
    let Some(v) = app.screen.verdict_mut() else { return };
    let (at, len) = if v.in_events {
        let n = v.periods.get(v.selected).map_or(0, |p| crate::core::verdict::report::notable(p).len());
        (&mut v.event, n)
    } else {
        (&mut v.selected, v.periods.len())
    };
    *at = (*at as isize).saturating_add(delta).clamp(0, len.saturating_sub(1) as isize) as usize;
    if !v.in_events {
        v.event = 0;
    }
}

/// Enter on a listed event: the panel closes on the table with it selected.
pub(crate) fn verdict_open_event(app: &mut App) {
    let Some(v) = app.screen.verdict() else { return };
    let Some(id) = v
        .periods
        .get(v.selected)
        .and_then(|p| crate::core::verdict::report::notable(p).get(v.event).map(|(e, _)| e.event_log_id))
    else {
        return app.flash("Tab to the events, then Enter selects one in the table.");
    };
    // The filter could hide it: it is cleared so the event is there.
    app.results.filter = Default::default();
    app.rebuild_view();
    let events = app.events();
    match app.results.view.iter().position(|&i| events.get(i as usize).is_some_and(|e| e.event_log_id == id)) {
        Some(row) => {
            // Every panel over the table closes: the event is the answer.
            app.screen.clear();
            app.results.table.selected = row;
            app.form.focus = crate::explorer::app::Focus::Table;
        }
        None => app.flash(&format!("Event {id} is not among the loaded events.")),
    }
}
