//! Styles. With `NO_COLOR` set, meaning is carried by modifiers (bold,
//! underline, reverse) and by the text's own markers, never by colour alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub palette: Palette,
}

/// The colours a `[theme]` table can set, by the names it uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// Focused borders, titles, labels, keys and the selected row.
    pub accent: Color,
    pub muted: Color,
    /// Column headers and section titles.
    pub header: Color,
    pub error: Color,
    /// Negative amounts (returns).
    pub negative: Color,
    pub warning: Color,
    /// Events that arrived while watching.
    pub fresh: Color,
    /// The DEMO and profile badge.
    pub badge: Color,
    /// The query fields' background.
    pub input: Color,
    pub behavioural: Color,
    pub lifecycle: Color,
}

impl Default for Palette {
    fn default() -> Palette {
        Palette::DEFAULT
    }
}

impl Palette {
    pub const DEFAULT: Palette = Palette {
        accent: Color::Cyan,
        muted: Color::DarkGray,
        header: Color::Yellow,
        error: Color::Red,
        negative: Color::LightRed,
        warning: Color::Yellow,
        fresh: Color::LightGreen,
        badge: Color::Magenta,
        input: Color::Rgb(40, 44, 52),
        behavioural: Color::LightMagenta,
        lifecycle: Color::Blue,
    };

    /// The names `[theme]` takes, each with its slot.
    pub const NAMES: [&'static str; 11] = [
        "accent",
        "muted",
        "header",
        "error",
        "negative",
        "warning",
        "fresh",
        "badge",
        "input",
        "behavioural",
        "lifecycle",
    ];

    fn slot(&mut self, name: &str) -> Option<&mut Color> {
        Some(match name {
            "accent" => &mut self.accent,
            "muted" => &mut self.muted,
            "header" => &mut self.header,
            "error" => &mut self.error,
            "negative" => &mut self.negative,
            "warning" => &mut self.warning,
            "fresh" => &mut self.fresh,
            "badge" => &mut self.badge,
            "input" => &mut self.input,
            "behavioural" => &mut self.behavioural,
            "lifecycle" => &mut self.lifecycle,
            _ => return None,
        })
    }

    /// The default palette with the config's `[theme]` entries applied; an
    /// unknown name or a colour that is none is refused with its line.
    pub fn from_config(entries: &[crate::config::Entry]) -> Result<Palette, String> {
        let mut palette = Palette::DEFAULT;
        for entry in entries {
            let name = crate::sanitize::line(&entry.name);
            let Some(slot) = palette.slot(entry.name.trim()) else {
                return Err(format!(
                    "line {}: [theme] {name}: no such colour; the colours are {}",
                    entry.line,
                    Palette::NAMES.join(", ")
                ));
            };
            let text = entry.values.first().map(String::as_str).unwrap_or_default();
            *slot = text.trim().parse::<Color>().map_err(|_| {
                format!(
                    "line {}: [theme] {name} = \"{}\": not a colour (a name such as cyan or light-red, \
                     #rrggbb, or 0–255)",
                    entry.line,
                    crate::sanitize::line(text)
                )
            })?;
        }
        Ok(palette)
    }
}

impl Theme {
    pub const COLOR: Theme = Theme { color: true, palette: Palette::DEFAULT };
    pub const MONO: Theme = Theme { color: false, palette: Palette::DEFAULT };

    /// Honours `NO_COLOR` (any non-empty value), as no-color.org asks.
    pub fn from_env() -> Theme {
        Theme::with_palette(Palette::DEFAULT)
    }

    /// `palette`'s colours, unless `NO_COLOR` is set: it wins over the config.
    pub fn with_palette(palette: Palette) -> Theme {
        Theme::new(palette, std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
    }

    /// `palette`'s colours, or none at all when `no_color`.
    pub fn new(palette: Palette, no_color: bool) -> Theme {
        Theme { color: !no_color, palette }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused { self.fg(self.palette.accent).add_modifier(Modifier::BOLD) } else { self.fg(self.palette.muted) }
    }

    pub fn title(&self, focused: bool) -> Style {
        if focused { self.fg(self.palette.accent).add_modifier(Modifier::BOLD) } else { Style::new() }
    }

    pub fn label(&self, focused: bool) -> Style {
        if focused { self.fg(self.palette.accent).add_modifier(Modifier::BOLD) } else { Style::new() }
    }

    pub fn input(&self, focused: bool) -> Style {
        let s = if self.color { Style::new().bg(self.palette.input).fg(Color::White) } else { Style::new() };
        if focused { s.add_modifier(Modifier::UNDERLINED) } else { s }
    }

    /// A field or value that is wrong.
    pub fn error(&self) -> Style {
        self.fg(self.palette.error).add_modifier(Modifier::BOLD)
    }

    /// An input the API or validation rejected.
    pub fn error_input(&self) -> Style {
        if self.color {
            Style::new().fg(Color::White).bg(self.palette.error).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn muted(&self) -> Style {
        if self.color { Style::new().fg(self.palette.muted) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    pub fn header(&self) -> Style {
        self.fg(self.palette.header).add_modifier(Modifier::BOLD)
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
            Style::new().bg(self.palette.accent).fg(Color::Black).add_modifier(Modifier::BOLD)
        } else {
            Style::new().bg(self.palette.muted).fg(Color::White)
        }
    }

    /// A negative amount (a return).
    pub fn negative(&self) -> Style {
        self.fg(self.palette.negative).add_modifier(Modifier::BOLD)
    }

    pub fn behavioural(&self) -> Style {
        self.fg(self.palette.behavioural)
    }

    pub fn lifecycle(&self) -> Style {
        self.fg(self.palette.lifecycle).add_modifier(Modifier::ITALIC)
    }

    /// A processing lag large enough to matter.
    pub fn warning(&self) -> Style {
        self.fg(self.palette.warning).add_modifier(Modifier::BOLD)
    }

    /// Events that arrived while watching: bold and underlined, green.
    pub fn fresh(&self) -> Style {
        self.fg(self.palette.fresh).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn flash(&self) -> Style {
        self.fg(self.palette.warning).add_modifier(Modifier::BOLD)
    }

    pub fn badge(&self) -> Style {
        if self.color {
            Style::new().bg(self.palette.badge).fg(Color::White).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn key(&self) -> Style {
        self.fg(self.palette.accent).add_modifier(Modifier::BOLD)
    }
}
