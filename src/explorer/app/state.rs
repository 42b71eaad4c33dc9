//! The one state of the explorer. Drawing reads it; only `update` changes it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::core::case_note::ConnectionInfo;
use ratatui::layout::Rect;
use tui_input::Input;

use crate::api::{
    ApiError, BadCustomer, CustomerRef, EventsOutcome, EventsQuery, PageInfo, Param, ResponseMeta, TargetEvent,
};
use crate::explorer::features::batch::update as batch;

/// How much a notice matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// A message in the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
}

/// One of the query form's inputs. Each sends one query parameter, so an
/// API error that blames a parameter marks its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    UserId,
    RuleId,
    PeriodId,
}

impl Field {
    /// The field that sends `param`.
    pub fn sending(param: Param) -> Field {
        match param {
            Param::UserId => Field::UserId,
            Param::RuleId => Field::RuleId,
            Param::PeriodId => Field::PeriodId,
        }
    }

    /// The parameter's name, as the API documents it.
    pub fn label(self) -> &'static str {
        match self {
            Field::UserId => Param::UserId.label(),
            Field::RuleId => Param::RuleId.label(),
            Field::PeriodId => Param::PeriodId.label(),
        }
    }

    /// The field an API error blames, if any.
    pub fn blamed(e: &ApiError) -> Option<Field> {
        e.param().map(Field::sending)
    }
}

/// Whether a query field has the cursor, or what is drawn below it (the
/// table, or the panel on top of the screen's stack) has the keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Input(Field),
    Table,
}

impl Focus {
    pub const FIELDS: [Focus; 3] =
        [Focus::Input(Field::UserId), Focus::Input(Field::RuleId), Focus::Input(Field::PeriodId)];
}

/// One query input: the text, and the API's complaint about it until edited.
#[derive(Clone, Debug, Default)]
pub struct FieldInput {
    pub(crate) input: Input,
    pub(crate) api_error: Option<(i64, String)>,
}

impl FieldInput {
    /// The text typed.
    pub fn text(&self) -> &str {
        self.input.value()
    }

    /// The API's code and message blaming this field, until it is edited.
    pub fn complaint(&self) -> Option<&(i64, String)> {
        self.api_error.as_ref()
    }
}

/// Why a field's text cannot be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    Required,
    NotDigits,
    TooLarge,
    Zero,
    /// The customer field's text is not a customer in any form.
    Customer(crate::api::BadCustomer),
}

impl Invalid {
    pub fn reason(self) -> &'static str {
        match self {
            Invalid::Required => "required",
            Invalid::NotDigits => "digits only",
            Invalid::TooLarge => "too large for an id",
            Invalid::Zero => "must be above 0",
            Invalid::Customer(bad) => bad.reason(),
        }
    }
}

/// Checks an id typed by the user: digits only, fits an i64, above zero.
/// Surrounding spaces (from a paste) are ignored.
pub fn parse_id(text: &str, required: bool) -> Result<Option<i64>, Invalid> {
    let t = text.trim();
    if t.is_empty() {
        return if required { Err(Invalid::Required) } else { Ok(None) };
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::NotDigits);
    }
    match t.parse::<i64>() {
        Ok(0) => Err(Invalid::Zero),
        Ok(v) => Ok(Some(v)),
        Err(_) => Err(Invalid::TooLarge),
    }
}

/// A page kept for instant paging.
#[derive(Clone, Debug)]
pub struct CachedPage {
    pub outcome: Arc<EventsOutcome>,
    pub meta: ResponseMeta,
}

/// What the table shows: the answer to one query.
#[derive(Clone, Debug)]
pub struct Shown {
    pub query: EventsQuery,
    pub outcome: Arc<EventsOutcome>,
    /// Set when these are every page of the query (fetch-all).
    pub all: Option<AllMeta>,
}

/// How a fetch-all went.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllMeta {
    pub pages: u32,
    pub pages_fetched: u32,
    /// 0-based indices of pages that failed for good.
    pub missing: Vec<u32>,
    pub duplicates: usize,
    /// Why the run ended before the data did.
    pub stopped: Option<crate::api::fetch_all::Stopped>,
    /// Every page's exchange, for the case note.
    pub requests: Vec<ResponseMeta>,
}

impl Shown {
    pub fn events(&self) -> &[TargetEvent] {
        match &*self.outcome {
            EventsOutcome::Page(p) => &p.events,
            EventsOutcome::NoEvents { .. } => &[],
        }
    }

    pub fn info(&self) -> PageInfo {
        let total = match &*self.outcome {
            EventsOutcome::Page(p) => p.pagination.total,
            EventsOutcome::NoEvents { .. } => Some(0),
        };
        PageInfo { page: self.query.page, limit: self.query.limit, count: self.events().len(), total }
    }
}

/// The request whose answer the screen waits for.
#[derive(Clone, Debug)]
pub struct InFlight {
    pub generation: u64,
    pub query: EventsQuery,
    /// Move focus to the table when it arrives (it came from Enter in an input).
    pub focus_table: bool,
    /// Bypass the cache (`r`).
    pub fresh: bool,
}

/// Facts about the last finished request, for the navigator.
#[derive(Clone, Debug, Default)]
pub struct LastRequest {
    pub elapsed: Duration,
    pub request_id: Option<String>,
    pub status: Option<u16>,
}

/// A one-line prompt over the screen.
#[derive(Clone, Debug)]
pub enum Prompt {
    GoToPage(Input),
    PageSize(Input),
    /// Export path; the format follows the extension.
    Export(Input),
    /// Where to save a text: the case note, the batch's rows.
    SaveText(Input, TextFile),
}

impl Prompt {
    pub fn input_mut(&mut self) -> &mut Input {
        match self {
            Prompt::GoToPage(i) | Prompt::PageSize(i) | Prompt::Export(i) | Prompt::SaveText(i, _) => i,
        }
    }
}

#[derive(Clone, Debug)]
pub enum Overlay {
    /// The key list, scrolled this many lines (it can be taller than the screen).
    Help {
        scroll: u16,
    },
    Prompt {
        prompt: Prompt,
        error: Option<String>,
    },
    Picker(crate::explorer::features::pickers::picker::Picker),
    /// A yes/no question.
    Confirm {
        question: String,
        on_yes: Confirmable,
    },
    /// Text copied (or to copy by hand).
    Copied {
        title: String,
        text: String,
        /// How it was sent, when it was.
        sent: Option<CopyWay>,
        /// First line and first column shown: the text scrolls both ways,
        /// every line kept whole (a note's table rows are never wrapped).
        scroll: u16,
        shift: u16,
    },
}

/// Where a copy goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyWay {
    /// tmux's paste buffer (`load-buffer -w`, which also hands it to the
    /// outer terminal's clipboard).
    Tmux,
    /// The terminal's clipboard, by OSC 52.
    Osc52,
}

/// What a yes to [`Overlay::Confirm`] does.
#[derive(Clone, Debug, PartialEq)]
pub enum Confirmable {
    /// Replace the existing file at `path` with the export.
    OverwriteExport { path: std::path::PathBuf, format: crate::core::export::Format },
    /// Replace the existing file at `path` with the text.
    OverwriteText { path: std::path::PathBuf, kind: TextFile },
}

/// A text the explorer saves to a file, named for what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFile {
    /// The verdict's case note (Markdown).
    CaseNote,
    /// The batch rows shown (CSV).
    BatchRows,
}

impl TextFile {
    pub fn what(self) -> &'static str {
        match self {
            TextFile::CaseNote => "the case note",
            TextFile::BatchRows => "the batch rows",
        }
    }
}

/// Scroll position of the events table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableView {
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DetailView {
    pub raw: bool,
    pub scroll: u16,
}

/// What the explorer starts with.
#[derive(Clone, Debug)]
pub struct AppOptions {
    /// "DEMO", the profile name or the host, for the status line.
    pub label: String,
    pub page_size: u32,
    pub max_page_size: u32,
    pub all_options: crate::api::fetch_all::FetchAllOptions,
    pub connection: ConnectionInfo,
    pub profiles: Vec<crate::config::ProfileChoice>,
    pub recent: Vec<crate::explorer::features::pickers::recent::RecentQuery>,
    /// Lines under the empty table's prompt.
    pub empty_hint: Vec<String>,
    /// A start-up warning, kept in the status line until replaced.
    pub warning: Option<String>,
    /// Customer, rule and period ids to fill in.
    pub prefill: [Option<i64>; 3],
    /// A batch's rows, to open the explorer on.
    pub batch: Option<Vec<crate::core::batch::BatchRow>>,
    /// Completes a national phone number typed for a customer.
    pub country_code: Option<String>,
    /// Where case notes are saved (the working directory when None).
    pub notes_dir: Option<std::path::PathBuf>,
    /// Open on the profile picker: why, and the profiles to offer (every
    /// one when None). For a URL no profile owns.
    pub ask_profile: Option<(String, Option<Vec<String>>)>,
    /// The bindings in force (the config's `[keys]` applied).
    pub keymap: std::sync::Arc<super::keymap::Keymap>,
}

impl AppOptions {
    pub fn new(label: impl Into<String>, page_size: u32, max_page_size: u32) -> AppOptions {
        AppOptions {
            label: label.into(),
            page_size,
            max_page_size,
            all_options: Default::default(),
            connection: ConnectionInfo::default(),
            profiles: Vec::new(),
            recent: Vec::new(),
            empty_hint: Vec::new(),
            warning: None,
            prefill: [None; 3],
            batch: None,
            country_code: None,
            notes_dir: None,
            ask_profile: None,
            keymap: Default::default(),
        }
    }
}

/// Most pages kept for instant paging; past it the cache starts over.
pub const CACHE_PAGES: usize = 64;

pub struct App {
    /// What is open over the events table; its top owns the screen.
    pub(crate) screen: super::screen::Stack,
    pub(crate) form: QueryForm,
    /// The customer being served: replaced whole when the customer changes.
    pub(crate) case: super::case::Case,
    pub(crate) workflow: Workflow,
    pub(crate) chrome: Chrome,
    /// Bumped for every request whose answer is awaited; answers carry it,
    /// so a late answer to a superseded request is dropped.
    pub(crate) generation: u64,
    /// What features asked of one another during this message.
    pub(crate) asks: std::collections::VecDeque<super::action::Ask>,
    /// The bindings in force: dispatch, help, footers and hints read them.
    pub(crate) keymap: std::sync::Arc<super::keymap::Keymap>,
}

/// The query inputs and which pane has the keyboard.
#[derive(Clone, Debug)]
pub struct QueryForm {
    pub inputs: [FieldInput; 3],
    pub focus: Focus,
    /// A customer lookup under way, and what Enter meant.
    pub resolving: Option<Resolving>,
    /// Completes a national phone number typed for a customer.
    pub country_code: Option<String>,
    /// The focused field's text is selected (after `u` or a click): what is
    /// typed next replaces it, so a new caller never inherits the last one.
    pub selected: bool,
}

/// A lookup of the customer field's mobile, email, external id or card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolving {
    pub generation: u64,
    pub customer: crate::api::CustomerRef,
    pub then: AfterLookup,
}

/// What to do once the customer's id is known: what Enter would have done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterLookup {
    PickTarget,
    Submit,
}

/// What the table shows, how it got there, and how it is viewed.
#[derive(Clone, Debug)]
pub struct Results {
    /// Events per page, and the most the profile allows.
    pub limit: u32,
    pub max_limit: u32,
    pub shown: Option<Shown>,
    pub in_flight: Option<InFlight>,
    /// Prefetches under way, so a page is not asked for twice.
    pub prefetching: Vec<EventsQuery>,
    /// An error that blames no input, for the banner.
    pub error: Option<ApiError>,
    /// The query whose request failed with that error: what `r` retries.
    pub failed: Option<EventsQuery>,
    pub last_request: Option<LastRequest>,
    pub cache: HashMap<EventsQuery, CachedPage>,
    pub table: TableView,
    pub detail: DetailView,
    /// Indices into the shown events, after the filter and sort.
    pub view: Vec<u32>,
    pub filter: FilterState,
    pub sort: (crate::explorer::features::events::filter::SortKey, bool),
    /// Events that arrived while watching, marked in the table.
    pub fresh: std::collections::HashSet<i64>,
}

/// What outlives a customer: the session's lookups, recent queries,
/// profiles, the batch, and how fetch-all runs.
#[derive(Clone, Debug)]
pub struct Workflow {
    pub all_options: crate::api::fetch_all::FetchAllOptions,
    pub recent: Vec<crate::explorer::features::pickers::recent::RecentQuery>,
    /// The config file's profiles, for switching from the explorer.
    pub profiles: Vec<crate::config::ProfileChoice>,
    /// Customers found by lookup, for this profile's session.
    pub customers: HashMap<crate::api::CustomerRef, i64>,
    /// Ids typed that no customer had, and the mobile their digits were
    /// found as ("mobile 919800000006"), for the field and the case note.
    pub found_how: HashMap<crate::api::CustomerRef, String>,
    /// The customer lookups' exchanges, for the case note.
    pub lookup_requests: HashMap<crate::api::CustomerRef, ResponseMeta>,
    /// A batch's results, when the explorer was opened on them.
    pub batch: Option<crate::explorer::features::batch::state::BatchTable>,
}

/// Around the panes: overlays, the status line, the size and the label.
#[derive(Clone, Debug)]
pub struct Chrome {
    /// The status line's notice: information fades with the next key,
    /// warnings and errors stay until replaced.
    pub notice: Option<Notice>,
    pub spinner: usize,
    /// "DEMO", the profile name or the host.
    pub label: String,
    pub size: Rect,
    /// What the last frame reported (scroll bounds of wrapped text).
    pub frame: super::layout::FrameInfo,
    pub should_quit: bool,
    pub connection: ConnectionInfo,
    /// Lines under the empty table's prompt (the demo's customers to try).
    pub empty_hint: Vec<String>,
    /// A fixed clock (tests); the local time when absent.
    pub clock: Option<chrono::NaiveDateTime>,
    /// Where case notes are saved (the working directory when None).
    pub notes_dir: Option<std::path::PathBuf>,
}

/// The local filter: its text, and whether the user is typing it.
#[derive(Clone, Debug, Default)]
pub struct FilterState {
    pub input: Input,
    pub editing: bool,
}

impl FilterState {
    pub fn is_active(&self) -> bool {
        !self.input.value().trim().is_empty()
    }

    /// The filter as typed.
    pub fn text(&self) -> &str {
        self.input.value()
    }

    /// It is being typed.
    pub fn typing(&self) -> bool {
        self.editing
    }
}

impl Results {
    /// Nothing asked yet, `limit` events a page.
    pub fn new(limit: u32, max_limit: u32) -> Results {
        Results {
            limit,
            max_limit,
            shown: None,
            in_flight: None,
            prefetching: Vec::new(),
            error: None,
            failed: None,
            last_request: None,
            cache: HashMap::new(),
            table: TableView::default(),
            detail: DetailView::default(),
            view: Vec::new(),
            filter: FilterState::default(),
            sort: Default::default(),
            fresh: Default::default(),
        }
    }
}

/// Progress of a fetch-all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllRun {
    pub generation: u64,
    pub query: EventsQuery,
    pub pages: u32,
    pub pages_done: u32,
    pub events: usize,
    pub retries: u32,
    /// When it started: what it reads is at least this fresh.
    pub asked_at: chrono::NaiveDateTime,
}

impl AllRun {
    pub fn new(generation: u64, query: EventsQuery, asked_at: chrono::NaiveDateTime) -> AllRun {
        AllRun { generation, query, pages: 0, pages_done: 0, events: 0, retries: 0, asked_at }
    }
}

impl App {
    pub fn new(options: AppOptions) -> App {
        let max_limit = options.max_page_size.clamp(1, crate::api::MAX_PAGE_SIZE);
        let mut app = App {
            screen: Default::default(),
            form: QueryForm {
                inputs: Default::default(),
                focus: Focus::Input(Field::UserId),
                resolving: None,
                country_code: options.country_code,
                selected: false,
            },
            case: super::case::Case::new(Results::new(options.page_size.clamp(1, max_limit), max_limit)),
            workflow: Workflow {
                all_options: options.all_options,
                recent: options.recent,
                profiles: options.profiles,
                customers: HashMap::new(),
                found_how: HashMap::new(),
                lookup_requests: HashMap::new(),
                batch: options.batch.map(crate::explorer::features::batch::state::BatchTable::new),
            },
            chrome: Chrome {
                notice: options.warning.map(|text| Notice { level: Level::Warning, text }),
                spinner: 0,
                label: options.label,
                size: Rect::new(0, 0, 120, 36),
                frame: Default::default(),
                should_quit: false,
                connection: options.connection,
                empty_hint: options.empty_hint,
                clock: None,
                notes_dir: options.notes_dir,
            },
            generation: 0,
            asks: Default::default(),
            keymap: options.keymap.clone(),
        };
        let [user, rule, period] = options.prefill;
        for (field, id) in [(Field::UserId, user), (Field::RuleId, rule), (Field::PeriodId, period)] {
            if let Some(id) = id {
                app.set_field(field, &id.to_string());
            }
        }
        // A customer alone: the rule is what is typed next.
        if user.is_some() && rule.is_none() {
            app.form.focus = Focus::Input(Field::RuleId);
        }
        if let Some((note, only)) = options.ask_profile {
            crate::explorer::features::pickers::profiles::pick_profile(&mut app, Some(note), only.as_deref());
        }
        // Opened on a batch: its table has the keyboard.
        if app.workflow.batch.is_some() {
            app.form.focus = Focus::Table;
            app.screen.push(super::screen::Layer::Batch);
        }
        app
    }

    /// The status line's notice text, if any.
    pub fn notice_text(&self) -> Option<&str> {
        self.chrome.notice.as_ref().map(|n| n.text.as_str())
    }

    pub fn field(&self, f: Field) -> &FieldInput {
        &self.form.inputs[field_index(f)]
    }

    pub fn field_mut(&mut self, f: Field) -> &mut FieldInput {
        &mut self.form.inputs[field_index(f)]
    }

    /// Sets a field's text (start-up prefill, pickers).
    pub fn set_field(&mut self, f: Field, text: &str) {
        let field = self.field_mut(f);
        field.input = Input::new(text.to_string());
        field.api_error = None;
    }

    /// The validation problem of a field, if any.
    pub fn invalid(&self, f: Field) -> Option<Invalid> {
        if f == Field::UserId {
            return self.customer().err();
        }
        parse_id(self.field(f).input.value(), f != Field::PeriodId).err()
    }

    /// The customer field read as a customer (an id, or a form to look up).
    pub fn customer(&self) -> Result<CustomerRef, Invalid> {
        let cc = self.form.country_code.as_deref();
        CustomerRef::parse_with(self.field(Field::UserId).input.value(), cc).map_err(|bad| match bad {
            BadCustomer::Empty => Invalid::Required,
            bad => Invalid::Customer(bad),
        })
    }

    /// The customer's id: found by an earlier lookup, or typed as one.
    pub fn customer_id(&self) -> Option<i64> {
        let customer = self.customer().ok()?;
        self.workflow.customers.get(&customer).copied().or_else(|| customer.user_id())
    }

    /// The query in the inputs at page 1, or None while any field is invalid
    /// or the customer has not been looked up yet.
    pub fn query_from_inputs(&self) -> Option<EventsQuery> {
        let user = self.customer_id()?;
        let rule = parse_id(self.field(Field::RuleId).input.value(), true).ok()??;
        let period = parse_id(self.field(Field::PeriodId).input.value(), false).ok()?;
        Some(EventsQuery { user_id: user, rule_id: rule, period_id: period, limit: self.case.results.limit, page: 0 })
    }

    /// A request the screen waits for: events, or the customer's lookup.
    pub fn is_loading(&self) -> bool {
        self.case.results.in_flight.is_some() || self.form.resolving.is_some()
    }

    /// The summary waits for the customer's targets.
    pub fn targets_loading(&self) -> bool {
        self.case.targets_pending.is_some()
    }

    /// A picker waiting for its list (its spinner needs ticks).
    pub fn overlay_loading(&self) -> bool {
        matches!(self.screen.overlay(), Some(Overlay::Picker(p)) if p.loading())
    }

    pub fn events(&self) -> &[TargetEvent] {
        self.case.results.shown.as_ref().map_or(&[], Shown::events)
    }

    /// The event at row `row` of the table (after filter and sort).
    pub fn row_event(&self, row: usize) -> Option<&TargetEvent> {
        self.case.results.view.get(row).and_then(|&i| self.events().get(i as usize))
    }

    pub fn selected_event(&self) -> Option<&TargetEvent> {
        self.row_event(self.case.results.table.selected)
    }

    /// Rebuilds the view after the data, the filter or the sort changed.
    pub fn rebuild_view(&mut self) {
        let (key, desc) = self.case.results.sort;
        self.case.results.view = crate::explorer::features::events::filter::build(
            self.events(),
            self.case.results.filter.input.value(),
            key,
            desc,
        );
        self.case.results.table.selected =
            self.case.results.table.selected.min(self.case.results.view.len().saturating_sub(1));
        batch::refresh_batch_view(self);
        if let Some(b) = self.screen.bills_mut() {
            b.rebuild();
        }
        self.refresh_summary();
    }

    /// Recomputes the summary, when it is open, from the view and the targets.
    pub fn refresh_summary(&mut self) {
        if self.screen.summary().is_none() {
            return;
        }
        let summary = self.summarise();
        if let Some(panel) = self.screen.summary_mut() {
            panel.set_summary(summary);
        }
    }

    /// The totals of the view, with the customer's targets when known.
    pub fn summarise(&self) -> crate::explorer::features::summary::state::Summary {
        let user = self.case.results.shown.as_ref().map(|s| s.query.user_id);
        let groups = user.and_then(|u| self.case.targets_of(u)).map(|t| t.groups.as_slice());
        crate::explorer::features::summary::state::summarise(self.events(), &self.case.results.view, groups)
    }
}

pub fn field_index(f: Field) -> usize {
    match f {
        Field::UserId => 0,
        Field::RuleId => 1,
        Field::PeriodId => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_validated() {
        assert_eq!(parse_id("564332013", true), Ok(Some(564332013)));
        assert_eq!(parse_id(" 42 ", true), Ok(Some(42)));
        assert_eq!(parse_id("", true), Err(Invalid::Required));
        assert_eq!(parse_id("", false), Ok(None));
        assert_eq!(parse_id("12a", true), Err(Invalid::NotDigits));
        assert_eq!(parse_id("-5", true), Err(Invalid::NotDigits));
        assert_eq!(parse_id("99999999999999999999", true), Err(Invalid::TooLarge));
        assert_eq!(parse_id("0", true), Err(Invalid::Zero));
    }
}
