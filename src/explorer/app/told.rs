//! A failure as the explorer says it: the core's sentence and facts, and the
//! remedy with the keys in force where it is shown (from the binding table,
//! never typed).

use super::action::Action;
use super::keys::keys_for;
use super::screen::Owner;
use crate::api::ApiError;
use crate::core::told::{Remedy, Told};

/// The key that asks again where `owner` has the screen: `r` over the
/// table and panels, Enter in a query field; none in an overlay.
pub fn retry_key(owner: Owner) -> Option<String> {
    [Action::Refresh, Action::Submit]
        .into_iter()
        .find_map(|a| keys_for(owner, a).and_then(|k| k.first()).map(|k| k.label()))
}

/// The remedy, naming the keys that work where `owner` has the screen.
pub fn remedy(r: &Remedy, owner: Owner) -> String {
    let retry = retry_key(owner);
    match (r, retry) {
        (Remedy::RetryAfterWait, Some(k)) => format!("Press {k} to retry once the wait is over."),
        (Remedy::RetryThenEscalate, Some(k)) => {
            format!("Press {k} to retry; if it persists, escalate with the request id.")
        }
        (Remedy::CheckConnection, Some(k)) => format!("Check the connection (VPN?), then press {k} to retry."),
        (Remedy::Correct(_), _) => match keys_for(Owner::Query, Action::Submit).and_then(|k| k.first()) {
            Some(k) => format!("Correct the highlighted field and press {}.", k.label()),
            None => r.plain(),
        },
        (other, _) => other.plain(),
    }
}

/// What an error banner says: the sentence, the facts, the remedy if any.
pub fn banner_lines(e: &ApiError, owner: Owner) -> Vec<String> {
    let mut v = vec![e.sentence(), e.facts()];
    v.extend(e.remedy().map(|r| remedy(&r, owner)));
    v
}
