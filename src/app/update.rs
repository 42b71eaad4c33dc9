//! The one place that changes state. `update` takes a message and returns the
//! effects the runtime must carry out; it does no I/O itself. The features it
//! dispatches to live in their own files: paging, selection, pickers,
//! fetch-all, summary, export, profiles.

use crossterm::event::{Event, KeyEvent};
use ratatui::layout::Rect;
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use super::action::{Action, Effect, Msg};
use super::keymap;
use super::state::{App, Confirmable, Focus, Level, Notice, Overlay, Prompt};
use crate::api::EventsQuery;

impl App {
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut fx = Vec::new();
        match msg {
            Msg::Key(key) => {
                if self.chrome.notice.as_ref().is_some_and(|n| n.level == Level::Info) {
                    self.chrome.notice = None;
                }
                let action = keymap::action_for(self, key);
                self.apply(action, &mut fx);
            }
            Msg::Paste(text) => self.paste(&text),
            Msg::Mouse(m) => self.mouse(m),
            Msg::Resize(w, h) => self.chrome.size = Rect::new(0, 0, w, h),
            Msg::Tick => self.chrome.spinner = self.chrome.spinner.wrapping_add(1),
            Msg::Fetched { generation, query, elapsed, result } => {
                // A late answer to a superseded request is dropped.
                if self.results.in_flight.as_ref().is_some_and(|f| f.generation == generation) {
                    let request = self.results.in_flight.take();
                    self.finish(query, elapsed, result, request.is_some_and(|r| r.focus_table), &mut fx);
                }
            }
            Msg::Prefetched { query, result } => {
                self.results.prefetching.retain(|q| *q != query);
                let waiting = self.results.in_flight.as_ref().filter(|f| f.query == query && !f.fresh).cloned();
                match (result, waiting) {
                    (result, Some(request)) => {
                        // The user already asked for this page: show the answer.
                        self.results.in_flight = None;
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
            Msg::TargetsLoaded { generation, user_id, result } => {
                self.targets_loaded(generation, user_id, result);
                self.advance_verdict(&mut fx);
            }
            Msg::PeriodsLoaded { generation, result } => self.periods_loaded(generation, result),
            Msg::AllProgress { generation, progress } => self.all_progress(generation, progress),
            Msg::AllDone { generation, query, result } => {
                self.all_done(generation, query, result);
                self.advance_verdict(&mut fx);
            }
            Msg::Exported { path, result } => self.exported(&path, result),
            Msg::Saved { path, result } => self.saved(&path, result),
            Msg::WatchDue { generation } => self.watch_due(generation, &mut fx),
            Msg::WatchPolled { generation, result } => self.watch_polled(generation, result, &mut fx),
            Msg::ProfileChanged { result } => self.profile_changed(result, &mut fx),
            Msg::LookedUp { generation, customer, result } => self.looked_up(generation, customer, result, &mut fx),
            Msg::Quit => self.chrome.should_quit = true,
        }
        self.fit_table();
        fx
    }

    pub(super) fn apply(&mut self, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::None => {}
            Action::Quit => self.chrome.should_quit = true,
            Action::FocusNext => self.form.focus = self.form.focus.next(),
            Action::FocusPrev => self.form.focus = self.form.focus.prev(),
            Action::LeaveInput | Action::Back => self.form.focus = Focus::Table,
            Action::EditQuery => self.form.focus = Focus::Input(crate::api::Field::UserId),
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
                    self.chrome.overlay =
                        Some(Overlay::Prompt { prompt: Prompt::GoToPage(Input::default()), error: None })
                }
                None => self.flash_no_query(),
            },
            Action::AskLimit => {
                let current = Input::new(self.results.limit.to_string());
                self.chrome.overlay = Some(Overlay::Prompt { prompt: Prompt::PageSize(current), error: None });
            }
            Action::Confirm => self.confirm_prompt(fx),
            Action::PickProfile => self.pick_profile(None, None),
            Action::PromptEdit(key) => {
                if let Some(Overlay::Prompt { prompt, error }) = &mut self.chrome.overlay {
                    prompt.input_mut().handle_event(&Event::Key(key));
                    *error = None;
                }
            }
            Action::PickTarget => self.pick_target(fx),
            Action::PickPeriod => self.pick_period(fx),
            Action::PickRecent => self.pick_recent(),
            Action::PickerKey(key) => self.picker_key(key, fx),
            Action::FetchAll => self.fetch_all(fx),
            Action::StartFilter => self.results.filter.editing = true,
            Action::FilterKey(key) => {
                self.results.filter.input.handle_event(&Event::Key(key));
                self.results.table = Default::default();
                self.rebuild_view();
            }
            Action::EndFilter => self.results.filter.editing = false,
            Action::ClearFilter => {
                self.results.filter = Default::default();
                self.rebuild_view();
            }
            Action::CycleSort if self.batch_open() => self.batch_sort(false),
            Action::ReverseSort if self.batch_open() => self.batch_sort(true),
            Action::CycleSort => {
                self.results.sort.0 = self.results.sort.0.next();
                self.rebuild_view();
                self.flash(&format!("Sorted by {}.", self.results.sort.0.label()));
            }
            Action::ReverseSort => {
                self.results.sort.1 = !self.results.sort.1;
                self.rebuild_view();
                let order = if self.results.sort.1 { "descending" } else { "ascending" };
                self.flash(&format!("Sorted by {}, {order}.", self.results.sort.0.label()));
            }
            Action::ToggleSummary => self.toggle_summary(fx),
            Action::ToggleVerdict => self.toggle_verdict(fx),
            Action::ToggleWatch => self.toggle_watch(fx),
            Action::ToggleBatch => self.toggle_batch(),
            Action::BatchOpenRow => self.batch_open_row(fx),
            Action::VerdictSwitch => self.verdict_switch(),
            Action::VerdictOpenEvent => self.verdict_open_event(),
            Action::AskExport => self.ask_export(),
            Action::CopyEvent => self.copy_event(fx),
            Action::CopyCurl => self.copy_curl(fx),
            Action::CloseOverlay => self.chrome.overlay = None,
            Action::ToggleHelp => {
                self.chrome.overlay = match self.chrome.overlay {
                    Some(Overlay::Help { .. }) => None,
                    _ => Some(Overlay::Help { scroll: 0 }),
                }
            }
            Action::Refresh if self.showing_all() => self.fetch_all(fx),
            Action::Refresh => match self.base_query() {
                Some(q) => {
                    self.results.cache.clear();
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
                    self.form.focus = Focus::Detail;
                }
            }
            Action::ToggleRaw => {
                self.results.detail.raw = !self.results.detail.raw;
                self.results.detail.scroll = 0;
            }
        }
    }

    /// An informational notice: it fades with the next key.
    pub(super) fn flash(&mut self, text: &str) {
        self.chrome.notice = Some(Notice { level: Level::Info, text: text.to_string() });
    }

    /// A warning: kept until another notice or a new query replaces it.
    pub(super) fn warn(&mut self, text: &str) {
        self.chrome.notice = Some(Notice { level: Level::Warning, text: text.to_string() });
    }

    /// An error that blames no input: kept like a warning, styled as an error.
    pub(super) fn fail(&mut self, text: &str) {
        self.chrome.notice = Some(Notice { level: Level::Error, text: text.to_string() });
    }

    pub(super) fn edit(&mut self, key: KeyEvent) {
        if let Focus::Input(f) = self.form.focus {
            let field = self.field_mut(f);
            let before = field.input.value().to_string();
            field.input.handle_event(&Event::Key(key));
            if field.input.value() != before {
                field.api_error = None;
            }
        }
    }

    pub(super) fn paste(&mut self, text: &str) {
        let target = match (&mut self.chrome.overlay, self.form.focus) {
            (Some(Overlay::Prompt { prompt, .. }), _) => prompt.input_mut(),
            (Some(Overlay::Picker(p)), _) => {
                p.selected = 0;
                &mut p.filter
            }
            (None, _) if self.results.filter.editing => &mut self.results.filter.input,
            (None, Focus::Input(f)) => {
                let field = &mut self.form.inputs[super::state::field_index(f)];
                field.api_error = None;
                &mut field.input
            }
            _ => return,
        };
        for c in text.chars().filter(|c| !crate::sanitize::is_unsafe(*c)) {
            target.handle(InputRequest::InsertChar(c));
        }
        if self.results.filter.editing {
            self.rebuild_view();
        }
    }

    pub(super) fn confirm_prompt(&mut self, fx: &mut Vec<Effect>) {
        if let Some(Overlay::Picker(_)) = &self.chrome.overlay {
            return self.choose_picked(fx);
        }
        if let Some(Overlay::Confirm { on_yes, .. }) = self.chrome.overlay.clone() {
            self.chrome.overlay = None;
            return match on_yes {
                Confirmable::OverwriteExport { path, format } => self.export(path, format, true, fx),
                Confirmable::OverwriteNote { path } => self.save_note(path, true, fx),
            };
        }
        if let Some(Overlay::Prompt { prompt: Prompt::SaveNote(input), .. }) = &self.chrome.overlay {
            let path = input.value().trim().to_string();
            self.chrome.overlay = None;
            return self.save_note(path.into(), false, fx);
        }
        if let Some(Overlay::Prompt { prompt: Prompt::Export(input), .. }) = &self.chrome.overlay {
            let path = input.value().trim().to_string();
            return self.confirm_export(&path, fx);
        }
        let Some(Overlay::Prompt { prompt, .. }) = &self.chrome.overlay else {
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
                Ok(l) if (1..=self.results.max_limit).contains(&l) => Ok(l),
                _ => Err(format!("Enter a page size from 1 to {}.", self.results.max_limit)),
            },
            Prompt::Export(_) | Prompt::SaveNote(_) => return,
        };
        match (prompt, result) {
            (_, Err(e)) => {
                if let Some(Overlay::Prompt { error, .. }) = &mut self.chrome.overlay {
                    *error = Some(e);
                }
            }
            (Prompt::GoToPage(_), Ok(page)) => {
                self.chrome.overlay = None;
                if let Some(q) = self.base_query() {
                    self.request(q.at_page(page - 1), false, false, fx);
                }
            }
            (Prompt::Export(_) | Prompt::SaveNote(_), Ok(_)) => {}
            (Prompt::PageSize(_), Ok(limit)) => {
                self.chrome.overlay = None;
                self.results.limit = limit;
                if let Some(q) = self.base_query() {
                    // Keep the first event of the current page in view.
                    let first = u64::from(q.page) * u64::from(q.limit);
                    let page = u32::try_from(first / u64::from(limit)).unwrap_or(0);
                    self.request(EventsQuery { limit, page, ..q }, false, false, fx);
                }
            }
        }
    }
}
