//! `target-events explain`: the verdict on a customer's target, headless.
//! Exit codes: 0 a verdict (reached or not), 1 an API or network error,
//! 2 invalid input (nothing sent for an invalid form).

use std::io::Write;
use std::sync::Arc;

use crate::api::fetch_all::fetch_all;
use crate::api::{Client, EventsQuery, ResponseMeta};
use crate::cli::{ExplainArgs, ExplainFormat};
use crate::config::Settings;
use crate::core::case_note::{NoteFacts, connection_info, report};
use crate::core::output;
use crate::headless::fetch::{Tell, find_customer};

pub async fn run(client: &Client, args: &ExplainArgs, settings: &Settings) -> i32 {
    if let Some(path) = super::file_output(&args.output)
        && let Err(e) = output::refuse_existing(path, args.force)
    {
        eprintln!("error: {e}");
        return 2;
    }
    let tell = if args.format == ExplainFormat::Json && super::file_output(&args.output).is_none() {
        Tell::Json
    } else {
        Tell::Person
    };
    let (user_id, found_by, lookup): (i64, Option<String>, Option<ResponseMeta>) = match (&args.customer, args.user_id)
    {
        (Some(text), _) => match find_customer(client, text, settings, tell).await {
            Ok(found) => (found.user_id, found.found_by(), found.lookup),
            Err(code) => return code,
        },
        (None, Some(id)) => (id, None, None),
        (None, None) => {
            eprintln!("error: give --user-id or --customer");
            return 2;
        }
    };
    let mut stderr = std::io::stderr();
    let targets_at = chrono::Local::now().naive_local();
    let groups = match client.target_groups(user_id).await {
        Ok(g) => g,
        Err(e) => {
            tell.failure(&e);
            return 1;
        }
    };
    // The rule asked for, or every rule the customer has a target in.
    let rules: Vec<i64> = match args.rule_id {
        Some(rule) => vec![rule],
        None => {
            let mut rules = Vec::new();
            for t in groups.value.iter().flat_map(|g| &g.targets) {
                if !rules.contains(&t.target_rule_id) {
                    rules.push(t.target_rule_id);
                }
            }
            rules
        }
    };
    if rules.is_empty() {
        eprintln!("error: customer {user_id} has no target.");
        return 2;
    }
    let connection = connection_info(client);
    let mut reports = Vec::new();
    for rule_id in rules {
        let of_rule: Vec<_> =
            groups.value.iter().flat_map(|g| g.targets.iter()).filter(|t| t.target_rule_id == rule_id).collect();
        if of_rule.is_empty() {
            eprintln!("error: customer {user_id} has no target with rule {rule_id}.");
            return 2;
        }
        if let Some(p) = args.period_id
            && !of_rule.iter().any(|t| t.period_id == Some(p))
        {
            eprintln!("error: rule {rule_id} has no period {p} for customer {user_id}.");
            return 2;
        }
        // Every period's events: an event that moved between periods is found
        // among its neighbour's.
        let base = EventsQuery { user_id, rule_id, period_id: None, limit: 1, page: 0 };
        let events_at = chrono::Local::now().naive_local();
        // The bills of the periods, read beside the events (one more round
        // trip at most, under the same rate limit).
        let window = crate::core::reconcile::bills_window(of_rule.iter().copied(), events_at.date());
        let read_bills = async {
            match window {
                Some(days) => {
                    Some(crate::api::bills::read_bills(client, user_id, days, &settings.fetch_all_options()).await)
                }
                None => None,
            }
        };
        let (all, bills) =
            tokio::join!(fetch_all(client, base, settings.fetch_all_options(), Arc::new(|_| {})), read_bills);
        let all = match all {
            Ok(all) => all,
            Err(e) => {
                tell.failure(&e);
                return 1;
            }
        };
        if !all.is_complete() {
            let _ = writeln!(
                stderr,
                "warning: not every page of rule {rule_id}'s events could be loaded; its verdict may miss events."
            );
        }
        let now = chrono::Local::now().naive_local();
        // Each figure says when it was read; nothing arrives meanwhile here.
        let readings = crate::core::verdict::Readings {
            targets_at: Some(targets_at),
            events_at: Some(events_at),
            last_arrival: None,
        };
        let mut periods =
            crate::core::verdict::verdicts_read(&of_rule, rule_id, args.period_id, &all.events, now, readings);
        let unread = match &bills {
            Some(Err(e)) => Some(crate::core::reconcile::unread_sentence(e)),
            _ => None,
        };
        match (&bills, &unread) {
            (Some(Ok(read)), _) => {
                crate::core::reconcile::attach(
                    &mut periods,
                    &of_rule,
                    &all.events,
                    Ok(&read.bills),
                    crate::core::told::bills_incomplete(read).as_deref(),
                );
            }
            (_, Some(why)) => crate::core::reconcile::attach(&mut periods, &of_rule, &all.events, Err(why), None),
            _ => {}
        }
        let mut requests: Vec<&ResponseMeta> = lookup.iter().collect();
        requests.push(&groups.meta);
        requests.extend(all.requests.iter());
        // A bills request that failed is listed too, with its request id.
        let failed = match &bills {
            Some(Err(e)) => Some(e.meta()),
            _ => None,
        };
        if let Some(Ok(read)) = &bills {
            requests.extend(read.requests.iter());
        }
        requests.extend(failed.as_ref());
        let facts =
            NoteFacts { user_id, found_by: found_by.clone(), rule_id, groups: &groups.value, periods, requests, now };
        reports.push(report(facts, &connection));
    }
    let text = match (args.format, &reports[..]) {
        (ExplainFormat::Text, _) => reports.iter().map(|r| r.text()).collect::<Vec<_>>().join("\n"),
        // One rule asked for: its report; every target: a list of them.
        (ExplainFormat::Json, [one]) if args.rule_id.is_some() => one.json() + "\n",
        (ExplainFormat::Json, _) => {
            let all = serde_json::to_value(&reports).unwrap_or_default();
            crate::core::export::terminal_safe_json(&all, true) + "\n"
        }
        (ExplainFormat::Markdown, _) => crate::core::verdict::report::markdown_of(&reports),
        (ExplainFormat::Reply, [one]) => one.reply(args.period_id).map(|r| r + "\n").unwrap_or_default(),
        // Every target: a paragraph each, named.
        (ExplainFormat::Reply, _) => reports
            .iter()
            .filter_map(|r| {
                let about = r.target_name.as_deref().map_or(String::new(), |n| format!("About \"{n}\": "));
                Some(format!("{about}{}\n", r.reply(args.period_id)?))
            })
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let written = match super::file_output(&args.output) {
        Some(path) => output::write_text(path, args.force, &text),
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
