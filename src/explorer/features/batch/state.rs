//! The batch table's state: its rows, their filter and sort, and the
//! view kept from them.

use crate::core::batch::BatchRow;
use crate::core::batch::causes::Cause;
use crate::core::batch::columns::{Column, sort_columns};
use crate::explorer::app::state::FilterState;

/// The batch's rows and how they are viewed.
#[derive(Clone, Debug, Default)]
pub struct BatchTable {
    pub(in crate::explorer::features::batch) rows: Vec<BatchRow>,
    /// The rows' own filter (the events keep theirs).
    pub(in crate::explorer::features::batch) filter: FilterState,
    pub(in crate::explorer::features::batch) selected: usize,
    /// Sort column (into [`BatchTable::sortable`]) and direction; None keeps the file's order.
    pub(in crate::explorer::features::batch) sort: Option<(usize, bool)>,
    /// The rows shown, filtered and sorted, as indices: kept, not rebuilt per frame.
    pub(in crate::explorer::features::batch) view: Vec<usize>,
    /// Rows with an error (a customer not found or not fetched, no verdict):
    /// counted once, since the rows never change, not on every frame.
    pub(in crate::explorer::features::batch) failed: usize,
    /// Whether the batch was run with --verdict (any row carries one).
    pub(in crate::explorer::features::batch) verdicts: bool,
    /// The table columns with nothing in any row, left out: found once,
    /// since the rows never change.
    pub(in crate::explorer::features::batch) empty: Vec<bool>,
    /// The columns empty in every row shown (the filtered view, or the
    /// customers of the cause opened): found when what is shown changes, so
    /// a filter gives their room to the columns that have something.
    pub(in crate::explorer::features::batch) shown_empty: Vec<bool>,
    /// Why the missed periods missed, grouped (found once, with the rows).
    pub(in crate::explorer::features::batch) causes: Vec<Cause>,
    /// The causes are drawn instead of the rows: which one is selected, and
    /// the one whose customers are listed (with the row selected there).
    pub(in crate::explorer::features::batch) causes_view: Option<CausesView>,
}

/// Where the causes view is: the cause selected and, once opened (Enter),
/// its customers' rows listed with one selected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CausesView {
    pub cause: usize,
    pub open: bool,
    pub row: usize,
}

impl BatchTable {
    // What may be read from outside the batch (drawing elsewhere, tests).
    pub fn rows(&self) -> &[BatchRow] {
        &self.rows
    }

    /// Indices into the rows, after the filter and sort.
    pub fn view(&self) -> &[usize] {
        &self.view
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Why the missed periods missed, grouped.
    pub fn causes(&self) -> &[Cause] {
        &self.causes
    }

    /// The causes view, when it is drawn.
    pub fn causes_view(&self) -> Option<CausesView> {
        self.causes_view
    }

    /// The rows of the cause opened, when one is.
    pub fn cause_rows(&self) -> Option<&[usize]> {
        let v = self.causes_view.filter(|v| v.open)?;
        self.causes.get(v.cause).map(|c| c.rows.as_slice())
    }

    /// The row the keys act on: the one selected in the rows, or in the
    /// cause opened.
    pub fn selected_row(&self) -> Option<&BatchRow> {
        let i = match self.causes_view {
            Some(v) if v.open => *self.cause_rows()?.get(v.row)?,
            Some(_) => return None,
            None => *self.view.get(self.selected)?,
        };
        self.rows.get(i)
    }

    /// The rows carry verdicts (`batch --verdict`).
    pub fn verdicts(&self) -> bool {
        self.verdicts
    }

    /// The rows' own filter, for the explorer's one filter line.
    pub fn filter(&self) -> &FilterState {
        &self.filter
    }

    pub(crate) fn filter_state_mut(&mut self) -> &mut FilterState {
        &mut self.filter
    }

    /// The columns rows sort by: the verdict's only with one.
    pub fn sortable(&self) -> Vec<&'static Column> {
        sort_columns(self.verdicts)
    }

    /// The title of the column sorted by, and whether descending.
    pub fn sort_column(&self) -> Option<(&'static str, bool)> {
        let (col, desc) = self.sort?;
        let c = self.sortable().get(col).copied()?;
        Some((c.title.unwrap_or(c.header), desc))
    }

    pub fn new(rows: Vec<BatchRow>) -> Self {
        let failed = rows.iter().filter(|r| !r.error.is_empty()).count();
        let verdicts = rows.iter().any(|r| r.verdict.is_some());
        let empty = crate::core::batch::empty_columns(&rows);
        let causes = crate::core::batch::causes::causes(&rows);
        let mut table = BatchTable { rows, failed, verdicts, empty, causes, ..Default::default() };
        table.refresh("");
        table
    }

    /// Rebuilds the view after the rows, the filter or the sort changed.
    /// The selection stays on its row when that row is still shown.
    pub fn refresh(&mut self, filter: &str) {
        let current = self.view.get(self.selected).copied();
        self.view = self.matching(filter);
        self.shown_empty = self.empty_of(&self.view);
        self.selected = current
            .and_then(|row| self.view.iter().position(|&i| i == row))
            .unwrap_or(self.selected)
            .min(self.view.len().saturating_sub(1));
    }

    /// The table columns empty in every one of `rows` (the file's empty
    /// columns stay empty whatever is shown).
    pub(in crate::explorer::features::batch) fn empty_of(&self, rows: &[usize]) -> Vec<bool> {
        let shown = crate::core::batch::empty_columns(rows.iter().filter_map(|&i| self.rows.get(i)));
        shown.iter().zip(&self.empty).map(|(s, e)| *s || *e).collect()
    }

    /// The rows matching `filter`, in the chosen order, as indices.
    fn matching(&self, filter: &str) -> Vec<usize> {
        let filter = crate::core::filter::Filter::parse(filter);
        let mut v: Vec<usize> =
            (0..self.rows.len()).filter(|&i| filter.is_empty() || filter.matches(&self.rows[i].cells())).collect();
        if let Some(by) = self.sort.and_then(|(col, desc)| Some((self.sortable().get(col)?.sort?, desc))) {
            let (sort, desc) = by;
            v.sort_by(|&a, &b| {
                let o = sort(&self.rows[a], &self.rows[b]);
                if desc { o.reverse() } else { o }
            });
        }
        v
    }
}
