//! The target, period and recent-query pickers: opening them, their answers,
//! and what choosing an item does.

use std::sync::Arc;

use crossterm::event::KeyEvent;

use super::action::Effect;
use super::picker::{Picker, PickerEvent, PickerItem, PickerKind, TargetChoice, recent_query};
use super::recent::{self, RecentQuery};
use super::state::{App, Overlay};
use crate::api::model::{TargetPeriod, UserTargetGroup};
use crate::api::{ApiError, CustomerRef, EventsQuery, Fetched, Field};

impl App {
    pub(super) fn open_picker(&mut self, kind: PickerKind, fx: &mut Vec<Effect>) {
        self.generation += 1;
        let generation = self.generation;
        self.screen.open_overlay(Overlay::Picker(Picker::new(kind, generation)));
        fx.push(match kind {
            PickerKind::Targets { user_id } => Effect::LoadTargets { generation, user_id },
            PickerKind::Periods { group_id } => Effect::LoadPeriods { generation, group_id },
            PickerKind::Recent | PickerKind::Profiles => return,
        });
    }

    pub(super) fn pick_target(&mut self, fx: &mut Vec<Effect>) {
        if !self.customer_ready(super::state::AfterLookup::PickTarget, fx) {
            return;
        }
        let Some(user_id) = self.customer_id() else {
            return self.flash("Enter a valid customer first: their targets are looked up from it.");
        };
        if let Some(groups) = self.workflow.targets.get(&user_id) {
            let items = TargetChoice::from_groups(groups).into_iter().map(PickerItem::Target).collect();
            let mut picker = Picker::with_items(PickerKind::Targets { user_id }, items);
            picker.select_current();
            self.screen.open_overlay(Overlay::Picker(picker));
            return;
        }
        self.open_picker(PickerKind::Targets { user_id }, fx);
    }

    pub(super) fn targets_loaded(
        &mut self,
        generation: u64,
        user_id: i64,
        result: Result<Fetched<Vec<UserTargetGroup>>, ApiError>,
    ) {
        let for_summary = self.workflow.targets_pending.is_some_and(|(g, _)| g == generation);
        if for_summary {
            self.workflow.targets_pending = None;
        }
        let result = result.map(|f| {
            // Kept for the case note: every request made, with its request id.
            self.workflow.target_requests.insert(user_id, f.meta);
            f.value
        });
        match &result {
            Ok(groups) => {
                self.workflow.targets.insert(user_id, Arc::new(groups.clone()));
                self.refresh_summary();
            }
            Err(e) if for_summary => {
                // The verdict waits for the targets too: it waits no more.
                self.workflow.verdict_wanted = None;
                self.warn(&format!("The summary has no targets: looking them up failed. {}", e.sentence()))
            }
            Err(_) => {}
        }
        let Some(Overlay::Picker(p)) = self.screen.overlay_mut() else { return };
        if p.generation != generation {
            return;
        }
        p.loading = false;
        match result {
            Ok(groups) => {
                p.items = TargetChoice::from_groups(&groups).into_iter().map(PickerItem::Target).collect();
                p.select_current();
            }
            Err(e) => p.error = Some(e),
        }
    }

    /// The target group in play: the last one picked, else the shown events'.
    pub(super) fn current_group(&self) -> Option<i64> {
        self.workflow.group_id.or_else(|| self.events().first().map(|e| e.target_group_id))
    }

    pub(super) fn pick_period(&mut self, fx: &mut Vec<Effect>) {
        match self.current_group() {
            Some(group_id) => self.open_picker(PickerKind::Periods { group_id }, fx),
            None => self.flash("Pick a target first (t), or load its events: periods belong to a target group."),
        }
    }

    pub(super) fn periods_loaded(&mut self, generation: u64, result: Result<Vec<TargetPeriod>, ApiError>) {
        let Some(Overlay::Picker(p)) = self.screen.overlay_mut() else { return };
        if p.generation != generation {
            return;
        }
        p.loading = false;
        match result {
            Ok(periods) => p.items = periods.into_iter().map(PickerItem::Period).collect(),
            Err(e) => p.error = Some(e),
        }
    }

    pub(super) fn pick_recent(&mut self) {
        if self.workflow.recent.is_empty() {
            return self.flash("No recent queries yet.");
        }
        let items = self.workflow.recent.iter().cloned().map(PickerItem::Recent).collect();
        self.screen.open_overlay(Overlay::Picker(Picker::with_items(PickerKind::Recent, items)));
    }

    /// A key for the open picker: the picker moves and filters itself;
    /// what reaches beyond it (the recent list on disk) is done here.
    pub(super) fn picker_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) {
        let Some(Overlay::Picker(p)) = self.screen.overlay_mut() else { return };
        match p.key(key) {
            PickerEvent::None => {}
            PickerEvent::Forget(r) => {
                self.workflow.recent.retain(|x| *x != r);
                fx.push(Effect::SaveRecent(self.workflow.recent.clone()));
            }
            PickerEvent::ForgetAll => {
                self.workflow.recent.clear();
                self.screen.close_overlay();
                fx.push(Effect::SaveRecent(Vec::new()));
                self.flash("Recent queries cleared.");
            }
        }
    }

    pub(super) fn choose_picked(&mut self, fx: &mut Vec<Effect>) {
        let Some(Overlay::Picker(p)) = self.screen.overlay() else { return };
        let Some(item) = p.selected_item().cloned() else { return };
        self.screen.close_overlay();
        let query = match item {
            PickerItem::Target(t) => {
                self.set_field(Field::RuleId, &t.rule_id.to_string());
                self.set_field(Field::PeriodId, &t.period_id.map(|p| p.to_string()).unwrap_or_default());
                self.workflow.group_id = Some(t.group_id);
                self.query_from_inputs()
            }
            PickerItem::Period(period) => {
                self.set_field(Field::PeriodId, &period.id.to_string());
                self.query_from_inputs()
            }
            PickerItem::Recent(r) => {
                self.set_field(Field::UserId, &r.user_id.to_string());
                // The form it was typed in, already known to be this id.
                if let Some(typed) = &r.typed
                    && let Ok(customer) = CustomerRef::parse(typed)
                {
                    self.workflow.customers.insert(customer, r.user_id);
                    self.set_field(Field::UserId, typed);
                }
                self.set_field(Field::RuleId, &r.rule_id.to_string());
                self.set_field(Field::PeriodId, &r.period_id.map(|p| p.to_string()).unwrap_or_default());
                Some(recent_query(&r, self.results.limit))
            }
            PickerItem::Profile(p) => return self.use_profile(p.name, fx),
        };
        match query {
            Some(q) => self.new_query(q, fx),
            None => self.flash("Fix the marked fields first: nothing was sent."),
        }
    }

    pub(super) fn remember_recent(&mut self, q: EventsQuery, fx: &mut Vec<Effect>) {
        let at = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
        let typed = self
            .resolved_customer()
            .filter(|(_, id)| *id == q.user_id)
            .map(|_| self.field(Field::UserId).input.value().trim().to_string());
        let entry = RecentQuery { user_id: q.user_id, rule_id: q.rule_id, period_id: q.period_id, at, typed };
        recent::remember(&mut self.workflow.recent, entry);
        fx.push(Effect::SaveRecent(self.workflow.recent.clone()));
    }
}
