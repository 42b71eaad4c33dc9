//! Where each [`Ask`] goes: the one place a feature's request reaches the
//! feature that answers it, so features depend on messages, not on each other.

use super::action::{Ask, Effect};
use super::state::App;
use crate::explorer::features::bills::update as bills;
use crate::explorer::features::events::paging;
use crate::explorer::features::export::update as exports;
use crate::explorer::features::pickers::update as pickers;
use crate::explorer::features::query::update as query;
use crate::explorer::features::verdict::update as verdict;

impl App {
    /// Asks another feature for something, answered after this message.
    pub(crate) fn ask(&mut self, ask: Ask) {
        self.asks.push_back(ask);
    }

    /// Answers what was asked, in order; an answer may ask more.
    pub(super) fn answer_asks(&mut self, fx: &mut Vec<Effect>) {
        // A bound, so a feature asking in a loop cannot hang the explorer.
        for _ in 0..256 {
            let Some(ask) = self.asks.pop_front() else { return };
            match ask {
                Ask::Verdict { user_id, rule_id, period_id, open_bills } => {
                    verdict::want_verdict(self, user_id, rule_id, period_id, fx);
                    if let Some(w) = self.case.verdict_wanted.as_mut() {
                        w.open_bills = open_bills;
                    }
                }
                Ask::Reconcile { user_id, rule_id, period_id, open_bills } => {
                    verdict::reconcile(self, user_id, rule_id, period_id, open_bills)
                }
                Ask::ShowBills { user_id, period } => bills::show_bills(self, user_id, &period),
                Ask::ReadBillsAgain => verdict::read_bills_again(self, fx),
                Ask::NewQuery(q) => paging::new_query(self, q, fx),
                Ask::Submit => paging::submit(self, fx),
                Ask::PickTarget => pickers::pick_target(self, fx),
                Ask::RememberRecent(q) => pickers::remember_recent(self, q, fx),
                Ask::CheckRule { user_id, rule_id } => query::check_rule(self, user_id, rule_id, fx),
                Ask::Copy { title, text } => exports::copy(self, title, text, fx),
                Ask::SaveText { path, kind } => exports::ask_save_text(self, path, kind),
                Ask::SelectCustomer => query::select_customer(self),
                Ask::Warn(text) => self.warn(&text),
                Ask::Flash(text) => self.flash(&text),
            }
        }
        self.asks.clear();
    }
}
