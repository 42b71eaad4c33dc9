//! Exports of the view to a file (never replacing one without a yes) and
//! copies over OSC 52: an event as JSON, the query as a cURL line.

use std::path::{Path, PathBuf};

use tui_input::Input;

use crate::core::case_note::curl_command;
use crate::core::export::{self, Format};
use crate::explorer::app::action::{Effect, ExportError};
use crate::explorer::app::state::{App, Confirmable, Overlay, Prompt, TextFile};

/// `x`: what is drawn goes to a file: the verdict's case note, the
/// batch's rows, or the events of the view (table, detail, summary).
/// Asks where to save a text (the case note, the batch's rows), `path` offered.
pub(crate) fn ask_save_text(app: &mut App, path: String, kind: TextFile) {
    app.screen.open_overlay(Overlay::Prompt { prompt: Prompt::SaveText(Input::new(path), kind), error: None });
}

pub(crate) fn ask_export_events(app: &mut App) {
    let Some(shown) = &app.case.results.shown else { return app.flash("Nothing to export: load some events first.") };
    if app.case.results.view.is_empty() {
        return app.flash("Nothing to export: the view is empty.");
    }
    let q = shown.query;
    let period = q.period_id.map(|p| format!("-{p}")).unwrap_or_default();
    let scope = if shown.all.is_some() { "all".to_string() } else { format!("page{}", q.page + 1) };
    let path = format!("target-events-{}-{}{period}-{scope}.csv", q.user_id, q.rule_id);
    app.screen.open_overlay(Overlay::Prompt { prompt: Prompt::Export(Input::new(path)), error: None });
}

/// Asks the runtime to write a text file; an existing one is replaced
/// only after a yes.
pub(crate) fn save_text(app: &mut App, path: PathBuf, kind: TextFile, overwrite: bool, fx: &mut Vec<Effect>) {
    let text = match kind {
        TextFile::CaseNote => app.case_note(),
        TextFile::BatchRows => app.batch_csv(),
    };
    match text {
        Some(text) => fx.push(Effect::WriteFile { path, kind, text, overwrite }),
        None => app.flash(&format!("Nothing to write: {} is not open.", kind.what())),
    }
}

pub(crate) fn saved(app: &mut App, path: &Path, kind: TextFile, result: Result<(), ExportError>) {
    // The home directory as `~`, so the whole path fits the status line.
    let home = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    let short = match home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    };
    let shown = crate::sanitize::line(&short).into_owned();
    match result {
        Ok(()) => app.flash(&format!("Wrote {} to {shown}", kind.what())),
        Err(ExportError::Exists) => app.screen.open_overlay(Overlay::Confirm {
            question: format!("{shown} already exists. Replace it? (y/n)"),
            on_yes: Confirmable::OverwriteText { path: path.to_path_buf(), kind },
        }),
        Err(ExportError::Failed(e)) => app.fail(&format!("Could not write {shown}: {e}")),
    }
}

/// `y` over the table: the selected event as JSON. (Each panel copies
/// what it shows itself.)
pub(crate) fn copy_event(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(e) = app.selected_event() else { return app.flash("Select an event first.") };
    let title = format!("Event {} as JSON", e.event_log_id);
    let text = export::terminal_safe_json(&e.as_sent(), true);
    copy(app, title, text, fx);
}

/// `m` in the verdict: the reply for the customer about the period shown.
pub(crate) fn copy_reply(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(v) = app.screen.verdict() else { return };
    let Some(period) = v.periods().get(v.selected()) else { return };
    let text = crate::core::verdict::reply::reply(period, v.periods());
    let title = format!("A reply for the customer about {}", crate::core::verdict::reply::period_words(period));
    copy(app, title, text, fx);
}

pub(crate) fn confirm_export(app: &mut App, path: &str, fx: &mut Vec<Effect>) {
    let Some(format) = format_for(Path::new(path)) else {
        if let Some(Overlay::Prompt { error, .. }) = app.screen.overlay_mut() {
            *error = Some("End the file name in .csv, .json or .jsonl.".into());
        }
        return;
    };
    app.screen.close_overlay();
    export(app, path.into(), format, false, fx);
}

/// Asks the runtime to write the view; an existing file is replaced only
/// after a yes.
pub(crate) fn export(app: &mut App, path: PathBuf, format: Format, overwrite: bool, fx: &mut Vec<Effect>) {
    let Some(shown) = &app.case.results.shown else { return };
    fx.push(Effect::Export {
        path,
        format,
        outcome: shown.outcome.clone(),
        indices: app.case.results.view.clone(),
        overwrite,
    });
}

pub(crate) fn exported(app: &mut App, path: &Path, result: Result<usize, ExportError>) {
    let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
    match result {
        Ok(n) => app.flash(&format!("Wrote {n} events to {shown}")),
        Err(ExportError::Exists) => match format_for(path) {
            Some(format) => app.screen.open_overlay(Overlay::Confirm {
                question: format!("{shown} already exists. Replace it? (y/n)"),
                on_yes: Confirmable::OverwriteExport { path: path.to_path_buf(), format },
            }),
            None => app.warn(&format!("{shown} already exists: nothing was written.")),
        },
        Err(ExportError::Failed(e)) => app.fail(&format!("Could not write {shown}: {e}")),
    }
}

pub(crate) fn copy_curl(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(q) = app.base_query().or_else(|| app.query_from_inputs()) else {
        return app.flash("Enter a customer id and a target rule id first.");
    };
    let text = curl_command(&app.chrome.connection, &q);
    copy(app, "The query as cURL".into(), text, fx);
}

pub(crate) fn copy(app: &mut App, title: String, text: String, fx: &mut Vec<Effect>) {
    let sent = if app.chrome.connection.tmux {
        Some(crate::explorer::app::state::CopyWay::Tmux)
    } else if app.chrome.connection.clipboard {
        Some(crate::explorer::app::state::CopyWay::Osc52)
    } else {
        None
    };
    if let Some(way) = sent {
        fx.push(Effect::Copy { text: text.clone(), way });
    }
    app.screen.open_overlay(Overlay::Copied { title, text, sent, scroll: 0, shift: 0 });
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
