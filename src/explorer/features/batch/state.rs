//! The batch table's state: its rows, their filter and sort, and the
//! view kept from them.

use crate::core::batch::BatchRow;
use crate::explorer::app::state::FilterState;

/// The batch's rows and how they are viewed.
#[derive(Clone, Debug, Default)]
pub struct BatchTable {
    pub rows: Vec<BatchRow>,
    /// The rows' own filter (the events keep theirs).
    pub filter: FilterState,
    pub selected: usize,
    pub offset: usize,
    /// Sort column (into [`BatchTable::COLUMNS`]) and direction; None keeps the file's order.
    pub sort: Option<(usize, bool)>,
    /// The rows shown, filtered and sorted, as indices: kept, not rebuilt per frame.
    pub view: Vec<usize>,
    /// Rows with an error (a customer not found or not fetched, no verdict):
    /// counted once, since the rows never change, not on every frame.
    pub failed: usize,
    /// Whether the batch was run with --verdict (any row carries one).
    pub verdicts: bool,
}

impl BatchTable {
    /// Columns that sort: (title, key of a row).
    pub const COLUMNS: [&'static str; 8] =
        ["customer", "missing", "achieved", "period", "reached", "verdict", "short by", "error"];

    pub fn new(rows: Vec<BatchRow>) -> Self {
        let failed = rows.iter().filter(|r| !r.error.is_empty()).count();
        let verdicts = rows.iter().any(|r| r.verdict.is_some());
        let mut table = BatchTable { rows, failed, verdicts, ..Default::default() };
        table.refresh("");
        table
    }

    /// Rebuilds the view after the rows, the filter or the sort changed.
    /// The selection stays on its row when that row is still shown.
    pub fn refresh(&mut self, filter: &str) {
        let current = self.view.get(self.selected).copied();
        self.view = self.matching(filter);
        self.selected = current
            .and_then(|row| self.view.iter().position(|&i| i == row))
            .unwrap_or(self.selected)
            .min(self.view.len().saturating_sub(1));
    }

    /// The rows matching `filter`, in the chosen order, as indices.
    fn matching(&self, filter: &str) -> Vec<usize> {
        let needle = filter.trim().to_lowercase();
        let mut v: Vec<usize> = (0..self.rows.len())
            .filter(|&i| needle.is_empty() || self.rows[i].search_text().to_lowercase().contains(&needle))
            .collect();
        if let Some((col, desc)) = self.sort {
            v.sort_by(|&a, &b| {
                let (a, b) = (&self.rows[a], &self.rows[b]);
                let o = match col {
                    0 => a.customer.cmp(&b.customer),
                    1 => a.missing.cmp(&b.missing),
                    2 => a.achieved.cmp(&b.achieved),
                    3 => a.period_id.cmp(&b.period_id),
                    4 => a.reached.cmp(&b.reached),
                    5 => a
                        .verdict
                        .as_ref()
                        .map(|v| v.standing.word())
                        .cmp(&b.verdict.as_ref().map(|v| v.standing.word())),
                    6 => a.verdict.as_ref().and_then(|v| v.short_by).cmp(&b.verdict.as_ref().and_then(|v| v.short_by)),
                    _ => a.error.cmp(&b.error),
                };
                if desc { o.reverse() } else { o }
            });
        }
        v
    }
}
