//! The customer field's other forms: a mobile, email, external id or card is
//! looked up once (per profile, for the session) and Enter then goes on as it
//! would with the id.

use crate::api::error::codes;
use crate::api::{ApiError, CustomerRef};
use crate::core::customer::{Found, FoundBy};
use crate::explorer::app::Field;
use crate::explorer::app::action::Ask;
use crate::explorer::app::action::Effect;
use crate::explorer::app::state::{AfterLookup, App, Focus, LastRequest};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

pub(crate) fn looked_up(app: &mut App, generation: u64, customer: CustomerRef, result: Result<Found, ApiError>) {
    // A late answer to a superseded lookup is dropped.
    let Some(r) = app.form.resolving.take_if(|r| r.generation == generation) else { return };
    // The status line shows this request's id, as for any other.
    app.case.results.last_request = Some(match &result {
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
            app.ask(match r.then {
                AfterLookup::Submit => Ask::Submit,
                AfterLookup::PickTarget => Ask::PickTarget,
            });
            // Said after the query starts, so it stays for this customer.
            if let Some(how) = how {
                app.ask(Ask::Warn(format!("{how}.")));
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
        Err(e) => app.case.results.error = Some(e),
    }
}

/// `u`, `i`, `Esc` from the table, a click: the cursor goes to the customer
/// field with its text selected, so what is typed next replaces it.
pub(crate) fn select_customer(app: &mut App) {
    app.form.focus = Focus::Input(Field::UserId);
    app.form.selected = !app.field(Field::UserId).input.value().is_empty();
}

/// A key typed into the focused query field. Over selected text, a
/// character or a deletion replaces all of it; any other key keeps it.
pub(crate) fn edit(app: &mut App, key: KeyEvent, fx: &mut Vec<Effect>) {
    let Focus::Input(f) = app.form.focus else { return };
    let selected = std::mem::take(&mut app.form.selected);
    let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let field = app.field_mut(f);
    let before = field.input.value().to_string();
    match key.code {
        KeyCode::Backspace | KeyCode::Delete if selected => field.input = Input::default(),
        KeyCode::Char(_) if selected && plain => {
            field.input = Input::default();
            field.input.handle_event(&Event::Key(key));
        }
        _ => {
            field.input.handle_event(&Event::Key(key));
        }
    }
    if field.input.value() != before {
        field.api_error = None;
        if f == Field::UserId {
            customer_changed(app, fx);
        }
    }
}

/// Another customer is being typed: a new case (nothing of the last one
/// stays), the rule and period empty, and Enter opens the new one's targets.
pub(crate) fn customer_changed(app: &mut App, fx: &mut Vec<Effect>) {
    for f in [Field::RuleId, Field::PeriodId] {
        if !app.field(f).input.value().is_empty() || app.field(f).api_error.is_some() {
            app.set_field(f, "");
        }
    }
    app.new_case(fx);
}

/// A URL or cURL line pasted into the query: on this profile's origin, its
/// customer, rule and period are filled in and fetched as a new case;
/// elsewhere nothing is sent and the agent is told to switch profile.
pub(crate) fn paste_url(app: &mut App, url: crate::query_url::QueryUrl, fx: &mut Vec<Effect>) {
    let here = app.chrome.connection.base_url.origin();
    if url.base.origin() != here {
        let there = crate::sanitize::line(&url.base.origin().ascii_serialization()).into_owned();
        return app.warn(&format!(
            "That URL is on {there}, not this profile's origin: nothing was sent (T switches profile)."
        ));
    }
    app.set_field(Field::UserId, &url.user_id.to_string());
    customer_changed(app, fx);
    app.set_field(Field::RuleId, &url.rule_id.to_string());
    app.set_field(Field::PeriodId, &url.period_id.map(|p| p.to_string()).unwrap_or_default());
    app.form.focus = Focus::Table;
    // Its page and page size, as the URL asks (within the profile's largest).
    let limit = url.limit.map_or(app.case.results.limit, |l| l.clamp(1, app.case.results.max_limit));
    app.case.results.limit = limit;
    let page = url.page(app.chrome.connection.offset_mode, limit);
    match app.query_from_inputs() {
        Some(q) => app.ask(Ask::NewQuery(q.at_page(page))),
        None => app.flash(crate::explorer::app::told::NOTHING_TO_SEND),
    }
}

/// "No events for this rule": when the customer has no target with the
/// rule, say so and offer the targets they have.
pub(crate) fn check_rule(app: &mut App, user_id: i64, rule_id: i64, fx: &mut Vec<Effect>) {
    match app.case.targets_of(user_id) {
        Some(_) => {
            if app.target_of(user_id, rule_id, None).is_none() {
                app.ask(Ask::PickTarget);
                app.ask(Ask::Warn(format!("Customer {user_id} has no target with rule {rule_id}: these are theirs.")));
            }
        }
        None => {
            app.generation += 1;
            app.case.rule_check = Some((app.generation, user_id, rule_id));
            fx.push(Effect::LoadTargets { generation: app.generation, user_id });
        }
    }
}
