//! Moving through what is shown: the table selection and its window, the
//! detail pane's scroll, the help's scroll, and the mouse.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use super::layout;
use super::screen::{Layer, Owner, Panel};
use super::state::{App, Focus, Overlay};

/// Rows the mouse wheel moves per notch.
const WHEEL_ROWS: usize = 3;

impl App {
    /// Rows the table shows at once.
    pub fn page_rows(&self) -> usize {
        layout::areas(self.chrome.size, self).table_rows().max(1)
    }

    /// Moves whatever owns the screen: the help's scroll, a panel's
    /// selection, the detail pane's scroll or the table's selection.
    pub(super) fn move_selection(&mut self, delta: isize) {
        let help_max = self.chrome.frame.help_max_scroll;
        if let Some(Overlay::Help { scroll }) = self.screen.overlay_mut() {
            *scroll = (i64::from(*scroll) + delta.signum() as i64).clamp(0, i64::from(help_max)) as u16;
            return;
        }
        match self.screen.main() {
            Some(Panel::Verdict) => return self.verdict_move(delta.signum()),
            Some(Panel::Batch) => return self.batch_move(delta),
            Some(Panel::Detail) => {
                let max = self.chrome.frame.detail_max_scroll;
                let step = if delta.unsigned_abs() > 1_000_000 { i64::from(u16::MAX) } else { delta as i64 };
                let next = (i64::from(self.results.detail.scroll)
                    + step.signum() * step.abs().min(i64::from(u16::MAX)))
                .clamp(0, i64::from(max));
                self.results.detail.scroll = next as u16;
                return;
            }
            Some(Panel::Summary) => {
                if let Some(panel) = self.screen.summary_mut() {
                    let n = panel.summary.periods.len() as isize;
                    panel.selected = (panel.selected as isize).saturating_add(delta).clamp(0, (n - 1).max(0)) as usize;
                }
                return;
            }
            Some(Panel::Overlay) | None => {}
        }
        let len = self.results.view.len();
        if len == 0 {
            return;
        }
        let target = (self.results.table.selected as isize).saturating_add(delta).clamp(0, len as isize - 1) as usize;
        if target != self.results.table.selected {
            self.results.table.selected = target;
            self.results.detail.scroll = 0;
        } else if delta > 0 && self.owner() == Owner::Table {
            self.flash("Last row of this page: n for the next page.");
        }
    }

    /// Keeps the selection inside the visible window of the table.
    pub(super) fn fit_table(&mut self) {
        let rows = self.page_rows();
        let len = self.results.view.len();
        let t = &mut self.results.table;
        if t.selected < t.offset {
            t.offset = t.selected;
        } else if t.selected >= t.offset + rows {
            t.offset = t.selected + 1 - rows;
        }
        t.offset = t.offset.min(len.saturating_sub(rows));
    }

    pub(super) fn mouse(&mut self, m: MouseEvent) {
        if self.screen.overlay().is_some() {
            return;
        }
        let areas = layout::areas(self.chrome.size, self);
        let at = Position::new(m.column, m.row);
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let step =
                    if m.kind == MouseEventKind::ScrollDown { WHEEL_ROWS as isize } else { -(WHEEL_ROWS as isize) };
                if areas.detail.is_some_and(|r| r.contains(at)) {
                    self.focus_detail();
                } else if areas.table.is_some_and(|r| r.contains(at)) {
                    self.focus_table();
                }
                self.move_selection(step);
            }
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(i) = areas.fields.iter().position(|r| r.contains(at)) {
                    self.form.focus = Focus::FIELDS[i];
                } else if let Some(row) = areas.table_row_at(at) {
                    self.focus_table();
                    let index = self.results.table.offset + row;
                    if index < self.results.view.len() {
                        self.results.table.selected = index;
                        self.results.detail.scroll = 0;
                    }
                } else if areas.detail.is_some_and(|r| r.contains(at)) {
                    self.focus_detail();
                } else if areas.table.is_some_and(|r| r.contains(at)) {
                    self.focus_table();
                }
            }
            _ => {}
        }
    }
}

impl App {
    /// The mouse reached the table: it has the keys (the table and detail
    /// pane are only drawn when no other panel is).
    fn focus_table(&mut self) {
        self.form.focus = Focus::Table;
        self.screen.remove(Panel::Detail);
    }

    /// The mouse reached the detail pane: it has the keys.
    fn focus_detail(&mut self) {
        self.form.focus = Focus::Table;
        if self.screen.main() != Some(Panel::Detail) {
            self.screen.push(Layer::Detail);
        }
    }
}
