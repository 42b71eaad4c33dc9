//! Drives the app the way the runtime does, without a terminal or network:
//! keys go through `update`, fetch effects are answered from the demo dataset
//! (or a given result) with fixed timings, and frames render on a TestBackend.

use std::cell::Cell;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use target_events::api::error::ErrorKind;
use target_events::api::fetch_all::{AllEvents, PageSource, fetch_all_from};
use target_events::api::response::interpret_events;
use target_events::api::{ApiError, EventsOutcome, EventsQuery, Fetched, OffsetMode, ResponseMeta};
use target_events::core::customer::{Directory, as_mobile_instead, resolve};
use target_events::demo::Dataset;
use target_events::explorer::app::layout::FrameInfo;
use target_events::explorer::app::state::AppOptions;
use target_events::explorer::app::{App, Effect, Msg};
use target_events::explorer::ui::theme::Theme;

/// The embedded dataset, parsed once per test binary.
fn shared_dataset() -> std::sync::Arc<Dataset> {
    static DATASET: std::sync::OnceLock<std::sync::Arc<Dataset>> = std::sync::OnceLock::new();
    DATASET.get_or_init(|| std::sync::Arc::new(Dataset::embedded())).clone()
}

/// The demo dataset answering events queries as the demo API would, each
/// answer read by the product's own [`interpret_events`] (310149 included).
pub struct DemoPages {
    pub dataset: std::sync::Arc<Dataset>,
    answered: Cell<u64>,
}

impl DemoPages {
    pub fn answer(&self, query: &EventsQuery) -> Result<Fetched<EventsOutcome>, ApiError> {
        self.answered.set(self.answered.get() + 1);
        let request_id = format!("8c1f02d7-{:04}", self.answered.get());
        let url = format!("http://127.0.0.1/v3/users/{}/trackedTargetEvents/{}", query.user_id, query.rule_id);
        let answer = self.dataset.events_page(
            query.user_id,
            query.rule_id,
            query.period_id,
            u64::from(query.limit),
            u64::from(query.page),
            OffsetMode::Page,
        );
        let (status, body) = match answer {
            Ok(v) => (200, v.to_string()),
            Err(e) => {
                let errors = serde_json::json!([{ "code": e.code, "message": e.message }]);
                (e.status, serde_json::json!({ "data": null, "errors": errors, "warnings": null }).to_string())
            }
        };
        let mut result = interpret_events(status, Some(request_id), None, &url, body.as_bytes());
        if let Ok(fetched) = &mut result {
            fetched.meta.elapsed = Duration::from_millis(143);
        }
        result
    }
}

impl DemoPages {
    /// The demo API's answer to a lookup by `name` (`id`, `mobile`, …).
    pub fn lookup_by(&self, name: &str, value: &str) -> Result<Fetched<i64>, ApiError> {
        self.answered.set(self.answered.get() + 1);
        let request_id = format!("8c1f02d7-{:04}", self.answered.get());
        match self.dataset.lookup(name, value) {
            Ok(id) => {
                let url = format!("http://127.0.0.1/v2/customers/lookup?identifierName={name}");
                let meta = ResponseMeta { status: 200, request_id: Some(request_id), url, ..ResponseMeta::default() };
                Ok(Fetched { value: id, meta })
            }
            Err(e) => Err(ApiError::new(
                ErrorKind::Api { code: Some(e.code), message: e.message.to_string(), more: vec![] },
                Some(e.status),
                Some(request_id),
                "http://127.0.0.1/v2/customers/lookup",
            )),
        }
    }
}

impl Directory for DemoPages {
    async fn lookup_identifier(&self, name: &str, value: &str) -> Result<Fetched<i64>, ApiError> {
        self.lookup_by(name, value)
    }

    async fn customer_exists(&self, user_id: i64) -> Result<bool, ApiError> {
        Ok(self.dataset.customer(user_id).is_some())
    }
}

impl PageSource for DemoPages {
    async fn page(&self, query: EventsQuery) -> Result<Fetched<EventsOutcome>, ApiError> {
        self.answer(&query)
    }
}

pub struct Harness {
    pub app: App,
    pub theme: Theme,
    pub dataset: std::sync::Arc<Dataset>,
    /// The demo API's answers, read by the product's own code.
    pub pages: DemoPages,
    /// Effects returned by `update` and not yet answered.
    pub pending: Vec<Effect>,
    /// Effects the harness does not carry out (export, copy, save), for inspection.
    pub other: Vec<Effect>,
    /// How fetch-all runs, as the app was given it.
    pub all_options: target_events::api::fetch_all::FetchAllOptions,
}

impl Harness {
    pub fn new(width: u16, height: u16) -> Harness {
        Harness::with_theme(width, height, Theme::COLOR)
    }

    pub fn with_theme(width: u16, height: u16, theme: Theme) -> Harness {
        Harness::built(width, height, theme, |_| {})
    }

    /// A harness whose app starts with the options `shape` gives it (a
    /// connection, profiles, recent queries, a country code…).
    pub fn with_options(width: u16, height: u16, shape: impl FnOnce(&mut AppOptions)) -> Harness {
        Harness::built(width, height, Theme::COLOR, shape)
    }

    fn built(width: u16, height: u16, theme: Theme, shape: impl FnOnce(&mut AppOptions)) -> Harness {
        let mut options = AppOptions::new("DEMO", 10, 1000);
        shape(&mut options);
        let all_options = options.all_options;
        let mut app = App::new(options);
        app.update(target_events::explorer::app::Msg::Resize(width, height));
        // A fixed clock, so every time a screen shows ("as of …") is the same each run.
        app.set_clock(chrono::NaiveDateTime::parse_from_str("2025-10-22 15:00:00", "%Y-%m-%d %H:%M:%S").ok());
        // …and a fixed zone for it, whatever this machine's.
        target_events::core::clock::fix_offset(chrono::FixedOffset::east_opt(5 * 3600 + 1800).unwrap());
        let dataset = shared_dataset();
        let pages = DemoPages { dataset: dataset.clone(), answered: Cell::new(0) };
        Harness { app, theme, dataset, pages, pending: Vec::new(), other: Vec::new(), all_options }
    }

    /// Feeds one message to `update` and draws, storing what the frame
    /// reports, as the runtime does.
    pub fn send(&mut self, msg: Msg) {
        let fx = self.app.update(msg);
        // A retired case is freed, as the runtime does (off its thread there).
        self.pending.extend(fx.into_iter().filter(|e| !matches!(e, Effect::Retire(_))));
        let info = draw_app(&self.app, &self.theme).1;
        self.app.frame_drawn(info);
    }

    pub fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn key_mod(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        self.send(Msg::Key(KeyEvent::new(code, modifiers)));
    }

    /// Types text, one key per character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Fills the three inputs and presses Enter.
    pub fn query(&mut self, user: &str, rule: &str, period: &str) {
        self.type_text(user);
        self.key(KeyCode::Tab);
        self.type_text(rule);
        self.key(KeyCode::Tab);
        self.type_text(period);
        self.key(KeyCode::Enter);
    }

    /// Selects row `row` of the events table as a user would: the first
    /// row, then down.
    pub fn select_row(&mut self, row: usize) {
        self.key(KeyCode::Char('g'));
        for _ in 0..row {
            self.key(KeyCode::Char('j'));
        }
    }

    /// The demo API's answer to `query`, with a fixed duration and request id.
    pub fn respond(&mut self, query: &EventsQuery) -> Result<Fetched<EventsOutcome>, ApiError> {
        self.pages.answer(query)
    }

    pub fn targets_for(
        &self,
        user_id: i64,
    ) -> Result<Fetched<Vec<target_events::api::model::UserTargetGroup>>, ApiError> {
        match self.dataset.target_groups(user_id) {
            Ok(v) => {
                let groups = serde_json::from_value(v["data"]["targetGroups"].clone()).expect("groups parse");
                let meta = ResponseMeta {
                    status: 200,
                    request_id: Some(format!("8c1f02d7-groups-{user_id}")),
                    url: format!("http://127.0.0.1/v3/users/{user_id}/targetGroups"),
                    ..ResponseMeta::default()
                };
                Ok(Fetched { value: groups, meta })
            }
            Err(e) => Err(demo_error(&e)),
        }
    }

    /// Every page of `query` from the dataset, as fetch-all would assemble it.
    pub fn all_for(&mut self, query: EventsQuery) -> Result<AllEvents, ApiError> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        runtime.block_on(fetch_all_from(&self.pages, query, self.all_options, std::sync::Arc::new(|_| {})))
    }

    /// The demo's bills of `user_id` from `from` to `to`, as read.
    pub fn bills_for(
        &self,
        user_id: i64,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<target_events::api::bills::BillsRead, ApiError> {
        let page =
            self.dataset.bills_page_at(user_id, (Some(from), Some(to)), 1000, 0, None).map_err(|e| demo_error(&e))?;
        let bills = page["data"]
            .as_array()
            .map_or_else(Vec::new, |l| l.iter().filter_map(target_events::api::bills::Bill::from_value).collect());
        let meta = ResponseMeta {
            status: 200,
            request_id: Some("8c1f02d7-bills".into()),
            url: format!("http://demo/v2/customers/{user_id}/transactions"),
            ..Default::default()
        };
        Ok(target_events::api::bills::BillsRead { bills, requests: vec![meta], ..Default::default() })
    }

    /// Answers every pending fetch and prefetch from the dataset, in order.
    pub fn answer_all(&mut self) {
        while !self.pending.is_empty() {
            let effects = std::mem::take(&mut self.pending);
            for effect in effects {
                match effect {
                    Effect::Fetch { generation, query } => {
                        let result = self.respond(&query);
                        self.send(Msg::Fetched { generation, query, elapsed: Duration::from_millis(143), result });
                    }
                    Effect::Prefetch { query } => {
                        let result = self.respond(&query);
                        self.send(Msg::Prefetched { query, result });
                    }
                    Effect::LoadTargets { generation, user_id } => {
                        let result = self.targets_for(user_id);
                        self.send(Msg::TargetsLoaded { generation, user_id, result });
                    }
                    Effect::LoadPeriods { generation, group_id } => {
                        let result = match self.dataset.target_periods(group_id) {
                            Ok(v) => Ok(serde_json::from_value(v["data"].clone()).expect("periods parse")),
                            Err(e) => Err(demo_error(&e)),
                        };
                        self.send(Msg::PeriodsLoaded { generation, result });
                    }
                    Effect::FetchAll { generation, query } => {
                        let result = self.all_for(query);
                        self.send(Msg::AllDone { generation, query, result });
                    }
                    Effect::LoadBills { generation, user_id, from, to } => {
                        let result = self.bills_for(user_id, from, to);
                        self.send(Msg::BillsLoaded { generation, user_id, result });
                    }
                    Effect::Lookup { generation, customer, instead } => {
                        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
                        let result = runtime.block_on(async {
                            match instead {
                                Some(mobile) => as_mobile_instead(&self.pages, &customer, mobile).await,
                                None => resolve(&self.pages, &customer, None).await,
                            }
                        });
                        self.send(Msg::LookedUp { generation, customer, result });
                    }
                    Effect::Cancel { .. } => {}
                    other => self.other.push(other),
                }
            }
        }
    }

    /// Answers the pending main fetch with `result` (prefetches stay pending).
    pub fn answer_with(&mut self, result: Result<Fetched<EventsOutcome>, ApiError>) {
        let i = self.pending.iter().position(|e| matches!(e, Effect::Fetch { .. })).expect("a fetch is pending");
        let Effect::Fetch { generation, query } = self.pending.remove(i) else { unreachable!() };
        self.send(Msg::Fetched { generation, query, elapsed: Duration::from_millis(143), result });
    }

    /// Prefetches fail, as when the connection drops before they answer:
    /// nothing is kept for those pages.
    pub fn forget_prefetches(&mut self) {
        let queries: Vec<EventsQuery> = self
            .pending
            .iter()
            .filter_map(|e| if let Effect::Prefetch { query } = e { Some(*query) } else { None })
            .collect();
        self.pending.retain(|e| !matches!(e, Effect::Prefetch { .. }));
        for query in queries {
            let lost = api_error(
                ErrorKind::Network {
                    host: "127.0.0.1".into(),
                    cause: target_events::api::error::NetCause::Interrupted,
                    detail: String::new(),
                },
                None,
            );
            self.send(Msg::Prefetched { query, result: Err(lost) });
        }
    }

    pub fn render(&self) -> Terminal<TestBackend> {
        render_app(&self.app, &self.theme)
    }

    /// The rendered screen as text lines.
    pub fn screen(&self) -> Vec<String> {
        buffer_lines(self.render().backend().buffer())
    }

    pub fn screen_text(&self) -> String {
        self.screen().join("\n")
    }
}

/// Draws `app` on a TestBackend of its own size.
pub fn render_app(app: &App, theme: &Theme) -> Terminal<TestBackend> {
    draw_app(app, theme).0
}

/// Draws `app` and returns the terminal and what the frame reported.
pub fn draw_app(app: &App, theme: &Theme) -> (Terminal<TestBackend>, FrameInfo) {
    let mut terminal = Terminal::new(TestBackend::new(app.size().width.max(1), app.size().height.max(1))).unwrap();
    let mut info = FrameInfo::default();
    terminal.draw(|f| info = target_events::explorer::ui::draw(app, theme, f)).unwrap();
    (terminal, info)
}

/// A buffer's text, one string per row.
pub fn buffer_lines(buffer: &ratatui::buffer::Buffer) -> Vec<String> {
    (0..buffer.area.height)
        .map(|y| (0..buffer.area.width).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>())
        .collect()
}

/// Where `needle` first stands on screen, as (x, y), for style assertions.
pub fn find(buffer: &ratatui::buffer::Buffer, needle: &str) -> (u16, u16) {
    for (y, line) in buffer_lines(buffer).iter().enumerate() {
        if let Some(byte) = line.find(needle) {
            return (line[..byte].chars().count() as u16, y as u16);
        }
    }
    panic!("{needle:?} not on screen");
}

pub fn demo_error(e: &target_events::demo::data::DemoError) -> ApiError {
    ApiError::new(
        ErrorKind::Api { code: Some(e.code), message: e.message.to_string(), more: vec![] },
        Some(e.status),
        Some("8c1f02d7-demo".into()),
        "http://127.0.0.1/v3",
    )
}

pub fn api_error(kind: ErrorKind, status: Option<u16>) -> ApiError {
    ApiError::new(
        kind,
        status,
        Some("5ec897b9-d9f0-4c1e".into()),
        "https://eu.api.capillarytech.com/v3/users/564332013/trackedTargetEvents/1986",
    )
}

impl Harness {
    /// Answers the pending main fetch from the dataset; prefetches stay in flight.
    pub fn answer_fetch(&mut self) {
        let query = self
            .pending
            .iter()
            .find_map(|e| if let Effect::Fetch { query, .. } = e { Some(*query) } else { None })
            .expect("a pending fetch");
        let result = self.respond(&query);
        self.answer_with(result);
    }

    /// Answers the main fetch and forgets the prefetches it starts, so the
    /// next pages must be fetched for real.
    pub fn answer_fetch_only(&mut self) {
        self.answer_fetch();
        self.forget_prefetches();
    }
}
