//! `target-events explain`: the verdict on a customer's target, headless.
//! Exit codes: 0 a verdict (reached or not), 1 an API or network error,
//! 2 invalid input (nothing sent for an invalid form).

use std::io::Write;
use std::sync::Arc;

use crate::api::fetch_all::fetch_all;
use crate::api::{Client, EventsQuery};
use crate::cli::{ExplainArgs, ExplainFormat};
use crate::config::Settings;
use crate::fetch_cmd::{report as report_error, resolve_customer_ref};
use crate::verdict::report::{CustomerInfo, Report, RequestInfo};

pub async fn run(client: &Client, args: &ExplainArgs, settings: &Settings) -> i32 {
    if let Some(path) = &args.output
        && !args.force
        && std::fs::symlink_metadata(path).is_ok()
    {
        eprintln!("error: {} already exists: pass --force to replace it. Nothing was sent.", path.display());
        return 2;
    }
    let connection = crate::runtime::connection_info(client);
    let mut requests = Vec::new();
    let (user_id, found_by) = match (&args.customer, args.user_id) {
        (Some(text), _) => match resolve_customer_ref(client, text).await {
            Ok((customer, id, meta)) => {
                if let Some(meta) = meta {
                    requests.push(RequestInfo::of(&meta, crate::app::export::curl_for(&connection, &meta.url)));
                }
                (id, customer.user_id().is_none().then(|| customer.to_string()))
            }
            Err(code) => return code,
        },
        (None, Some(id)) => (id, None),
        (None, None) => {
            eprintln!("error: give --user-id or --customer");
            return 2;
        }
    };
    let mut stderr = std::io::stderr();
    let groups = match client.target_groups(user_id).await {
        Ok(g) => g,
        Err(e) => {
            report_error(&mut stderr, &e);
            return 1;
        }
    };
    requests.push(RequestInfo::of(&groups.meta, crate::app::export::curl_for(&connection, &groups.meta.url)));
    let targets: Vec<_> = groups.value.iter().flat_map(|g| g.targets.iter().map(move |t| (g, t))).collect();
    let of_rule: Vec<_> = targets.iter().filter(|(_, t)| t.target_rule_id == args.rule_id).collect();
    if of_rule.is_empty() {
        eprintln!("error: customer {user_id} has no target with rule {}.", args.rule_id);
        return 2;
    }
    if let Some(p) = args.period_id
        && !of_rule.iter().any(|(_, t)| t.period_id == Some(p))
    {
        eprintln!("error: rule {} has no period {p} for customer {user_id}.", args.rule_id);
        return 2;
    }
    // Every period's events: an event that moved between periods is found
    // among its neighbour's.
    let base = EventsQuery { user_id, rule_id: args.rule_id, period_id: None, limit: 1, page: 0 };
    let all = match fetch_all(client, base, settings.fetch_all_options(), Arc::new(|_| {})).await {
        Ok(all) => all,
        Err(e) => {
            report_error(&mut stderr, &e);
            return 1;
        }
    };
    for meta in &all.requests {
        requests.push(RequestInfo::of(meta, crate::app::export::curl_for(&connection, &meta.url)));
    }
    if !all.is_complete() {
        let _ = writeln!(stderr, "warning: not every page of events could be loaded; the verdict may miss events.");
    }
    let rule_targets: Vec<_> = of_rule.iter().map(|(_, t)| *t).collect();
    let now = chrono::Local::now().naive_local();
    let periods = crate::verdict::verdicts(&rule_targets, args.rule_id, args.period_id, &all.events, now);
    let (group, first) = of_rule[0];
    let report = Report {
        customer: CustomerInfo { user_id, found_by },
        rule_id: args.rule_id,
        target_name: first.target_name.as_deref().map(|n| crate::sanitize::line(n).into_owned()),
        group_name: group.name.as_deref().map(|n| crate::sanitize::line(n).into_owned()),
        periods,
        requests,
        made_at: chrono::Local::now().format("%Y-%m-%d %H:%M %Z").to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let text = match args.format {
        ExplainFormat::Text => report.text(),
        ExplainFormat::Json => report.json() + "\n",
        ExplainFormat::Markdown => report.markdown(),
    };
    let written = match &args.output {
        Some(path) => crate::private_file::create(path, args.force).and_then(|mut f| f.write_all(text.as_bytes())),
        None => std::io::stdout().lock().write_all(text.as_bytes()),
    };
    match written {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(stderr, "Could not write the output: {e}");
            1
        }
    }
}
