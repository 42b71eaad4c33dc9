//! Exports of the view to a file (never replacing one without a yes) and
//! copies over OSC 52: an event as JSON, the query as a cURL line.

use std::path::{Path, PathBuf};

use tui_input::Input;

use super::action::{Effect, ExportError};
use super::screen::Owner;
use super::state::{App, Confirmable, Overlay, Prompt, TextFile};
use crate::core::case_note::curl_command;
use crate::core::export::{self, Format};

impl App {
    /// `x`: what is drawn goes to a file: the verdict's case note, the
    /// batch's rows, or the events of the view (table, detail, summary).
    pub(super) fn ask_export(&mut self) {
        let (input, kind) = match self.owner() {
            Owner::Verdict => match self.screen.verdict() {
                Some(v) => (format!("case-note-{}-{}.md", v.user_id, v.rule_id), TextFile::CaseNote),
                None => return,
            },
            Owner::Batch => ("target-events-batch.csv".to_string(), TextFile::BatchRows),
            _ => return self.ask_export_events(),
        };
        self.screen.open_overlay(Overlay::Prompt { prompt: Prompt::SaveText(Input::new(input), kind), error: None });
    }

    fn ask_export_events(&mut self) {
        let Some(shown) = &self.results.shown else { return self.flash("Nothing to export: load some events first.") };
        if self.results.view.is_empty() {
            return self.flash("Nothing to export: the view is empty.");
        }
        let q = shown.query;
        let period = q.period_id.map(|p| format!("-{p}")).unwrap_or_default();
        let scope = if shown.all.is_some() { "all".to_string() } else { format!("page{}", q.page + 1) };
        let path = format!("target-events-{}-{}{period}-{scope}.csv", q.user_id, q.rule_id);
        self.screen.open_overlay(Overlay::Prompt { prompt: Prompt::Export(Input::new(path)), error: None });
    }

    /// Asks the runtime to write a text file; an existing one is replaced
    /// only after a yes.
    pub(super) fn save_text(&mut self, path: PathBuf, kind: TextFile, overwrite: bool, fx: &mut Vec<Effect>) {
        let text = match kind {
            TextFile::CaseNote => self.case_note(),
            TextFile::BatchRows => self.batch_csv(),
        };
        match text {
            Some(text) => fx.push(Effect::WriteFile { path, kind, text, overwrite }),
            None => self.flash(&format!("Nothing to write: {} is not open.", kind.what())),
        }
    }

    pub(super) fn saved(&mut self, path: &Path, kind: TextFile, result: Result<(), ExportError>) {
        let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
        match result {
            Ok(()) => self.flash(&format!("Wrote {} to {shown}", kind.what())),
            Err(ExportError::Exists) => self.screen.open_overlay(Overlay::Confirm {
                question: format!("{shown} already exists. Replace it? (y/n)"),
                on_yes: Confirmable::OverwriteText { path: path.to_path_buf(), kind },
            }),
            Err(ExportError::Failed(e)) => self.fail(&format!("Could not write {shown}: {e}")),
        }
    }

    /// `y`: what is drawn goes to the clipboard: the case note, the batch
    /// row, the summary, or the selected event.
    pub(super) fn copy_shown(&mut self, fx: &mut Vec<Effect>) {
        let (title, text) = match self.owner() {
            Owner::Verdict => match self.case_note() {
                Some(note) => ("The case note (Markdown)".to_string(), note),
                None => return,
            },
            Owner::Batch => match self.batch_row_text() {
                Some(row) => ("The batch row".to_string(), row),
                None => return self.flash("No row selected."),
            },
            Owner::Summary => match self.screen.summary() {
                Some(panel) => ("The summary".to_string(), super::summary::as_text(&panel.summary)),
                None => return,
            },
            _ => {
                let Some(e) = self.selected_event() else { return self.flash("Select an event first.") };
                let title = format!("Event {} as JSON", e.event_log_id);
                (title, export::terminal_safe_json(&e.as_sent(), true))
            }
        };
        self.copy(title, text, fx);
    }

    pub(super) fn confirm_export(&mut self, path: &str, fx: &mut Vec<Effect>) {
        let Some(format) = format_for(Path::new(path)) else {
            if let Some(Overlay::Prompt { error, .. }) = self.screen.overlay_mut() {
                *error = Some("End the file name in .csv, .json or .jsonl.".into());
            }
            return;
        };
        self.screen.close_overlay();
        self.export(path.into(), format, false, fx);
    }

    /// Asks the runtime to write the view; an existing file is replaced only
    /// after a yes.
    pub(super) fn export(&mut self, path: PathBuf, format: Format, overwrite: bool, fx: &mut Vec<Effect>) {
        let Some(shown) = &self.results.shown else { return };
        fx.push(Effect::Export {
            path,
            format,
            outcome: shown.outcome.clone(),
            indices: self.results.view.clone(),
            overwrite,
        });
    }

    pub(super) fn exported(&mut self, path: &Path, result: Result<usize, ExportError>) {
        let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
        match result {
            Ok(n) => self.flash(&format!("Wrote {n} events to {shown}")),
            Err(ExportError::Exists) => match format_for(path) {
                Some(format) => self.screen.open_overlay(Overlay::Confirm {
                    question: format!("{shown} already exists. Replace it? (y/n)"),
                    on_yes: Confirmable::OverwriteExport { path: path.to_path_buf(), format },
                }),
                None => self.warn(&format!("{shown} already exists: nothing was written.")),
            },
            Err(ExportError::Failed(e)) => self.fail(&format!("Could not write {shown}: {e}")),
        }
    }

    pub(super) fn copy_curl(&mut self, fx: &mut Vec<Effect>) {
        let Some(q) = self.base_query().or_else(|| self.query_from_inputs()) else {
            return self.flash("Enter a customer id and a target rule id first.");
        };
        let text = curl_command(&self.chrome.connection, &q);
        self.copy("The query as cURL".into(), text, fx);
    }

    pub(super) fn copy(&mut self, title: String, text: String, fx: &mut Vec<Effect>) {
        let sent = self.chrome.connection.clipboard;
        if sent {
            fx.push(Effect::Copy { text: text.clone() });
        }
        self.screen.open_overlay(Overlay::Copied { title, text, sent });
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
