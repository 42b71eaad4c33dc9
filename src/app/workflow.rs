//! The support workflow on top of the explorer: target and period pickers,
//! recent queries, fetch-all, summary, export and copy. Like `update`, these
//! change state and return effects; they do no I/O.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::action::{Effect, ExportError};
use super::picker::{Picker, PickerItem, PickerKind, TargetChoice, recent_query};
use super::recent::{self, RecentQuery};
use super::state::{AllMeta, AllRun, App, AuthKind, Confirmable, ConnectionInfo, Overlay, Prompt, Shown};
use crate::api::fetch_all::{AllEvents, Progress, describe_pages};
use crate::api::model::{EventsPage, Pagination, TargetPeriod, UserTargetGroup};
use crate::api::{ApiError, EventsOutcome, EventsQuery, Field};
use crate::export::{self, Format};

impl App {
    fn open_picker(&mut self, kind: PickerKind, fx: &mut Vec<Effect>) {
        self.generation += 1;
        let generation = self.generation;
        self.overlay = Some(Overlay::Picker(Picker::new(kind, generation)));
        fx.push(match kind {
            PickerKind::Targets { user_id } => Effect::LoadTargets { generation, user_id },
            PickerKind::Periods { group_id } => Effect::LoadPeriods { generation, group_id },
            PickerKind::Recent | PickerKind::Profiles => return,
        });
    }

    pub(super) fn pick_target(&mut self, fx: &mut Vec<Effect>) {
        let Ok(Some(user_id)) = super::state::parse_id(self.field(Field::UserId).input.value(), true) else {
            return self.flash("Enter a valid customer id first: its targets are looked up from it.");
        };
        if let Some(groups) = self.targets.get(&user_id) {
            let items = TargetChoice::from_groups(groups).into_iter().map(PickerItem::Target).collect();
            let mut picker = Picker::with_items(PickerKind::Targets { user_id }, items);
            picker.select_current();
            self.overlay = Some(Overlay::Picker(picker));
            return;
        }
        self.open_picker(PickerKind::Targets { user_id }, fx);
    }

    pub(super) fn targets_loaded(
        &mut self,
        generation: u64,
        user_id: i64,
        result: Result<Vec<UserTargetGroup>, ApiError>,
    ) {
        let for_summary = self.targets_pending.is_some_and(|(g, _)| g == generation);
        if for_summary {
            self.targets_pending = None;
        }
        match &result {
            Ok(groups) => {
                self.targets.insert(user_id, Arc::new(groups.clone()));
                if self.summary.is_some() {
                    self.refresh_summary();
                }
            }
            Err(e) if for_summary => {
                self.warn(&format!("The summary has no targets: looking them up failed. {}", e.sentence()))
            }
            Err(_) => {}
        }
        let Some(Overlay::Picker(p)) = &mut self.overlay else { return };
        if p.generation != generation {
            return;
        }
        p.loading = false;
        match result {
            Ok(groups) => {
                p.items = TargetChoice::from_groups(&groups).into_iter().map(PickerItem::Target).collect();
                p.select_current();
            }
            Err(e) => p.error = Some(e),
        }
    }

    /// The target group in play: the last one picked, else the shown events'.
    fn current_group(&self) -> Option<i64> {
        self.group_id.or_else(|| self.events().first().map(|e| e.target_group_id))
    }

    pub(super) fn pick_period(&mut self, fx: &mut Vec<Effect>) {
        match self.current_group() {
            Some(group_id) => self.open_picker(PickerKind::Periods { group_id }, fx),
            None => self.flash("Pick a target first (t), or load its events: periods belong to a target group."),
        }
    }

    pub(super) fn periods_loaded(&mut self, generation: u64, result: Result<Vec<TargetPeriod>, ApiError>) {
        let Some(Overlay::Picker(p)) = &mut self.overlay else { return };
        if p.generation != generation {
            return;
        }
        p.loading = false;
        match result {
            Ok(periods) => p.items = periods.into_iter().map(PickerItem::Period).collect(),
            Err(e) => p.error = Some(e),
        }
    }

    pub(super) fn pick_recent(&mut self) {
        if self.recent.is_empty() {
            return self.flash("No recent queries yet.");
        }
        let items = self.recent.iter().cloned().map(PickerItem::Recent).collect();
        self.overlay = Some(Overlay::Picker(Picker::with_items(PickerKind::Recent, items)));
    }

    pub(super) fn picker_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) {
        let Some(Overlay::Picker(p)) = &mut self.overlay else { return };
        let visible = p.visible().len();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Down => p.selected = (p.selected + 1).min(visible.saturating_sub(1)),
            KeyCode::Up => p.selected = p.selected.saturating_sub(1),
            KeyCode::PageDown => p.selected = (p.selected + 10).min(visible.saturating_sub(1)),
            KeyCode::PageUp => p.selected = p.selected.saturating_sub(10),
            KeyCode::Delete if p.kind == PickerKind::Recent => {
                if let Some(PickerItem::Recent(r)) = p.selected_item().cloned() {
                    p.items.retain(|i| *i != PickerItem::Recent(r.clone()));
                    p.selected = p.selected.min(p.visible().len().saturating_sub(1));
                    self.recent.retain(|x| *x != r);
                    fx.push(Effect::SaveRecent(self.recent.clone()));
                }
            }
            KeyCode::Char('k') if ctrl && p.kind == PickerKind::Recent => {
                self.recent.clear();
                self.overlay = None;
                fx.push(Effect::SaveRecent(Vec::new()));
                self.flash("Recent queries cleared.");
            }
            _ => {
                let before = p.filter.value().to_string();
                p.filter.handle_event(&Event::Key(key));
                if p.filter.value() != before {
                    p.selected = 0;
                }
            }
        }
    }

    pub(super) fn choose_picked(&mut self, fx: &mut Vec<Effect>) {
        let Some(Overlay::Picker(p)) = &self.overlay else { return };
        let Some(item) = p.selected_item().cloned() else { return };
        self.overlay = None;
        let query = match item {
            PickerItem::Target(t) => {
                self.set_field(Field::RuleId, &t.rule_id.to_string());
                self.set_field(Field::PeriodId, &t.period_id.map(|p| p.to_string()).unwrap_or_default());
                self.group_id = Some(t.group_id);
                self.query_from_inputs()
            }
            PickerItem::Period(period) => {
                self.set_field(Field::PeriodId, &period.id.to_string());
                self.query_from_inputs()
            }
            PickerItem::Recent(r) => {
                self.set_field(Field::UserId, &r.user_id.to_string());
                self.set_field(Field::RuleId, &r.rule_id.to_string());
                self.set_field(Field::PeriodId, &r.period_id.map(|p| p.to_string()).unwrap_or_default());
                Some(recent_query(&r, self.limit))
            }
            PickerItem::Profile(p) => return self.use_profile(p.name, fx),
        };
        match query {
            Some(q) => self.new_query(q, fx),
            None => self.flash("Fix the marked fields first: nothing was sent."),
        }
    }

    pub(super) fn remember_recent(&mut self, q: EventsQuery, fx: &mut Vec<Effect>) {
        let at = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
        recent::remember(
            &mut self.recent,
            RecentQuery { user_id: q.user_id, rule_id: q.rule_id, period_id: q.period_id, at },
        );
        fx.push(Effect::SaveRecent(self.recent.clone()));
    }

    pub(super) fn fetch_all(&mut self, fx: &mut Vec<Effect>) {
        let Some(query) = self.base_query().or_else(|| self.query_from_inputs()) else {
            return self.flash("Enter a customer id and a target rule id first, then press Enter.");
        };
        if let Some(old) = self.all_run.take() {
            fx.push(Effect::Cancel { generation: old.generation });
        }
        self.generation += 1;
        let generation = self.generation;
        self.all_run = Some(AllRun { generation, query, pages: 0, pages_done: 0, events: 0, retries: 0 });
        fx.push(Effect::FetchAll { generation, query });
    }

    pub(super) fn all_progress(&mut self, generation: u64, progress: Progress) {
        let Some(run) = self.all_run.as_mut().filter(|r| r.generation == generation) else { return };
        match progress {
            Progress::Planned { pages, .. } => run.pages = pages,
            Progress::Page { events, .. } => {
                run.pages_done += 1;
                run.events += events;
            }
            Progress::Retrying { .. } => run.retries += 1,
        }
    }

    pub(super) fn all_done(&mut self, generation: u64, query: EventsQuery, result: Result<AllEvents, ApiError>) {
        if self.all_run.as_ref().is_none_or(|r| r.generation != generation) {
            return;
        }
        self.all_run = None;
        let all = match result {
            Ok(all) => all,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        self.error = None;
        let query = EventsQuery { page: 0, limit: all.limit, ..query };
        if let Some(message) = all.no_events {
            self.show(query, Arc::new(EventsOutcome::NoEvents { message }), false);
            return;
        }
        let meta = AllMeta {
            pages: all.pages,
            pages_fetched: all.pages_fetched,
            missing: all.missing.iter().map(|m| m.page).collect(),
            duplicates: all.duplicates,
            stopped: all.stopped,
        };
        let count = all.events.len();
        let page = EventsPage {
            pagination: Pagination { limit: Some(u64::from(all.limit)), offset: Some(0), total: all.total },
            events: all.events,
            warnings: Vec::new(),
        };
        self.show_with(Shown { query, outcome: Arc::new(EventsOutcome::Page(page)), all: Some(meta.clone()) }, false);
        if let Some(stop) = meta.stopped {
            self.warn(&format!("Loaded {count} events. {}", stop.sentence()));
        } else if meta.missing.is_empty() {
            self.flash(&format!("Loaded all {count} events from {} pages.", meta.pages_fetched));
        } else {
            self.warn(&format!(
                "Loaded {count} events; {} failed: their events are missing. r tries again.",
                describe_pages(&meta.missing)
            ));
        }
    }

    /// Opens the summary, looking up the customer's targets (once per
    /// customer) when they are not known, however the query was entered.
    pub(super) fn toggle_summary(&mut self, fx: &mut Vec<Effect>) {
        if self.summary.take().is_some() {
            return;
        }
        if self.view.is_empty() {
            return self.flash("Nothing to summarise: load some events first.");
        }
        self.refresh_summary();
        let Some(user_id) = self.shown.as_ref().map(|s| s.query.user_id) else { return };
        let pending = self.targets_pending.is_some_and(|(_, u)| u == user_id);
        if !self.targets.contains_key(&user_id) && !pending {
            self.generation += 1;
            self.targets_pending = Some((self.generation, user_id));
            fx.push(Effect::LoadTargets { generation: self.generation, user_id });
        }
    }

    pub(super) fn ask_export(&mut self) {
        let Some(shown) = &self.shown else { return self.flash("Nothing to export: load some events first.") };
        if self.view.is_empty() {
            return self.flash("Nothing to export: the view is empty.");
        }
        let q = shown.query;
        let period = q.period_id.map(|p| format!("-{p}")).unwrap_or_default();
        let scope = if shown.all.is_some() { "all".to_string() } else { format!("page{}", q.page + 1) };
        let path = format!("target-events-{}-{}{period}-{scope}.csv", q.user_id, q.rule_id);
        self.overlay = Some(Overlay::Prompt { prompt: Prompt::Export(Input::new(path)), error: None });
    }

    pub(super) fn confirm_export(&mut self, path: &str, fx: &mut Vec<Effect>) {
        let Some(format) = format_for(Path::new(path)) else {
            if let Some(Overlay::Prompt { error, .. }) = &mut self.overlay {
                *error = Some("End the file name in .csv, .json or .jsonl.".into());
            }
            return;
        };
        self.overlay = None;
        self.export(path.into(), format, false, fx);
    }

    /// Asks the runtime to write the view; an existing file is replaced only
    /// after a yes.
    pub(super) fn export(&mut self, path: PathBuf, format: Format, overwrite: bool, fx: &mut Vec<Effect>) {
        let Some(shown) = &self.shown else { return };
        fx.push(Effect::Export { path, format, outcome: shown.outcome.clone(), indices: self.view.clone(), overwrite });
    }

    pub(super) fn exported(&mut self, path: &Path, result: Result<usize, ExportError>) {
        let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
        match result {
            Ok(n) => self.flash(&format!("Wrote {n} events to {shown}")),
            Err(ExportError::Exists) => match format_for(path) {
                Some(format) => {
                    self.overlay = Some(Overlay::Confirm {
                        question: format!("{shown} already exists. Replace it? (y/n)"),
                        on_yes: Confirmable::OverwriteExport { path: path.to_path_buf(), format },
                    })
                }
                None => self.warn(&format!("{shown} already exists: nothing was written.")),
            },
            Err(ExportError::Failed(e)) => self.fail(&format!("Could not write {shown}: {e}")),
        }
    }

    pub(super) fn copy_event(&mut self, fx: &mut Vec<Effect>) {
        let Some(e) = self.selected_event() else { return self.flash("Select an event first.") };
        let title = format!("Event {} as JSON", e.event_log_id);
        let text = export::terminal_safe_json(&e.as_sent(), true);
        self.copy(title, text, fx);
    }

    pub(super) fn copy_curl(&mut self, fx: &mut Vec<Effect>) {
        let Some(q) = self.base_query().or_else(|| self.query_from_inputs()) else {
            return self.flash("Enter a customer id and a target rule id first.");
        };
        let text = curl_command(&self.connection, &q);
        self.copy("The query as cURL".into(), text, fx);
    }

    fn copy(&mut self, title: String, text: String, fx: &mut Vec<Effect>) {
        let sent = self.connection.clipboard;
        if sent {
            fx.push(Effect::Copy { text: text.clone() });
        }
        self.overlay = Some(Overlay::Copied { title, text, sent });
    }
}

/// The export format a file name asks for by its extension.
fn format_for(path: &Path) -> Option<Format> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv") => Some(Format::Csv),
        Some("json") => Some(Format::Json),
        Some("jsonl") | Some("ndjson") => Some(Format::Jsonl),
        _ => None,
    }
}

/// The current query as a cURL command that works as pasted. Credentials
/// are the environment variables the tool itself reads, filled in by the
/// shell when it runs; no secret is ever in it. It follows no redirect.
pub fn curl_command(conn: &ConnectionInfo, q: &EventsQuery) -> String {
    let url = crate::api::query::events_url(&conn.base_url, q, conn.offset_mode).to_string().replace('\'', "%27");
    let mut lines = vec![format!("curl '{url}'"), "  --header 'Accept: application/json'".to_string()];
    let basic = |md5: &str| {
        format!(
            "  --header \"Authorization: Basic $(printf '%s:%s' \"$CAP_USERNAME\" \"{md5}\" | base64 | tr -d '\\n')\""
        )
    };
    match conn.auth {
        AuthKind::None => {}
        AuthKind::Basic => lines.push(basic("$(printf '%s' \"$CAP_PASSWORD\" | md5sum | cut -d' ' -f1)")),
        // The password is configured as its MD5 already: sent as it is, in lowercase.
        AuthKind::BasicMd5 => lines.push(basic("$(printf '%s' \"$CAP_PASSWORD\" | tr 'A-F' 'a-f')")),
        AuthKind::OAuth => {
            let token_url =
                crate::api::query::endpoint(&conn.base_url, &["v3", "oauth", "token", "generate"]).to_string();
            let token_url = token_url.replace('\'', "%27");
            lines.push(format!(
                "  --header \"X-CAP-API-OAUTH-TOKEN: $(curl -s -X POST '{token_url}' -H 'Content-Type: application/json' -d \"{{\\\"key\\\":\\\"$CAP_OAUTH_KEY\\\",\\\"secret\\\":\\\"$CAP_OAUTH_SECRET\\\"}}\" | sed -n 's/.*\"accessToken\" *: *\"\\([^\"]*\\)\".*/\\1/p')\""
            ));
        }
    }
    lines.join(" \\\n")
}
