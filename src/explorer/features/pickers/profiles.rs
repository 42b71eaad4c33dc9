//! Switching profile (tenant) from the explorer. A pasted URL whose origin
//! has no profile opens this picker instead of sending anything; so does `T`.

use crate::explorer::app::action::{Effect, ProfileSwitch};
use crate::explorer::app::state::{App, Focus, Overlay};
use crate::explorer::features::pickers::picker::{Picker, PickerItem, PickerKind};

/// Opens the profile picker, offering `only` when given (the profiles a
/// URL matched), with `note` saying why it opened.
pub fn pick_profile(app: &mut App, note: Option<String>, only: Option<&[String]>) {
    if app.workflow.profiles.is_empty() {
        let text = note.unwrap_or_else(|| "No profiles: add one to the config file to switch tenant.".into());
        return app.flash(&text);
    }
    let items = app
        .workflow
        .profiles
        .iter()
        .filter(|p| only.as_ref().is_none_or(|o| o.contains(&p.name)))
        .cloned()
        .map(PickerItem::Profile)
        .collect();
    let mut picker = Picker::with_items(PickerKind::Profiles, items);
    picker.note = note;
    app.screen.open_overlay(Overlay::Picker(picker));
}

pub(crate) fn use_profile(app: &mut App, name: String, fx: &mut Vec<Effect>) {
    app.flash(&format!("Switching to profile {name}…"));
    fx.push(Effect::UseProfile { name });
}

/// Everything learnt from the old origin is forgotten: answers still on
/// their way are dropped by generation, cached pages are cleared.
pub(crate) fn profile_changed(app: &mut App, result: Result<ProfileSwitch, String>, fx: &mut Vec<Effect>) {
    let switch = match result {
        Ok(s) => s,
        Err(e) => return app.fail(&format!("Could not switch profile: {e}")),
    };
    app.chrome.label = switch.label;
    app.chrome.connection = switch.connection;
    // Everything learnt from the old tenant goes: the case, and the lookups.
    app.new_case(fx);
    app.workflow.customers.clear();
    app.workflow.found_how.clear();
    app.workflow.lookup_requests.clear();
    if let Some(r) = app.form.resolving.take() {
        fx.push(Effect::Cancel { generation: r.generation });
    }
    app.rebuild_view();
    match app.query_from_inputs() {
        Some(q) => app.ask(crate::explorer::app::action::Ask::NewQuery(q)),
        None => app.form.focus = Focus::Input(crate::explorer::app::Field::UserId),
    }
    // Said after the query starts, so it is not wiped by it.
    app.ask(crate::explorer::app::action::Ask::Flash(format!("Now using profile {}.", app.chrome.label)));
}
