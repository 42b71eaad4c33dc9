//! Why a batch's customers missed, grouped: each missed period (a row whose
//! verdict is "not reached") has one cause, the first of these that holds —
//! bills or events dated in the period counted in another (late), bills
//! made before the enrolment, bills at a store that did not count, returns
//! that took it below the target, or a plain shortfall. Rows of the same
//! cause (and store) are one group: its customers, the amount at stake, the
//! hours and stores of what came late. Most customers first; ties in the
//! order above, then by store.

use serde::Serialize;

use super::BatchRow;
use crate::api::model::Money;
use crate::verdict::brief::{Brief, Standing};

/// What made a period miss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CauseKind {
    /// Dated in the period, counted in another (near its end).
    Late,
    /// Bills made before the customer's enrolment.
    BeforeEnrolment,
    /// Bills at one store that did not count.
    Store,
    /// Returns took what counted below the target.
    Returns,
    /// Short, and the bills could not all be read: why cannot be said.
    BillsUnread,
    /// What counted is short, and nothing found missed it.
    Shortfall,
}

impl CauseKind {
    /// The word the cause column shows and `cause:` filters on.
    pub fn word(self) -> &'static str {
        match self {
            CauseKind::Late => "late",
            CauseKind::BeforeEnrolment => "before enrolment",
            CauseKind::Store => "store",
            CauseKind::Returns => "returns",
            CauseKind::BillsUnread => "bills not read",
            CauseKind::Shortfall => "shortfall",
        }
    }
}

/// A row's cause: its kind, and the store for [`CauseKind::Store`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowCause {
    pub kind: CauseKind,
    pub store: Option<String>,
}

impl RowCause {
    /// "late", "store MUM-ANDHERI-02": the cause column's cell.
    pub fn text(&self) -> String {
        match &self.store {
            Some(s) if !s.is_empty() => format!("{} {s}", self.kind.word()),
            Some(_) => format!("{} (no code)", self.kind.word()),
            None => self.kind.word().to_string(),
        }
    }
}

/// The cause of a missed row; None for a row that did not miss (reached,
/// in progress, no target, no verdict).
pub fn cause_of(row: &BatchRow) -> Option<RowCause> {
    let v = row.verdict.as_ref().filter(|v| v.standing == Standing::NotReached)?;
    let bills = v.bills.as_ref();
    let kind = |kind| Some(RowCause { kind, store: None });
    if v.counted_elsewhere > 0 || bills.is_some_and(|b| b.late > 0) {
        return kind(CauseKind::Late);
    }
    if bills.is_some_and(|b| b.before_enrolment > 0) {
        return kind(CauseKind::BeforeEnrolment);
    }
    if let Some(store) = bills.and_then(|b| b.uncounted_stores.first()) {
        return Some(RowCause { kind: CauseKind::Store, store: Some(store.store.clone()) });
    }
    if returns_made_the_difference(v) {
        return kind(CauseKind::Returns);
    }
    // Nothing found, but not every bill was read: no claim that none missed.
    if bills.is_some_and(|b| b.note.is_some()) {
        return kind(CauseKind::BillsUnread);
    }
    kind(CauseKind::Shortfall)
}

/// Returns were made, and without them the target would have been reached.
fn returns_made_the_difference(v: &Brief) -> bool {
    match (v.returns_total, v.short_by) {
        (Some(r), Some(short)) => r.is_negative() && -r.0 >= short.0,
        _ => false,
    }
}

/// The row's headline: what happened, in one plain sentence an agent or a
/// lead can read out ("Missed by 179.50: 1 bill dated in the period counted
/// in another period (MUM-ANDHERI-02, 23:00–23:59).").
pub fn headline(row: &BatchRow) -> String {
    if !row.error.is_empty() {
        return String::new();
    }
    let Some(v) = &row.verdict else { return String::new() };
    let money = |m: Option<Money>| super::columns::money(row, m);
    match v.standing {
        Standing::Reached => "Reached.".into(),
        Standing::NoTarget => "No target to reach.".into(),
        Standing::InProgress => match v.short_by {
            Some(s) => format!("In progress: {} still needed.", money(Some(s))),
            None => "In progress.".into(),
        },
        Standing::NotReached => {
            let missed = match v.short_by {
                Some(s) => format!("Missed by {}", money(Some(s))),
                None => "Missed".into(),
            };
            let why = match cause_of(row) {
                Some(c) => said(&c, v, &money),
                None => String::new(),
            };
            format!("{missed}: {why}")
        }
    }
}

/// The cause in a sentence, for a row.
fn said(cause: &RowCause, v: &Brief, money: &dyn Fn(Option<Money>) -> String) -> String {
    let bills = v.bills.as_ref();
    let n = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
    match cause.kind {
        CauseKind::Late => match bills.filter(|b| b.late > 0) {
            Some(b) => {
                let mut at = b.late_stores.join(", ");
                if let Some((from, to)) = b.late_hours {
                    let hours = format!("{from:02}:00–{to:02}:59");
                    at = if at.is_empty() { hours } else { format!("{at}, {hours}") };
                }
                let at = if at.is_empty() { String::new() } else { format!(" ({at})") };
                format!("{} dated in the period counted in another period{at}.", n(b.late, "bill", "bills"))
            }
            None => {
                format!("{} dated in the period counted in another period.", n(v.counted_elsewhere, "event", "events"))
            }
        },
        CauseKind::BeforeEnrolment => {
            let count = bills.map_or(0, |b| b.before_enrolment);
            format!("{} made before the enrolment did not count.", n(count, "bill", "bills"))
        }
        CauseKind::Store => {
            let s = bills.and_then(|b| b.uncounted_stores.first()).cloned().unwrap_or_default();
            let store = if s.store.is_empty() { "a store with no code".to_string() } else { s.store.clone() };
            let amount = s.amount.map(|a| format!(" ({})", money(Some(a)))).unwrap_or_default();
            format!("{} at {store}{amount} did not count.", n(s.bills, "bill", "bills"))
        }
        CauseKind::Returns => {
            let r = v.returns_total.map(|r| money(Some(Money(-r.0)))).unwrap_or_default();
            format!("returns of {r} took what counted below the target.")
        }
        CauseKind::BillsUnread => {
            "what counted is short of the target, and the bills could not all be read to say why.".into()
        }
        CauseKind::Shortfall => {
            "what counted is short of the target; no bill or event was found that missed it.".into()
        }
    }
}

/// Customers a cause names; past them it counts.
pub const NAMED_CUSTOMERS: usize = 20;

/// One cause and the missed periods it explains.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cause {
    pub cause: CauseKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    /// The cause in words: "late", "store MUM-ANDHERI-02".
    pub said: String,
    /// Distinct customers with a period of this cause.
    pub customers: usize,
    /// Missed periods of this cause.
    pub periods: usize,
    /// The customers as the file gave them (the first [`NAMED_CUSTOMERS`]).
    pub named: Vec<String>,
    /// Their shortfalls summed (absent when one is not known exactly).
    pub at_stake: Option<Money>,
    /// For what came late: the hours of the day (first, last) and the stores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<(u8, u8)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stores: Vec<String>,
    /// The rows (indices into the rows given), in their order.
    #[serde(skip)]
    pub rows: Vec<usize>,
}

/// The causes of the missed rows among `rows`: every missed row in exactly
/// one cause. Most customers first; ties by kind, then store.
pub fn causes(rows: &[BatchRow]) -> Vec<Cause> {
    let mut groups: Vec<(RowCause, Cause, std::collections::HashSet<String>)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let Some(cause) = cause_of(row) else { continue };
        let at = match groups.iter().position(|(c, ..)| *c == cause) {
            Some(at) => at,
            None => {
                let group = Cause {
                    cause: cause.kind,
                    store: cause.store.clone(),
                    said: cause.text(),
                    customers: 0,
                    periods: 0,
                    named: Vec::new(),
                    at_stake: Some(Money::ZERO),
                    hours: None,
                    stores: Vec::new(),
                    rows: Vec::new(),
                };
                groups.push((cause, group, Default::default()));
                groups.len() - 1
            }
        };
        let (_, group, seen) = &mut groups[at];
        group.periods += 1;
        group.rows.push(i);
        let who = row.user_id.map_or_else(|| row.customer.clone(), |u| u.to_string());
        if seen.insert(who) {
            group.customers += 1;
            if group.named.len() < NAMED_CUSTOMERS {
                group.named.push(row.customer.clone());
            }
        }
        let v = row.verdict.as_ref();
        group.at_stake = group.at_stake.zip(v.and_then(|v| v.short_by)).and_then(|(a, s)| a.checked_add(s));
        if let Some(b) = v.and_then(|v| v.bills.as_ref()).filter(|_| group.cause == CauseKind::Late) {
            if let Some((from, to)) = b.late_hours {
                group.hours = Some(group.hours.map_or((from, to), |(f, t)| (f.min(from), t.max(to))));
            }
            for s in &b.late_stores {
                if !group.stores.contains(s) {
                    group.stores.push(s.clone());
                }
            }
        }
    }
    let mut out: Vec<Cause> = groups
        .into_iter()
        .map(|(_, mut c, _)| {
            c.stores.sort();
            c
        })
        .collect();
    out.sort_by(|a, b| b.customers.cmp(&a.customers).then(a.cause.cmp(&b.cause)).then_with(|| a.store.cmp(&b.store)));
    out
}

/// A cause in one line, for a summary: "late (MUM-ANDHERI-02, 23:00–23:59)".
pub fn described(c: &Cause) -> String {
    let mut detail = c.stores.join(", ");
    if let Some((from, to)) = c.hours {
        let hours = format!("{from:02}:00–{to:02}:59");
        detail = if detail.is_empty() { hours } else { format!("{detail}, {hours}") };
    }
    let what = match c.cause {
        CauseKind::Late => "dated in the period, counted in another",
        CauseKind::BeforeEnrolment => "bills made before the enrolment",
        CauseKind::Store => "bills at this store did not count",
        CauseKind::Returns => "returns took it below the target",
        CauseKind::BillsUnread => "short, the bills not all read",
        CauseKind::Shortfall => "short, nothing found that missed",
    };
    if detail.is_empty() { format!("{}: {what}", c.said) } else { format!("{}: {what} ({detail})", c.said) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::bills_brief::{BillsBrief, StoreBills};
    use proptest::prelude::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn missed(user: i64, short: &str, bills: Option<BillsBrief>) -> BatchRow {
        BatchRow {
            customer: user.to_string(),
            user_id: Some(user),
            target_value: Some(m("5000.00")),
            verdict: Some(Brief {
                standing: Standing::NotReached,
                short_by: Some(m(short)),
                returns_total: Some(m("0.00")),
                events_counted: 3,
                counted_elsewhere: 0,
                would_have_reached: vec![],
                would_have_reached_count: 0,
                bills,
            }),
            ..BatchRow::default()
        }
    }

    fn late(store: &str, hours: (u8, u8)) -> BillsBrief {
        BillsBrief { late: 1, late_hours: Some(hours), late_stores: vec![store.into()], ..BillsBrief::default() }
    }

    fn at_store(store: &str) -> BillsBrief {
        let s = StoreBills { store: store.into(), bills: 2, amount: Some(m("900.00")) };
        BillsBrief { uncounted: Some(2), uncounted_stores: vec![s], ..BillsBrief::default() }
    }

    #[test]
    fn causes_group_the_missed_most_customers_first_with_the_hours_and_stores() {
        let rows = vec![
            missed(1, "100.00", Some(late("MUM-ANDHERI-02", (23, 23)))),
            missed(2, "50.00", Some(late("MUM-ANDHERI-02", (22, 23)))),
            missed(3, "75.50", Some(at_store("DEL-SAKET-01"))),
            missed(4, "10.00", None),
            // A second period of customer 1, late too: one customer, two periods.
            missed(1, "20.00", Some(late("PUN-FC-03", (23, 23)))),
        ];
        let c = causes(&rows);
        assert_eq!(
            c.iter().map(|c| (c.said.as_str(), c.customers, c.periods)).collect::<Vec<_>>(),
            [("late", 2, 3), ("store DEL-SAKET-01", 1, 1), ("shortfall", 1, 1)]
        );
        assert_eq!(c[0].hours, Some((22, 23)));
        assert_eq!(c[0].stores, ["MUM-ANDHERI-02", "PUN-FC-03"]);
        assert_eq!(c[0].at_stake.map(|a| a.to_string()).as_deref(), Some("170.00"));
        assert_eq!(
            described(&c[0]),
            "late: dated in the period, counted in another (MUM-ANDHERI-02, PUN-FC-03, 22:00–23:59)"
        );
        assert_eq!(headline(&rows[2]), "Missed by 75.50: 2 bills at DEL-SAKET-01 (900.00) did not count.");
        assert_eq!(
            headline(&rows[0]),
            "Missed by 100.00: 1 bill dated in the period counted in another period (MUM-ANDHERI-02, 23:00–23:59)."
        );
    }

    #[test]
    fn returns_are_the_cause_only_when_they_made_the_difference() {
        let mut row = missed(9, "100.00", None);
        row.verdict.as_mut().unwrap().returns_total = Some(m("-380.00"));
        assert_eq!(cause_of(&row).map(|c| c.kind), Some(CauseKind::Returns));
        assert_eq!(headline(&row), "Missed by 100.00: returns of 380.00 took what counted below the target.");
        row.verdict.as_mut().unwrap().returns_total = Some(m("-50.00"));
        assert_eq!(cause_of(&row).map(|c| c.kind), Some(CauseKind::Shortfall));
    }

    fn any_row() -> impl Strategy<Value = BatchRow> {
        let standing = prop_oneof![
            Just(Standing::NotReached),
            Just(Standing::Reached),
            Just(Standing::InProgress),
            Just(Standing::NoTarget)
        ];
        (1..8i64, standing, 0..3usize, 0..3usize, 0..3usize, 0..4usize, proptest::bool::ANY).prop_map(
            |(user, standing, elsewhere, late_bills, before, store, has_bills)| {
                let stores = ["", "MUM-ANDHERI-02", "DEL-SAKET-01"];
                let bills = has_bills.then(|| BillsBrief {
                    late: late_bills,
                    late_hours: (late_bills > 0).then_some((22, 23)),
                    before_enrolment: before,
                    uncounted_stores: (store > 0)
                        .then(|| StoreBills { store: stores[store % 3].into(), bills: 1, amount: None })
                        .into_iter()
                        .collect(),
                    ..BillsBrief::default()
                });
                let mut row = missed(user, "10.00", bills);
                let v = row.verdict.as_mut().unwrap();
                v.standing = standing;
                v.counted_elsewhere = elsewhere;
                row
            },
        )
    }

    proptest! {
        /// Every missed period is in exactly one cause; the periods add up to
        /// the missed rows and each cause's customers are its distinct ones.
        #[test]
        fn every_missed_row_is_in_exactly_one_cause(rows in proptest::collection::vec(any_row(), 0..40)) {
            let c = causes(&rows);
            let missed: Vec<usize> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.verdict.as_ref().is_some_and(|v| v.standing == Standing::NotReached))
                .map(|(i, _)| i)
                .collect();
            let mut placed: Vec<usize> = c.iter().flat_map(|c| c.rows.iter().copied()).collect();
            placed.sort_unstable();
            prop_assert_eq!(&placed, &missed);
            prop_assert_eq!(c.iter().map(|c| c.periods).sum::<usize>(), missed.len());
            for cause in &c {
                let mut users: Vec<i64> = cause.rows.iter().filter_map(|&i| rows[i].user_id).collect();
                users.sort_unstable();
                users.dedup();
                prop_assert_eq!(cause.customers, users.len());
            }
            // Most customers first.
            prop_assert!(c.windows(2).all(|w| w[0].customers >= w[1].customers));
        }
    }
}
