//! The target, period and recent-query pickers: opening them, their answers,
//! and what choosing an item does.

use crate::core::told::Told;
use std::sync::Arc;

use crossterm::event::KeyEvent;

use crate::api::model::{TargetPeriod, UserTargetGroup};
use crate::api::{ApiError, CustomerRef, EventsQuery, Fetched};
use crate::explorer::app::Field;
use crate::explorer::app::action::Effect;
use crate::explorer::app::case::Targets;
use crate::explorer::app::state::{App, Overlay};
use crate::explorer::features::pickers::picker::{
    Picker, PickerEvent, PickerItem, PickerKind, TargetChoice, recent_query,
};
use crate::explorer::features::pickers::profiles;
use crate::explorer::features::pickers::recent::{self, RecentQuery};

pub(crate) fn open_picker(app: &mut App, kind: PickerKind, fx: &mut Vec<Effect>) {
    app.generation += 1;
    let generation = app.generation;
    app.screen.open_overlay(Overlay::Picker(Picker::new(kind, generation)));
    fx.push(match kind {
        PickerKind::Targets { user_id } => Effect::LoadTargets { generation, user_id },
        PickerKind::Periods { group_id } => Effect::LoadPeriods { generation, group_id },
        PickerKind::Recent | PickerKind::Profiles => return,
    });
}

pub(crate) fn pick_target(app: &mut App, fx: &mut Vec<Effect>) {
    if !app.customer_ready(crate::explorer::app::state::AfterLookup::PickTarget, fx) {
        return;
    }
    let Some(user_id) = app.customer_id() else {
        return app.flash("Enter a valid customer first: their targets are looked up from it.");
    };
    if let Some(targets) = app.case.targets_of(user_id) {
        let items =
            TargetChoice::from_groups(&targets.groups, app.now().date()).into_iter().map(PickerItem::Target).collect();
        let mut picker = Picker::with_items(PickerKind::Targets { user_id }, items);
        picker.select_current();
        app.screen.open_overlay(Overlay::Picker(picker));
        return;
    }
    open_picker(app, PickerKind::Targets { user_id }, fx);
}

pub(crate) fn targets_loaded(
    app: &mut App,
    generation: u64,
    user_id: i64,
    result: Result<Fetched<Vec<UserTargetGroup>>, ApiError>,
    fx: &mut Vec<Effect>,
) {
    let pending = app.case.targets_pending.filter(|p| p.generation == generation);
    let for_summary = pending.is_some();
    let for_check = app.case.rule_check.is_some_and(|(g, _, _)| g == generation);
    let waiting = matches!(app.screen.overlay(), Some(Overlay::Picker(p)) if p.generation == generation);
    // Only answers this case awaits: a late one for the last customer is dropped.
    if !(for_summary || for_check || waiting) || app.customer_id() != Some(user_id) {
        return;
    }
    if for_summary {
        app.case.targets_pending = None;
    }
    // The answer is at least as fresh as its question.
    let read_at = pending.map_or_else(|| app.now(), |p| p.asked_at);
    let result = result.map(|f| {
        // Kept with the figures: when they were read, and the exchange for the case note.
        app.case.targets = Some(Targets { user_id, groups: Arc::new(f.value), read_at, meta: Some(f.meta) });
        app.case.targets.as_ref().map(|t| t.groups.clone()).unwrap_or_default()
    });
    match &result {
        Ok(_) => {
            app.refresh_summary();
            if let Some((_, user, rule)) = app.case.rule_check.take_if(|(g, _, _)| *g == generation) {
                return app.ask(crate::explorer::app::action::Ask::CheckRule { user_id: user, rule_id: rule });
            }
        }
        Err(e) if for_summary && app.case.verdict_wanted.is_some() => {
            // The verdict waits for the targets: it waits no more.
            app.case.verdict_wanted = None;
            app.warn(&format!("No verdict: the customer's targets could not be read ({}). {}", e.facts(), e.sentence()))
        }
        Err(e) if for_summary && app.screen.summary().is_some() => {
            app.warn(&format!("The summary has no targets: looking them up failed ({}). {}", e.facts(), e.sentence()))
        }
        Err(_) => {}
    }
    if !waiting {
        return;
    }
    // No customer has the digits typed as id: they may be a mobile, whose
    // targets the picker then shows.
    if let Err(e) = &result
        && crate::core::customer::is_unknown_customer(e)
        && app.try_as_mobile(crate::explorer::app::state::AfterLookup::PickTarget, fx)
    {
        app.screen.close_overlay();
        return;
    }
    let today = app.now().date();
    let Some(Overlay::Picker(p)) = app.screen.overlay_mut() else { return };
    p.loading = false;
    match result {
        Ok(groups) => {
            p.items = TargetChoice::from_groups(&groups, today).into_iter().map(PickerItem::Target).collect();
            p.select_current();
        }
        Err(e) => p.error = Some(e),
    }
}

pub(crate) fn pick_period(app: &mut App, fx: &mut Vec<Effect>) {
    match app.current_group() {
        Some(group_id) => open_picker(app, PickerKind::Periods { group_id }, fx),
        None => app.flash("Pick a target first (t), or load its events: periods belong to a target group."),
    }
}

pub(crate) fn periods_loaded(app: &mut App, generation: u64, result: Result<Vec<TargetPeriod>, ApiError>) {
    let Some(Overlay::Picker(p)) = app.screen.overlay_mut() else { return };
    if p.generation != generation {
        return;
    }
    p.loading = false;
    match result {
        Ok(periods) => p.items = periods.into_iter().map(PickerItem::Period).collect(),
        Err(e) => p.error = Some(e),
    }
}

/// `h`: this tenant's recent queries (Tab shows the others', labelled).
pub(crate) fn pick_recent(app: &mut App) {
    if app.workflow.recent.is_empty() {
        return app.flash("No recent queries yet.");
    }
    let mut picker = Picker::with_items(PickerKind::Recent, Vec::new());
    fill_recent(app, &mut picker, false);
    app.screen.open_overlay(Overlay::Picker(picker));
}

/// The recent list of this tenant, or of every tenant.
fn fill_recent(app: &App, picker: &mut Picker, all: bool) {
    let tenant = &app.chrome.connection.tenant;
    picker.all_tenants = all;
    picker.items = recent::of_tenant(&app.workflow.recent, tenant, all).cloned().map(PickerItem::Recent).collect();
    picker.selected = 0;
    let others = app.workflow.recent.len() - recent::of_tenant(&app.workflow.recent, tenant, false).count();
    let key = crate::explorer::app::keys::key_of(
        &app.keymap,
        crate::explorer::app::screen::Owner::Picker,
        crate::explorer::app::Action::OtherTenants,
    );
    picker.note = match (all, others) {
        (false, 0) => None,
        (false, n) => Some(format!("This tenant's queries. {key}: also the {n} made on other tenants.")),
        (true, _) => Some(format!("Every tenant's queries, each with its tenant. {key}: this tenant's only.")),
    };
}

/// A key for the open picker: the picker moves and filters itself;
/// what reaches beyond it (the recent list on disk) is done here.
pub(crate) fn picker_key(app: &mut App, key: KeyEvent, fx: &mut Vec<Effect>) {
    let Some(Overlay::Picker(p)) = app.screen.overlay_mut() else { return };
    match p.key(key) {
        PickerEvent::None => {}
        PickerEvent::Forget(r) => {
            app.workflow.recent.retain(|x| *x != r);
            fx.push(Effect::SaveRecent(app.workflow.recent.clone()));
        }
        PickerEvent::OtherTenants => {
            let all = !p.all_tenants;
            let mut picker = Picker::with_items(PickerKind::Recent, Vec::new());
            fill_recent(app, &mut picker, all);
            if let Some(Overlay::Picker(p)) = app.screen.overlay_mut() {
                *p = picker;
            }
        }
        PickerEvent::ForgetAll => {
            app.workflow.recent.clear();
            app.screen.close_overlay();
            fx.push(Effect::SaveRecent(Vec::new()));
            app.flash("Recent queries cleared.");
        }
    }
}

pub(crate) fn choose_picked(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(Overlay::Picker(p)) = app.screen.overlay() else { return };
    let Some(item) = p.selected_item().cloned() else { return };
    app.screen.close_overlay();
    let query = match item {
        PickerItem::Target(t) => {
            app.set_field(Field::RuleId, &t.rule_id.to_string());
            app.set_field(Field::PeriodId, &t.period_id.map(|p| p.to_string()).unwrap_or_default());
            app.case.group_id = Some(t.group_id);
            app.query_from_inputs()
        }
        PickerItem::Period(period) => {
            app.set_field(Field::PeriodId, &period.id.to_string());
            app.query_from_inputs()
        }
        // Ids mean nothing on another tenant: nothing is sent there.
        PickerItem::Recent(r) if r.tenant.as_deref() != Some(app.chrome.connection.tenant.as_str()) => {
            let made_on =
                r.tenant.as_deref().map_or("another tenant".to_string(), |t| crate::sanitize::line(t).into_owned());
            let how = if app.workflow.profiles.is_empty() {
                "add a profile for it to the config file, then open it from there".to_string()
            } else {
                let key = crate::explorer::app::keys::key_of(
                    &app.keymap,
                    crate::explorer::app::screen::Owner::Table,
                    crate::explorer::app::Action::PickProfile,
                );
                format!("switch to its profile ({key}) to open it")
            };
            return app.warn(&format!("That query was made on {made_on}: {how}."));
        }
        PickerItem::Recent(r) => {
            app.set_field(Field::UserId, &r.user_id.to_string());
            // The form it was typed in, already known to be this id.
            if let Some(typed) = &r.typed
                && let Ok(customer) = CustomerRef::parse(typed)
            {
                app.workflow.customers.insert(customer, r.user_id);
                app.set_field(Field::UserId, typed);
            }
            app.set_field(Field::RuleId, &r.rule_id.to_string());
            app.set_field(Field::PeriodId, &r.period_id.map(|p| p.to_string()).unwrap_or_default());
            Some(recent_query(&r, app.case.results.limit))
        }
        PickerItem::Profile(p) => return profiles::use_profile(app, p.name, fx),
    };
    match query {
        Some(q) => app.ask(crate::explorer::app::action::Ask::NewQuery(q)),
        None => app.flash(crate::explorer::app::told::NOTHING_TO_SEND),
    }
}

pub(crate) fn remember_recent(app: &mut App, q: EventsQuery, fx: &mut Vec<Effect>) {
    let at = crate::core::clock::shown(app.now(), "%Y-%m-%d %H:%M");
    let typed = app
        .resolved_customer()
        .filter(|(_, id)| *id == q.user_id)
        .map(|_| app.field(Field::UserId).input.value().trim().to_string());
    let tenant = Some(app.chrome.connection.tenant.clone());
    let entry = RecentQuery { user_id: q.user_id, rule_id: q.rule_id, period_id: q.period_id, at, typed, tenant };
    recent::remember(&mut app.workflow.recent, entry);
    fx.push(Effect::SaveRecent(app.workflow.recent.clone()));
}

/// The keys of an open picker: typing narrows, Enter chooses, Esc closes.
pub(crate) fn on_action(
    app: &mut App,
    action: crate::explorer::app::action::Action,
    key: KeyEvent,
    fx: &mut Vec<Effect>,
) -> bool {
    use crate::explorer::app::action::Action;
    match action {
        Action::PickerKey
        | Action::PickerMove
        | Action::ForgetRecent
        | Action::ForgetAllRecent
        | Action::OtherTenants => picker_key(app, key, fx),
        Action::Confirm => choose_picked(app, fx),
        Action::CloseOverlay => {
            app.screen.close_overlay();
        }
        _ => return false,
    }
    true
}
