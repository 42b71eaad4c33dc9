//! The query pane: customer id, target rule id and period id, each with its
//! validation or API error on the line beneath it.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::explorer::app::Field;
use crate::explorer::app::layout::Areas;
use crate::explorer::app::state::Invalid;
use crate::explorer::app::{App, Focus};
use crate::explorer::ui::theme::Theme;
use crate::sanitize;

const FIELDS: [Field; 3] = [Field::UserId, Field::RuleId, Field::PeriodId];

/// "email", "mobile": what kind of identifier is being looked up.
fn kind(customer: &crate::api::CustomerRef) -> &'static str {
    match customer.identifier().0 {
        "externalId" => "external id",
        "cardnumber" => "card",
        name => name,
    }
}

fn label(field: Field, wide: bool) -> &'static str {
    match (field, wide) {
        (Field::UserId, true) => "Customer ",
        (Field::RuleId, true) => "Target rule ID ",
        (Field::PeriodId, true) => "Period ID ",
        (Field::UserId, false) => "Cust. ",
        (Field::RuleId, false) => "Rule ",
        (Field::PeriodId, false) => "Period ",
    }
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, areas: &Areas) {
    let focused = matches!(app.form.focus, Focus::Input(_));
    let block = Block::bordered()
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(theme.border(focused))
        .title(Span::styled(" Query ", theme.title(focused)));
    frame.render_widget(block, areas.query);
    for (i, field) in FIELDS.into_iter().enumerate() {
        draw_field(app, theme, frame, areas.fields[i], field);
    }
}

fn draw_field(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, field: Field) {
    let state = app.field(field);
    let focused = app.form.focus == Focus::Input(field) && app.screen.overlay().is_none();
    let wide = area.width >= 34;
    let label = label(field, wide);
    let label_w = label.width() as u16;
    // Brackets keep the box visible without colour.
    let box_w = area.width.saturating_sub(label_w + 2);
    let invalid = app.invalid(field);
    // An empty required field is a hint, not an error, until something is typed.
    let in_error = invalid.is_some_and(|i| i != Invalid::Required) || state.api_error.is_some();
    let value_style = if in_error { theme.error_input() } else { theme.input(focused) };
    // Selected text (after `u`): reversed, so what typing will replace shows.
    let value_style =
        if focused && app.form.selected { value_style.add_modifier(Modifier::REVERSED) } else { value_style };

    // The visible window of the text, scrolled to keep the cursor in view.
    let text_w = box_w.saturating_sub(1) as usize; // one cell for the cursor at the end
    // Unfocused, a field shows its start. A window that does not hold the
    // whole value says so with `…` at the cut side, so a cut id never passes
    // for a whole one.
    let scroll = if focused { state.input.visual_scroll(text_w) } else { 0 };
    let value = sanitize::line(state.input.value());
    let mut visible: Vec<char> = value.chars().skip(scroll).take(text_w).collect();
    let cut_after = value.chars().count() > scroll + visible.len();
    if scroll > 0 && !visible.is_empty() {
        visible[0] = '…';
    }
    if cut_after && let Some(last) = visible.last_mut() {
        *last = '…';
    }
    let visible: String = visible.into_iter().collect();
    let pad = text_w.saturating_sub(visible.width());
    let bracket = theme.border(focused);
    let line = Line::from(vec![
        Span::styled(label, theme.label(focused)),
        Span::styled("[", bracket),
        Span::styled(format!("{visible}{}", " ".repeat(pad + 1)), value_style),
        Span::styled("]", bracket),
    ]);
    frame.render_widget(Paragraph::new(line), Rect { height: 1, ..area });

    let message = if field == Field::UserId
        && let Some(r) = &app.form.resolving
    {
        Line::from(Span::styled(
            format!("{} looking up the {}…", crate::explorer::ui::spinner(app), kind(&r.customer)),
            theme.muted(),
        ))
    } else if field == Field::UserId
        && state.api_error.is_none()
        && let Some((customer, id)) = app.resolved_customer()
    {
        // Digits that were no id but a mobile: the field says which mobile.
        let how = match (app.workflow.found_how.get(&customer), customer.as_mobile(app.form.country_code.as_deref())) {
            (Some(_), Some(crate::api::CustomerRef::Mobile(m))) => {
                format!(" by mobile {}", crate::api::customer::spoken_mobile(&m, app.form.country_code.as_deref()))
            }
            _ => String::new(),
        };
        Line::from(Span::styled(format!("→ {id}{how}"), theme.key()))
    } else if let Some((code, msg)) = &state.api_error {
        Line::from(Span::styled(format!("✗ {code} {}", sanitize::line(msg)), theme.error()))
    } else if invalid == Some(Invalid::Required) && field == Field::UserId {
        Line::from(Span::styled(if wide { "id, phone, email, card" } else { "id, phone…" }, theme.muted()))
    } else if invalid == Some(Invalid::Required) {
        Line::from(Span::styled("required", theme.muted()))
    } else if let Some(why) = invalid {
        Line::from(Span::styled(format!("✗ {}", why.reason()), theme.error()))
    } else if field == Field::PeriodId && state.input.value().trim().is_empty() {
        Line::from(Span::styled(if wide { "optional: all periods" } else { "optional" }, theme.muted()))
    } else {
        Line::default()
    };
    let msg_area = Rect { y: area.y + 1, height: 1, ..area };
    // A message wider than its field is cut at a word, with a mark.
    let text: String = message.spans.iter().map(|s| s.content.as_ref()).collect();
    let style = message.spans.first().map(|s| s.style).unwrap_or_default();
    let fitted = crate::explorer::ui::columns::fit_words(&text, msg_area.width as usize).into_owned();
    frame.render_widget(Paragraph::new(Line::from(Span::styled(fitted, style))), msg_area);

    if focused {
        let cursor = state.input.visual_cursor().saturating_sub(scroll) as u16;
        frame.set_cursor_position(Position::new(area.x + label_w + cursor.min(box_w.saturating_sub(1)), area.y));
    }
}
