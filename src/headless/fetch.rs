//! `target-events fetch`: one page on stdout, the story on stderr.
//! Exit codes: 0 success (also "no events"); 1 API or network error, or a
//! fetch-all that is incomplete (missing pages, a cap, a server repeating
//! itself); 2 a usage problem found before anything was sent.

use crate::api::Param;
use crate::core::told::{Remedy, Told};
use std::io::Write;

use std::sync::Arc;

use crate::api::fetch_all::{FetchAllOptions, Progress, describe_pages};
use crate::api::{ApiError, Client, EventsOutcome, EventsQuery, PageInfo};
use crate::cli::FetchArgs;
use crate::config::Settings;
use crate::core::customer::{Found, FoundBy, NotFound};
use crate::core::export::{self, Format};
use crate::core::watch_plan::{WatchPlan, interval_for};

/// Writes the events to stdout, or whole to the `--output` file.
fn write_events(args: &FetchArgs, events: &[crate::api::TargetEvent], stderr: &mut dyn Write) -> bool {
    let result = match super::file_output(&args.output) {
        Some(path) => crate::core::output::OutputFile::create(path, args.force).and_then(|mut out| {
            export::write(&mut out, args.format, events)?;
            out.commit()
        }),
        None => {
            let mut out = std::io::stdout().lock();
            export::write(&mut out, args.format, events).and_then(|()| out.flush())
        }
    };
    match result {
        Ok(()) => {
            if let Some(path) = super::file_output(&args.output) {
                let _ = writeln!(stderr, "Wrote {} events to {}", events.len(), path.display());
            }
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            let _ = writeln!(stderr, "Could not write the output: {e}");
            false
        }
    }
}

/// The customer, rule and period asked for (by flags, `--customer`, or a URL
/// the caller has read into them), or the exit status: 2 for an invalid
/// form (nothing sent), 1 when the lookup fails.
async fn base_query(client: &Client, args: &FetchArgs, settings: &Settings) -> Result<EventsQuery, i32> {
    let user_id = match (&args.customer, args.user_id) {
        (Some(text), _) => find_customer(client, text, settings, Tell::of(args)).await?.user_id,
        (None, Some(id)) => id,
        (None, None) => {
            eprintln!("error: give --user-id or --customer, and --rule-id, or a target-events URL");
            return Err(2);
        }
    };
    let Some(rule_id) = args.rule_id else {
        eprintln!("error: give --rule-id, or a target-events URL");
        return Err(2);
    };
    Ok(EventsQuery { user_id, rule_id, period_id: args.period_id, limit: 1, page: 0 })
}

/// The customer `--customer` names, saying on stderr how it was found, or
/// the exit status: 2 for a form that is no customer (nothing sent), 1 when
/// the lookup fails.
pub async fn find_customer(client: &Client, text: &str, settings: &Settings, tell: Tell) -> Result<Found, i32> {
    let cc = settings.default_country_code.as_deref();
    match crate::core::customer::find(client, text, cc).await {
        Ok(found) => {
            if let Some(meta) = &found.lookup
                && found.by != FoundBy::Id
            {
                let id = meta.request_id.as_deref().unwrap_or("-");
                match found.sentence(cc) {
                    Some(how) => eprintln!("{} [request id {id}]", how),
                    None => eprintln!("Customer {} is {} [request id {id}]", found.customer, found.user_id),
                }
            }
            Ok(found)
        }
        Err(NotFound::Invalid(bad)) => {
            let shown = crate::sanitize::line(text);
            eprintln!("error: --customer {shown}: {}. Nothing was sent.", bad.reason());
            Err(2)
        }
        Err(NotFound::Api(e)) => {
            tell.failure(&e);
            Err(1)
        }
    }
}

/// Events per page of a single-page fetch without `--limit`.
const DEFAULT_LIMIT: u32 = 10;

pub async fn run(client: &Client, args: &FetchArgs, settings: &Settings) -> i32 {
    if let Some(path) = super::file_output(&args.output)
        && let Err(e) = crate::core::output::refuse_existing(path, args.force)
    {
        eprintln!("error: {e}");
        return 2;
    }
    if args.all {
        return run_all(client, args, settings).await;
    }
    if args.watch {
        return watch(client, args, settings).await;
    }
    let base = match base_query(client, args, settings).await {
        Ok(q) => q,
        Err(code) => return code,
    };
    let query = EventsQuery { limit: args.limit.unwrap_or(DEFAULT_LIMIT), page: args.page - 1, ..base };
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
                    if !write_events(args, &page.events, &mut stderr) {
                        return 1;
                    }
                    let info = PageInfo {
                        page: query.page,
                        limit: query.limit,
                        count: page.events.len(),
                        total: page.pagination.total,
                    };
                    let _ = writeln!(stderr, "{}", summary(&info, &request_id, fetched.meta.elapsed.as_millis()));
                    // One page of more: said, with how to get them all (a full
                    // page may not be the last, whatever the total says).
                    let said_more = info.total_records().filter(|&t| t > info.last_record() as u64);
                    if let Some(total) = said_more {
                        let _ = writeln!(
                            stderr,
                            "note: {} of the {} events the server counts (one page); --all fetches every page",
                            info.count, total
                        );
                    } else if info.count >= info.limit as usize {
                        let _ = writeln!(
                            stderr,
                            "note: a full page, so there may be more whatever the total says; --all fetches every page"
                        );
                    }
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
            Tell::of(args).failure(&e);
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
    if let Some(remedy) = e.remedy() {
        let _ = writeln!(out, "  hint:       {}", remedy_said(&remedy));
    }
}

/// The remedy for the command line: what to run or pass, never a key.
pub fn remedy_said(r: &Remedy) -> String {
    match r {
        Remedy::RetryAfterWait => "Run the command again once the wait is over.".into(),
        Remedy::RetryThenEscalate => "Run the command again; if it persists, escalate with the request id.".into(),
        Remedy::CheckConnection => "Check the connection (VPN?), then run the command again.".into(),
        Remedy::Correct(Param::UserId) => "Check the customer given (--user-id or --customer).".into(),
        Remedy::Correct(Param::RuleId) => "Check the target rule given (--rule-id).".into(),
        Remedy::Correct(Param::PeriodId) => "Check the period given (--period-id), or leave it out.".into(),
        Remedy::CheckBaseUrl => {
            "Check the address: --base-url, CAP_BASE_URL, or the profile's base_url or cluster.".into()
        }
        Remedy::SetBaseUrl => {
            "If the new address is right, pass it as --base-url or set it as the profile's base_url.".into()
        }
        other => other.plain(),
    }
}

/// How a failure is told: to a person on stderr, and, when the output asked
/// for is JSON, also as data on stdout where the program reading it looks:
/// `{"error": {"code", "message", "httpStatus", "requestId"}}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tell {
    Person,
    Json,
}

impl Tell {
    pub fn failure(self, e: &ApiError) {
        report(&mut std::io::stderr(), e);
        if self == Tell::Json {
            let failure = serde_json::json!({ "error": e.failure() });
            println!("{}", crate::core::export::terminal_safe_json(&failure, false));
        }
    }

    fn of(args: &FetchArgs) -> Tell {
        match args.format {
            Format::Json | Format::Jsonl if super::file_output(&args.output).is_none() => Tell::Json,
            _ => Tell::Person,
        }
    }
}

/// `fetch --all`: every page, a progress bar on stderr when it is a terminal.
async fn run_all(client: &Client, args: &FetchArgs, settings: &Settings) -> i32 {
    let mut stderr = std::io::stderr();
    let base = match base_query(client, args, settings).await {
        Ok(q) => q,
        Err(code) => return code,
    };
    let defaults = settings.fetch_all_options();
    let opts = FetchAllOptions {
        concurrency: args.concurrency.map_or(defaults.concurrency, |c| c as usize),
        // An explicit --limit is honoured; else the largest page the profile allows.
        limit: args.limit.unwrap_or(defaults.limit),
        // Every page is wanted: the first round asks for as many as run at once.
        first_round: args.concurrency.map_or(defaults.concurrency, |c| c as usize) as u32,
        ..defaults
    };
    let bar = crate::headless::progress::bar("pages");
    let events_seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let progress = {
        let (bar, seen) = (bar.clone(), events_seen.clone());
        Arc::new(move |p: Progress| match p {
            Progress::Planned { pages, .. } => bar.set_length(u64::from(pages)),
            Progress::Page { events, .. } => {
                let n = seen.fetch_add(events, std::sync::atomic::Ordering::Relaxed) + events;
                bar.inc(1);
                bar.set_message(format!("{n} events"));
            }
            Progress::Retrying { page, attempt, wait } => {
                bar.set_message(format!("page {} retry {attempt} in {} ms", page + 1, wait.as_millis()))
            }
        })
    };
    // A signal ends the run with what it has: written, and said to be incomplete.
    let interrupted = std::sync::Mutex::new(None);
    let stop = async {
        let signal = super::interruption().await;
        *interrupted.lock().unwrap_or_else(|p| p.into_inner()) = Some(signal);
    };
    let result = crate::api::fetch_all::fetch_all_until(client, base, opts, progress, stop).await;
    let interrupted = interrupted.into_inner().unwrap_or_else(|p| p.into_inner());
    bar.finish_and_clear();
    let all = match result {
        Ok(all) => all,
        Err(e) => {
            Tell::of(args).failure(&e);
            return 1;
        }
    };
    if let Some(message) = &all.no_events {
        let _ = writeln!(
            stderr,
            "No events recorded for customer {} in target rule {} ({message}).",
            base.user_id, base.rule_id
        );
        return 0;
    }
    if !write_events(args, &all.events, &mut stderr) {
        return 1;
    }
    let _ = writeln!(
        stderr,
        "{} events from {} of {} pages ({} per page).",
        all.events.len(),
        all.pages_fetched,
        all.pages,
        all.limit
    );
    if all.duplicates > 0 {
        let _ = writeln!(
            stderr,
            "warning: {} events appeared twice (the data changed while fetching) and were kept once.",
            all.duplicates
        );
    }
    if let Some(stop) = all.stopped {
        let _ = writeln!(stderr, "warning: {}", stop.sentence());
    }
    if let Some(signal) = interrupted.filter(|_| all.stopped == Some(crate::api::fetch_all::Stopped::Interrupted)) {
        let of = match all.pages_known {
            Some(n) => format!("{} of {n} pages", all.pages_fetched),
            None => format!("{} pages (how many there are was not yet known)", all.pages_fetched),
        };
        let _ = writeln!(stderr, "The output is incomplete: interrupted by SIG{signal} after {of}.");
        return 128 + super::signal_number(signal);
    }
    if all.missing.is_empty() {
        return if all.stopped.is_some() { 1 } else { 0 };
    }
    let pages: Vec<u32> = all.missing.iter().map(|m| m.page).collect();
    let _ = writeln!(stderr, "error: {} could not be fetched; the output lacks their events.", describe_pages(&pages));
    for m in &all.missing {
        let _ = writeln!(stderr, "  page {}: {m_error}", m.page + 1, m_error = m.error);
    }
    1
}

/// `fetch --watch`: the query's last page is polled every `--interval`
/// seconds, following the shared watch plan; each event that was not there
/// before is printed as a JSON line as it arrives, until interrupted.
/// Errors back off (as long as a `Retry-After` asks) and are said on stderr.
pub async fn watch(client: &Client, args: &FetchArgs, settings: &Settings) -> i32 {
    let base = match base_query(client, args, settings).await {
        Ok(q) => q,
        Err(code) => return code,
    };
    let wanted = std::time::Duration::from_secs(u64::from(args.interval.unwrap_or(5)));
    let interval = interval_for(wanted, settings.requests_per_minute);
    let limit = args.limit.unwrap_or(settings.max_page_size);
    let query = EventsQuery { limit, ..base };
    // What is there when the watch begins is learnt first, not printed.
    let mut plan = WatchPlan::new(query, interval, settings.requests_per_minute, Default::default(), true);
    let mut stderr = std::io::stderr();
    let _ = writeln!(
        stderr,
        "Watching customer {} rule {} every {} s; new events are printed as JSON lines. Ctrl-C stops.",
        query.user_id,
        query.rule_id,
        interval.as_secs()
    );
    // Ctrl-C ends the watch at once, a request in flight or not (128 + SIGINT).
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    loop {
        let answer = tokio::select! {
            answer = client.events(&plan.query) => answer,
            _ = &mut interrupted => return 130,
        };
        let step = match answer {
            Ok(fetched) => plan.answered(Ok(fetched.value.into_page())),
            Err(e) => {
                report(&mut stderr, &e);
                plan.answered(Err(&e))
            }
        };
        let mut out = std::io::stdout().lock();
        for e in &step.fresh {
            if writeln!(out, "{}", export::terminal_safe_json(&e.as_sent(), false)).is_err() {
                // The reader went away (a closed pipe): nothing more to do.
                return 0;
            }
        }
        let _ = out.flush();
        drop(out);
        tokio::select! {
            _ = tokio::time::sleep(step.wait) => {}
            _ = &mut interrupted => return 130,
        }
    }
}
