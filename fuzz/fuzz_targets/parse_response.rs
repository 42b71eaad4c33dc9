//! Feeds arbitrary bytes to the events response parser, as a body with each
//! status the API is known to send. It must never panic, and every failure
//! must be a typed error whose text is safe for a terminal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use target_events::api::response::{interpret_events, parse_events_page};

fuzz_target!(|data: &[u8]| {
    let _ = parse_events_page(data);
    for status in [200u16, 400, 401, 404, 429, 498, 500, 503] {
        if let Err(e) = interpret_events(status, Some("fuzz".into()), None, "http://fuzz.invalid/v3", data) {
            assert!(!e.to_string().chars().any(target_events::sanitize::is_unsafe));
        }
    }
});
