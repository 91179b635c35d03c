//! The registration form's state: one widget per campaign field, the focus, what validation said,
//! the tambon type-ahead popup, the duplicate found for the typed ID, and the record being
//! corrected. Pure data and pure functions; the app decides what effects follow.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::RecordRow;
use super::fields::{Opt, TextKind, Widget};
use crate::core::form::address::Entry;
use crate::core::form::question::YES_NO;
use crate::core::form::rules::{self, MAX_NOTE, max_chars};
use crate::core::form::{
    Campaign, Context, FieldError, FieldKey, FieldSpec, FormInput, QuestionType, Validated,
    Warning, validate,
};
use crate::core::thai::Lang;
use crate::core::thai::date::ThaiDate;
use crate::core::thai::national_id::{IdType, parse_id};

mod follow;
mod tambon;

/// Most tambon matches the popup lists.
pub const POPUP_MAX: usize = 6;

/// One field on the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub key: FieldKey,
    pub th: String,
    pub en: String,
    pub required: bool,
    /// Tab and ↓ stop here (not on the group detail of a group that has none).
    pub tab_stop: bool,
    pub widget: Widget,
}

impl Slot {
    /// The label in `lang`.
    #[must_use]
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.th, &self.en)
    }
}

/// The tambon type-ahead's matches and which one is highlighted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Popup {
    pub matches: Vec<Entry>,
    pub selected: usize,
}

/// The form.
#[derive(Clone, Debug)]
pub struct Form {
    pub slots: Vec<Slot>,
    pub focus: FieldKey,
    pub errors: Vec<FieldError>,
    pub warnings: Vec<Warning>,
    /// Fields the clerk has left at least once: their errors are shown.
    pub touched: BTreeSet<FieldKey>,
    /// After an attempt to review, every error is shown.
    pub show_all: bool,
    pub popup: Option<Popup>,
    /// The person key last looked up, and what was found for it.
    pub looked_up: Option<String>,
    pub duplicate: Option<RecordRow>,
    /// Correcting this record (its id and reference).
    pub replaces: Option<(Uuid, String)>,
    /// Fields filled from the ID card and not edited since (shown as "from the card").
    pub from_card: BTreeSet<FieldKey>,
    initial: FormInput,
    /// The sex field holds what the title implied, not a choice of the clerk's.
    sex_from_title: bool,
    /// The tambon row amphoe, province and postcode were filled from (a pick, or the exact name
    /// typed), while the tambon field still names it.
    address_from: Option<Entry>,
}

fn widget_for(key: FieldKey, campaign: &Campaign) -> Widget {
    use FieldKey as K;
    match key {
        K::IdType => fixed(&rules::ID_TYPES),
        K::IdNumber => Widget::Id(super::fields::IdBox::default()),
        K::Title => Widget::choice(
            campaign.titles.iter().map(|t| Opt::same(t)).collect(),
            Some(max_chars(key)),
        ),
        K::BirthDate => Widget::Date(super::fields::DateBox::default()),
        K::Sex => fixed(&rules::SEXES),
        K::Phone => Widget::Phone(super::fields::PhoneBox::default()),
        K::Moo | K::Postcode => Widget::text(TextKind::Digits, max_chars(key)),
        K::TargetGroup => Widget::choice(
            campaign
                .groups
                .iter()
                .map(|g| {
                    let n = g.number.to_string();
                    Opt::new(&n, &format!("{n} {}", g.th), &format!("{n} {}", g.en))
                })
                .collect(),
            None,
        ),
        K::Consent => fixed(&rules::CONSENT),
        K::HouseNo => Widget::text(TextKind::Ascii, max_chars(key)),
        K::Question(_) => campaign
            .field(key)
            .map_or_else(|| Widget::text(TextKind::Words, MAX_NOTE), question_widget),
        _ => Widget::text(TextKind::Words, max_chars(key)),
    }
}

/// A campaign question's widget: words for text, digits for a number, the BE date field, a
/// choice list for yes/no and one choice, check boxes for several.
fn question_widget(spec: &FieldSpec) -> Widget {
    match spec.kind {
        Some(QuestionType::Number) => {
            let digits = |n: Option<i64>| n.map_or(0, |n| n.unsigned_abs().to_string().len());
            let max = digits(spec.max).max(digits(spec.min));
            Widget::text(TextKind::Digits, if max == 0 { 12 } else { max })
        }
        Some(QuestionType::Date) => Widget::Date(super::fields::DateBox::default()),
        Some(QuestionType::YesNo) => fixed(&YES_NO),
        Some(QuestionType::Choice) => Widget::choice(
            spec.choices
                .iter()
                .map(|c| Opt::new(&c.value, &c.th, &c.en))
                .collect(),
            None,
        ),
        Some(QuestionType::Choices) => Widget::Choices(super::fields::ChoicesBox::new(
            spec.choices
                .iter()
                .map(|c| Opt::new(&c.value, &c.th, &c.en))
                .collect(),
        )),
        Some(QuestionType::Text | QuestionType::Unknown) | None => {
            Widget::text(TextKind::Words, spec.max_len.unwrap_or(MAX_NOTE))
        }
    }
}

/// A choice of the fixed values `form::rules` defines.
fn fixed(choices: &[rules::Choice]) -> Widget {
    Widget::choice(
        choices
            .iter()
            .map(|c| Opt::new(c.value, c.th, c.en))
            .collect(),
        None,
    )
}

impl Form {
    /// An empty form for `campaign`, its fields and questions in the file's order (Thai ID card
    /// chosen, the rest empty).
    #[must_use]
    pub fn new(campaign: &Campaign) -> Self {
        let slots: Vec<Slot> = campaign
            .fields
            .iter()
            .map(|f| Slot {
                key: f.key,
                th: f.th.clone(),
                en: f.en.clone(),
                required: f.required,
                tab_stop: true,
                widget: widget_for(f.key, campaign),
            })
            .collect();
        let mut form = Self {
            focus: slots.first().map_or(FieldKey::IdType, |s| s.key),
            slots,
            errors: Vec::new(),
            warnings: Vec::new(),
            touched: BTreeSet::new(),
            show_all: false,
            popup: None,
            looked_up: None,
            duplicate: None,
            replaces: None,
            from_card: BTreeSet::new(),
            initial: FormInput::default(),
            sex_from_title: false,
            address_from: None,
        };
        if let Some(s) = form.slot_mut(FieldKey::IdType) {
            s.widget.set_value("thai_id");
        }
        form.follow_group(campaign);
        form.initial = form.input();
        form
    }

    /// A form holding a queued registration, to correct it.
    #[must_use]
    pub fn correcting(campaign: &Campaign, input: &FormInput, id: Uuid, reference: &str) -> Self {
        let mut form = Self::new(campaign);
        let keys: Vec<FieldKey> = form.slots.iter().map(|s| s.key).collect();
        for key in [FieldKey::IdType].into_iter().chain(keys) {
            if let Some(s) = form.slot_mut(key) {
                s.widget.set_value(input.get(key));
            }
            form.sync_id_kind();
        }
        form.follow_group(campaign);
        form.initial = form.input();
        form.replaces = Some((id, reference.to_owned()));
        form.touched = form.slots.iter().map(|s| s.key).collect();
        form
    }

    /// The slot of `key`.
    #[must_use]
    pub fn slot(&self, key: FieldKey) -> Option<&Slot> {
        self.slots.iter().find(|s| s.key == key)
    }

    /// The slot of `key`, to change.
    pub fn slot_mut(&mut self, key: FieldKey) -> Option<&mut Slot> {
        self.slots.iter_mut().find(|s| s.key == key)
    }

    /// Position of the focused field.
    #[must_use]
    pub fn focus_index(&self) -> usize {
        self.slots
            .iter()
            .position(|s| s.key == self.focus)
            .unwrap_or(0)
    }

    /// What has been typed, as the validator reads it.
    #[must_use]
    pub fn input(&self) -> FormInput {
        let mut input = FormInput::default();
        for s in &self.slots {
            input.set(s.key, &s.widget.value());
        }
        input
    }

    /// True when something was typed since the form was made (discarding it needs a yes).
    #[must_use]
    pub fn has_data(&self) -> bool {
        self.input() != self.initial
    }

    /// The chosen ID type.
    #[must_use]
    pub fn id_type(&self) -> Option<IdType> {
        match self
            .slot(FieldKey::IdType)
            .map(|s| s.widget.value())
            .as_deref()
        {
            Some("thai_id") => Some(IdType::ThaiId),
            Some("non_thai_id") => Some(IdType::NonThaiId),
            Some("passport") => Some(IdType::Passport),
            _ => None,
        }
    }

    /// Keeps the ID widget's kind in step with the ID type.
    pub fn sync_id_kind(&mut self) {
        let t = self.id_type();
        if let Some(s) = self.slot_mut(FieldKey::IdNumber) {
            s.widget.set_id_kind(t);
        }
    }

    /// The duplicate-check key of a complete, valid ID; passports count once they have 6+ characters
    /// and the clerk has left the field.
    #[must_use]
    pub fn person_key(&self, leaving: bool) -> Option<String> {
        let t = self.id_type()?;
        let raw = self.slot(FieldKey::IdNumber)?.widget.value();
        if t == IdType::Passport && !(leaving && raw.len() >= 6) {
            return None;
        }
        parse_id(&raw, t)
            .ok()
            .map(|n| crate::core::form::person_key(t, &n))
    }

    /// Runs the campaign's validation over what is typed.
    pub fn revalidate(&mut self, campaign: &Campaign, today: ThaiDate) -> Validated {
        let v = validate(campaign, &self.input(), Context { today });
        self.errors.clone_from(&v.errors);
        self.warnings.clone_from(&v.warnings);
        v
    }

    /// The error to show for `key` (only once the field was left, or after a review attempt).
    #[must_use]
    pub fn shown_error(&self, key: FieldKey) -> Option<&FieldError> {
        if !(self.show_all || self.touched.contains(&key)) {
            return None;
        }
        self.errors.iter().find(|e| e.field == key)
    }

    /// Moves the focus by `delta` fields (wrapping, over fields that take no Tab stop),
    /// marking the field left as touched.
    pub fn move_focus(&mut self, delta: isize) {
        self.touched.insert(self.focus);
        self.popup = None;
        let n = self.slots.len() as isize;
        let mut i = self.focus_index() as isize;
        for _ in 0..n {
            i = (i + delta).rem_euclid(n.max(1));
            if self.slots.get(i as usize).is_some_and(|s| s.tab_stop) {
                break;
            }
        }
        if let Some(s) = self.slots.get(i as usize) {
            self.focus = s.key;
        }
    }

    /// Focuses `key` (review's "edit this field", the first error).
    pub fn focus_on(&mut self, key: FieldKey) {
        if self.slot(key).is_some() {
            self.focus = key;
            self.popup = None;
        }
    }

    /// Moves the focus on to the next field the ID card did not fill (Enter on a form the card
    /// filled); false when there is none after this one.
    pub fn move_to_open(&mut self) -> bool {
        let start = (self.focus_index() + 1).min(self.slots.len());
        let Some(key) = self.slots[start..]
            .iter()
            .find(|s| s.tab_stop && !self.from_card.contains(&s.key))
            .map(|s| s.key)
        else {
            return false;
        };
        self.touched.insert(self.focus);
        self.popup = None;
        self.focus = key;
        true
    }

    /// True when no field after the focused one takes a Tab stop.
    #[must_use]
    pub fn at_last(&self) -> bool {
        !self.slots[(self.focus_index() + 1).min(self.slots.len())..]
            .iter()
            .any(|s| s.tab_stop)
    }
}
