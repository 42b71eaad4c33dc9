//! The batch as a table, for the explorer's batch panel and `--format
//! table` alike: the cells a row shows, the columns' titles and how each
//! shrinks, and their widths within a width.

use super::{BatchRow, HEADERS};
use crate::core::columns::{self, Kind, Spec};

/// The verdict's columns as a table titles them: short, so the figures
/// beneath them keep the room.
const VERDICT_TITLES: [&str; 6] = ["verdict", "short by", "returns", "events", "elsewhere", "would reach"];

/// Each column's kind and priority (0 kept first) in a table, in
/// [`HEADERS`] then [`VERDICT_HEADERS`] order: the explorer's batch table
/// and `--format table` size them alike.
const COLUMN_KINDS: [(Kind, u8); 21] = [
    (Kind::Text { min: 10 }, 0),
    (Kind::Figure, 1),
    (Kind::Text { min: 6 }, 7),
    (Kind::Text { min: 6 }, 6),
    (Kind::Figure, 2),
    (Kind::Figure, 1),
    (Kind::Text { min: 4 }, 8),
    (Kind::Figure, 9),
    (Kind::Figure, 9),
    (Kind::Figure, 3),
    (Kind::Figure, 1),
    (Kind::Figure, 1),
    (Kind::Fixed, 4),
    (Kind::Fixed, 5),
    (Kind::Text { min: 12 }, 2),
    (Kind::Fixed, 1),
    (Kind::Figure, 2),
    (Kind::Figure, 4),
    (Kind::Figure, 6),
    (Kind::Figure, 6),
    // eventLogIds: whole or absent, like any id.
    (Kind::Figure, 2),
];

/// Figures, right-aligned so their decimal points line up.
pub fn is_figure_column(i: usize) -> bool {
    matches!(i, 9..=11 | 16..=19)
}

/// Every column's title, in the order of [`table_cells`].
pub const TABLE_TITLES: [&str; 21] = {
    let mut titles = [""; 21];
    let mut i = 0;
    while i < 15 {
        titles[i] = HEADERS[i];
        i += 1;
    }
    while i < 21 {
        titles[i] = VERDICT_TITLES[i - 15];
        i += 1;
    }
    titles
};

/// A row's cells as a table shows them: the error cut to its code and a
/// short reason (the whole of it goes on a detail line or after the table),
/// each cell made safe for a terminal.
pub fn table_cells(row: &BatchRow) -> Vec<String> {
    let mut cells: Vec<String> = row.cells().into_iter().chain(row.verdict_cells()).collect();
    cells[14] = row.short_error();
    cells.into_iter().map(|c| crate::sanitize::line_prefix(&c, 256).into_owned()).collect()
}

/// The width of each column (None: left out) for `rows` of [`table_cells`]
/// within `width`, `spacing` apart; the verdict's columns only with `verdict`.
pub fn table_widths(rows: &[Vec<String>], verdict: bool, width: u16, spacing: u16) -> Vec<Option<u16>> {
    let mut specs: Vec<Spec> = TABLE_TITLES.iter().zip(COLUMN_KINDS).map(|(t, (k, p))| Spec::new(t, k, p)).collect();
    for (i, spec) in specs.iter_mut().enumerate() {
        spec.hidden = i >= HEADERS.len() && !verdict;
    }
    for row in rows {
        for (spec, cell) in specs.iter_mut().zip(row) {
            spec.fit_cell(cell);
        }
    }
    columns::widths(&specs, width, spacing)
}
