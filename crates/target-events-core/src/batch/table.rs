//! The batch as a table, for the explorer's batch panel and `--format
//! table` alike: the cells a row shows, the columns' titles and how each
//! shrinks, and their widths within a width — all from [`super::COLUMNS`].

use super::BatchRow;
use super::columns::{Column, table_columns};
use crate::columns::{self, Spec};

/// Every table column's title, in the order of [`table_cells`].
pub fn table_titles() -> Vec<&'static str> {
    table_columns().filter_map(|c| c.title).collect()
}

/// The table's columns, in the order of [`table_cells`].
pub fn table_column(i: usize) -> Option<&'static Column> {
    table_columns().nth(i)
}

/// A row's cells as a table shows them: the error cut to its code and a
/// short reason (the whole of it goes on a detail line or after the table),
/// each cell made safe for a terminal.
pub fn table_cells(row: &BatchRow) -> Vec<String> {
    table_columns().map(|c| crate::sanitize::line_prefix(&c.table_cell(row), 256).into_owned()).collect()
}

/// Which table columns have nothing in any of `rows`: a table leaves them
/// out, so their room goes to the columns that need it (the verdict's
/// columns of a batch without one among them).
pub fn empty_columns<'a>(rows: impl IntoIterator<Item = &'a BatchRow>) -> Vec<bool> {
    let mut empty = vec![true; table_columns().count()];
    for row in rows {
        for (e, c) in empty.iter_mut().zip(table_columns()) {
            *e = *e && c.table_cell(row).is_empty();
        }
    }
    empty
}

/// The width of each column (None: left out) for `rows` of [`table_cells`]
/// within `width`, `spacing` apart; a column `empty` marks is left out.
pub fn table_widths(rows: &[Vec<String>], empty: &[bool], width: u16, spacing: u16) -> Vec<Option<u16>> {
    let mut specs: Vec<Spec> = table_columns()
        .enumerate()
        .map(|(i, c)| {
            let mut spec = Spec::new(c.title.unwrap_or(c.header), c.kind, c.priority);
            spec.hidden = empty.get(i).copied().unwrap_or(false);
            spec
        })
        .collect();
    for row in rows {
        for (spec, cell) in specs.iter_mut().zip(row) {
            spec.fit_cell(cell);
        }
    }
    columns::widths(&specs, width, spacing)
}
