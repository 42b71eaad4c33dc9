//! Drawing: a pure function of the state, one file per pane.

pub mod banner;
pub mod batch;
pub mod columns;
pub mod detail;
pub mod navigator;
pub mod overlay;
pub mod picker;
pub mod query;
pub mod summary;
pub mod table;
pub mod theme;
pub mod verdict;

use ratatui::Frame;

use crate::explorer::app::App;
use crate::explorer::app::layout::{self, FrameInfo};
use theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(app: &App) -> &'static str {
    SPINNER[app.chrome.spinner % SPINNER.len()]
}

/// Draws the whole screen from the state, and reports what only drawing
/// learns (scroll bounds of wrapped text) for the next `update`.
pub fn draw(app: &App, theme: &Theme, frame: &mut Frame) -> FrameInfo {
    let areas = layout::areas(frame.area(), app);
    if areas.too_small {
        overlay::too_small(theme, frame);
        return FrameInfo::default();
    }
    let mut info = FrameInfo { help_max_scroll: overlay::help_overflow(frame.area()), ..FrameInfo::default() };
    query::draw(app, theme, frame, &areas);
    if let Some(area) = areas.banner {
        banner::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.table {
        table::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.detail {
        info.detail_max_scroll = detail::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.summary {
        summary::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.verdict {
        verdict::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.batch {
        batch::draw(app, theme, frame, area);
    }
    navigator::draw(app, theme, frame, areas.status);
    overlay::draw(app, theme, frame);
    info
}
