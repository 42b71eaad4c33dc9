//! Styles. With `NO_COLOR` set, meaning is carried by modifiers (bold,
//! underline, reverse) and by the text's own markers, never by colour alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub const COLOR: Theme = Theme { color: true };
    pub const MONO: Theme = Theme { color: false };

    /// Honours `NO_COLOR` (any non-empty value), as no-color.org asks.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color { Theme::MONO } else { Theme::COLOR }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused { self.fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { self.fg(Color::DarkGray) }
    }

    pub fn title(&self, focused: bool) -> Style {
        if focused { self.fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { Style::new() }
    }

    pub fn label(&self, focused: bool) -> Style {
        if focused { self.fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { Style::new() }
    }

    pub fn input(&self, focused: bool) -> Style {
        let s = if self.color { Style::new().bg(Color::Rgb(40, 44, 52)).fg(Color::White) } else { Style::new() };
        if focused { s.add_modifier(Modifier::UNDERLINED) } else { s }
    }

    /// A field or value that is wrong.
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// An input the API or validation rejected.
    pub fn error_input(&self) -> Style {
        if self.color {
            Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn muted(&self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    pub fn header(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self, focused: bool) -> Style {
        if !self.color {
            return Style::new().add_modifier(if focused {
                Modifier::REVERSED | Modifier::BOLD
            } else {
                Modifier::REVERSED
            });
        }
        if focused {
            Style::new().bg(Color::Cyan).fg(Color::Black).add_modifier(Modifier::BOLD)
        } else {
            Style::new().bg(Color::DarkGray).fg(Color::White)
        }
    }

    /// A negative amount (a return).
    pub fn negative(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    pub fn behavioural(&self) -> Style {
        self.fg(Color::LightMagenta)
    }

    pub fn lifecycle(&self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::ITALIC)
    }

    /// A processing lag large enough to matter.
    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Events that arrived while watching: bold and underlined, green.
    pub fn fresh(&self) -> Style {
        self.fg(Color::LightGreen).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn flash(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn badge(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Magenta).fg(Color::White).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}
