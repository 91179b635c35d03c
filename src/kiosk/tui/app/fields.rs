//! One widget per kind of field: free text (Thai editing through [`TextField`]), a choice,
//! several choices (`multi`), a BE date with "unknown" day or month, an ID number formatted as typed, a phone number. Each
//! handles its own keys, gives the text the form validates, the text to draw and its cursor
//! column. No drawing and no I/O here.

use crossterm::event::{KeyCode, KeyEvent};

mod meant;
mod multi;
mod numbers;
pub use meant::says_layout;
pub use multi::{ChoicesBox, Part};
pub use numbers::{DateBox, IdBox, PhoneBox, format_id_as_typed};

use super::keys::{is_ctrl, typed_char};
use crate::core::thai::Lang;
use crate::core::thai::edit::TextField;
use crate::core::thai::input_check::{CheckMode, Rejection};
use crate::core::thai::kedmanee;
use crate::core::thai::national_id::IdType;
use crate::core::thai::normalize::thai_digits_to_ascii;

/// What a key did to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The value changed.
    Changed,
    /// Only the cursor moved.
    Moved,
    /// Not a key for this field.
    Ignored,
    /// The input check refused the character; nothing was inserted.
    Rejected(Rejection),
}

/// Maps a typed key through the Kedmanee layout when the TH layout is on.
#[must_use]
pub fn layout_char(c: char, thai_layout: bool) -> char {
    if thai_layout {
        kedmanee::to_thai(c).unwrap_or(c)
    } else {
        c
    }
}

pub(super) fn ascii_digit(c: char) -> Option<char> {
    thai_digits_to_ascii(&c.to_string())
        .chars()
        .next()
        .filter(char::is_ascii_digit)
}

/// Keys shared by every text-like field: Thai editing with the input check.
pub fn edit_text(f: &mut TextField, key: &KeyEvent, thai_layout: bool, max: usize) -> Edit {
    if is_ctrl(key, 'u') {
        f.clear();
        return Edit::Changed;
    }
    if let Some(c) = typed_char(key) {
        if f.text().chars().count() >= max {
            return Edit::Ignored;
        }
        return match f.insert_char(layout_char(c, thai_layout), CheckMode::Basic) {
            Ok(()) => Edit::Changed,
            Err(r) => Edit::Rejected(r),
        };
    }
    match key.code {
        KeyCode::Backspace => return bool_edit(f.backspace()),
        KeyCode::Delete => return bool_edit(f.delete()),
        KeyCode::Left => f.left(),
        KeyCode::Right => f.right(),
        KeyCode::Home => f.home(),
        KeyCode::End => f.end(),
        _ => return Edit::Ignored,
    }
    Edit::Moved
}

pub(super) fn bool_edit(changed: bool) -> Edit {
    if changed {
        Edit::Changed
    } else {
        Edit::Ignored
    }
}

/// What a text field holds, which decides how typed keys reach it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextKind {
    /// Thai or English words: keys go through the keyboard layout and the input check.
    #[default]
    Words,
    /// Digits only, ASCII or Thai (moo, postcode).
    Digits,
    /// Digits, Latin letters and signs such as `/` and `-` (house numbers, card numbers): the key
    /// the clerk pressed, whatever the layout, so `12/3` stays `12/3` with the TH layout on.
    Ascii,
}

/// A free-text field of one [`TextKind`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextBox {
    pub field: TextField,
    pub kind: TextKind,
    pub max: usize,
}

impl TextBox {
    fn key(&mut self, key: &KeyEvent, thai_layout: bool) -> Edit {
        let Some(c) = typed_char(key) else {
            return edit_text(&mut self.field, key, false, self.max);
        };
        let c = match self.kind {
            TextKind::Words => return edit_text(&mut self.field, key, thai_layout, self.max),
            TextKind::Digits => match ascii_digit(c) {
                Some(d) => d,
                None => return Edit::Ignored,
            },
            TextKind::Ascii => match ascii_digit(c) {
                Some(d) => d,
                None if c == ' ' || c.is_ascii_graphic() => c,
                None => return Edit::Rejected(Rejection::AsciiOnly),
            },
        };
        if self.field.text().chars().count() >= self.max {
            return Edit::Ignored;
        }
        bool_edit(self.field.insert_char(c, CheckMode::Off).is_ok())
    }
}

/// One option of a choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opt {
    /// What goes into the form input.
    pub value: String,
    pub th: String,
    pub en: String,
}

impl Opt {
    /// An option whose words are the same in both languages.
    #[must_use]
    pub fn same(value: &str) -> Self {
        Self::new(value, value, value)
    }

    /// An option with a value and its words.
    #[must_use]
    pub fn new(value: &str, th: &str, en: &str) -> Self {
        Self {
            value: value.into(),
            th: th.into(),
            en: en.into(),
        }
    }

    /// The words in `lang`.
    #[must_use]
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.th, &self.en)
    }
}

/// A choice among fixed options; with `other`, a last option "other" takes free text (titles).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceBox {
    pub options: Vec<Opt>,
    pub selected: Option<usize>,
    pub other: Option<TextField>,
    /// The most characters "other" takes.
    pub other_max: usize,
}

impl ChoiceBox {
    /// True when "other" is chosen: the choice is being typed as free text.
    #[must_use]
    pub fn is_other(&self) -> bool {
        self.other.is_some() && self.selected == Some(self.options.len())
    }

    /// How many positions the choice cycles through (options, plus "other").
    fn len(&self) -> usize {
        self.options.len() + usize::from(self.other.is_some())
    }

    fn key(&mut self, key: &KeyEvent, thai_layout: bool) -> Edit {
        let n = self.len();
        let step = |s: Option<usize>, fwd: bool| match (s, fwd) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        match key.code {
            KeyCode::Left => self.selected = Some(step(self.selected, false)),
            KeyCode::Right => self.selected = Some(step(self.selected, true)),
            KeyCode::Char(' ') if !self.is_other() => {
                self.selected = Some(step(self.selected, true));
            }
            _ if self.is_other() => {
                let Some(f) = self.other.as_mut() else {
                    return Edit::Ignored;
                };
                return edit_text(f, key, thai_layout, self.other_max);
            }
            KeyCode::Char(c) if c.is_ascii_digit() && c != '0' => {
                let i = (c as usize) - ('1' as usize);
                if i >= n {
                    return Edit::Ignored;
                }
                self.selected = Some(i);
            }
            KeyCode::Backspace | KeyCode::Delete => self.selected = None,
            _ => return Edit::Ignored,
        }
        Edit::Changed
    }

    fn value(&self) -> String {
        match (self.selected, &self.other) {
            (Some(i), Some(f)) if i == self.options.len() => f.text().to_owned(),
            (Some(i), _) => self
                .options
                .get(i)
                .map(|o| o.value.clone())
                .unwrap_or_default(),
            (None, _) => String::new(),
        }
    }

    fn set_value(&mut self, v: &str) {
        let v = v.trim();
        self.selected = self
            .options
            .iter()
            .position(|o| o.value == v || o.th == v || o.en.eq_ignore_ascii_case(v));
        if self.selected.is_none()
            && !v.is_empty()
            && let Some(f) = self.other.as_mut()
        {
            f.set_text(v);
            self.selected = Some(self.options.len());
        }
    }

    /// The words of the chosen option (the typed text for "other").
    #[must_use]
    pub fn shown(&self, lang: Lang) -> String {
        match self.selected {
            Some(i) if i < self.options.len() => self.options[i].label(lang).to_owned(),
            Some(_) => self
                .other
                .as_ref()
                .map(|f| f.text().to_owned())
                .unwrap_or_default(),
            None => String::new(),
        }
    }
}

/// A field's widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Widget {
    Text(TextBox),
    Choice(ChoiceBox),
    /// Several choices, ticked in a list.
    Choices(ChoicesBox),
    Date(DateBox),
    Id(IdBox),
    Phone(PhoneBox),
}

impl Widget {
    /// A text widget of `kind` holding at most `max` characters.
    #[must_use]
    pub fn text(kind: TextKind, max: usize) -> Self {
        Self::Text(TextBox {
            field: TextField::new(),
            kind,
            max,
        })
    }

    /// A choice among `options`, with an "other" free text of at most `other` characters.
    #[must_use]
    pub fn choice(options: Vec<Opt>, other: Option<usize>) -> Self {
        Self::Choice(ChoiceBox {
            options,
            selected: None,
            other: other.map(|_| TextField::new()),
            other_max: other.unwrap_or(0),
        })
    }

    /// Handles a key the form did not take.
    pub fn key(&mut self, key: &KeyEvent, thai_layout: bool) -> Edit {
        match self {
            Self::Text(t) => t.key(key, thai_layout),
            Self::Choice(c) => c.key(key, thai_layout),
            Self::Choices(c) => c.key(key),
            Self::Date(d) => d.key(key),
            Self::Id(i) => i.key(key),
            Self::Phone(p) => p.key(key),
        }
    }

    /// Pastes text (bracketed paste): each character as if typed, without the layout mapping
    /// (into a question taking several: the options it names, as a stored value does);
    /// what the field refuses is left out. Says whether the value changed, and the first
    /// refusal.
    pub fn paste(&mut self, s: &str) -> (bool, Option<Rejection>) {
        if let Self::Choices(c) = self {
            return (c.paste(s), None);
        }
        let (mut changed, mut refused) = (false, None);
        for c in s.chars().filter(|c| !c.is_control()) {
            let key = KeyEvent::from(KeyCode::Char(c));
            match self.key(&key, false) {
                Edit::Changed => changed = true,
                Edit::Rejected(r) => refused = refused.or(Some(r)),
                Edit::Moved | Edit::Ignored => {}
            }
        }
        (changed, refused)
    }

    /// The text the form validates.
    #[must_use]
    pub fn value(&self) -> String {
        match self {
            Self::Text(t) => t.field.text().to_owned(),
            Self::Choice(c) => c.value(),
            Self::Choices(c) => c.value(),
            Self::Date(d) => d.value(),
            Self::Id(i) => i.buf.clone(),
            Self::Phone(p) => p.buf.clone(),
        }
    }

    /// Loads a value (a record being corrected).
    pub fn set_value(&mut self, v: &str) {
        match self {
            Self::Text(t) => t.field.set_text(v),
            Self::Choice(c) => c.set_value(v),
            Self::Choices(c) => c.set_value(v),
            Self::Date(d) => d.set_value(v),
            Self::Id(i) => {
                i.buf = v.chars().filter(char::is_ascii_alphanumeric).collect();
            }
            Self::Phone(p) => p.buf = v.chars().filter(char::is_ascii_digit).collect(),
        }
    }

    /// Tells a text widget what it holds (the group detail follows the group).
    pub fn set_text_kind(&mut self, kind: TextKind) {
        if let Self::Text(t) = self {
            t.kind = kind;
        }
    }

    /// Tells an ID widget which kind of ID it holds.
    pub fn set_id_kind(&mut self, id_type: Option<IdType>) {
        if let Self::Id(i) = self {
            i.set_kind(id_type);
        }
    }

    /// The text to draw.
    #[must_use]
    pub fn shown(&self, lang: Lang) -> String {
        match self {
            Self::Text(t) => t.field.text().to_owned(),
            Self::Choice(c) => c.shown(lang),
            Self::Choices(c) => c.shown(lang),
            Self::Date(d) => d.shown(lang),
            Self::Id(i) => i.shown(),
            Self::Phone(p) => p.shown(),
        }
    }

    /// Where the cursor sits in the drawn text (columns), for fields that show one.
    #[must_use]
    pub fn cursor_col(&self, lang: Lang) -> Option<usize> {
        match self {
            Self::Text(t) => Some(t.field.cursor_col()),
            Self::Choice(c) if c.is_other() => c.other.as_ref().map(TextField::cursor_col),
            Self::Choice(_) | Self::Choices(_) => None,
            Self::Date(d) => Some(d.cursor_col()),
            Self::Id(_) | Self::Phone(_) => {
                Some(crate::core::thai::width::display_width(&self.shown(lang)))
            }
        }
    }
}
