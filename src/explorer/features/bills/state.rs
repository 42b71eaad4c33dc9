//! The bills panel's state: a period's reconciled bills, the rows the
//! filter and sort leave, and where the cursor is.

use crate::core::reconcile::{BillLine, Fate};
use crate::explorer::app::state::FilterState;

/// The columns, in order: title, and whether it is a figure.
pub const COLUMNS: [(&str, bool); 6] =
    [("When", false), ("Bill", false), ("Store", false), ("Amount", true), ("Type", false), ("What happened", false)];

/// Every name the bills' columns answer to in a filter.
pub fn filter_names() -> Vec<&'static str> {
    COLUMN_NAMES.iter().flatten().copied().filter(|n| !n.is_empty()).chain(["id"]).collect()
}

/// What each column answers to in a filter (`store:MUM-ANDHERI-02`).
const COLUMN_NAMES: [[&str; 3]; 6] = [
    ["when", "date", ""],
    ["bill", "number", ""],
    ["store", "", ""],
    ["amount", "", ""],
    ["type", "", ""],
    ["what happened", "why", "fate"],
];

#[derive(Clone, Debug)]
pub struct BillsPanel {
    pub(in crate::explorer::features::bills) user_id: i64,
    pub(in crate::explorer::features::bills) period_id: i64,
    /// "Sep_2025 (7601)".
    pub(in crate::explorer::features::bills) period_name: String,
    pub(in crate::explorer::features::bills) lines: Vec<BillLine>,
    /// Why the bills could not be read, when they could not.
    pub(in crate::explorer::features::bills) unread: Option<String>,
    /// Why the bills read may not be all of them, when they may not.
    pub(in crate::explorer::features::bills) incomplete: Option<String>,
    /// Indices into `lines`, after the filter and sort.
    pub(in crate::explorer::features::bills) view: Vec<usize>,
    pub(in crate::explorer::features::bills) selected: usize,
    pub(in crate::explorer::features::bills) filter: FilterState,
    /// The column sorted by, and whether descending; None: by time.
    pub(in crate::explorer::features::bills) sort: Option<(usize, bool)>,
    /// The detail shows the bill's raw JSON rather than its fields.
    pub(in crate::explorer::features::bills) raw: bool,
    /// How far the detail is scrolled down (the view stops it at the end).
    pub(in crate::explorer::features::bills) detail_scroll: u16,
    /// Bill numbers that more than one bill of the period carries: such a
    /// bill is known by its id.
    /// (number → how many bills of the period carry it, two or more)
    pub(in crate::explorer::features::bills) repeated: std::collections::HashMap<String, usize>,
}

impl BillsPanel {
    // What may be read from outside the panel (tests).
    pub fn user_id(&self) -> i64 {
        self.user_id
    }

    pub fn period_id(&self) -> i64 {
        self.period_id
    }

    pub fn period_name(&self) -> &str {
        &self.period_name
    }

    /// Every bill of the period, with its fate.
    pub fn lines(&self) -> &[BillLine] {
        &self.lines
    }

    /// Indices into the lines, after the filter and sort.
    pub fn view(&self) -> &[usize] {
        &self.view
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The raw JSON is shown instead of the story.
    pub fn raw(&self) -> bool {
        self.raw
    }

    /// The bills panel of a period's verdict, the bill that would have
    /// reached the target under the cursor; None when the bills were not read.
    pub(crate) fn for_period(user_id: i64, p: &crate::core::verdict::PeriodVerdict) -> Option<BillsPanel> {
        let story = p.bills.as_ref()?;
        let mut panel = BillsPanel::new(user_id, p.period_id, p.name(), story.lines.clone(), story.unread.clone());
        panel.incomplete = story.incomplete.clone();
        if let Some(b) = &story.would_have_reached {
            panel.select(b.id);
        }
        Some(panel)
    }

    /// The bills as read again: the same bill stays selected.
    pub(crate) fn read_again(&mut self, lines: Vec<BillLine>, unread: Option<String>) {
        let selected = self.selected_line().map(|l| l.bill.id);
        self.lines = lines;
        self.unread = unread;
        self.rebuild();
        if let Some(id) = selected {
            self.select(id);
        }
    }

    /// The rows' own filter, for the explorer's one filter line.
    pub fn filter(&self) -> &FilterState {
        &self.filter
    }

    pub(crate) fn filter_state_mut(&mut self) -> &mut FilterState {
        &mut self.filter
    }

    pub fn new(
        user_id: i64,
        period_id: i64,
        period_name: String,
        lines: Vec<BillLine>,
        unread: Option<String>,
    ) -> Self {
        let mut panel = BillsPanel {
            user_id,
            period_id,
            period_name,
            lines,
            unread,
            incomplete: None,
            view: Vec::new(),
            selected: 0,
            filter: FilterState::default(),
            sort: None,
            raw: false,
            detail_scroll: 0,
            repeated: std::collections::HashMap::new(),
        };
        for l in panel.lines.iter().filter(|l| !l.bill.number.is_empty()) {
            *panel.repeated.entry(l.bill.number.clone()).or_default() += 1;
        }
        panel.repeated.retain(|_, n| *n > 1);
        panel.rebuild();
        panel
    }

    /// A row's cells, as the table shows them (a bill number that repeats
    /// in the period is marked, and the bill is told by its id beneath).
    pub fn cells(&self, line: &BillLine) -> [String; 6] {
        let number = match line.bill.number.as_str() {
            "" => line.bill.id.to_string(),
            n if self.repeated.contains_key(n) => format!("{n} ⚠"),
            n => n.to_string(),
        };
        [
            line.bill.when.clone(),
            number,
            line.bill.store.clone().unwrap_or_default(),
            line.bill.amount.map_or_else(|| "not exact".into(), |a| a.as_money()),
            line.bill.kind.clone(),
            line.short_fate(),
        ]
    }

    /// Rebuilds the view after the filter or the sort changed; the cursor
    /// stays on its bill when it is still shown.
    pub fn rebuild(&mut self) {
        let keep = self.selected_line().map(|l| l.bill.id);
        let filter = crate::core::filter::Filter::parse(self.filter.input.value());
        let mut view: Vec<usize> = (0..self.lines.len())
            .filter(|&i| {
                if filter.is_empty() {
                    return true;
                }
                let line = &self.lines[i];
                let texts = self.cells(line);
                let mut cells: Vec<crate::core::filter::Cell<'_>> = COLUMN_NAMES
                    .iter()
                    .zip(texts)
                    .map(|(names, text)| crate::core::filter::Cell { names: *names, text: text.into() })
                    .collect();
                cells.push(crate::core::filter::Cell { names: ["id", "", ""], text: line.bill.id.to_string().into() });
                filter.matches(&cells)
            })
            .collect();
        if let Some((col, desc)) = self.sort {
            let key = |i: &usize| {
                let l = &self.lines[*i];
                match col {
                    3 => (l.bill.amount.map(|a| a.0), String::new()),
                    _ => (None, self.cells(l)[col].to_lowercase()),
                }
            };
            view.sort_by_key(key);
            if desc {
                view.reverse();
            }
        }
        self.view = view;
        self.selected = self.selected.min(self.view.len().saturating_sub(1));
        if let Some(id) = keep {
            self.select(id);
        }
    }

    pub fn selected_line(&self) -> Option<&BillLine> {
        self.view.get(self.selected).and_then(|&i| self.lines.get(i))
    }

    /// Puts the cursor on bill `id`, when it is in the view.
    pub fn select(&mut self, id: i64) {
        if let Some(at) = self.view.iter().position(|&i| self.lines[i].bill.id == id) {
            self.selected = at;
        }
    }

    /// How many did not count.
    pub fn not_counted(&self) -> usize {
        self.lines.iter().filter(|l| matches!(l.fate, Fate::NotCounted(_))).count()
    }
}
