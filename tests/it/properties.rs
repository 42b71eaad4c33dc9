//! Property tests: random key sequences with random answers in random order
//! never panic and end on the page last asked for; rendering never panics at
//! any size; arbitrary response bodies always yield a value or a typed error.

use std::time::Duration;
use target_events::core::told::Told;

use crossterm::event::KeyCode;
use proptest::prelude::*;
use target_events::api::error::ErrorKind;
use target_events::api::response::interpret_events;
use target_events::explorer::app::{Effect, Msg};

use crate::common::harness::{Harness, api_error};

#[derive(Clone, Debug)]
enum Op {
    Key(KeyCode),
    /// Answer the pending effect at this index (mod the count) with success,
    /// or with a server error.
    Answer(usize, bool),
    Tick,
    Resize(u16, u16),
}

fn keys() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        Just(KeyCode::Char('n')),
        Just(KeyCode::Char('p')),
        Just(KeyCode::Char(']')),
        Just(KeyCode::Char('[')),
        Just(KeyCode::Char('{')),
        Just(KeyCode::Char('}')),
        Just(KeyCode::Char('r')),
        Just(KeyCode::Char('j')),
        Just(KeyCode::Char('k')),
        Just(KeyCode::Char('G')),
        Just(KeyCode::Char('v')),
        Just(KeyCode::Char('s')),
        Just(KeyCode::Char('o')),
        Just(KeyCode::Char('?')),
        Just(KeyCode::Char(':')),
        Just(KeyCode::Char('=')),
        Just(KeyCode::Char('/')),
        Just(KeyCode::Char('3')),
        Just(KeyCode::Right),
        Just(KeyCode::Left),
        Just(KeyCode::PageDown),
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Backspace),
    ]
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            6 => keys().prop_map(Op::Key),
            4 => (0usize..8, prop::bool::weighted(0.8)).prop_map(|(i, ok)| Op::Answer(i, ok)),
            1 => Just(Op::Tick),
            1 => (1u16..200, 1u16..60).prop_map(|(w, h)| Op::Resize(w, h)),
        ],
        0..60,
    )
}

/// Answers pending effect `i`, successfully or with a 503.
fn answer(h: &mut Harness, i: usize, ok: bool) {
    if h.pending.is_empty() {
        return;
    }
    let effect = h.pending.remove(i % h.pending.len());
    match effect {
        Effect::Fetch { generation, query } => {
            let result = if ok {
                h.respond(&query)
            } else {
                Err(api_error(ErrorKind::Server { snippet: "<html>".into() }, Some(503)))
            };
            h.send(Msg::Fetched { generation, query, elapsed: Duration::from_millis(7), result });
        }
        Effect::Prefetch { query } => {
            let result = if ok {
                h.respond(&query)
            } else {
                Err(api_error(ErrorKind::Server { snippet: String::new() }, Some(502)))
            };
            h.send(Msg::Prefetched { query, result });
        }
        other => {
            // Everything else is answered the ordinary way.
            h.pending.push(other);
            h.answer_all();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_keys_and_answers_end_on_the_page_last_asked_for(ops in ops()) {
        let mut h = Harness::new(120, 36);
        h.query("712004518", "2410", "");
        h.answer_all();
        for op in ops {
            match op {
                Op::Key(k) => h.key(k),
                Op::Answer(i, ok) => answer(&mut h, i, ok),
                Op::Tick => h.send(Msg::Tick),
                Op::Resize(w, hh) => h.send(Msg::Resize(w, hh)),
            }
            // Whatever happens, a frame can be drawn.
            let _ = h.render();
        }
        let asked = h.app.asked();
        let shown_before = h.app.shown_query();
        // A fetch-all for the table loads every page; one for the verdict
        // (Enter in the summary, e) leaves the table as it is.
        let every_page = h.app.fetch_all_progress().is_some();
        h.answer_all();
        prop_assert!(h.app.asked().is_none());
        match asked {
            _ if every_page => prop_assert!(h.app.showing_all() || h.app.banner_error().is_some()),
            Some(q) => prop_assert_eq!(h.app.shown_query(), Some(q)),
            None => prop_assert_eq!(h.app.shown_query(), shown_before),
        }
        // The selection is always inside the view.
        prop_assert!(h.app.row_count() == 0 || h.app.table_view().selected < h.app.row_count());
    }

    #[test]
    fn arbitrary_bodies_never_panic_and_yield_a_typed_error(
        status in prop::sample::select(vec![200u16, 201, 400, 401, 403, 404, 429, 498, 500, 502, 503]),
        body in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        match interpret_events(status, Some("r".into()), None, "http://x/v3", &body) {
            Ok(_) => prop_assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok(), "only JSON can be a page"),
            Err(e) => {
                prop_assert!(!e.sentence().is_empty());
                prop_assert_eq!(e.status, Some(status));
                prop_assert!(!e.to_string().chars().any(target_events::sanitize::is_unsafe));
            }
        }
    }

    #[test]
    fn json_of_any_shape_never_panics(body in json_bodies()) {
        let bytes = body.to_string().into_bytes();
        let r = interpret_events(200, None, None, "http://x/v3", &bytes);
        if let Err(e) = r {
            prop_assert!(!e.to_string().chars().any(target_events::sanitize::is_unsafe));
        }
    }
}

/// Envelopes whose members have random types and values.
fn json_bodies() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        "[ -~\u{1b}\u{202e}]{0,12}".prop_map(serde_json::Value::String),
        "-?[0-9]{1,30}(\\.[0-9]{0,30})?".prop_map(|n| serde_json::from_str(&n).unwrap_or(serde_json::Value::Null)),
    ];
    let value = leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "eventLogId",
                        "eventName",
                        "targetValue",
                        "eventDate",
                        "uniqueId",
                        "periodId",
                        "code",
                        "message",
                        "x"
                    ]),
                    inner
                ),
                0..8
            )
            .prop_map(|kv| serde_json::Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    });
    (value.clone(), value.clone(), value)
        .prop_map(|(p, d, e)| serde_json::json!({"pagination": p, "data": d, "errors": e}))
}

/// Screens that exercise the most drawing code: results with the detail
/// pane and an error banner (hostile names), and the summary with its chart
/// under the target picker.
fn rich_screens() -> [Harness; 2] {
    let mut results = Harness::new(120, 36);
    results.query("666000666", "4040", "");
    results.answer_all();
    results.key(KeyCode::Char('r'));
    results.answer_with(Err(api_error(ErrorKind::Server { snippet: "<html>".into() }, Some(503))));
    let mut summary = Harness::new(120, 36);
    summary.query("564332013", "1986", "");
    summary.answer_all();
    summary.key(KeyCode::Char('s'));
    summary.key(KeyCode::Char('t'));
    summary.answer_all();
    [results, summary]
}

fn render_at(h: &mut Harness, w: u16, hh: u16) {
    h.send(Msg::Resize(w, hh));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, hh)).unwrap();
    let mut info = Default::default();
    terminal.draw(|f| info = target_events::explorer::ui::draw(&h.app, &h.theme, f)).unwrap();
    h.app.frame_drawn(info);
}

/// Every width at the edge heights and every height at the edge widths, plus
/// random sizes; the exhaustive sweep is `rendering_at_every_size` below.
#[test]
fn rendering_never_panics_at_the_edges() {
    for mut h in rich_screens() {
        for w in 1..=250u16 {
            for hh in [1, 2, 15, 16, 17, 23, 24, 80] {
                render_at(&mut h, w, hh);
            }
        }
        for hh in 1..=80u16 {
            for w in [1, 2, 59, 60, 61, 99, 100, 119, 120, 250] {
                render_at(&mut h, w, hh);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn rendering_never_panics_at_random_sizes(w in 1u16..=250, hh in 1u16..=80) {
        for mut h in rich_screens() {
            render_at(&mut h, w, hh);
        }
    }
}

/// Every size from 1×1 to 250×80 (40,000 frames): slow, so run it with
/// `cargo test --release --test properties -- --ignored`.
#[test]
#[ignore = "slow: 40,000 frames; run with --release -- --ignored"]
fn rendering_at_every_size() {
    for mut h in rich_screens() {
        for w in 1..=250u16 {
            for hh in 1..=80u16 {
                render_at(&mut h, w, hh);
            }
        }
    }
}
