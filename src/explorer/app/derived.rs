//! What the state says without storing it: the query shown and its pages,
//! the rows the table shows, the clock, the customer found, and the texts a
//! panel copies or writes (the case note, the batch rows).

use crate::api::{CustomerRef, EventsQuery};
use crate::explorer::app::state::App;

impl App {
    pub fn flash_no_query(&mut self) {
        self.flash(&format!("Enter a customer id and a target rule id first, {}.", self.how_to_send()));
    }

    /// How the query is sent from where the keys are now: "then press
    /// Enter" in a field; from elsewhere the key that goes to the fields.
    pub fn how_to_send(&self) -> String {
        use super::action::Action;
        use super::keys::key_of;
        use super::screen::Owner;
        match self.owner() {
            Owner::Query => format!("then press {}", key_of(&self.keymap, Owner::Query, Action::Submit)),
            owner => format!(
                "in the fields ({} goes there), then press {}",
                key_of(&self.keymap, owner, Action::EditQuery),
                key_of(&self.keymap, Owner::Query, Action::Submit)
            ),
        }
    }

    /// A fetch-all under way, for the table or the verdict (ticks the spinner).
    pub fn fetching_all(&self) -> bool {
        self.case.all_run.is_some() || self.case.verdict_run.is_some()
    }

    /// Every event of the open verdict's rule, as read for it (not the table's).
    pub fn verdict_events(&self) -> &[crate::api::TargetEvent] {
        let Some(v) = self.screen.verdict() else { return &[] };
        self.case
            .rule_events
            .as_ref()
            .filter(|r| r.user_id == v.user_id() && r.rule_id == v.rule_id())
            .map_or(&[], |r| r.events.as_slice())
    }

    /// Whether the table shows every page of the query (a fetch-all's result).
    pub fn showing_all(&self) -> bool {
        self.case.results.shown.as_ref().is_some_and(|s| s.all.is_some())
    }

    /// The query navigation starts from: the one being fetched, else the one shown.
    pub fn base_query(&self) -> Option<EventsQuery> {
        self.case
            .results
            .in_flight
            .as_ref()
            .map(|f| f.query)
            .or_else(|| self.case.results.shown.as_ref().map(|s| s.query))
    }

    /// Pages in the result of the base query, when the shown page tells.
    pub fn known_pages(&self) -> Option<u32> {
        let base = self.base_query()?;
        let shown = self.case.results.shown.as_ref()?;
        let same = EventsQuery { page: 0, ..shown.query } == EventsQuery { page: 0, ..base };
        if same { shown.info().page_count() } else { None }
    }

    /// Rows the table shows at once.
    pub fn page_rows(&self) -> usize {
        super::layout::areas(self.chrome.size, self).table_rows().max(1)
    }

    /// What the customer field stands for once looked up: `→ 7000006`
    /// (an id typed as such stands for itself, unless no customer had it and
    /// its digits were found as a mobile).
    pub fn resolved_customer(&self) -> Option<(CustomerRef, i64)> {
        let customer = self.customer().ok()?;
        self.workflow.customers.get(&customer).map(|id| (customer, *id))
    }

    /// The window of the period `e` counted in, when the customer's targets
    /// are known and its date falls outside it: an event that counted in
    /// another period than its date's.
    pub fn dated_elsewhere(&self, e: &crate::api::TargetEvent) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        let user = self.case.results.shown.as_ref().map_or(e.customer_id, |s| s.query.user_id);
        let target = self.target_of(user, e.target_rule_id, Some(e.period_id))?;
        // The verdict's own rule: instants where the API gives them, and
        // nothing claimed near a boundary when it gives only local strings.
        let window = crate::core::verdict::window::Window::of(target);
        let outside = window.place_event(e) == Some(crate::core::verdict::window::Placement::Outside);
        outside.then_some((window.start_day?, window.end_day?))
    }

    /// The customer's target with `rule` (in `period`, when given), once
    /// their targets are known.
    pub fn target_of(&self, user_id: i64, rule: i64, period: Option<i64>) -> Option<&crate::api::model::UserTarget> {
        self.case
            .targets_of(user_id)?
            .groups
            .iter()
            .flat_map(|g| &g.targets)
            .find(|t| t.target_rule_id == rule && period.is_none_or(|p| t.period_id == Some(p)))
    }

    /// The clock the verdict counts days left with (fixed in tests).
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.chrome.clock.unwrap_or_else(|| chrono::Local::now().naive_local())
    }

    /// The verdict as a Markdown case note: the customer (and what found
    /// them), the target, the verdicts, and every request made with its
    /// request id and a cURL line without any secret.
    pub fn case_note(&self) -> Option<String> {
        use crate::core::case_note::{NoteFacts, report};
        let v = self.screen.verdict()?;
        let found = self.resolved_customer().filter(|(_, id)| *id == v.user_id()).map(|(c, _)| c);
        let mut requests: Vec<&crate::api::ResponseMeta> =
            found.as_ref().and_then(|c| self.workflow.lookup_requests.get(c)).into_iter().collect();
        let targets = self.case.targets_of(v.user_id());
        requests.extend(targets.and_then(|t| t.meta.as_ref()));
        let events = self.case.rule_events.as_ref().filter(|r| r.user_id == v.user_id() && r.rule_id == v.rule_id());
        requests.extend(events.iter().flat_map(|r| &r.requests));
        let case_bills = self.case.bills.as_ref().filter(|b| b.user_id == v.user_id());
        let bills = case_bills.and_then(|b| b.read.as_ref().ok());
        requests.extend(bills.iter().flat_map(|b| &b.requests));
        // A bills request that failed is listed too, with its request id.
        requests.extend(case_bills.and_then(|b| b.failed.as_ref()));
        let groups = targets.map_or(&[][..], |t| t.groups.as_slice());
        let facts = NoteFacts {
            user_id: v.user_id(),
            found_by: found.map(|c| self.workflow.found_how.get(&c).cloned().unwrap_or_else(|| c.to_string())),
            rule_id: v.rule_id(),
            groups,
            periods: v.periods().to_vec(),
            requests,
            now: self.now(),
        };
        Some(report(facts, &self.chrome.connection).markdown())
    }

    /// The rows shown (filtered and sorted), as CSV: what `x` writes.
    pub fn batch_csv(&self) -> Option<String> {
        let b = self.workflow.batch.as_ref()?;
        Some(crate::core::batch::csv_text(b.view().iter().filter_map(|&i| b.rows().get(i)), b.verdicts()))
    }

    /// The selected row as `header: value` lines: what `y` copies.
    pub fn batch_row_text(&self) -> Option<String> {
        let b = self.workflow.batch.as_ref()?;
        let row = b.selected_row()?;
        Some(row.as_lines())
    }

    pub fn selected_event_id(&self) -> Option<i64> {
        self.selected_event().map(|e| e.event_log_id)
    }

    /// The target group in play: the last one picked, else the shown events'.
    pub fn current_group(&self) -> Option<i64> {
        self.case.group_id.or_else(|| self.events().first().map(|e| e.target_group_id))
    }
}
