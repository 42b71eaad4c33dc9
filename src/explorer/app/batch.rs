//! `batch` in a terminal: the results as a table in the explorer, sortable
//! and filterable like the events; Enter opens that customer's events for the
//! row's rule and period, and `b` comes back to the table.

use super::action::Effect;
use super::screen::{Layer, Panel};
use super::state::{App, FilterState, Focus};
use crate::api::Field;
use crate::core::batch::BatchRow;

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
}

impl BatchTable {
    /// Columns that sort: (title, key of a row).
    pub const COLUMNS: [&'static str; 6] = ["customer", "missing", "achieved", "period", "reached", "error"];

    pub fn new(rows: Vec<BatchRow>) -> Self {
        let mut table = BatchTable { rows, ..Default::default() };
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
                    _ => a.error.cmp(&b.error),
                };
                if desc { o.reverse() } else { o }
            });
        }
        v
    }
}

impl App {
    /// Rebuilds the batch's view after its filter, sort or rows changed.
    pub(super) fn refresh_batch_view(&mut self) {
        if let Some(b) = &mut self.workflow.batch {
            let filter = b.filter.input.value().to_string();
            b.refresh(&filter);
        }
    }

    /// `b`: back to the batch table (or away from it).
    pub(super) fn toggle_batch(&mut self) {
        if self.workflow.batch.is_none() {
            return self.flash("No batch here: run target-events batch --customers FILE in a terminal.");
        }
        if !self.toggled_off(Panel::Batch) {
            self.screen.push(Layer::Batch);
            self.refresh_batch_view();
        }
    }

    pub(super) fn batch_move(&mut self, delta: isize) {
        let Some(b) = &mut self.workflow.batch else { return };
        let n = b.view.len();
        b.selected = (b.selected as isize).saturating_add(delta).clamp(0, n.saturating_sub(1) as isize) as usize;
    }

    pub(super) fn batch_sort(&mut self, reverse: bool) {
        let Some(b) = &mut self.workflow.batch else { return };
        let (col, desc) = b.sort.unwrap_or((BatchTable::COLUMNS.len() - 1, false));
        b.sort = Some(if reverse { (col, !desc) } else { ((col + 1) % BatchTable::COLUMNS.len(), false) });
        let (col, desc) = b.sort.unwrap_or_default();
        let order = if desc { ", descending" } else { "" };
        self.refresh_batch_view();
        self.flash(&format!("Sorted by {}{order}.", BatchTable::COLUMNS[col]));
    }

    /// Enter on a row: that customer's events for its rule and period.
    pub(super) fn batch_open_row(&mut self, fx: &mut Vec<Effect>) {
        let Some(b) = &mut self.workflow.batch else { return };
        let Some(row) = b.view.get(b.selected).and_then(|&i| b.rows.get(i)).cloned() else { return };
        let (Some(user), Some(rule)) = (row.user_id, row.rule_id) else {
            return self.flash(&if row.error.is_empty() {
                format!("{} has no target to open.", row.customer)
            } else {
                format!("Nothing to open for {}: {}", row.customer, row.error)
            });
        };
        self.results.filter = Default::default();
        self.set_field(Field::UserId, &user.to_string());
        self.set_field(Field::RuleId, &rule.to_string());
        self.set_field(Field::PeriodId, &row.period_id.map(|p| p.to_string()).unwrap_or_default());
        self.form.focus = Focus::Table;
        if let Some(q) = self.query_from_inputs() {
            self.new_query(q, fx);
        }
    }
}

impl App {
    /// The rows shown (filtered and sorted), as CSV: what `x` writes.
    pub fn batch_csv(&self) -> Option<String> {
        let b = self.workflow.batch.as_ref()?;
        Some(crate::core::batch::csv_text(b.view.iter().filter_map(|&i| b.rows.get(i))))
    }

    /// The selected row as `header: value` lines: what `y` copies.
    pub fn batch_row_text(&self) -> Option<String> {
        let b = self.workflow.batch.as_ref()?;
        let row = b.view.get(b.selected).and_then(|&i| b.rows.get(i))?;
        let lines: Vec<String> = crate::core::batch::HEADERS
            .iter()
            .zip(row.cells())
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| format!("{h}: {}", crate::sanitize::line(&v)))
            .collect();
        Some(lines.join("\n"))
    }
}
