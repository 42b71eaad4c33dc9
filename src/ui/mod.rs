//! Drawing: a pure function of the state, one file per pane.

pub mod banner;
pub mod columns;
pub mod detail;
pub mod layout;
pub mod navigator;
pub mod overlay;
pub mod picker;
pub mod query;
pub mod summary;
pub mod table;
pub mod theme;

use ratatui::Frame;

use crate::app::App;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(app: &App) -> &'static str {
    SPINNER[app.spinner % SPINNER.len()]
}

/// Draws the whole screen from the state.
pub fn draw(app: &App, frame: &mut Frame) {
    let areas = layout::areas(frame.area(), app);
    if areas.too_small {
        overlay::too_small(app, frame);
        return;
    }
    query::draw(app, frame, &areas);
    if let Some(area) = areas.banner {
        banner::draw(app, frame, area);
    }
    if let Some(area) = areas.table {
        table::draw(app, frame, area);
    }
    if let Some(area) = areas.detail {
        detail::draw(app, frame, area);
    }
    if let Some(area) = areas.summary {
        summary::draw(app, frame, area);
    }
    navigator::draw(app, frame, areas.status);
    overlay::draw(app, frame);
}
