//! Finding the customer typed: an id goes on at once; a mobile, email,
//! external id or card is looked up once (per profile, for the session) and
//! what Enter meant goes on when it answers. The query, paging and the
//! pickers all ask this before they send.

use super::action::Effect;
use super::state::{AfterLookup, App, Resolving};
use crate::api::CustomerRef;

impl App {
    /// Whether Enter can go on now: the customer is an id or already known.
    /// Otherwise the lookup starts (or, already under way, is told what to do
    /// next) and Enter goes on when it answers.
    pub(crate) fn customer_ready(&mut self, then: AfterLookup, fx: &mut Vec<Effect>) -> bool {
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
        self.start_lookup(customer, None, then, fx);
        false
    }

    /// Starts the lookup of `customer` (as `instead`, when given), after which
    /// Enter goes on as `then`.
    fn start_lookup(
        &mut self,
        customer: CustomerRef,
        instead: Option<CustomerRef>,
        then: AfterLookup,
        fx: &mut Vec<Effect>,
    ) {
        self.generation += 1;
        let generation = self.generation;
        self.form.resolving = Some(Resolving { generation, customer: customer.clone(), then });
        fx.push(Effect::Lookup { generation, customer, instead });
    }

    /// The API said no customer has the id typed (310011). When the digits make
    /// a plausible mobile that was not tried yet, it is looked up within the
    /// same Enter, which then goes on as `then`; true when it was.
    pub(crate) fn try_as_mobile(&mut self, then: AfterLookup, fx: &mut Vec<Effect>) -> bool {
        let Ok(customer) = self.customer() else { return false };
        let Some(mobile) = customer.as_mobile(self.form.country_code.as_deref()) else { return false };
        if self.workflow.customers.contains_key(&customer) || self.form.resolving.is_some() {
            return false;
        }
        self.start_lookup(customer, Some(mobile), then, fx);
        true
    }
}
