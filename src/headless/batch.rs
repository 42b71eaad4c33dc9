//! `target-events batch`: many customers' progress in one table. Each line of
//! the file is a customer in any form the customer field takes; each is looked
//! up and its targets fetched under one rate limit, a few at a time, with
//! retries. Exit codes: 0 every line answered, 1 any line failed (the others
//! are still written), 2 an unreadable file or an invalid line (nothing sent).

use std::io::Write;

use crate::api::Client;
use crate::cli::{BatchArgs, BatchFormat};
use crate::config::Settings;
use crate::core::batch::{
    Ask, BatchRow, Heard, MAX_FILE_BYTES, empty_columns, parse_lines, table_cells, table_column, table_titles,
    table_widths,
};
use crate::core::columns;

/// Whether the results open in the explorer: a terminal, and no format or file asked for.
pub fn interactive(args: &BatchArgs) -> bool {
    use std::io::IsTerminal;
    args.format.is_none() && args.output.is_none() && std::io::stdout().is_terminal()
}

pub async fn run(client: &Client, args: &BatchArgs, settings: &Settings) -> i32 {
    let Collected { answered, lines, interrupted } = match collect(client, args, settings).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (rows, failed) = (answered.rows, answered.failed);
    // Why the missed periods missed, grouped (of the rows answered, when interrupted).
    let causes = if args.verdict { crate::core::batch::causes::causes(&rows) } else { Vec::new() };
    let incomplete = interrupted.map(|signal| {
        format!("incomplete: interrupted by SIG{signal} with {} of {lines} lines unanswered", answered.unanswered)
    });
    let body = match args.format.unwrap_or(BatchFormat::Table) {
        // The table says it is incomplete at its end, where a reader stops.
        BatchFormat::Table => {
            table(&rows, table_width())
                + &crate::core::batch::summary::causes_text(&causes)
                + &incomplete.as_ref().map_or(String::new(), |i| format!("# {i}\n"))
        }
        BatchFormat::Csv => crate::core::batch::csv_text(rows.iter(), args.verdict),
        // With verdicts, the rows and their causes; without, the rows alone (as always).
        BatchFormat::Json if args.verdict => {
            let value = serde_json::json!({ "rows": rows, "causes": causes, "incomplete": incomplete });
            crate::core::export::terminal_safe_json(&value, true) + "\n"
        }
        BatchFormat::Json => {
            crate::core::export::terminal_safe_json(&serde_json::to_value(&rows).unwrap_or_default(), true) + "\n"
        }
        BatchFormat::Markdown => {
            crate::core::batch::summary::markdown(&rows, &causes, args.verdict)
                + &incomplete.as_ref().map_or(String::new(), |i| format!("\n_{i}_\n"))
        }
    };
    let written = match super::file_output(&args.output) {
        Some(path) => crate::core::output::write_text(path, args.force, &body),
        None => std::io::stdout().lock().write_all(body.as_bytes()),
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("Could not write the output: {e}");
        return 1;
    }
    eprintln!(
        "{}, {}; {} could not be answered.",
        plural(lines, "line"),
        plural(rows.len(), "row"),
        plural(failed, "line")
    );
    if let (Some(text), Some(signal)) = (&incomplete, interrupted) {
        eprintln!("The output is {text}; its rows are the lines answered before it.");
        return 128 + super::signal_number(signal);
    }
    if failed > 0 { 1 } else { 0 }
}

/// What a batch run gathered: the answers, the lines asked about, and the
/// signal that interrupted it, if one did.
pub struct Collected {
    pub answered: crate::core::batch::Answered,
    pub lines: usize,
    pub interrupted: Option<&'static str>,
}

/// The file's bytes, refusing one larger than [`MAX_FILE_BYTES`] (a device
/// such as /dev/zero included) before holding more than that.
fn read_capped(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!("it is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024)));
    }
    Ok(bytes)
}

/// Reads the file and answers every line: (rows, customers, failed), or the
/// exit status when nothing could be sent.
pub async fn collect(client: &Client, args: &BatchArgs, settings: &Settings) -> Result<Collected, i32> {
    if let Some(path) = super::file_output(&args.output)
        && let Err(e) = crate::core::output::refuse_existing(path, args.force)
    {
        eprintln!("error: {e}");
        return Err(2);
    }
    let text = match read_capped(&args.customers) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}. Nothing was sent.", args.customers.display());
            return Err(2);
        }
    };
    let lines = match parse_lines(&text, settings.default_country_code.as_deref()) {
        Ok(l) => l,
        Err(why) => {
            eprintln!("error: {}: {why}. Nothing was sent.", args.customers.display());
            return Err(2);
        }
    };
    let opts = settings.fetch_all_options();
    let bar = crate::headless::progress::bar("customers");
    // One step per form a customer is given in (the lines are grouped by it).
    bar.set_length(lines.len() as u64);
    let events = std::sync::atomic::AtomicUsize::new(0);
    let hear = |heard| match heard {
        Heard::Answered => bar.inc(1),
        Heard::Retrying => bar.set_message("retrying after a refusal".to_string()),
        Heard::Events(n) => {
            let read = events.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
            bar.set_message(format!("{read} events read for verdicts"));
        }
    };
    let interrupted = std::sync::Mutex::new(None);
    let stop = async {
        let signal = super::interruption().await;
        *interrupted.lock().unwrap_or_else(|p| p.into_inner()) = Some(signal);
    };
    let ask = Ask { rule: args.rule_id, verdict: args.verdict, country_code: settings.default_country_code.as_deref() };
    let answered = crate::core::batch::answer(client, &lines, ask, &opts, &hear, stop).await;
    bar.finish_and_clear();
    let interrupted = interrupted.into_inner().unwrap_or_else(|p| p.into_inner());
    let named = lines.iter().map(|l| l.lines.count).sum();
    Ok(Collected { answered, lines: named, interrupted })
}

/// The terminal's width when stdout is one (`COLUMNS` when set); a file or
/// a pipe gets every column whole.
fn table_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| crossterm::terminal::size().ok().map(|(w, _)| w))
        .filter(|w| *w >= 20)
}

/// The rows as a table sized to `width` (all columns whole without one):
/// figures whole or their column left out, text cut with `…`. The error
/// column keeps the code and a short reason; every failure follows the
/// table whole, with its request id.
pub fn table(rows: &[BatchRow], width: Option<u16>) -> String {
    use unicode_width::UnicodeWidthStr;
    let cells: Vec<Vec<String>> = rows.iter().map(table_cells).collect();
    let chosen = table_widths(&cells, &empty_columns(rows), width.unwrap_or(u16::MAX), 2);
    // Figures right-aligned so their decimal points line up.
    let right = |i: usize| table_column(i).is_some_and(|c| c.right);
    let line = |row: &[&str]| {
        let mut s = String::new();
        for (i, w) in chosen.iter().enumerate().filter_map(|(i, w)| w.map(|w| (i, w as usize))) {
            if !s.is_empty() {
                s.push_str("  ");
            }
            let c = columns::fit(row[i], w as u16);
            let pad = " ".repeat(w.saturating_sub(c.width()));
            if right(i) {
                s.push_str(&pad);
                s.push_str(&c);
            } else {
                s.push_str(&c);
                s.push_str(&pad);
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(&table_titles()) + "\n";
    for row in &cells {
        out.push_str(&line(&row.iter().map(String::as_str).collect::<Vec<_>>()));
        out.push('\n');
    }
    // Failures whole, after the table, where nothing cuts them.
    let failures: Vec<&BatchRow> = rows.iter().filter(|r| !r.error.is_empty()).collect();
    if !failures.is_empty() {
        out.push_str(&format!("\n{} with an error:\n", plural(failures.len(), "row")));
        for r in failures {
            let user = r.user_id.map(|u| format!(" (userId {u})")).unwrap_or_default();
            let rule = r.rule_id.map(|u| format!(" rule {u}")).unwrap_or_default();
            let what = crate::sanitize::line(&r.error);
            out.push_str(&format!("  {}{user}{rule}: {what}\n", crate::sanitize::line(&r.customer)));
        }
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
