//! The customer field's other forms: a mobile, email, external id or card is
//! looked up once (per profile, for the session) and Enter then goes on as it
//! would with the id.

use crate::api::error::codes;
use crate::api::{ApiError, CustomerRef, Fetched, Field};
use crate::explorer::app::action::Effect;
use crate::explorer::app::state::{AfterLookup, App, Focus, LastRequest, Resolving};
use crate::explorer::features::events::paging;
use crate::explorer::features::pickers::update as pickers;

/// Whether Enter can go on now: the customer is an id or already known.
/// Otherwise the lookup starts (or, already under way, is told what to do
/// next) and Enter goes on when it answers.
pub(crate) fn customer_ready(app: &mut App, then: AfterLookup, fx: &mut Vec<Effect>) -> bool {
    // An invalid field is the caller's to report.
    let Ok(customer) = app.customer() else { return true };
    if customer.user_id().is_some() || app.workflow.customers.contains_key(&customer) {
        return true;
    }
    if let Some(r) = app.form.resolving.as_mut().filter(|r| r.customer == customer) {
        r.then = then;
        return false;
    }
    if let Some(old) = app.form.resolving.take() {
        fx.push(Effect::Cancel { generation: old.generation });
    }
    app.generation += 1;
    let generation = app.generation;
    app.form.resolving = Some(Resolving { generation, customer: customer.clone(), then });
    fx.push(Effect::Lookup { generation, customer });
    false
}

pub(crate) fn looked_up(
    app: &mut App,
    generation: u64,
    customer: CustomerRef,
    result: Result<Fetched<i64>, ApiError>,
    fx: &mut Vec<Effect>,
) {
    // A late answer to a superseded lookup is dropped.
    let Some(r) = app.form.resolving.take_if(|r| r.generation == generation) else { return };
    // The status line shows this request's id, as for any other.
    app.results.last_request = Some(match &result {
        Ok(found) => LastRequest {
            elapsed: found.meta.elapsed,
            request_id: found.meta.request_id.clone(),
            status: Some(found.meta.status),
        },
        Err(e) => LastRequest { elapsed: Default::default(), request_id: e.request_id.clone(), status: e.status },
    });
    match result {
        Ok(found) => {
            app.workflow.lookup_requests.insert(customer.clone(), found.meta);
            app.workflow.customers.insert(customer, found.value);
            match r.then {
                AfterLookup::Submit => paging::submit(app, fx),
                AfterLookup::PickTarget => pickers::pick_target(app, fx),
            }
        }
        Err(e) if e.code() == Some(codes::CUSTOMER_NOT_FOUND) => {
            let id = e.request_id.as_deref().unwrap_or("-");
            let message = format!("no customer with {customer} · request id {id}");
            // The field may be too narrow for all of it: the status line has it whole.
            app.warn(&format!("No customer with {customer} (code 8015)."));
            app.field_mut(Field::UserId).api_error = Some((codes::CUSTOMER_NOT_FOUND, message));
            app.form.focus = Focus::Input(Field::UserId);
        }
        Err(e) => app.results.error = Some(e),
    }
}
