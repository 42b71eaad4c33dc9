//! The one place that changes state. `update` takes a message and returns the
//! effects the runtime must carry out; it does no I/O itself. The features it
//! dispatches to live in their own files: paging, selection, pickers,
//! fetch-all, summary, export, profiles.

use crossterm::event::{Event, KeyEvent};
use ratatui::layout::Rect;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::action::{Action, Effect, Msg};
use super::keys;
use super::screen::{Layer, Owner, Panel};
use super::state::{App, Confirmable, Focus, Level, Notice, Overlay, Prompt};
use crate::api::EventsQuery;
use crate::explorer::features::batch::update as batch;
use crate::explorer::features::bills::update as bills;
use crate::explorer::features::events::fetch_all as every_page;
use crate::explorer::features::events::paging;
use crate::explorer::features::events::selection;
use crate::explorer::features::export::update as exports;
use crate::explorer::features::pickers::profiles;
use crate::explorer::features::pickers::update as pickers;
use crate::explorer::features::query::update as query;
use crate::explorer::features::summary::update as summary;
use crate::explorer::features::verdict::update as verdict;
use crate::explorer::features::watch::update as watch;

impl App {
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut fx = Vec::new();
        match msg {
            Msg::Key(key) => {
                if self.chrome.notice.as_ref().is_some_and(|n| n.level == Level::Info) {
                    self.chrome.notice = None;
                }
                let action = keys::action_for(self, key);
                self.apply(action, key, &mut fx);
            }
            Msg::Paste(text) => self.paste(&text, &mut fx),
            Msg::Mouse(m) => selection::mouse(self, m),
            Msg::Resize(w, h) => self.chrome.size = Rect::new(0, 0, w, h),
            Msg::Tick => self.chrome.spinner = self.chrome.spinner.wrapping_add(1),
            Msg::Fetched { generation, query, elapsed, result } => {
                // A late answer to a superseded request is dropped.
                if self.case.results.in_flight.as_ref().is_some_and(|f| f.generation == generation) {
                    let request = self.case.results.in_flight.take();
                    paging::finish(self, query, elapsed, result, request.is_some_and(|r| r.focus_table), &mut fx);
                }
            }
            Msg::Prefetched { query, result } => {
                self.case.results.prefetching.retain(|q| *q != query);
                let waiting = self.case.results.in_flight.as_ref().filter(|f| f.query == query && !f.fresh).cloned();
                match (result, waiting) {
                    (result, Some(request)) => {
                        // The user already asked for this page: show the answer.
                        self.case.results.in_flight = None;
                        paging::finish(self, query, Default::default(), result, request.focus_table, &mut fx);
                    }
                    (Ok(fetched), None) => paging::remember(self, query, &fetched),
                    (Err(_), None) => {}
                }
            }
            Msg::SubmitPrefilled { page } => match self.query_from_inputs() {
                Some(q) => paging::request(self, q.at_page(page), true, true, &mut fx),
                None => self.flash("The command line's ids are not valid: nothing was sent."),
            },
            Msg::TargetsLoaded { generation, user_id, result } => {
                pickers::targets_loaded(self, generation, user_id, result, &mut fx);
                verdict::read_bills_for_verdict(self, &mut fx);
                verdict::advance_verdict(self, &mut fx);
            }
            Msg::BillsLoaded { generation, user_id, result } => {
                verdict::bills_loaded(self, generation, user_id, result, &mut fx)
            }
            Msg::PeriodsLoaded { generation, result } => pickers::periods_loaded(self, generation, result),
            Msg::AllProgress { generation, progress } => every_page::all_progress(self, generation, progress),
            Msg::AllDone { generation, query, result } => {
                if self.case.verdict_run.as_ref().is_some_and(|r| r.generation == generation) {
                    verdict::rule_events_read(self, result, &mut fx);
                } else {
                    every_page::all_done(self, generation, query, result);
                    // The figures moved with the events: the targets are read again.
                    if let Some(user_id) = self.case.results.shown.as_ref().map(|s| s.query.user_id)
                        && self.case.targets.is_some()
                    {
                        self.read_targets(user_id, &mut fx);
                    }
                }
            }
            Msg::Exported { path, result } => exports::exported(self, &path, result),
            Msg::Saved { path, kind, result } => exports::saved(self, &path, kind, result),
            Msg::WatchDue { generation } => watch::watch_due(self, generation, &mut fx),
            Msg::WatchPolled { generation, result } => watch::watch_polled(self, generation, result, &mut fx),
            Msg::ProfileChanged { result } => profiles::profile_changed(self, result, &mut fx),
            Msg::LookedUp { generation, customer, result } => query::looked_up(self, generation, customer, result),
            Msg::Quit => self.chrome.should_quit = true,
        }
        self.answer_asks(&mut fx);
        selection::fit_table(self);
        if self.form.focus != Focus::Input(crate::explorer::app::Field::UserId) {
            self.form.selected = false;
        }
        fx
    }

    /// An action goes first to whoever owns the screen (a panel or an
    /// overlay: each handles its own keys); what the owner leaves is shared:
    /// the query, paging, pickers, the toggles that open panels, quitting.
    pub(crate) fn apply(&mut self, action: Action, key: KeyEvent, fx: &mut Vec<Effect>) {
        let handled = match self.owner() {
            Owner::Help => self.help_action(action, key),
            Owner::Copied => self.copied_action(action, key),
            Owner::Confirm | Owner::Prompt => self.prompt_action(action, key, fx),
            Owner::Picker => pickers::on_action(self, action, key, fx),
            Owner::Verdict => verdict::on_action(self, action, key, fx),
            Owner::Bills => bills::on_action(self, action, key),
            Owner::Batch => batch::on_action(self, action, key, fx),
            Owner::Summary => summary::on_action(self, action, key),
            Owner::Detail => self.detail_action(action, key),
            Owner::Filter | Owner::Query | Owner::Table => false,
        };
        if !handled {
            self.apply_shared(action, key, fx);
        }
    }

    /// The help overlay: it scrolls (a line, a screenful, to either end) and closes.
    fn help_action(&mut self, action: Action, key: KeyEvent) -> bool {
        let max = self.chrome.frame.help_max_scroll;
        let page = usize::from(self.chrome.size.height.saturating_sub(6));
        if let (Some(delta), Some(Overlay::Help { scroll })) = (action.step(key, page), self.screen.overlay_mut()) {
            let delta = (delta as i64).clamp(-i64::from(u16::MAX), i64::from(u16::MAX));
            *scroll = (i64::from(*scroll) + delta).clamp(0, i64::from(max)) as u16;
            return true;
        }
        match (action, self.screen.overlay_mut()) {
            (Action::CloseOverlay, _) => {
                self.screen.close_overlay();
            }
            _ => return false,
        }
        true
    }

    /// Copied text: it scrolls both ways and closes.
    fn copied_action(&mut self, action: Action, key: KeyEvent) -> bool {
        let size = self.chrome.size;
        let (_, page) = match self.screen.overlay() {
            Some(Overlay::Copied { text, .. }) => crate::explorer::features::overlays::copied_rows(size, text),
            _ => (0, 1),
        };
        if let Some(delta) = action.step(key, page)
            && let Some(Overlay::Copied { text, scroll, .. }) = self.screen.overlay_mut()
        {
            let (total, visible) = crate::explorer::features::overlays::copied_rows(size, text);
            let max = total.saturating_sub(visible) as i64;
            let step = (delta as i64).clamp(-(u16::MAX as i64), u16::MAX as i64);
            *scroll = (i64::from(*scroll) + step).clamp(0, max) as u16;
            return true;
        }
        match action {
            Action::Left => crate::explorer::features::overlays::shift_copied(self, -8),
            Action::Right => crate::explorer::features::overlays::shift_copied(self, 8),
            Action::CloseOverlay => {
                self.screen.close_overlay();
            }
            _ => return false,
        }
        true
    }

    /// A prompt or a yes/no question: typed into, answered or closed.
    fn prompt_action(&mut self, action: Action, key: KeyEvent, fx: &mut Vec<Effect>) -> bool {
        match action {
            Action::Confirm => self.confirm_prompt(fx),
            Action::PromptEdit => {
                if let Some(Overlay::Prompt { prompt, error }) = self.screen.overlay_mut() {
                    prompt.input_mut().handle_event(&Event::Key(key));
                    *error = None;
                }
            }
            Action::CloseOverlay => {
                self.screen.close_overlay();
            }
            _ => return false,
        }
        true
    }

    /// The detail pane with the keys: it scrolls; the table's other keys
    /// work beside it.
    fn detail_action(&mut self, action: Action, key: KeyEvent) -> bool {
        let Some(delta) = action.step(key, self.page_rows()) else { return false };
        let max = self.chrome.frame.detail_max_scroll;
        // To either end (g, G) is a step past it, with its sign kept.
        let step = (delta as i64).clamp(-i64::from(u16::MAX), i64::from(u16::MAX));
        let next = (i64::from(self.case.results.detail.scroll) + step).clamp(0, i64::from(max));
        self.case.results.detail.scroll = next as u16;
        true
    }

    /// What no owner took: the query, the table, paging and the toggles.
    fn apply_shared(&mut self, action: Action, key: KeyEvent, fx: &mut Vec<Effect>) {
        match action {
            Action::None => {}
            Action::Quit => self.chrome.should_quit = true,
            Action::FocusNext => self.focus_next(),
            Action::FocusPrev => self.focus_prev(),
            Action::LeaveInput => self.form.focus = Focus::Table,
            Action::EditQuery => query::select_customer(self),
            Action::Edit => query::edit(self, key, fx),
            Action::Submit => paging::submit(self, fx),
            Action::Cancel => paging::cancel(self, fx),
            Action::NextPage | Action::PrevPage | Action::FirstPage | Action::LastPage | Action::AskPage
                if self.showing_all() =>
            {
                let key = |owner, action| keys::key_of(&self.keymap, owner, action);
                self.flash(&format!(
                    "Every event is loaded: {}/{} to move, {} to filter, {} for the summary, {} in the query for pages.",
                    key(Owner::Table, Action::Down),
                    key(Owner::Table, Action::Up),
                    key(Owner::Table, Action::StartFilter),
                    key(Owner::Table, Action::ToggleSummary),
                    key(Owner::Query, Action::Submit),
                ))
            }
            Action::NextPage => paging::next_page(self, fx),
            Action::PrevPage => match self.base_query() {
                Some(q) if q.page > 0 => paging::request(self, q.at_page(q.page - 1), false, false, fx),
                Some(_) => self.flash("Already on the first page."),
                None => self.flash_no_query(),
            },
            Action::FirstPage => match self.base_query() {
                Some(q) if q.page > 0 => paging::request(self, q.at_page(0), false, false, fx),
                Some(_) => self.flash("Already on the first page."),
                None => self.flash_no_query(),
            },
            Action::LastPage => match (self.base_query(), self.known_pages()) {
                (Some(q), Some(n)) if q.page + 1 < n => paging::request(self, q.at_page(n - 1), false, false, fx),
                (Some(_), Some(n)) => self.flash(&format!("Already on the last page (page {n} of {n}).")),
                (Some(_), None) => self.flash("The number of pages is not known yet."),
                (None, _) => self.flash_no_query(),
            },
            Action::AskPage => match self.base_query() {
                Some(_) => self
                    .screen
                    .open_overlay(Overlay::Prompt { prompt: Prompt::GoToPage(Input::default()), error: None }),
                None => self.flash_no_query(),
            },
            Action::AskLimit => {
                let current = Input::new(self.case.results.limit.to_string());
                self.screen.open_overlay(Overlay::Prompt { prompt: Prompt::PageSize(current), error: None });
            }
            Action::PickProfile => profiles::pick_profile(self, None, None),
            Action::PickTarget => pickers::pick_target(self, fx),
            Action::PickPeriod => pickers::pick_period(self, fx),
            Action::PickRecent => pickers::pick_recent(self),
            Action::FetchAll => every_page::fetch_all(self, fx),
            Action::StartFilter => self.filter_mut().editing = true,
            Action::FilterKey => {
                self.filter_mut().input.handle_event(&Event::Key(key));
                if !self.batch_open() {
                    self.case.results.table = Default::default();
                }
                self.rebuild_view();
            }
            Action::EndFilter => self.filter_mut().editing = false,
            Action::ClearFilter => {
                *self.filter_mut() = Default::default();
                self.rebuild_view();
            }
            Action::CycleSort => {
                self.case.results.sort.0 = self.case.results.sort.0.next();
                self.rebuild_view();
                self.flash(&format!("Sorted by {}.", self.case.results.sort.0.label()));
            }
            Action::ReverseSort => {
                self.case.results.sort.1 = !self.case.results.sort.1;
                self.rebuild_view();
                let order = if self.case.results.sort.1 { "descending" } else { "ascending" };
                self.flash(&format!("Sorted by {}, {order}.", self.case.results.sort.0.label()));
            }
            Action::ToggleSummary => summary::toggle_summary(self, fx),
            Action::ToggleVerdict => verdict::toggle_verdict(self, fx),
            Action::ToggleBills => bills::toggle_bills(self),
            Action::ToggleWatch => watch::toggle_watch(self, fx),
            Action::ToggleBatch => batch::toggle_batch(self),
            Action::AskExport => exports::ask_export_events(self),
            Action::Copy => exports::copy_event(self, fx),
            Action::CopyCurl => exports::copy_curl(self, fx),
            Action::CopyReply => exports::copy_reply(self, fx),
            Action::Close => self.close_panel(fx),
            Action::ToggleHelp => self.toggle_help(),
            // After a failure, the request that failed is the one asked again.
            Action::Refresh if self.case.results.error.is_some() && self.case.results.failed.is_some() => {
                if let Some(q) = self.case.results.failed {
                    paging::request(self, q, false, true, fx);
                }
            }
            Action::Refresh if self.showing_all() => every_page::fetch_all(self, fx),
            Action::Refresh => match self.base_query() {
                Some(q) => {
                    self.case.results.cache.clear();
                    paging::request(self, q, false, true, fx);
                    // The achieved values move with the events: read again with them.
                    if self.case.targets.is_some() {
                        self.read_targets(q.user_id, fx);
                    }
                }
                None => paging::submit(self, fx),
            },
            Action::Up | Action::Down | Action::Screenful | Action::Top | Action::Bottom => {
                let delta = action.step(key, self.page_rows()).unwrap_or_default();
                selection::move_selection(self, delta)
            }
            Action::OpenDetail => self.open_detail(),
            Action::ToggleRaw => {
                self.case.results.detail.raw = !self.case.results.detail.raw;
                self.case.results.detail.scroll = 0;
            }
            // The rest belong to one panel or overlay, which answered them when
            // it owned the screen; under any other owner they do nothing.
            _ => {}
        }
    }

    /// `?`: help opens, or the overlay on top closes.
    fn toggle_help(&mut self) {
        if self.screen.close_overlay().is_none() {
            self.screen.open_overlay(Overlay::Help { scroll: 0 });
        }
    }

    /// Enter on a row: its detail pane takes the keys.
    fn open_detail(&mut self) {
        if self.selected_event().is_some() {
            self.screen.push(Layer::Detail);
        }
    }

    /// Closes the panel drawn; what it covered has the keys again.
    fn close_panel(&mut self, fx: &mut Vec<Effect>) {
        match self.screen.main() {
            Some(Panel::Verdict) => verdict::close_verdict(self, fx),
            Some(panel) => {
                self.screen.remove(panel);
            }
            None => {}
        }
    }

    /// Tab: query fields, then the table, then the detail pane, then back to
    /// the fields. Over a panel, from the panel to the fields.
    fn focus_next(&mut self) {
        use crate::explorer::app::Field;
        self.form.focus = match (self.form.focus, self.screen.main()) {
            (Focus::Input(Field::UserId), _) => Focus::Input(Field::RuleId),
            (Focus::Input(Field::RuleId), _) => Focus::Input(Field::PeriodId),
            (Focus::Input(Field::PeriodId), _) => Focus::Table,
            (Focus::Table, None) if self.selected_event().is_some() => {
                self.screen.push(Layer::Detail);
                Focus::Table
            }
            (Focus::Table, Some(Panel::Detail)) => {
                self.screen.remove(Panel::Detail);
                Focus::Input(Field::UserId)
            }
            (Focus::Table, _) => Focus::Input(Field::UserId),
        };
    }

    fn focus_prev(&mut self) {
        use crate::explorer::app::Field;
        self.form.focus = match (self.form.focus, self.screen.main()) {
            (Focus::Input(Field::PeriodId), _) => Focus::Input(Field::RuleId),
            (Focus::Input(Field::RuleId), _) => Focus::Input(Field::UserId),
            (Focus::Input(Field::UserId), None) if self.selected_event().is_some() => {
                self.screen.push(Layer::Detail);
                Focus::Table
            }
            (Focus::Input(Field::UserId), _) => Focus::Table,
            (Focus::Table, Some(Panel::Detail)) => {
                self.screen.remove(Panel::Detail);
                Focus::Table
            }
            (Focus::Table, _) => Focus::Input(Field::PeriodId),
        };
    }

    /// An informational notice: it fades with the next key.
    pub(crate) fn flash(&mut self, text: &str) {
        self.chrome.notice = Some(Notice { level: Level::Info, text: text.to_string() });
    }

    /// A warning: kept until another notice or a new query replaces it.
    pub(crate) fn warn(&mut self, text: &str) {
        self.chrome.notice = Some(Notice { level: Level::Warning, text: text.to_string() });
    }

    /// An error that blames no input: kept like a warning, styled as an error.
    pub(crate) fn fail(&mut self, text: &str) {
        self.chrome.notice = Some(Notice { level: Level::Error, text: text.to_string() });
    }

    pub(super) fn paste(&mut self, text: &str, fx: &mut Vec<Effect>) {
        let owner = self.owner();
        // A URL or cURL line copied from the docs or a colleague, pasted over
        // the query or any panel (not into a prompt, a picker or a filter):
        // its query, as a new case (on this profile's origin only).
        let typing_elsewhere = matches!(owner, Owner::Prompt | Owner::Picker | Owner::Filter);
        if !typing_elsewhere
            && text.len() <= MAX_URL_PASTE
            && (text.contains("http://") || text.contains("https://"))
            && let Ok(url) = crate::query_url::parse(text)
        {
            return query::paste_url(self, url, fx);
        }
        // Where it lands, and the longest value that makes sense there.
        let (target, room) = match (owner, self.form.focus) {
            (Owner::Prompt, _) => match self.screen.overlay_mut() {
                Some(Overlay::Prompt { prompt, .. }) => (prompt.input_mut(), PasteRoom::PROMPT),
                _ => return,
            },
            (Owner::Picker, _) => match self.screen.overlay_mut() {
                Some(Overlay::Picker(p)) => (p.filter_for_paste(), PasteRoom::PICKER),
                _ => return,
            },
            (Owner::Filter, _) => (&mut self.filter_mut().input, PasteRoom::FILTER),
            (Owner::Query, Focus::Input(f)) => {
                // A paste over the selected text replaces it, as typing does.
                let selected = std::mem::take(&mut self.form.selected);
                let field = &mut self.form.inputs[super::state::field_index(f)];
                field.api_error = None;
                if selected {
                    field.input = Input::default();
                }
                let room = if f == crate::explorer::app::Field::UserId { PasteRoom::CUSTOMER } else { PasteRoom::ID };
                (&mut field.input, room)
            }
            _ => return,
        };
        // A one-line field takes a paste's first line (or a spreadsheet
        // row's first cell): lines run together would make another
        // customer's id of two. Terminals send a line break as CR or LF.
        let mut lines = text.split(['\n', '\r', '\t']).map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap_or_default();
        let more_lines = lines.count();
        let cut = paste_into(target, first, room.chars);
        if owner == Owner::Filter {
            self.rebuild_view();
        }
        // A customer pasted is another customer, as one typed is.
        if owner == Owner::Query && self.form.focus == Focus::Input(crate::explorer::app::Field::UserId) {
            query::customer_changed(self, fx);
        }
        let said = match (cut, more_lines) {
            (_, n) if n > 0 => Some(format!(
                "The paste had {} lines or cells; {} takes one, so it took the first{}.",
                n + 1,
                room.what,
                if cut.is_some() { format!(" (its first {} characters)", room.chars) } else { String::new() }
            )),
            (Some(given), _) => Some(format!(
                "The paste was {given} characters; {} holds at most {}, so the rest was left out.",
                room.what, room.chars
            )),
            (None, _) => None,
        };
        if let Some(text) = said {
            self.chrome.notice = Some(Notice { level: Level::Warning, text });
        }
    }

    pub(super) fn confirm_prompt(&mut self, fx: &mut Vec<Effect>) {
        if let Some(Overlay::Picker(_)) = self.screen.overlay() {
            return pickers::choose_picked(self, fx);
        }
        if let Some(Overlay::Confirm { on_yes, .. }) = self.screen.overlay().cloned() {
            self.screen.close_overlay();
            return match on_yes {
                Confirmable::OverwriteExport { path, format } => exports::export(self, path, format, true, fx),
                Confirmable::OverwriteText { path, kind } => exports::save_text(self, path, kind, true, fx),
            };
        }
        if let Some(Overlay::Prompt { prompt: Prompt::SaveText(input, kind), .. }) = self.screen.overlay() {
            let (path, kind) = (input.value().trim().to_string(), *kind);
            self.screen.close_overlay();
            return exports::save_text(self, path.into(), kind, false, fx);
        }
        if let Some(Overlay::Prompt { prompt: Prompt::Export(input), .. }) = self.screen.overlay() {
            let path = input.value().trim().to_string();
            return exports::confirm_export(self, &path, fx);
        }
        let Some(Overlay::Prompt { prompt, .. }) = self.screen.overlay() else {
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
                Ok(l) if (1..=self.case.results.max_limit).contains(&l) => Ok(l),
                _ => Err(format!("Enter a page size from 1 to {}.", self.case.results.max_limit)),
            },
            Prompt::Export(_) | Prompt::SaveText(..) => return,
        };
        match (prompt, result) {
            (_, Err(e)) => {
                if let Some(Overlay::Prompt { error, .. }) = self.screen.overlay_mut() {
                    *error = Some(e);
                }
            }
            (Prompt::GoToPage(_), Ok(page)) => {
                self.screen.close_overlay();
                if let Some(q) = self.base_query() {
                    paging::request(self, q.at_page(page - 1), false, false, fx);
                }
            }
            (Prompt::Export(_) | Prompt::SaveText(..), Ok(_)) => {}
            (Prompt::PageSize(_), Ok(limit)) => {
                self.screen.close_overlay();
                self.case.results.limit = limit;
                if let Some(q) = self.base_query() {
                    // Keep the first event of the current page in view.
                    let first = u64::from(q.page) * u64::from(q.limit);
                    let page = u32::try_from(first / u64::from(limit)).unwrap_or(0);
                    paging::request(self, EventsQuery { limit, page, ..q }, false, false, fx);
                }
            }
        }
    }
}

/// The longest paste read as a URL or cURL line (one with headers and a body
/// is a few kilobytes).
const MAX_URL_PASTE: usize = 64 * 1024;

/// The longest value that makes sense where a paste lands.
#[derive(Clone, Copy)]
struct PasteRoom {
    chars: usize,
    what: &'static str,
}

impl PasteRoom {
    /// An id, a mobile number, an email (254 at most), an external id or a card.
    const CUSTOMER: PasteRoom = PasteRoom { chars: 320, what: "the customer field" };
    const ID: PasteRoom = PasteRoom { chars: 20, what: "an id field" };
    /// A file path (PATH_MAX) or a number.
    const PROMPT: PasteRoom = PasteRoom { chars: 4096, what: "the prompt" };
    const FILTER: PasteRoom = PasteRoom { chars: 1024, what: "the filter" };
    const PICKER: PasteRoom = PasteRoom { chars: 256, what: "the picker's filter" };
}

/// Pastes `text` at the cursor as one edit, in time linear in its length:
/// characters unsafe in a terminal dropped, the field kept to `max` characters.
/// Returns how many characters were given when some had to be left out.
pub(crate) fn paste_into(input: &mut Input, text: &str, max: usize) -> Option<usize> {
    let value = input.value();
    let cursor = input.cursor();
    let room = max.saturating_sub(value.chars().count());
    let mut given = 0;
    let mut kept = String::new();
    for c in text.chars().filter(|c| !crate::sanitize::is_unsafe(*c)) {
        given += 1;
        if given <= room {
            kept.push(c);
        }
    }
    let at = value.char_indices().nth(cursor).map_or(value.len(), |(i, _)| i);
    let mut whole = String::with_capacity(value.len() + kept.len());
    whole.push_str(&value[..at]);
    whole.push_str(&kept);
    whole.push_str(&value[at..]);
    *input = Input::new(whole).with_cursor(cursor + given.min(room));
    (given > room).then_some(given)
}
