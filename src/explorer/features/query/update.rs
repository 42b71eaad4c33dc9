//! The customer field's other forms: a mobile, email, external id or card is
//! looked up once (per profile, for the session) and Enter then goes on as it
//! would with the id.

use crate::api::error::codes;
use crate::api::{ApiError, CustomerRef, Field};
use crate::core::customer::{Found, FoundBy};
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
    fx.push(Effect::Lookup { generation, customer, instead: None });
    false
}

/// The API said no customer has the id typed (310011). When the digits make
/// a plausible mobile that was not tried yet, it is looked up within the
/// same Enter, which then goes on as `then`; true when it was.
pub(crate) fn try_as_mobile(app: &mut App, then: AfterLookup, fx: &mut Vec<Effect>) -> bool {
    let Ok(customer) = app.customer() else { return false };
    let Some(mobile) = customer.as_mobile(app.form.country_code.as_deref()) else { return false };
    if app.workflow.customers.contains_key(&customer) || app.form.resolving.is_some() {
        return false;
    }
    app.generation += 1;
    let generation = app.generation;
    app.form.resolving = Some(Resolving { generation, customer: customer.clone(), then });
    fx.push(Effect::Lookup { generation, customer, instead: Some(mobile) });
    true
}

pub(crate) fn looked_up(
    app: &mut App,
    generation: u64,
    customer: CustomerRef,
    result: Result<Found, ApiError>,
    fx: &mut Vec<Effect>,
) {
    // A late answer to a superseded lookup is dropped.
    let Some(r) = app.form.resolving.take_if(|r| r.generation == generation) else { return };
    // The status line shows this request's id, as for any other.
    app.results.last_request = Some(match &result {
        Ok(Found { lookup: Some(meta), .. }) => {
            LastRequest { elapsed: meta.elapsed, request_id: meta.request_id.clone(), status: Some(meta.status) }
        }
        Ok(_) => LastRequest::default(),
        Err(e) => LastRequest { elapsed: Default::default(), request_id: e.request_id.clone(), status: e.status },
    });
    match result {
        Ok(found) => {
            let how = found.sentence(app.form.country_code.as_deref());
            if let (FoundBy::MobileAfterId { .. }, Some(by)) = (&found.by, found.found_by()) {
                app.workflow.found_how.insert(customer.clone(), by);
            }
            if let Some(meta) = found.lookup {
                app.workflow.lookup_requests.insert(customer.clone(), meta);
            }
            app.workflow.customers.insert(customer, found.user_id);
            match r.then {
                AfterLookup::Submit => paging::submit(app, fx),
                AfterLookup::PickTarget => pickers::pick_target(app, fx),
            }
            // Said after the query starts, so it stays for this customer.
            if let Some(how) = how {
                app.warn(&format!("{how}."));
            }
        }
        Err(e) if e.code() == Some(codes::CUSTOMER_NOT_FOUND) => {
            let id = e.request_id.as_deref().unwrap_or("-");
            let cc = app.form.country_code.as_deref();
            // Digits tried as an id and as a mobile: both are named.
            let tried = match customer.as_mobile(cc) {
                Some(CustomerRef::Mobile(m)) => {
                    format!("{customer} nor mobile {}", crate::api::customer::spoken_mobile(&m, cc))
                }
                _ => customer.to_string(),
            };
            let message = format!("no customer with {tried} · request id {id}");
            // The field may be too narrow for all of it: the status line has it whole.
            app.warn(&format!("No customer with {tried} (code 8015)."));
            app.field_mut(Field::UserId).api_error = Some((codes::CUSTOMER_NOT_FOUND, message));
            app.form.focus = Focus::Input(Field::UserId);
        }
        Err(e) => app.results.error = Some(e),
    }
}
