//! Drawing: a pure function of the state, one file per pane.

pub mod columns;
pub mod theme;

use ratatui::Frame;

use crate::explorer::app::App;
use crate::explorer::app::layout::{self, FrameInfo};
use crate::explorer::app::state::Overlay;
use crate::explorer::features;
use theme::Theme;

/// The frame of a panel drawn over the events (summary, verdict, batch):
/// thick, its title, and its keys at the bottom right within `room` columns.
pub fn panel_block(theme: &Theme, title: String, keys: &str, room: usize) -> ratatui::widgets::Block<'static> {
    use ratatui::text::{Line, Span};
    ratatui::widgets::Block::bordered()
        .border_type(ratatui::widgets::BorderType::Thick)
        .border_style(theme.border(true))
        .title(Span::styled(title, theme.title(true)))
        .title_bottom(Line::from(Span::styled(fit_keys(keys, room), theme.muted())).right_aligned())
}

/// A footer (" a this · b that · Esc closes ") within `room` columns: whole
/// items are dropped from before the last (the way out stays) until it
/// fits; past that, shortened at a word.
pub fn fit_keys(keys: &str, room: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut items: Vec<&str> = keys.trim().split(" · ").collect();
    let text = |items: &[&str]| format!(" {} ", items.join(" · "));
    while text(&items).width() > room && items.len() > 1 {
        items.remove(items.len() - 2);
    }
    columns::fit_words(&text(&items), room).into_owned()
}

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(app: &App) -> &'static str {
    SPINNER[app.chrome.spinner % SPINNER.len()]
}

/// Draws the whole screen from the state, and reports what only drawing
/// learns (scroll bounds of wrapped text) for the next `update`.
pub fn draw(app: &App, theme: &Theme, frame: &mut Frame) -> FrameInfo {
    let areas = layout::areas(frame.area(), app);
    if areas.too_small {
        features::overlays::view::too_small(theme, frame);
        return FrameInfo::default();
    }
    let mut info =
        // Laying out the help costs something: only while it is open.
        FrameInfo {
            help_max_scroll: match app.screen.overlay() {
                Some(crate::explorer::app::state::Overlay::Help { .. }) => {
                    features::overlays::view::help_overflow(&app.keymap, frame.area())
                }
                _ => 0,
            },
            ..FrameInfo::default()
        };
    features::query::view::draw(app, theme, frame, &areas);
    if let Some(area) = areas.banner {
        features::events::banner::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.table {
        features::events::table::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.detail {
        info.detail_max_scroll = features::events::detail::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.summary {
        features::summary::view::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.verdict {
        features::verdict::view::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.batch {
        features::batch::view::draw(app, theme, frame, area);
    }
    if let Some(area) = areas.bills {
        features::bills::view::draw(app, theme, frame, area);
    }
    features::events::navigator::draw(app, theme, frame, areas.status);
    match app.screen.overlay() {
        Some(Overlay::Picker(p)) => features::pickers::view::draw(app, theme, frame, p),
        _ => features::overlays::view::draw(app, theme, frame),
    }
    info
}

/// A table whose selected row is highlighted with `▶`, the room for the mark
/// kept on every row: the batch's and the bills' tables alike.
pub fn selectable_table<'a>(
    rows: impl IntoIterator<Item = ratatui::widgets::Row<'a>>,
    widths: &[Option<u16>],
    header: ratatui::widgets::Row<'a>,
    theme: &Theme,
) -> ratatui::widgets::Table<'a> {
    ratatui::widgets::Table::new(rows, columns::constraints(widths))
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected(true))
        .highlight_symbol("▶ ")
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always)
}

/// `area` and a column either side (within `screen`): what an overlay
/// clears, so no letter of the pane beneath shows in its margin.
pub fn with_margin(area: ratatui::layout::Rect, screen: ratatui::layout::Rect) -> ratatui::layout::Rect {
    let x = area.x.saturating_sub(1).max(screen.x);
    let right = area.right().saturating_add(1).min(screen.right());
    ratatui::layout::Rect { x, width: right.saturating_sub(x), ..area }
}
