//! The one place that changes state. `update` takes a message and returns the
//! effects the runtime must carry out; it does no I/O itself.

use std::sync::Arc;

use crossterm::event::{Event, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use super::action::{Action, Effect, Msg};
use super::keymap;
use super::layout;
use super::state::{
    App, CACHE_PAGES, CachedPage, Confirmable, Focus, InFlight, LastRequest, Level, Notice, Overlay, Prompt, Shown,
};
use crate::api::{ApiError, EventsOutcome, EventsQuery, Fetched};

/// Rows the mouse wheel moves per notch.
const WHEEL_ROWS: usize = 3;

impl App {
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut fx = Vec::new();
        match msg {
            Msg::Key(key) => {
                if self.notice.as_ref().is_some_and(|n| n.level == Level::Info) {
                    self.notice = None;
                }
                let action = keymap::action_for(self, key);
                self.apply(action, &mut fx);
            }
            Msg::Paste(text) => self.paste(&text),
            Msg::Mouse(m) => self.mouse(m),
            Msg::Resize(w, h) => self.size = Rect::new(0, 0, w, h),
            Msg::Tick => self.spinner = self.spinner.wrapping_add(1),
            Msg::Fetched { generation, query, elapsed, result } => {
                // A late answer to a superseded request is dropped.
                if self.in_flight.as_ref().is_some_and(|f| f.generation == generation) {
                    let request = self.in_flight.take();
                    self.finish(query, elapsed, result, request.is_some_and(|r| r.focus_table), &mut fx);
                }
            }
            Msg::Prefetched { query, result } => {
                self.prefetching.retain(|q| *q != query);
                let waiting = self.in_flight.as_ref().filter(|f| f.query == query && !f.fresh).cloned();
                match (result, waiting) {
                    (result, Some(request)) => {
                        // The user already asked for this page: show the answer.
                        self.in_flight = None;
                        self.finish(query, Default::default(), result, request.focus_table, &mut fx);
                    }
                    (Ok(fetched), None) => self.remember(query, &fetched),
                    (Err(_), None) => {}
                }
            }
            Msg::SubmitPrefilled { page } => match self.query_from_inputs() {
                Some(q) => self.request(q.at_page(page), true, true, &mut fx),
                None => self.flash("The command line's ids are not valid: nothing was sent."),
            },
            Msg::TargetsLoaded { generation, user_id, result } => self.targets_loaded(generation, user_id, result),
            Msg::PeriodsLoaded { generation, result } => self.periods_loaded(generation, result),
            Msg::AllProgress { generation, progress } => self.all_progress(generation, progress),
            Msg::AllDone { generation, query, result } => self.all_done(generation, query, result),
            Msg::Exported { path, result } => self.exported(&path, result),
            Msg::ProfileChanged { result } => self.profile_changed(result, &mut fx),
            Msg::Quit => self.should_quit = true,
        }
        self.fit_table();
        fx
    }

    fn apply(&mut self, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::None => {}
            Action::Quit => self.should_quit = true,
            Action::FocusNext => self.focus = self.focus.next(),
            Action::FocusPrev => self.focus = self.focus.prev(),
            Action::LeaveInput | Action::Back => self.focus = Focus::Table,
            Action::EditQuery => self.focus = Focus::Input(crate::api::Field::UserId),
            Action::Edit(key) => self.edit(key),
            Action::Submit => self.submit(fx),
            Action::Cancel => self.cancel(fx),
            Action::NextPage | Action::PrevPage | Action::FirstPage | Action::LastPage | Action::AskPage
                if self.showing_all() =>
            {
                self.flash(
                    "Every event is loaded: j/k to move, / to filter, s for the summary, Enter in the query for pages.",
                )
            }
            Action::NextPage => self.next_page(fx),
            Action::PrevPage => match self.base_query() {
                Some(q) if q.page > 0 => self.request(q.at_page(q.page - 1), false, false, fx),
                Some(_) => self.flash("Already on the first page."),
                None => self.flash_no_query(),
            },
            Action::FirstPage => match self.base_query() {
                Some(q) if q.page > 0 => self.request(q.at_page(0), false, false, fx),
                Some(_) => self.flash("Already on the first page."),
                None => self.flash_no_query(),
            },
            Action::LastPage => match (self.base_query(), self.known_pages()) {
                (Some(q), Some(n)) if q.page + 1 < n => self.request(q.at_page(n - 1), false, false, fx),
                (Some(_), Some(n)) => self.flash(&format!("Already on the last page (page {n} of {n}).")),
                (Some(_), None) => self.flash("The number of pages is not known yet."),
                (None, _) => self.flash_no_query(),
            },
            Action::AskPage => match self.base_query() {
                Some(_) => {
                    self.overlay = Some(Overlay::Prompt { prompt: Prompt::GoToPage(Input::default()), error: None })
                }
                None => self.flash_no_query(),
            },
            Action::AskLimit => {
                let current = Input::new(self.limit.to_string());
                self.overlay = Some(Overlay::Prompt { prompt: Prompt::PageSize(current), error: None });
            }
            Action::Confirm => self.confirm_prompt(fx),
            Action::PickProfile => self.pick_profile(None),
            Action::PromptEdit(key) => {
                if let Some(Overlay::Prompt { prompt, error }) = &mut self.overlay {
                    prompt.input_mut().handle_event(&Event::Key(key));
                    *error = None;
                }
            }
            Action::PickTarget => self.pick_target(fx),
            Action::PickPeriod => self.pick_period(fx),
            Action::PickRecent => self.pick_recent(),
            Action::PickerKey(key) => self.picker_key(key, fx),
            Action::FetchAll => self.fetch_all(fx),
            Action::StartFilter => self.filter.editing = true,
            Action::FilterKey(key) => {
                self.filter.input.handle_event(&Event::Key(key));
                self.table = Default::default();
                self.rebuild_view();
            }
            Action::EndFilter => self.filter.editing = false,
            Action::ClearFilter => {
                self.filter = Default::default();
                self.rebuild_view();
            }
            Action::CycleSort => {
                self.sort.0 = self.sort.0.next();
                self.rebuild_view();
                self.flash(&format!("Sorted by {}.", self.sort.0.label()));
            }
            Action::ReverseSort => {
                self.sort.1 = !self.sort.1;
                self.rebuild_view();
                let order = if self.sort.1 { "descending" } else { "ascending" };
                self.flash(&format!("Sorted by {}, {order}.", self.sort.0.label()));
            }
            Action::ToggleSummary => self.toggle_summary(fx),
            Action::AskExport => self.ask_export(),
            Action::CopyEvent => self.copy_event(fx),
            Action::CopyCurl => self.copy_curl(fx),
            Action::CloseOverlay => self.overlay = None,
            Action::ToggleHelp => {
                self.overlay = match self.overlay {
                    Some(Overlay::Help { .. }) => None,
                    _ => Some(Overlay::Help { scroll: 0 }),
                }
            }
            Action::Refresh if self.showing_all() => self.fetch_all(fx),
            Action::Refresh => match self.base_query() {
                Some(q) => {
                    self.cache.clear();
                    self.request(q, false, true, fx);
                }
                None => self.submit(fx),
            },
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-(self.page_rows() as isize)),
            Action::PageDown => self.move_selection(self.page_rows() as isize),
            Action::Top => self.move_selection(isize::MIN / 2),
            Action::Bottom => self.move_selection(isize::MAX / 2),
            Action::OpenDetail => {
                if self.selected_event().is_some() {
                    self.focus = Focus::Detail;
                }
            }
            Action::ToggleRaw => {
                self.detail.raw = !self.detail.raw;
                self.detail.scroll = 0;
            }
        }
    }

    /// An informational notice: it fades with the next key.
    pub(super) fn flash(&mut self, text: &str) {
        self.notice = Some(Notice { level: Level::Info, text: text.to_string() });
    }

    /// A warning: kept until another notice or a new query replaces it.
    pub(super) fn warn(&mut self, text: &str) {
        self.notice = Some(Notice { level: Level::Warning, text: text.to_string() });
    }

    /// An error that blames no input: kept like a warning, styled as an error.
    pub(super) fn fail(&mut self, text: &str) {
        self.notice = Some(Notice { level: Level::Error, text: text.to_string() });
    }

    fn flash_no_query(&mut self) {
        self.flash("Enter a customer id and a target rule id first, then press Enter.");
    }

    fn edit(&mut self, key: KeyEvent) {
        if let Focus::Input(f) = self.focus {
            let field = self.field_mut(f);
            let before = field.input.value().to_string();
            field.input.handle_event(&Event::Key(key));
            if field.input.value() != before {
                field.api_error = None;
            }
        }
    }

    fn paste(&mut self, text: &str) {
        let target = match (&mut self.overlay, self.focus) {
            (Some(Overlay::Prompt { prompt, .. }), _) => prompt.input_mut(),
            (Some(Overlay::Picker(p)), _) => {
                p.selected = 0;
                &mut p.filter
            }
            (None, _) if self.filter.editing => &mut self.filter.input,
            (None, Focus::Input(f)) => {
                let field = &mut self.inputs[super::state::field_index(f)];
                field.api_error = None;
                &mut field.input
            }
            _ => return,
        };
        for c in text.chars().filter(|c| !crate::sanitize::is_unsafe(*c)) {
            target.handle(InputRequest::InsertChar(c));
        }
        if self.filter.editing {
            self.rebuild_view();
        }
    }

    /// Whether the table shows every page of the query (a fetch-all's result).
    pub fn showing_all(&self) -> bool {
        self.shown.as_ref().is_some_and(|s| s.all.is_some())
    }

    /// The query navigation starts from: the one being fetched, else the one shown.
    pub fn base_query(&self) -> Option<EventsQuery> {
        self.in_flight.as_ref().map(|f| f.query).or_else(|| self.shown.as_ref().map(|s| s.query))
    }

    /// Pages in the result of the base query, when the shown page tells.
    pub fn known_pages(&self) -> Option<u32> {
        let base = self.base_query()?;
        let shown = self.shown.as_ref()?;
        let same = EventsQuery { page: 0, ..shown.query } == EventsQuery { page: 0, ..base };
        if same { shown.info().page_count() } else { None }
    }

    fn submit(&mut self, fx: &mut Vec<Effect>) {
        match self.query_from_inputs() {
            Some(query) => self.new_query(query, fx),
            None => self.flash("Fix the marked fields first: nothing was sent."),
        }
    }

    /// A new query replaces everything under way: its page 1 is fetched for
    /// real, and a fetch-all of the old query is stopped.
    pub(super) fn new_query(&mut self, query: EventsQuery, fx: &mut Vec<Effect>) {
        if let Some(run) = self.all_run.take() {
            fx.push(Effect::Cancel { generation: run.generation });
        }
        self.cache.clear();
        // A warning about the old query does not outlive it.
        self.notice = None;
        self.request(query, true, true, fx);
    }

    fn cancel(&mut self, fx: &mut Vec<Effect>) {
        if let Some(f) = self.in_flight.take() {
            fx.push(Effect::Cancel { generation: f.generation });
            self.flash("Request cancelled.");
        }
        if let Some(run) = self.all_run.take() {
            fx.push(Effect::Cancel { generation: run.generation });
            self.flash(&format!(
                "Fetch-all cancelled after {} of {} pages; the table is as it was.",
                run.pages_done, run.pages
            ));
        }
    }

    fn next_page(&mut self, fx: &mut Vec<Effect>) {
        let Some(q) = self.base_query() else {
            return self.flash_no_query();
        };
        match self.known_pages() {
            Some(n) if q.page + 1 >= n => self.flash(&format!("Already on the last page (page {n} of {n}).")),
            _ => self.request(q.at_page(q.page + 1), false, false, fx),
        }
    }

    fn confirm_prompt(&mut self, fx: &mut Vec<Effect>) {
        if let Some(Overlay::Picker(_)) = &self.overlay {
            return self.choose_picked(fx);
        }
        if let Some(Overlay::Confirm { on_yes, .. }) = self.overlay.clone() {
            self.overlay = None;
            return match on_yes {
                Confirmable::OverwriteExport { path, format } => self.export(path, format, true, fx),
            };
        }
        if let Some(Overlay::Prompt { prompt: Prompt::Export(input), .. }) = &self.overlay {
            let path = input.value().trim().to_string();
            return self.confirm_export(&path, fx);
        }
        let Some(Overlay::Prompt { prompt, .. }) = &self.overlay else {
            return;
        };
        let prompt = prompt.clone();
        let result = match &prompt {
            Prompt::GoToPage(input) => {
                let pages = self.known_pages();
                match (input.value().trim().parse::<u32>(), pages) {
                    (Ok(p), Some(n)) if (1..=n).contains(&p) => Ok(p),
                    (Ok(p), None) if p >= 1 => Ok(p),
                    (_, Some(n)) => Err(format!("Enter a page from 1 to {n}.")),
                    (_, None) => Err("Enter a page number from 1.".to_string()),
                }
            }
            Prompt::PageSize(input) => match input.value().trim().parse::<u32>() {
                Ok(l) if (1..=self.max_limit).contains(&l) => Ok(l),
                _ => Err(format!("Enter a page size from 1 to {}.", self.max_limit)),
            },
            Prompt::Export(_) => return,
        };
        match (prompt, result) {
            (_, Err(e)) => {
                if let Some(Overlay::Prompt { error, .. }) = &mut self.overlay {
                    *error = Some(e);
                }
            }
            (Prompt::GoToPage(_), Ok(page)) => {
                self.overlay = None;
                if let Some(q) = self.base_query() {
                    self.request(q.at_page(page - 1), false, false, fx);
                }
            }
            (Prompt::Export(_), Ok(_)) => {}
            (Prompt::PageSize(_), Ok(limit)) => {
                self.overlay = None;
                self.limit = limit;
                if let Some(q) = self.base_query() {
                    // Keep the first event of the current page in view.
                    let first = u64::from(q.page) * u64::from(q.limit);
                    let page = u32::try_from(first / u64::from(limit)).unwrap_or(0);
                    self.request(EventsQuery { limit, page, ..q }, false, false, fx);
                }
            }
        }
    }

    /// Shows `query` from the cache, or asks the runtime to fetch it.
    pub(super) fn request(&mut self, query: EventsQuery, focus_table: bool, fresh: bool, fx: &mut Vec<Effect>) {
        if let Some(old) = self.in_flight.take() {
            fx.push(Effect::Cancel { generation: old.generation });
        }
        if !fresh && let Some(hit) = self.cache.get(&query).cloned() {
            self.last_request = Some(LastRequest {
                elapsed: hit.meta.elapsed,
                request_id: hit.meta.request_id,
                status: Some(hit.meta.status),
            });
            self.error = None;
            self.show(query, hit.outcome, focus_table);
            self.prefetch_next(fx);
            return;
        }
        self.generation += 1;
        let generation = self.generation;
        self.in_flight = Some(InFlight { generation, query, focus_table, fresh });
        // A prefetch of this very page is under way: wait for it instead.
        if fresh || !self.prefetching.contains(&query) {
            fx.push(Effect::Fetch { generation, query });
        }
    }

    fn remember(&mut self, query: EventsQuery, fetched: &Fetched<EventsOutcome>) {
        if self.cache.len() >= CACHE_PAGES {
            self.cache.clear();
        }
        self.cache.insert(query, CachedPage { outcome: Arc::new(fetched.value.clone()), meta: fetched.meta.clone() });
    }

    fn finish(
        &mut self,
        query: EventsQuery,
        elapsed: std::time::Duration,
        result: Result<Fetched<EventsOutcome>, ApiError>,
        focus_table: bool,
        fx: &mut Vec<Effect>,
    ) {
        match result {
            Ok(fetched) => {
                let elapsed = if elapsed.is_zero() { fetched.meta.elapsed } else { elapsed };
                self.last_request = Some(LastRequest {
                    elapsed,
                    request_id: fetched.meta.request_id.clone(),
                    status: Some(fetched.meta.status),
                });
                self.remember(query, &fetched);
                self.error = None;
                for field in &mut self.inputs {
                    field.api_error = None;
                }
                self.show(query, Arc::new(fetched.value), focus_table);
                self.prefetch_next(fx);
                if query.page == 0 {
                    self.remember_recent(query, fx);
                }
            }
            Err(e) => {
                self.last_request = Some(LastRequest { elapsed, request_id: e.request_id.clone(), status: e.status });
                match (e.field(), e.code()) {
                    (Some(field), Some(code)) => {
                        let message = e.server_message().unwrap_or_default().to_string();
                        self.field_mut(field).api_error = Some((code, message));
                        self.focus = Focus::Input(field);
                        self.error = None;
                    }
                    _ => self.error = Some(e),
                }
            }
        }
    }

    pub(super) fn show(&mut self, query: EventsQuery, outcome: Arc<EventsOutcome>, focus_table: bool) {
        self.show_with(Shown { query, outcome, all: None }, focus_table);
    }

    pub(super) fn show_with(&mut self, shown: Shown, focus_table: bool) {
        let same =
            self.shown.as_ref().is_some_and(|s| s.query == shown.query && s.all.is_none() && shown.all.is_none());
        self.shown = Some(shown);
        if !same {
            self.table = Default::default();
            self.detail.scroll = 0;
        }
        self.rebuild_view();
        if focus_table {
            self.focus = Focus::Table;
        }
    }

    fn prefetch_next(&mut self, fx: &mut Vec<Effect>) {
        let Some(shown) = &self.shown else { return };
        if !matches!(&*shown.outcome, EventsOutcome::Page(_)) || shown.info().is_last() {
            return;
        }
        let next = shown.query.at_page(shown.query.page + 1);
        if !self.cache.contains_key(&next) && !self.prefetching.contains(&next) {
            self.prefetching.push(next);
            fx.push(Effect::Prefetch { query: next });
        }
    }

    /// Rows the table shows at once.
    pub fn page_rows(&self) -> usize {
        layout::areas(self.size, self).table_rows().max(1)
    }

    fn move_selection(&mut self, delta: isize) {
        if let Some(Overlay::Help { scroll }) = &mut self.overlay {
            let max = self.frame.help_max_scroll;
            *scroll = (i64::from(*scroll) + delta.signum() as i64).clamp(0, i64::from(max)) as u16;
            return;
        }
        if self.focus == Focus::Detail {
            let max = self.frame.detail_max_scroll;
            let step = if delta.unsigned_abs() > 1_000_000 { i64::from(u16::MAX) } else { delta as i64 };
            let next = (i64::from(self.detail.scroll) + step.signum() * step.abs().min(i64::from(u16::MAX)))
                .clamp(0, i64::from(max));
            self.detail.scroll = next as u16;
            return;
        }
        if let Some(summary) = &self.summary {
            let n = summary.periods.len() as isize;
            self.summary_selected =
                (self.summary_selected as isize).saturating_add(delta).clamp(0, (n - 1).max(0)) as usize;
            return;
        }
        let len = self.view.len();
        if len == 0 {
            return;
        }
        let target = (self.table.selected as isize).saturating_add(delta).clamp(0, len as isize - 1) as usize;
        if target != self.table.selected {
            self.table.selected = target;
            self.detail.scroll = 0;
        } else if delta > 0 && self.focus == Focus::Table {
            self.flash("Last row of this page: n for the next page.");
        }
    }

    /// Keeps the selection inside the visible window of the table.
    fn fit_table(&mut self) {
        let rows = self.page_rows();
        let len = self.view.len();
        let t = &mut self.table;
        if t.selected < t.offset {
            t.offset = t.selected;
        } else if t.selected >= t.offset + rows {
            t.offset = t.selected + 1 - rows;
        }
        t.offset = t.offset.min(len.saturating_sub(rows));
    }

    fn mouse(&mut self, m: MouseEvent) {
        if self.overlay.is_some() {
            return;
        }
        let areas = layout::areas(self.size, self);
        let at = Position::new(m.column, m.row);
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let step =
                    if m.kind == MouseEventKind::ScrollDown { WHEEL_ROWS as isize } else { -(WHEEL_ROWS as isize) };
                if areas.detail.is_some_and(|r| r.contains(at)) {
                    self.focus = Focus::Detail;
                } else if areas.table.is_some_and(|r| r.contains(at)) {
                    self.focus = Focus::Table;
                }
                self.move_selection(step);
            }
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(i) = areas.fields.iter().position(|r| r.contains(at)) {
                    self.focus = Focus::ORDER[i];
                } else if let Some(row) = areas.table_row_at(at) {
                    self.focus = Focus::Table;
                    let index = self.table.offset + row;
                    if index < self.view.len() {
                        self.table.selected = index;
                        self.detail.scroll = 0;
                    }
                } else if areas.detail.is_some_and(|r| r.contains(at)) {
                    self.focus = Focus::Detail;
                } else if areas.table.is_some_and(|r| r.contains(at)) {
                    self.focus = Focus::Table;
                }
            }
            _ => {}
        }
    }
}
