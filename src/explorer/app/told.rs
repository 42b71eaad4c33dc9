//! A failure as the explorer says it: the core's sentence and facts, and the
//! remedy with the keys in force where it is shown (from the binding table,
//! never typed).

use super::action::Action;
use super::keys::keys_for;
use super::screen::Owner;
use crate::api::ApiError;
use crate::core::told::{Remedy, Told};

/// The key that asks the failed request again where `owner` has the
/// screen: `r` over the table and panels; Enter in a query field only when
/// what failed is the fields' first page (Enter sends that); none in an overlay.
pub fn retry_key(app: &super::state::App, owner: Owner) -> Option<String> {
    let label = |a| keys_for(&app.keymap, owner, a).and_then(|k| k.first()).map(|k| k.label());
    label(Action::Refresh).or_else(|| {
        let failed = app.case.results.failed;
        (failed.is_some() && failed == app.query_from_inputs()).then(|| label(Action::Submit)).flatten()
    })
}

/// Said when Enter (or a pick) finds no query to send: a field is empty or
/// holds what is no id; the marks under the fields say which.
pub const NOTHING_TO_SEND: &str = "The query is not complete (see under the fields): nothing was sent.";

/// The remedy, naming `retry` (the key that asks again, when one does here).
pub fn remedy(keymap: &super::keys::Keymap, r: &Remedy, retry: Option<String>) -> String {
    match (r, retry) {
        (Remedy::RetryAfterWait, Some(k)) => format!("Press {k} to retry once the wait is over."),
        (Remedy::RetryThenEscalate, Some(k)) => {
            format!("Press {k} to retry; if it persists, escalate with the request id.")
        }
        (Remedy::CheckConnection, Some(k)) => format!("Check the connection (VPN?), then press {k} to retry."),

        (Remedy::Correct(_), _) => match keys_for(keymap, Owner::Query, Action::Submit).and_then(|k| k.first()) {
            Some(k) => format!("Correct the highlighted field and press {}.", k.label()),
            None => r.plain(),
        },
        (other, _) => other.plain(),
    }
}

/// What an error banner says: the sentence, the facts, the remedy if any.
pub fn banner_lines(e: &ApiError, app: &super::state::App) -> Vec<String> {
    let mut v = vec![e.sentence(), e.facts()];
    let pick = keys_for(&app.keymap, app.owner(), Action::PickProfile).and_then(|k| k.first()).map(|k| k.label());
    v.extend(e.remedy().map(|r| match (r, pick) {
        // The key that lists the profiles, where it works.
        (Remedy::ChooseProfile, Some(key)) => {
            format!("Press {key} to choose a profile, or add one for this address to the config.")
        }
        (r, _) => remedy(&app.keymap, &r, retry_key(app, app.owner())),
    }));
    v
}
