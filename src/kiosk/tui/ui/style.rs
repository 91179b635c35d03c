//! Colours and text helpers for drawing: 16 colours only, none at all under `NO_COLOR` (bold,
//! reverse and underline carry the meaning then), and every string that reaches the screen made
//! safe and width-adjusted for the terminal's [`WidthProfile`].

use ratatui::style::{Color, Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;

use crate::core::thai::chars::is_combining_mark;
use crate::core::thai::width::{
    WidthProfile, display_width, sanitize_for_display, truncate_to_width,
};
use crate::kiosk::tui::app::ViewOptions;

/// The styles of one frame.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub no_color: bool,
    pub profile: WidthProfile,
}

impl Theme {
    /// The theme for these view options.
    #[must_use]
    pub fn new(v: ViewOptions) -> Self {
        Self {
            no_color: v.no_color,
            profile: v.profile,
        }
    }

    fn color(self, fg: Color, bg: Option<Color>, m: Modifier) -> Style {
        let s = Style::default().add_modifier(m);
        if self.no_color {
            return s;
        }
        let s = s.fg(fg);
        bg.map_or(s, |b| s.bg(b))
    }

    /// The header and status bars.
    #[must_use]
    pub fn bar(self) -> Style {
        if self.no_color {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().fg(Color::White).bg(Color::Blue)
        }
    }

    /// A key name in the footer: the same highlight as the focused row.
    #[must_use]
    pub fn key(self) -> Style {
        self.focus()
    }

    /// Field labels.
    #[must_use]
    pub fn label(self) -> Style {
        Style::default()
    }

    /// The focused row or the selected item.
    #[must_use]
    pub fn focus(self) -> Style {
        if self.no_color {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        }
    }

    /// A value being typed into: the terminal's own colours (readable on dark and light
    /// backgrounds) and an underline; also the fewest bytes per keystroke over a slow SSH link.
    #[must_use]
    pub fn input(self) -> Style {
        Style::default().add_modifier(Modifier::UNDERLINED)
    }

    /// Errors.
    #[must_use]
    pub fn error(self) -> Style {
        self.color(Color::LightRed, None, Modifier::BOLD)
    }

    /// Warnings and hints.
    #[must_use]
    pub fn warn(self) -> Style {
        self.color(Color::Yellow, None, Modifier::BOLD)
    }

    /// Good news (saved, online).
    #[must_use]
    pub fn ok(self) -> Style {
        self.color(Color::LightGreen, None, Modifier::BOLD)
    }

    /// Secondary text.
    #[must_use]
    pub fn dim(self) -> Style {
        if self.no_color {
            Style::default()
        } else {
            Style::default().fg(Color::DarkGray)
        }
    }

    /// Borders.
    #[must_use]
    pub fn border(self) -> Style {
        self.color(Color::Cyan, None, Modifier::empty())
    }

    /// Text to draw: untrusted characters neutralised, adjusted for the terminal's profile.
    #[must_use]
    pub fn text(self, s: &str) -> String {
        adjust(&sanitize_for_display(s), self.profile)
    }

    /// [`Theme::text`] cut to `cols` columns, with `…` when cut.
    #[must_use]
    pub fn fit(self, s: &str, cols: usize) -> String {
        fit(&self.text(s), cols)
    }
}

/// Pre-pads text for terminals that give each combining mark a cell of its own: one space after
/// each mark, so the rest of the line (and the border) stays where ratatui put it. Standard and
/// SARA-AM-zero terminals need nothing here (the backend wrapper repositions after such cells).
#[must_use]
pub fn adjust(s: &str, profile: WidthProfile) -> String {
    if profile != WidthProfile::MarksSpacing {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for g in s.graphemes(true) {
        out.push_str(g);
        let marks = g.chars().filter(|&c| is_combining_mark(c)).count();
        out.extend(std::iter::repeat_n(' ', marks));
    }
    out
}

/// `s` cut to `cols` columns on a cluster boundary, ending in `…` when cut.
#[must_use]
pub fn fit(s: &str, cols: usize) -> String {
    if display_width(s) <= cols {
        return s.to_owned();
    }
    if cols == 0 {
        return String::new();
    }
    format!("{}…", truncate_to_width(s, cols - 1))
}
