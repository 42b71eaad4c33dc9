//! Where each pane goes, as a pure function of the terminal size and the
//! state, so `update` (mouse hits, page sizes) and drawing agree. What only
//! drawing can know (how far wrapped text scrolls) comes back in [`FrameInfo`].

use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::api::ApiError;
use crate::explorer::app::App;
use crate::explorer::app::screen::Panel;

/// What the last frame learnt while drawing, for `update`: the runtime stores
/// it after each draw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameInfo {
    /// How far the detail pane can scroll at the size it was drawn.
    pub detail_max_scroll: u16,
    /// How far the help overlay can scroll.
    pub help_max_scroll: u16,
}

/// True when the terminal is too small to lay anything out.
pub fn too_small(size: Rect) -> bool {
    size.width < MIN_WIDTH || size.height < MIN_HEIGHT
}

/// Rows the error banner needs at this size: its lines as the paragraph wraps
/// them, at most eight rows with the border; one line only on short terminals.
pub fn banner_height(e: &ApiError, size: Rect, app: &App) -> u16 {
    if size.height < 24 {
        return 3;
    }
    let lines: Vec<Line> = crate::explorer::app::told::banner_lines(e, app).into_iter().map(Line::from).collect();
    let rows = Paragraph::new(lines).wrap(Wrap { trim: true }).line_count(size.width.saturating_sub(2).max(1));
    (u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(2)).min(8)
}

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this width the detail pane sits beside the table.
const SIDE_BY_SIDE: u16 = 100;
const QUERY_HEIGHT: u16 = 4;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    pub too_small: bool,
    pub query: Rect,
    /// One column per input: its line and, below it, its message line.
    pub fields: [Rect; 3],
    pub banner: Option<Rect>,
    pub table: Option<Rect>,
    pub detail: Option<Rect>,
    /// The summary pane, when open, takes the table's and detail's place.
    pub summary: Option<Rect>,
    /// So does the verdict panel.
    pub verdict: Option<Rect>,
    /// And the batch table.
    pub batch: Option<Rect>,
    /// And a period's bills.
    pub bills: Option<Rect>,
    pub status: Rect,
}

impl Areas {
    /// Event rows the table shows (inside the border, under the header).
    pub fn table_rows(&self) -> usize {
        self.table.map_or(0, |t| t.height.saturating_sub(3) as usize)
    }

    /// The visible row index under `at`, if it is on a table row.
    pub fn table_row_at(&self, at: Position) -> Option<usize> {
        let t = self.table?;
        let first = t.y + 2;
        (t.contains(at) && at.y >= first && at.y < t.y + t.height - 1).then(|| (at.y - first) as usize)
    }
}

pub fn areas(size: Rect, app: &App) -> Areas {
    if too_small(size) {
        return Areas { too_small: true, ..Areas::default() };
    }
    let banner_h = app.case.results.error.as_ref().map_or(0, |e| banner_height(e, size, app));
    let [query, banner, main, status] = Layout::vertical([
        Constraint::Length(QUERY_HEIGHT),
        Constraint::Length(banner_h),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(size);
    let inner = Rect::new(query.x + 1, query.y + 1, query.width.saturating_sub(2), 2);
    let [a, b, c] = Layout::horizontal([Constraint::Ratio(1, 3); 3]).spacing(1).areas(inner);
    // The panel the stack draws takes the main area. Under no panel the
    // table is drawn with the selected event's detail beside it when there
    // is room (a preview, as in any list-and-detail tool); the Detail layer
    // gives that pane the keys, and on a short screen the whole area.
    let main_panel = app.screen.main().filter(|p| *p != Panel::Detail);
    let (table, detail) = if main_panel.is_some() {
        (None, None)
    } else if size.width >= SIDE_BY_SIDE {
        let detail_w = (size.width * 37 / 100).clamp(32, 60);
        let [t, d] = Layout::horizontal([Constraint::Min(0), Constraint::Length(detail_w)]).areas(main);
        (Some(t), Some(d))
    } else if main.height >= 14 {
        let [t, d] = Layout::vertical([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(main);
        (Some(t), Some(d))
    } else if app.screen.main() == Some(Panel::Detail) {
        (None, Some(main))
    } else {
        (Some(main), None)
    };
    Areas {
        too_small: false,
        query,
        fields: [a, b, c],
        banner: (banner_h > 0).then_some(banner),
        table,
        detail,
        summary: (main_panel == Some(Panel::Summary)).then_some(main),
        verdict: (main_panel == Some(Panel::Verdict)).then_some(main),
        batch: (main_panel == Some(Panel::Batch)).then_some(main),
        bills: (main_panel == Some(Panel::Bills)).then_some(main),
        status,
    }
}
