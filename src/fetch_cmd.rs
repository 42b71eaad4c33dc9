//! `target-events fetch`: one page on stdout, the story on stderr.
//! Exit codes: 0 success (also "no events"), 1 API or network error.

use std::io::Write;

use crate::api::{ApiError, Client, EventsOutcome, EventsQuery, PageInfo};
use crate::cli::FetchArgs;
use crate::export;

pub async fn run(client: &Client, args: &FetchArgs) -> i32 {
    let query = EventsQuery {
        user_id: args.user_id,
        rule_id: args.rule_id,
        period_id: args.period_id,
        limit: args.limit,
        page: args.page - 1,
    };
    let mut stderr = std::io::stderr();
    match client.events(&query).await {
        Ok(fetched) => {
            let request_id = fetched.meta.request_id.as_deref().unwrap_or("-").to_string();
            match fetched.value {
                EventsOutcome::NoEvents { message } => {
                    let _ = writeln!(
                        stderr,
                        "No events recorded for customer {} in target rule {} ({message}). [request id {request_id}]",
                        query.user_id, query.rule_id
                    );
                    0
                }
                EventsOutcome::Page(page) => {
                    let mut stdout = std::io::stdout().lock();
                    if let Err(e) = export::write(&mut stdout, args.format, &page.events).and_then(|_| stdout.flush())
                        && e.kind() != std::io::ErrorKind::BrokenPipe
                    {
                        let _ = writeln!(stderr, "Could not write the output: {e}");
                        return 1;
                    }
                    let info = PageInfo {
                        page: query.page,
                        limit: query.limit,
                        count: page.events.len(),
                        total: page.pagination.total,
                    };
                    let _ = writeln!(stderr, "{}", summary(&info, &request_id, fetched.meta.elapsed.as_millis()));
                    for w in &page.warnings {
                        let _ = writeln!(
                            stderr,
                            "warning: {} {}",
                            w.code.map(|c| c.to_string()).unwrap_or_default(),
                            w.message
                        );
                    }
                    0
                }
            }
        }
        Err(e) => {
            report(&mut stderr, &e);
            1
        }
    }
}

fn summary(info: &PageInfo, request_id: &str, ms: u128) -> String {
    let pages = info.page_count().map_or("?".to_string(), |n| n.to_string());
    let total = info.total_records().map_or("?".to_string(), |n| n.to_string());
    if info.count == 0 {
        format!(
            "page {} of {pages} · no events on this page · {total} in all · {ms} ms · request id {request_id}",
            info.page + 1
        )
    } else {
        format!(
            "page {} of {pages} · events {}–{} of {total} · {ms} ms · request id {request_id}",
            info.page + 1,
            info.first_record(),
            info.last_record()
        )
    }
}

/// The error sentence, code, status, request id and hint, one per line.
pub fn report(out: &mut dyn Write, e: &ApiError) {
    let _ = writeln!(out, "error: {}", e.sentence());
    if let Some(code) = e.code() {
        let _ = writeln!(out, "  code:       {code}");
    }
    if let Some(status) = e.status {
        let _ = writeln!(out, "  status:     HTTP {status}");
    }
    let _ = writeln!(out, "  request id: {}", e.request_id.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "  url:        {}", e.url);
    if let Some(hint) = e.hint() {
        let _ = writeln!(out, "  hint:       {hint}");
    }
}
