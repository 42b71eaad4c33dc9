//! What may be asked of the explorer from outside it: the tests, the
//! benchmarks and the runtime read the app through these questions, never
//! through its fields, so its state can change shape without them. Each
//! answer is a value or a view that only reads.

use chrono::NaiveDateTime;
use ratatui::layout::Rect;

use super::layout::FrameInfo;
use super::screen::Panel;
use super::state::{AllMeta, App, DetailView, Focus, Overlay, TableView};
use crate::api::{ApiError, EventsQuery, PageInfo};
use crate::core::case_note::ConnectionInfo;
use crate::explorer::features::batch::state::BatchTable;
use crate::explorer::features::bills::state::BillsPanel;
use crate::explorer::features::pickers::recent::RecentQuery;
use crate::explorer::features::verdict::state::VerdictPanel;

/// The summary as it is drawn: the period selected and its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SummarySeen {
    pub selected: usize,
    pub period_id: Option<i64>,
}

impl App {
    // ---- What owns the screen --------------------------------------------

    /// The layer on top of the stack, if any.
    pub fn top_panel(&self) -> Option<Panel> {
        self.screen.top()
    }

    /// The panel drawn in the main area (the top one that is not an overlay).
    pub fn main_panel(&self) -> Option<Panel> {
        self.screen.main()
    }

    /// Whether `panel` is anywhere on the stack.
    pub fn is_open(&self, panel: Panel) -> bool {
        self.screen.contains(panel)
    }

    /// Nothing is open over the events table.
    pub fn nothing_open(&self) -> bool {
        self.screen.is_empty()
    }

    /// The open layers, bottom first.
    pub fn open_panels(&self) -> Vec<Panel> {
        self.screen.layers().iter().map(|l| l.panel()).collect()
    }

    /// The overlay on top, when one is.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.screen.overlay()
    }

    /// Where the cursor is: a query field or what is drawn below them.
    pub fn focus(&self) -> Focus {
        self.form.focus
    }

    /// The customer field's text is selected: typing replaces it.
    pub fn customer_selected(&self) -> bool {
        self.form.selected
    }

    // ---- The case --------------------------------------------------------

    /// The customer whose case is on screen.
    pub fn case_customer(&self) -> Option<i64> {
        self.case.customer()
    }

    /// Whose targets were read, when they were.
    pub fn targets_read_for(&self) -> Option<i64> {
        self.case.targets.as_ref().map(|t| t.user_id)
    }

    /// The targets are being read.
    pub fn targets_awaited(&self) -> bool {
        self.case.targets_pending.is_some()
    }

    /// Whose every event of the rule was read for the verdict, and the events.
    pub fn rule_events(&self) -> Option<(i64, &[crate::api::TargetEvent])> {
        self.case.rule_events.as_ref().map(|r| (r.user_id, r.events.as_slice()))
    }

    /// Whose bills were read, when they were.
    pub fn bills_read_for(&self) -> Option<i64> {
        self.case.bills.as_ref().map(|b| b.user_id)
    }

    /// New events are being watched for.
    pub fn watching(&self) -> bool {
        self.case.watch.is_some()
    }

    // ---- The events table -------------------------------------------------

    /// The query whose answer the table shows.
    pub fn shown_query(&self) -> Option<EventsQuery> {
        self.case.results.shown.as_ref().map(|s| s.query)
    }

    /// The page the table shows, as the navigator counts it.
    pub fn shown_info(&self) -> Option<PageInfo> {
        self.case.results.shown.as_ref().map(|s| s.info())
    }

    /// How the fetch-all went, when the table shows every page.
    pub fn shown_all(&self) -> Option<&AllMeta> {
        self.case.results.shown.as_ref().and_then(|s| s.all.as_ref())
    }

    /// A fetch-all under way: pages read and pages there are (0 until known).
    pub fn fetch_all_progress(&self) -> Option<(u32, u32)> {
        self.case.all_run.as_ref().map(|r| (r.pages_done, r.pages))
    }

    /// The query whose answer the screen waits for.
    pub fn asked(&self) -> Option<EventsQuery> {
        self.case.results.in_flight.as_ref().map(|f| f.query)
    }

    /// Whether a page is kept for instant paging.
    pub fn is_cached(&self, query: &EventsQuery) -> bool {
        self.case.results.cache.contains_key(query)
    }

    /// How many pages are kept.
    pub fn cached_pages(&self) -> usize {
        self.case.results.cache.len()
    }

    /// The error in the banner, if one blames no field.
    pub fn banner_error(&self) -> Option<&ApiError> {
        self.case.results.error.as_ref()
    }

    /// The rows the table has after the filter.
    pub fn row_count(&self) -> usize {
        self.case.results.view.len()
    }

    /// The row that shows the event `event_log_id`.
    pub fn row_of(&self, event_log_id: i64) -> Option<usize> {
        let events = self.events();
        self.case
            .results
            .view
            .iter()
            .position(|&i| events.get(i as usize).is_some_and(|e| e.event_log_id == event_log_id))
    }

    /// The events' filter is being typed.
    pub fn events_filter_typing(&self) -> bool {
        self.case.results.filter.editing
    }

    /// The selected row and the first one drawn.
    pub fn table_view(&self) -> TableView {
        self.case.results.table
    }

    /// The detail pane: raw or not, and how far scrolled.
    pub fn detail_view(&self) -> DetailView {
        self.case.results.detail
    }

    // ---- Panels -----------------------------------------------------------

    /// The verdict panel, when it is open.
    pub fn verdict(&self) -> Option<&VerdictPanel> {
        self.screen.verdict()
    }

    /// The bills panel, when it is open.
    pub fn bills(&self) -> Option<&BillsPanel> {
        self.screen.bills()
    }

    /// The summary, when it is open.
    pub fn summary(&self) -> Option<SummarySeen> {
        self.screen
            .summary()
            .map(|s| SummarySeen { selected: s.selected(), period_id: s.selected_period().map(|p| p.period_id) })
    }

    /// The batch's rows, when the explorer was opened on a batch.
    pub fn batch(&self) -> Option<&BatchTable> {
        self.workflow.batch.as_ref()
    }

    // ---- The session ------------------------------------------------------

    /// Recent queries, newest first.
    pub fn recent(&self) -> &[RecentQuery] {
        &self.workflow.recent
    }

    /// How many typed customers were found by a lookup of another form.
    pub fn lookups_found(&self) -> usize {
        self.workflow.found_how.len()
    }

    /// "DEMO", the profile name or the host.
    pub fn label(&self) -> &str {
        &self.chrome.label
    }

    /// Where requests go and how the case note names it.
    pub fn connection(&self) -> &ConnectionInfo {
        &self.chrome.connection
    }

    pub fn size(&self) -> Rect {
        self.chrome.size
    }

    /// The fixed clock, when one was set.
    pub fn clock(&self) -> Option<NaiveDateTime> {
        self.chrome.clock
    }

    pub fn should_quit(&self) -> bool {
        self.chrome.should_quit
    }

    /// What the last frame reported.
    pub fn frame_info(&self) -> FrameInfo {
        self.chrome.frame
    }

    // ---- Inputs that are not keys -----------------------------------------

    /// Fixes the clock (tests, benchmarks); None follows the local time.
    pub fn set_clock(&mut self, clock: Option<NaiveDateTime>) {
        self.chrome.clock = clock;
    }

    /// What the frame just drawn learnt (how far wrapped text scrolls).
    pub fn frame_drawn(&mut self, info: FrameInfo) {
        self.chrome.frame = info;
    }
}
