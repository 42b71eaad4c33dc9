//! Answering a batch: each distinct customer found and their targets
//! fetched (and, when asked, every period's verdict in brief), under the
//! client's one rate limit, a few customers at a time.

use std::collections::HashMap;
use std::sync::Arc;

use futures::StreamExt;

use super::{BatchLine, BatchRow, error_text, rows_for};
use crate::api::bills::Bill;
use crate::api::fetch_all::{FetchAllOptions, describe_pages, fetch_all_into, with_retries};
use crate::api::model::UserTargetGroup;
use crate::api::{ApiError, Client, EventsQuery};
use crate::told::Told;
use crate::verdict::bills_brief::BillsReading;
use crate::verdict::brief::{Brief, RuleTally};

/// The most events of one rule a batch verdict reads (none is kept: only
/// the ids seen, 8 bytes each).
pub const VERDICT_MAX_EVENTS: usize = 1_000_000;

/// The most pages of bills (1,000 each) a batch reads for one customer: a
/// batch holds the bills of the customers in flight, so each is bounded;
/// past it a row says its bills were read in part.
pub const BATCH_MAX_BILL_PAGES: u32 = 10;

/// What a batch asks of each customer.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ask<'a> {
    /// Only this rule's targets (all when None).
    pub rule: Option<i64>,
    /// Each period's verdict too: every event of each rule is read.
    pub verdict: bool,
    /// For national phone numbers, as in the customer field.
    pub country_code: Option<&'a str>,
}

/// What a batch run tells as it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    /// A customer was answered (or failed for good).
    Answered,
    /// A request is retried after a refusal.
    Retrying,
    /// This many more events were read for verdicts.
    Events(usize),
}

/// What a batch run answered.
#[derive(Debug, Default)]
pub struct Answered {
    pub rows: Vec<BatchRow>,
    /// Lines whose customer could not be found or fetched, or whose verdict
    /// could not be made.
    pub failed: usize,
    /// Lines not answered because the run was interrupted.
    pub unanswered: usize,
}

/// A found customer: their targets and, when asked, the briefs of each rule.
struct Found {
    user_id: i64,
    groups: Vec<UserTargetGroup>,
    /// (rule, period) → brief; a rule whose events could not all be read → why.
    briefs: HashMap<(i64, i64), Brief>,
    unexplained: HashMap<i64, VerdictGap>,
}

/// Why a rule's verdicts are missing.
#[derive(Clone)]
enum VerdictGap {
    Failed(ApiError),
    Incomplete(String),
}

/// Answers every line: each distinct customer is found (as the customer
/// field finds them: digits that are no id are tried as a mobile) and their
/// targets fetched under the client's one rate limit, `opts.concurrency` at
/// a time, with the shared retry policy, until `stop` completes (an
/// interruption). With `ask.verdict`, the customer's bills are read once
/// and each rule's events a page at a time into a [`RuleTally`], never held. Returns the rows of the lines
/// answered (a failed customer is one row with its error), how many lines
/// failed, and how many were left unanswered. `hear` is told as it goes.
pub async fn answer(
    client: &Client,
    lines: &[BatchLine],
    ask: Ask<'_>,
    opts: &FetchAllOptions,
    hear: &(dyn Fn(Heard) + Sync),
    stop: impl Future<Output = ()>,
) -> Answered {
    // Each form given is found (the lines are one per form already); the
    // first form to find a customer answers for them, and any other form of
    // the same person (an id, a phone number, a card) waits on nothing:
    // each customer is asked about once, as soon as they are known.
    let claimed = std::sync::Mutex::new(std::collections::HashSet::new());
    let retry = |_, _| hear(Heard::Retrying);
    let limiter = Some(client.limiter());
    let (claimed, retry) = (&claimed, &retry);
    type Answer = Result<Found, (Option<i64>, ApiError)>;
    enum FormAnswer {
        Failed(ApiError),
        Answered(i64, Answer),
        SameAs(i64),
    }
    let found: Vec<FormAnswer> = futures::stream::iter(lines)
        .map(|l| async move {
            let find = || crate::customer::resolve(client, &l.customer, ask.country_code);
            let user_id = match with_retries(limiter, opts, find, retry).await {
                Ok(f) => f.user_id,
                Err(e) => {
                    hear(Heard::Answered);
                    return FormAnswer::Failed(e);
                }
            };
            let first = claimed.lock().unwrap_or_else(|p| p.into_inner()).insert(user_id);
            let answer = if first {
                FormAnswer::Answered(user_id, answer_one(client, user_id, ask, opts, hear).await)
            } else {
                FormAnswer::SameAs(user_id)
            };
            hear(Heard::Answered);
            answer
        })
        .buffered(opts.concurrency.max(1))
        .take_until(stop)
        .collect()
        .await;
    let mut lines_of: HashMap<i64, Vec<usize>> = HashMap::new();
    let mut answer_of: HashMap<i64, &Answer> = HashMap::new();
    for (i, f) in found.iter().enumerate() {
        match f {
            FormAnswer::Answered(user_id, answer) => {
                answer_of.insert(*user_id, answer);
                lines_of.entry(*user_id).or_default().push(i);
            }
            FormAnswer::SameAs(user_id) => lines_of.entry(*user_id).or_default().push(i),
            FormAnswer::Failed(_) => {}
        }
    }
    // Rows in the order the file first names each customer: one set per
    // customer, naming every form given and every line; a form no customer
    // answers to is its own row. What was not answered (an interruption) is
    // counted, not guessed.
    let mut out = Answered::default();
    let mut done: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(f) = found.get(i) else {
            out.unanswered += l.lines.count;
            continue;
        };
        let user_id = match f {
            FormAnswer::Answered(user_id, _) | FormAnswer::SameAs(user_id) => *user_id,
            FormAnswer::Failed(e) => {
                out.failed += l.lines.count;
                out.rows.push(BatchRow {
                    customer: crate::sanitize::line(&l.given).into_owned(),
                    lines: l.lines.text(),
                    error: error_text(e),
                    failure: Some(e.failure()),
                    ..BatchRow::default()
                });
                continue;
            }
        };
        if !done.insert(user_id) {
            continue;
        }
        let named: Vec<&BatchLine> = lines_of[&user_id].iter().map(|&j| &lines[j]).collect();
        let given = given_text(&named);
        let mut all = super::lines::LineList::default();
        for n in &named {
            all.extend(&n.lines);
        }
        let lines_text = all.text();
        let line_count = all.count;
        let Some(answer) = answer_of.get(&user_id) else {
            out.unanswered += line_count;
            continue;
        };
        match answer {
            Ok(found) => {
                let mut rows = rows_for(&given, found.user_id, &found.groups, ask.rule);
                let mut gap = false;
                for row in rows.iter_mut() {
                    row.lines = lines_text.clone();
                    let Some(rule) = row.rule_id else { continue };
                    if let Some(why) = found.unexplained.get(&rule) {
                        gap = true;
                        let (error, failure) = match why {
                            VerdictGap::Failed(e) => (error_text(e), Some(e.failure())),
                            VerdictGap::Incomplete(s) => (s.clone(), None),
                        };
                        row.error = format!("no verdict: {error}");
                        row.failure = failure;
                    } else if let Some(period) = row.period_id {
                        row.verdict = found.briefs.get(&(rule, period)).cloned();
                    }
                }
                if gap {
                    out.failed += line_count;
                }
                for row in &mut rows {
                    row.finish();
                }
                out.rows.extend(rows);
            }
            Err((user_id, e)) => {
                out.failed += line_count;
                out.rows.push(BatchRow {
                    customer: crate::sanitize::line(&given).into_owned(),
                    user_id: *user_id,
                    lines: lines_text,
                    error: error_text(e),
                    failure: Some(e.failure()),
                    ..BatchRow::default()
                });
            }
        }
    }
    out
}

/// The most forms of one person a row names; past them it counts.
const NAMED_FORMS: usize = 8;

/// Every form a customer was given in, "564332013 = +91 98000 00006"; past
/// eight, how many more.
fn given_text(named: &[&BatchLine]) -> String {
    let forms: Vec<&str> = named.iter().map(|l| l.given.as_str()).collect();
    let mut text = forms.iter().take(NAMED_FORMS).copied().collect::<Vec<_>>().join(" = ");
    match forms.len().saturating_sub(NAMED_FORMS) {
        0 => {}
        1 => text.push_str(" (and 1 more form)"),
        more => text.push_str(&format!(" (and {more} more forms)")),
    }
    text
}

/// One customer: their targets, and the briefs when asked.
async fn answer_one(
    client: &Client,
    user_id: i64,
    ask: Ask<'_>,
    opts: &FetchAllOptions,
    hear: &(dyn Fn(Heard) + Sync),
) -> Result<Found, (Option<i64>, ApiError)> {
    let retry = |_, _| hear(Heard::Retrying);
    let limiter = Some(client.limiter());
    let groups = with_retries(limiter, opts, || client.target_groups(user_id), retry)
        .await
        .map_err(|e| (Some(user_id), e))?
        .value;
    let mut answer = Found { user_id, groups, briefs: HashMap::new(), unexplained: HashMap::new() };
    if !ask.verdict {
        return Ok(answer);
    }
    // The rules of the rows, each read once: every period's events, since an
    // event that moved between periods is found among its neighbour's.
    let targets: Vec<_> = answer.groups.iter().flat_map(|g| &g.targets).collect();
    let mut rules: Vec<i64> =
        targets.iter().map(|t| t.target_rule_id).filter(|r| ask.rule.is_none_or(|a| a == *r)).collect();
    rules.sort_unstable();
    rules.dedup();
    // The customer's bills, read once for every asked rule's periods, before
    // the events: the tallies keep only the events a bill may be.
    let today = chrono::Local::now().date_naive();
    let asked = targets.iter().copied().filter(|t| rules.binary_search(&t.target_rule_id).is_ok());
    let bills = match crate::reconcile::bills_window(asked, today) {
        Some(days) => {
            let read = crate::api::bills::read_bills_up_to(client, user_id, days, opts, BATCH_MAX_BILL_PAGES, &retry);
            Some(match read.await {
                Ok(read) => {
                    // A row shows no bill's JSON: only what reconciles is kept.
                    let incomplete = crate::told::bills_incomplete(&read);
                    let bills = read.bills.into_iter().map(|b| Bill { raw: Box::default(), ..b }).collect();
                    BillsReading::Read { bills, incomplete }
                }
                Err(e) => BillsReading::Unread(crate::reconcile::unread_sentence(&e)),
            })
        }
        None => None,
    };
    for rule in rules {
        let mut tally = RuleTally::new(targets.iter().copied(), rule);
        if let Some(bills) = &bills {
            tally = tally.with_bills(bills.clone());
        }
        let mut sink = |events: &[crate::api::model::TargetEvent]| {
            tally.add(events);
            hear(Heard::Events(events.len()));
        };
        let base = EventsQuery { user_id, rule_id: rule, period_id: None, limit: 1, page: 0 };
        // Nothing is kept, so the cap that bounds memory elsewhere can be
        // higher; it still ends a server that never stops sending pages.
        let opts = FetchAllOptions { max_events: opts.max_events.max(VERDICT_MAX_EVENTS), ..*opts };
        let read = fetch_all_into(client, base, opts, Arc::new(|_| {}), &mut sink).await;
        match read {
            Err(e) => {
                answer.unexplained.insert(rule, VerdictGap::Failed(e));
            }
            Ok(all) if !all.is_complete() => {
                let why = match all.stopped {
                    Some(stopped) => stopped.sentence(),
                    None => {
                        let pages: Vec<u32> = all.missing.iter().map(|m| m.page).collect();
                        format!("events of {} could not be read", describe_pages(&pages))
                    }
                };
                answer.unexplained.insert(rule, VerdictGap::Incomplete(why));
            }
            Ok(_) => {
                let now = chrono::Local::now().naive_local();
                for (period, brief) in tally.finish(now) {
                    answer.briefs.entry((rule, period)).or_insert(brief);
                }
            }
        }
    }
    Ok(answer)
}
