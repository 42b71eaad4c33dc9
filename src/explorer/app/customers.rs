//! The customer field's other forms: a mobile, email, external id or card is
//! looked up once (per profile, for the session) and Enter then goes on as it
//! would with the id.

use super::action::Effect;
use super::state::{AfterLookup, App, Focus, LastRequest, Resolving};
use crate::api::error::codes;
use crate::api::{ApiError, CustomerRef, Fetched, Field};

impl App {
    /// Whether Enter can go on now: the customer is an id or already known.
    /// Otherwise the lookup starts (or, already under way, is told what to do
    /// next) and Enter goes on when it answers.
    pub(super) fn customer_ready(&mut self, then: AfterLookup, fx: &mut Vec<Effect>) -> bool {
        // An invalid field is the caller's to report.
        let Ok(customer) = self.customer() else { return true };
        if customer.user_id().is_some() || self.workflow.customers.contains_key(&customer) {
            return true;
        }
        if let Some(r) = self.form.resolving.as_mut().filter(|r| r.customer == customer) {
            r.then = then;
            return false;
        }
        if let Some(old) = self.form.resolving.take() {
            fx.push(Effect::Cancel { generation: old.generation });
        }
        self.generation += 1;
        let generation = self.generation;
        self.form.resolving = Some(Resolving { generation, customer: customer.clone(), then });
        fx.push(Effect::Lookup { generation, customer });
        false
    }

    pub(super) fn looked_up(
        &mut self,
        generation: u64,
        customer: CustomerRef,
        result: Result<Fetched<i64>, ApiError>,
        fx: &mut Vec<Effect>,
    ) {
        // A late answer to a superseded lookup is dropped.
        let Some(r) = self.form.resolving.take_if(|r| r.generation == generation) else { return };
        // The status line shows this request's id, as for any other.
        self.results.last_request = Some(match &result {
            Ok(found) => LastRequest {
                elapsed: found.meta.elapsed,
                request_id: found.meta.request_id.clone(),
                status: Some(found.meta.status),
            },
            Err(e) => LastRequest { elapsed: Default::default(), request_id: e.request_id.clone(), status: e.status },
        });
        match result {
            Ok(found) => {
                self.workflow.lookup_requests.insert(customer.clone(), found.meta);
                self.workflow.customers.insert(customer, found.value);
                match r.then {
                    AfterLookup::Submit => self.submit(fx),
                    AfterLookup::PickTarget => self.pick_target(fx),
                }
            }
            Err(e) if e.code() == Some(codes::CUSTOMER_NOT_FOUND) => {
                let id = e.request_id.as_deref().unwrap_or("-");
                let message = format!("no customer with {customer} · request id {id}");
                // The field may be too narrow for all of it: the status line has it whole.
                self.warn(&format!("No customer with {customer} (code 8015)."));
                self.field_mut(Field::UserId).api_error = Some((codes::CUSTOMER_NOT_FOUND, message));
                self.form.focus = Focus::Input(Field::UserId);
            }
            Err(e) => self.results.error = Some(e),
        }
    }

    /// What the customer field stands for once looked up: `→ 7000006`.
    pub fn resolved_customer(&self) -> Option<(CustomerRef, i64)> {
        let customer = self.customer().ok()?;
        if customer.user_id().is_some() {
            return None;
        }
        self.workflow.customers.get(&customer).map(|id| (customer, *id))
    }
}
