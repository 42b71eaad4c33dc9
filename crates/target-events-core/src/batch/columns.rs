//! Every column of a batch, described once: its CSV header, its title in a
//! table, how it shrinks, how it aligns, its cell and how it sorts. CSV,
//! `--format table`, the explorer's batch panel, the copied row and the
//! filter all read this one list, so no two of them can disagree on order.

use std::cmp::Ordering;

use super::BatchRow;
use crate::api::model::Money;
use crate::columns::Kind;
use crate::verdict::bills_brief::BillsBrief;
use crate::verdict::brief::Brief;

/// Which part of a row a column belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The customer, the target and the period, or the error.
    Row,
    /// The failure field by field (CSV only: the table has the error).
    Failure,
    /// The verdict in brief (`--verdict` only).
    Verdict,
}

/// One column.
pub struct Column {
    /// The CSV header (and the name the copied row gives it).
    pub header: &'static str,
    /// The title in a table; None: CSV only.
    pub title: Option<&'static str>,
    pub part: Part,
    /// How it shrinks in a table, and its priority there (0 kept first).
    pub kind: Kind,
    pub priority: u8,
    /// Right-aligned, so decimal points line up.
    pub right: bool,
    /// The cell, whole.
    pub cell: fn(&BatchRow) -> String,
    /// The cell as a table shows it, when shorter than whole.
    pub short: Option<fn(&BatchRow) -> String>,
    /// How rows sort by it, when they do.
    pub sort: Option<fn(&BatchRow, &BatchRow) -> Ordering>,
}

impl Column {
    /// The cell as a table shows it.
    pub fn table_cell(&self, row: &BatchRow) -> String {
        (self.short.unwrap_or(self.cell))(row)
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Money at the target's scale (at least two decimals): "0.00" beside
/// "-380.00", never "0"; the digits the API sent are all kept.
pub(crate) fn money(row: &BatchRow, m: Option<Money>) -> String {
    let Some(Money(mut d)) = m else { return String::new() };
    let scale = row.target_value.map_or(2, |t| t.0.scale()).max(2);
    if d.scale() < scale {
        d.rescale(scale);
    }
    d.to_string()
}

fn brief(row: &BatchRow) -> Option<&Brief> {
    row.verdict.as_ref()
}

fn bills(row: &BatchRow) -> Option<&BillsBrief> {
    row.verdict.as_ref()?.bills.as_ref()
}

const fn column(header: &'static str, title: &'static str, part: Part, kind: Kind, priority: u8) -> Column {
    Column {
        header,
        title: Some(title),
        part,
        kind,
        priority,
        right: false,
        cell: |_| String::new(),
        short: None,
        sort: None,
    }
}

const fn figure(header: &'static str, title: &'static str, part: Part, priority: u8) -> Column {
    Column { right: true, ..column(header, title, part, Kind::Figure, priority) }
}

const fn failure(header: &'static str, cell: fn(&BatchRow) -> String) -> Column {
    Column { title: None, cell, ..column(header, header, Part::Failure, Kind::Figure, 9) }
}

use Part::{Row, Verdict};

/// Every column, in CSV order; a table shows those with a title, in the same order.
pub static COLUMNS: [Column; 32] = [
    Column {
        cell: |r| r.customer.clone(),
        sort: Some(|a, b| a.customer.cmp(&b.customer)),
        ..column("customer", "customer", Row, Kind::Text { min: 10 }, 0)
    },
    // The lines of the file that named the customer: a table shows them last.
    Column { cell: |r| r.lines.clone(), ..column("lines", "lines", Row, Kind::Text { min: 5 }, 9) },
    Column { cell: |r| opt(r.user_id), ..column("userId", "userId", Row, Kind::Figure, 1) },
    Column { cell: |r| r.group.clone(), ..column("group", "group", Row, Kind::Text { min: 6 }, 7) },
    Column { cell: |r| r.target.clone(), ..column("target", "target", Row, Kind::Text { min: 6 }, 6) },
    Column { cell: |r| opt(r.rule_id), ..column("ruleId", "ruleId", Row, Kind::Figure, 2) },
    Column {
        cell: |r| opt(r.period_id),
        sort: Some(|a, b| a.period_id.cmp(&b.period_id)),
        ..column("periodId", "periodId", Row, Kind::Figure, 1)
    },
    Column { cell: |r| r.ref_code.clone(), ..column("refCode", "refCode", Row, Kind::Text { min: 4 }, 8) },
    Column { cell: |r| r.start.clone(), ..column("start", "start", Row, Kind::Figure, 9) },
    Column { cell: |r| r.end.clone(), ..column("end", "end", Row, Kind::Figure, 9) },
    Column { cell: |r| money(r, r.target_value), ..figure("targetValue", "targetValue", Row, 3) },
    Column {
        cell: |r| money(r, r.achieved),
        sort: Some(|a, b| a.achieved.cmp(&b.achieved)),
        ..figure("achieved", "achieved", Row, 1)
    },
    Column {
        cell: |r| money(r, r.missing),
        sort: Some(|a, b| a.missing.cmp(&b.missing)),
        ..figure("missing", "missing", Row, 1)
    },
    Column {
        cell: |r| opt(r.reached),
        sort: Some(|a, b| a.reached.cmp(&b.reached)),
        ..column("reached", "reached", Row, Kind::Fixed, 4)
    },
    Column { cell: |r| opt(r.current), ..column("current", "current", Row, Kind::Fixed, 5) },
    Column {
        cell: |r| r.error.clone(),
        // The code and a short reason: the whole goes on a detail line or after the table.
        short: Some(BatchRow::short_error),
        sort: Some(|a, b| a.error.cmp(&b.error)),
        ..column("error", "error", Row, Kind::Text { min: 12 }, 2)
    },
    failure("code", |r| opt(r.failure.as_ref().and_then(|f| f.code))),
    failure("message", |r| r.failure.as_ref().map(|f| f.message.clone()).unwrap_or_default()),
    failure("httpStatus", |r| opt(r.failure.as_ref().and_then(|f| f.http_status))),
    failure("requestId", |r| r.failure.as_ref().and_then(|f| f.request_id.clone()).unwrap_or_default()),
    // Why a missed period missed (`cause:late` filters by it), and the
    // verdict as a sentence.
    Column {
        cell: |r| super::causes::cause_of(r).map(|c| c.text()).unwrap_or_default(),
        sort: Some(|a, b| super::causes::cause_of(a).cmp(&super::causes::cause_of(b))),
        ..column("cause", "cause", Verdict, Kind::Text { min: 5 }, 1)
    },
    Column { cell: super::causes::headline, ..column("headline", "headline", Verdict, Kind::Text { min: 24 }, 5) },
    Column {
        cell: |r| brief(r).map(|v| v.standing.word().to_string()).unwrap_or_default(),
        sort: Some(|a, b| brief(a).map(|v| v.standing.word()).cmp(&brief(b).map(|v| v.standing.word()))),
        ..column("verdict", "verdict", Verdict, Kind::Fixed, 0)
    },
    Column {
        cell: |r| money(r, brief(r).and_then(|v| v.short_by)),
        sort: Some(|a, b| brief(a).and_then(|v| v.short_by).cmp(&brief(b).and_then(|v| v.short_by))),
        ..figure("shortBy", "short by", Verdict, 2)
    },
    Column {
        cell: |r| money(r, brief(r).and_then(|v| v.returns_total)),
        ..figure("returnsTotal", "returns", Verdict, 4)
    },
    Column { cell: |r| opt(brief(r).map(|v| v.events_counted)), ..figure("eventsCounted", "events", Verdict, 6) },
    Column {
        cell: |r| opt(brief(r).map(|v| v.counted_elsewhere)),
        ..figure("countedElsewhere", "elsewhere", Verdict, 6)
    },
    // eventLogIds: whole or absent, like any id.
    Column {
        cell: |r| brief(r).map(Brief::would_have_reached_text).unwrap_or_default(),
        ..column("wouldHaveReached", "would reach", Verdict, Kind::Figure, 2)
    },
    Column {
        cell: |r| opt(bills(r).and_then(|b| b.uncounted)),
        sort: Some(|a, b| bills(a).and_then(|x| x.uncounted).cmp(&bills(b).and_then(|x| x.uncounted))),
        ..figure("uncountedBills", "uncounted", Verdict, 3)
    },
    Column {
        cell: |r| money(r, bills(r).and_then(|b| b.uncounted_amount)),
        sort: Some(|a, b| bills(a).and_then(|x| x.uncounted_amount).cmp(&bills(b).and_then(|x| x.uncounted_amount))),
        ..figure("uncountedAmount", "uncounted sum", Verdict, 4)
    },
    // A bill number and id: whole or absent.
    Column {
        cell: |r| bills(r).map(BillsBrief::would_have_reached_text).unwrap_or_default(),
        ..column("billWouldHaveReached", "bill would reach", Verdict, Kind::Figure, 2)
    },
    Column {
        cell: |r| bills(r).and_then(|b| b.note.clone()).unwrap_or_default(),
        ..column("billsNote", "bills", Verdict, Kind::Text { min: 8 }, 7)
    },
];

/// The columns of a batch with or without the verdict, in CSV order.
pub fn csv_columns(verdict: bool) -> impl Iterator<Item = &'static Column> {
    COLUMNS.iter().filter(move |c| verdict || c.part != Verdict)
}

/// The columns a table shows (the verdict's hidden without one), in order.
pub fn table_columns() -> impl Iterator<Item = &'static Column> {
    COLUMNS.iter().filter(|c| c.title.is_some())
}

/// Every name the batch's columns answer to in a filter (header and title).
pub fn filter_names() -> Vec<&'static str> {
    COLUMNS.iter().flat_map(|c| [Some(c.header), c.title]).flatten().collect()
}

/// The columns rows sort by, in order (the verdict's only with one).
pub fn sort_columns(verdict: bool) -> Vec<&'static Column> {
    csv_columns(verdict).filter(|c| c.sort.is_some() && c.title.is_some()).collect()
}
