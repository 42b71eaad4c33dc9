//! Switching profile (tenant) from the explorer. A pasted URL whose origin
//! has no profile opens this picker instead of sending anything; so does `T`.

use super::action::{Effect, ProfileSwitch};
use super::picker::{Picker, PickerItem, PickerKind};
use super::state::{App, Focus, Overlay};

impl App {
    /// Opens the profile picker, offering `only` when given (the profiles a
    /// URL matched), with `note` saying why it opened.
    pub fn pick_profile(&mut self, note: Option<String>, only: Option<&[String]>) {
        if self.workflow.profiles.is_empty() {
            let text = note.unwrap_or_else(|| "No profiles: add one to the config file to switch tenant.".into());
            return self.flash(&text);
        }
        let items = self
            .workflow
            .profiles
            .iter()
            .filter(|p| only.as_ref().is_none_or(|o| o.contains(&p.name)))
            .cloned()
            .map(PickerItem::Profile)
            .collect();
        let mut picker = Picker::with_items(PickerKind::Profiles, items);
        picker.note = note;
        self.screen.open_overlay(Overlay::Picker(picker));
    }

    pub(super) fn use_profile(&mut self, name: String, fx: &mut Vec<Effect>) {
        self.flash(&format!("Switching to profile {name}…"));
        fx.push(Effect::UseProfile { name });
    }

    /// Everything learnt from the old origin is forgotten: answers still on
    /// their way are dropped by generation, cached pages are cleared.
    pub(super) fn profile_changed(&mut self, result: Result<ProfileSwitch, String>, fx: &mut Vec<Effect>) {
        let switch = match result {
            Ok(s) => s,
            Err(e) => return self.fail(&format!("Could not switch profile: {e}")),
        };
        self.generation += 1;
        self.chrome.label = switch.label;
        self.chrome.connection = switch.connection;
        self.results.cache.clear();
        self.results.prefetching.clear();
        self.results.in_flight = None;
        self.workflow.all_run = None;
        self.results.shown = None;
        self.workflow.targets.clear();
        // Lookups were answered by the old tenant.
        self.workflow.customers.clear();
        self.workflow.lookup_requests.clear();
        self.workflow.target_requests.clear();
        self.form.resolving = None;
        self.workflow.targets_pending = None;
        self.workflow.group_id = None;
        self.results.error = None;
        self.screen.clear();
        self.workflow.verdict_wanted = None;
        self.rebuild_view();
        match self.query_from_inputs() {
            Some(q) => self.new_query(q, fx),
            None => self.form.focus = Focus::Input(crate::api::Field::UserId),
        }
        self.flash(&format!("Now using profile {}.", self.chrome.label));
    }
}
