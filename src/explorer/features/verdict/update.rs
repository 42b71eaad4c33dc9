//! The verdict panel (`e`): why the current query's target was or was not
//! reached, per period. It needs the customer's targets and every event of
//! the rule (all periods: events move between neighbours); both are read
//! anew, side by side, each time it opens — into the case, apart from the
//! table, whose query never changes under it — and it is computed when
//! both are in.

use crate::core::told::Told;
use std::sync::Arc;

use crate::api::fetch_all::AllEvents;
use crate::api::{ApiError, EventsQuery};
use crate::core::verdict::{Readings, verdicts_read};
use crate::explorer::app::action::{Action, Ask, Effect};
use crate::explorer::app::case::RuleEvents;
use crate::explorer::app::screen::{Layer, Panel};
use crate::explorer::app::state::{AllRun, App};

use super::state::{VerdictPanel, VerdictWanted};

/// `e`: opens the verdict for the current query, or closes it.
pub(crate) fn toggle_verdict(app: &mut App, fx: &mut Vec<Effect>) {
    if app.screen.main() == Some(Panel::Verdict) {
        return close_verdict(app, fx);
    }
    let Some(q) = app.base_query().or_else(|| app.query_from_inputs()) else {
        return app.flash("Enter a customer and a target rule first: the verdict is about their target.");
    };
    want_verdict(app, q.user_id, q.rule_id, q.period_id, fx);
}

/// Closes the verdict; what it was waiting for is no longer wanted.
pub(crate) fn close_verdict(app: &mut App, fx: &mut Vec<Effect>) {
    app.case.verdict_wanted = None;
    if let Some(run) = app.case.verdict_run.take() {
        fx.push(Effect::Cancel { generation: run.generation });
    }
    app.screen.remove(Panel::Verdict);
}

/// `r` in the verdict: its figures read anew, on the period shown.
pub(crate) fn refresh_verdict(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(v) = app.screen.verdict() else { return };
    let (user_id, rule_id) = (v.user_id, v.rule_id);
    let period_id = v.periods.get(v.selected).map(|p| p.period_id);
    want_verdict(app, user_id, rule_id, period_id, fx);
    app.flash("Reading the targets and every event of the rule again…");
}

/// Asks for the verdict of a customer's rule, opening on `period_id`: the
/// targets and every event of the rule are read anew, side by side.
pub(crate) fn want_verdict(app: &mut App, user_id: i64, rule_id: i64, period_id: Option<i64>, fx: &mut Vec<Effect>) {
    app.case.verdict_wanted = Some(VerdictWanted { user_id, rule_id, period_id, open_bills: false, raise: true });
    app.read_targets(user_id, fx);
    if let Some(old) = app.case.verdict_run.take() {
        fx.push(Effect::Cancel { generation: old.generation });
    }
    let query = EventsQuery { user_id, rule_id, period_id: None, limit: 1, page: 0 };
    app.generation += 1;
    let generation = app.generation;
    app.case.verdict_run = Some(AllRun::new(generation, query, app.now()));
    fx.push(Effect::FetchAll { generation, query });
    // The bills too, beside them, when the periods' days are known already
    // (else as soon as the targets answer).
    app.case.bills = None;
    if let Some(old) = app.case.bills_pending.take() {
        fx.push(Effect::Cancel { generation: old });
    }
    read_bills_for_verdict(app, fx);
}

/// Asks for the bills of the wanted verdict's periods, once their days are
/// known and unless they are read or on their way.
pub(crate) fn read_bills_for_verdict(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(want) = app.case.verdict_wanted else { return };
    if app.case.bills_pending.is_some() || app.case.bills.as_ref().is_some_and(|b| b.user_id == want.user_id) {
        return;
    }
    ask_bills(app, want, fx);
}

/// Asks for the bills of `want`'s periods (a day wider each side), once the
/// periods' days are known.
fn ask_bills(app: &mut App, want: VerdictWanted, fx: &mut Vec<Effect>) {
    let Some(targets) = app.case.targets_of(want.user_id) else { return };
    let of_rule = targets.groups.iter().flat_map(|g| &g.targets).filter(|t| t.target_rule_id == want.rule_id);
    let Some((from, to)) = crate::core::reconcile::bills_window(of_rule, app.now().date()) else { return };
    app.generation += 1;
    app.case.bills_pending = Some(app.generation);
    fx.push(Effect::LoadBills { generation: app.generation, user_id: want.user_id, from, to });
}

/// Reads the wanted verdict's bills again (a watched arrival is likely a
/// new bill): the bills read before stay shown until the new ones answer.
pub(crate) fn read_bills_again(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(want) = app.case.verdict_wanted else { return };
    if let Some(old) = app.case.bills_pending.take() {
        fx.push(Effect::Cancel { generation: old });
    }
    ask_bills(app, want, fx);
}

/// The bills arrived (or could not be read: the verdict says so, whole otherwise).
pub(crate) fn bills_loaded(
    app: &mut App,
    generation: u64,
    user_id: i64,
    result: Result<crate::api::bills::BillsRead, crate::api::ApiError>,
    fx: &mut Vec<Effect>,
) {
    if app.case.bills_pending != Some(generation) {
        return;
    }
    app.case.bills_pending = None;
    let failed = result.as_ref().err().map(|e| e.meta());
    let read = result.map(Arc::new).map_err(|e| crate::core::reconcile::unread_sentence(&e));
    app.case.bills = Some(crate::explorer::app::case::BillsCase { user_id, read, failed });
    advance_verdict(app, fx);
}

/// Every event of the verdict's rule is in (or could not be read).
pub(crate) fn rule_events_read(app: &mut App, result: Result<AllEvents, ApiError>, fx: &mut Vec<Effect>) {
    let Some(run) = app.case.verdict_run.take() else { return };
    let all = match result {
        Ok(all) => all,
        Err(e) => {
            app.case.verdict_wanted = None;
            app.fail(&format!("No verdict: the events could not all be read ({}). {}", e.facts(), e.sentence()));
            app.case.results.error = Some(e);
            return;
        }
    };
    let incomplete = if let Some(stop) = all.stopped {
        Some(stop.sentence())
    } else if !all.missing.is_empty() {
        let pages: Vec<u32> = all.missing.iter().map(|m| m.page).collect();
        Some(format!("{} could not be read", crate::api::fetch_all::describe_pages(&pages)))
    } else {
        None
    };
    app.case.rule_events = Some(RuleEvents {
        user_id: run.query.user_id,
        rule_id: run.query.rule_id,
        events: Arc::new(all.events),
        read_at: run.asked_at,
        requests: all.requests,
        incomplete,
    });
    advance_verdict(app, fx);
}

/// Computes the wanted verdict once nothing it needs is on its way.
pub(crate) fn advance_verdict(app: &mut App, _fx: &mut Vec<Effect>) {
    let Some(want) = app.case.verdict_wanted else { return };
    let pending = app.case.verdict_run.is_some() || app.case.targets_pending.is_some_and(|p| p.user_id == want.user_id);
    if pending {
        return;
    }
    if app.case.bills_pending.is_some() {
        // Bills read again (after an arrival): shown with those read before
        // meanwhile, and again when they answer. Read for the first time:
        // the verdict waits for them.
        if app.case.bills.as_ref().is_some_and(|b| b.user_id == want.user_id) {
            show_verdict(app, want);
        }
        return;
    }
    app.case.verdict_wanted = None;
    show_verdict(app, want);
}

/// The verdict from what the case holds now, shown (or refreshed in place).
pub(crate) fn show_verdict(app: &mut App, want: VerdictWanted) {
    let Some(targets) = app.case.targets_of(want.user_id).cloned() else { return };
    let Some(events) =
        app.case.rule_events.as_ref().filter(|r| r.user_id == want.user_id && r.rule_id == want.rule_id).cloned()
    else {
        return;
    };
    let chosen: Vec<_> = targets.groups.iter().flat_map(|g| &g.targets).collect();
    let now = app.now();
    let readings = Readings {
        targets_at: Some(targets.read_at),
        events_at: Some(events.read_at),
        last_arrival: app.case.last_arrival,
    };
    let mut periods = verdicts_read(&chosen, want.rule_id, None, &events.events, now, readings);
    // Every bill of the periods, when they were read (or the sentence why not).
    if let Some(bills) = app.case.bills.as_ref().filter(|b| b.user_id == want.user_id) {
        let of_rule: Vec<_> = chosen.iter().copied().filter(|t| t.target_rule_id == want.rule_id).collect();
        let read = bills.read.as_ref().map(|r| r.bills.as_slice()).map_err(String::as_str);
        let incomplete = bills.read.as_ref().ok().and_then(|r| crate::core::told::bills_incomplete(r));
        crate::core::reconcile::attach(&mut periods, &of_rule, &events.events, read, incomplete.as_deref());
    }
    if periods.is_empty() {
        return app.warn(&format!("Customer {} has no target with rule {}.", want.user_id, want.rule_id));
    }
    // What was asked is here: "Reading … again…" is said no more.
    if want.raise && app.chrome.notice.as_ref().is_some_and(|n| n.level == crate::explorer::app::state::Level::Info) {
        app.chrome.notice = None;
    }
    // The period the query named, else the one a complaint is most likely about.
    let selected = want
        .period_id
        .and_then(|p| periods.iter().position(|v| v.period_id == p))
        .unwrap_or_else(|| crate::core::verdict::complaint_period(&periods));
    let target_name = chosen
        .iter()
        .find(|t| t.target_rule_id == want.rule_id)
        .and_then(|t| t.target_name.as_deref())
        .map(|n| crate::sanitize::line(n).into_owned());
    if let Some(why) = &events.incomplete {
        app.warn(&format!("The verdict is missing events: {why}."));
    }
    match app.screen.verdict_mut() {
        // A refresh (an arrival, fresh targets) keeps its place in the stack and the cursor.
        Some(open) if open.user_id == want.user_id && open.rule_id == want.rule_id && !want.open_bills => {
            open.target_name = target_name;
            open.selected = open.selected.min(periods.len().saturating_sub(1));
            open.periods = periods;
            // An open bills panel shows the bills as now read, not as before.
            let user_id = open.user_id;
            let fresh: Vec<_> = open.periods.clone();
            if let Some(b) = app.screen.bills_mut()
                && b.user_id() == user_id
                && let Some(p) = fresh.iter().find(|p| p.period_id == b.period_id())
                && let Some(story) = &p.bills
            {
                b.read_again(story.lines.clone(), story.unread.clone());
            }
            // Asked for again while another panel covers it: it comes up, on
            // the period asked.
            if want.raise
                && app.screen.main() != Some(Panel::Verdict)
                && let Some(Layer::Verdict(mut panel)) = app.screen.remove(Panel::Verdict)
            {
                if want.period_id.is_some() {
                    panel.selected = selected;
                    panel.event = 0;
                }
                app.screen.push_beneath_overlay(Layer::Verdict(panel));
            }
        }
        _ => {
            let panel = VerdictPanel {
                user_id: want.user_id,
                rule_id: want.rule_id,
                target_name,
                periods,
                selected,
                event: 0,
                in_events: false,
            };
            // `B` from the events: the period's bills alone; else the verdict.
            // Either goes beneath an overlay open meanwhile, never over it.
            let bills =
                want.open_bills.then(|| panel.periods.get(panel.selected)).flatten().filter(|p| p.bills.is_some());
            match bills {
                Some(p) => app.ask(Ask::ShowBills { user_id: panel.user_id, period: Box::new(p.clone()) }),
                None => app.screen.push_beneath_overlay(Layer::Verdict(panel)),
            }
        }
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

/// Enter on a listed event: its row in the table, with its detail, over
/// the verdict (Esc comes back to the verdict). The table keeps its query:
/// an event it does not hold is said to be elsewhere, not fetched into it.
pub(crate) fn verdict_open_event(app: &mut App) {
    let Some(v) = app.screen.verdict() else { return };
    let Some((id, period)) = v.periods.get(v.selected).and_then(|p| {
        crate::core::verdict::report::notable(p).get(v.event).map(|(e, _)| (e.event_log_id, e.period_id))
    }) else {
        return app.flash(&format!(
            "{} to the events, then {} shows one in the table.",
            crate::explorer::app::keys::key_of(
                &app.keymap,
                crate::explorer::app::screen::Owner::Verdict,
                crate::explorer::app::action::Action::VerdictSwitch
            ),
            crate::explorer::app::keys::key_of(
                &app.keymap,
                crate::explorer::app::screen::Owner::Verdict,
                crate::explorer::app::action::Action::OpenVerdictEvent
            )
        ));
    };
    let period_name = v.periods.iter().find(|p| p.period_id == period).map_or(period.to_string(), |p| p.name());
    let row = |app: &App| {
        let events = app.events();
        app.case.results.view.iter().position(|&i| events.get(i as usize).is_some_and(|e| e.event_log_id == id))
    };
    let mut at = row(app);
    if at.is_none() && app.events().iter().any(|e| e.event_log_id == id) {
        // The filter hides it: it is cleared so the event is there.
        app.case.results.filter = Default::default();
        app.rebuild_view();
        at = row(app);
    }
    match at {
        Some(row) => {
            app.case.results.table.selected = row;
            app.form.focus = crate::explorer::app::Focus::Table;
            app.screen.push(Layer::Detail);
        }
        None => {
            // In the query, on a page not loaded; or counted in a period the query leaves out.
            let in_query = app.base_query().is_some_and(|q| q.period_id.is_none_or(|p| p == period));
            if in_query {
                app.flash(&format!("Event {id} is on another page of this query: a loads every page."))
            } else {
                app.flash(&format!("Event {id} counted in {period_name}: not in the table's query."))
            }
        }
    }
}

/// The keys of the verdict, when it owns the screen.
pub(crate) fn on_action(app: &mut App, action: Action, key: crossterm::event::KeyEvent, fx: &mut Vec<Effect>) -> bool {
    if let Some(delta) = action.step(key, 1) {
        verdict_move(app, delta.signum());
        return true;
    }
    match action {
        Action::VerdictSwitch => verdict_switch(app),
        Action::OpenVerdictEvent => verdict_open_event(app),
        Action::StartFilter => {
            app.flash("The verdict counts every event of the rule: there is nothing to filter here.")
        }
        Action::Refresh => refresh_verdict(app, fx),
        Action::Close => close_verdict(app, fx),
        Action::Copy => {
            if let Some(note) = app.case_note() {
                app.ask(Ask::Copy { title: "The case note (Markdown)".into(), text: note });
            }
        }
        Action::AskExport => {
            let Some(v) = app.screen.verdict() else { return true };
            // Named for the customer, rule and period shown, in the notes
            // directory, the whole path in the prompt.
            let period = v.periods.get(v.selected).map_or(String::new(), |p| format!("-{}", p.period_id));
            let name = format!("case-note-{}-{}{period}.md", v.user_id, v.rule_id);
            let path = app.chrome.notes_dir.as_ref().map_or_else(|| name.clone().into(), |d| d.join(&name));
            app.ask(Ask::SaveText {
                path: path.display().to_string(),
                kind: crate::explorer::app::state::TextFile::CaseNote,
            });
        }
        _ => return false,
    }
    true
}

/// The verdict (or the bills alone) made again from what is read now, on
/// the period shown: asked when watched events arrive.
pub(crate) fn reconcile(app: &mut App, user_id: i64, rule_id: i64, period_id: Option<i64>, open_bills: bool) {
    let want = VerdictWanted { user_id, rule_id, period_id, open_bills, raise: false };
    show_verdict(app, want);
    app.case.verdict_wanted = Some(want);
}
