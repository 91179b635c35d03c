//! The ID card reader's messages: its state for the status line, and a card read. A card fills
//! the form when the form is on screen (from the receipt it starts the next person's form; on
//! other screens it waits until the form is shown, and is forgotten if taken out first). A form
//! that holds data asks before another person's card replaces it; the same card again refills
//! its fields in place. The fields it filled are marked "from the card" until the clerk edits
//! them, and the focus goes to the first field the card does not carry. An expired card is said,
//! not refused. A field the card holds but that makes no sense (a birth date that is no real date)
//! is left empty with its error shown, and the message line names it.

use super::handle::lookup;
use super::save::next_person;
use super::{App, Confirm, Effect, Form, Hint, Screen};
use crate::core::form::FieldKey;
use crate::kiosk::card::{CardData, CardError, CardEvent, ReaderState, fill};
use crate::kiosk::tui::words::status;

/// Address parts a card leaves blank when there is none: filled (blank) and passed by Enter.
const BLANK_MEANS_NONE: [FieldKey; 4] = [
    FieldKey::HouseNo,
    FieldKey::Moo,
    FieldKey::Soi,
    FieldKey::Road,
];

/// The reader as the screen knows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardView {
    pub reader: ReaderState,
    /// A card read while the form was not on screen (or a dialog was open), to fill it then.
    pub pending: Option<Box<CardData>>,
}

/// The reader's part of the status line (none in a build that reads no cards).
#[must_use]
pub fn status_part(app: &App) -> Option<String> {
    let word = match &app.card.reader {
        ReaderState::Unsupported => return None,
        ReaderState::Unavailable(CardError::NoService) => status::CARD_NO_SERVICE,
        ReaderState::Unavailable(CardError::NoReader | CardError::ReaderGone) => {
            status::CARD_NO_READER
        }
        ReaderState::Unavailable(_) => status::CARD_READER_ERROR,
        ReaderState::Ready => status::CARD_READY,
        ReaderState::Reading => status::CARD_READING,
        ReaderState::Done => status::CARD_DONE,
        ReaderState::Failed(_) => status::CARD_FAILED,
    };
    let l = app.lang;
    Some(format!("{} {}", status::CARD.say(l), word.say(l)))
}

/// One message from the reader.
pub(super) fn event(app: &mut App, ev: CardEvent) -> Vec<Effect> {
    match ev {
        CardEvent::State(s) => {
            match &s {
                ReaderState::Failed(e) => app.hint = Some(Hint::CardProblem(e.clone())),
                // Taken out before the form was reached: it fills nothing.
                ReaderState::Ready | ReaderState::Unavailable(_) => app.card.pending = None,
                _ => {}
            }
            app.card.reader = s;
        }
        CardEvent::Read(data) => {
            if app.screen == Screen::Receipt && app.confirm.is_none() {
                next_person(app);
            }
            app.card.pending = Some(data);
        }
    }
    Vec::new()
}

/// Fills the form from a waiting card once the form is on screen and no dialog is open.
pub(super) fn settle(app: &mut App) -> Vec<Effect> {
    if app.screen != Screen::Form || app.confirm.is_some() || app.too_small {
        return Vec::new();
    }
    let Some(data) = app.card.pending.take() else {
        return Vec::new();
    };
    let same_person = app
        .form
        .slot(FieldKey::IdNumber)
        .is_some_and(|s| s.widget.value() == data.citizen_id);
    if app.form.has_data() && !same_person {
        app.confirm = Some(Confirm::ReplaceWithCard(data));
        return Vec::new();
    }
    fill_form(app, &data, false)
}

/// The clerk said yes: a new form, filled from the card.
pub(super) fn replace(app: &mut App, data: &CardData) -> Vec<Effect> {
    fill_form(app, data, true)
}

fn fill_form(app: &mut App, data: &CardData, fresh: bool) -> Vec<Effect> {
    if fresh {
        app.form = Form::new(&app.campaign);
        app.back = None;
    }
    let filled = fill::form_values(data);
    let form = &mut app.form;
    form.from_card.clear();
    // What the card got wrong is left empty, for the clerk to type.
    let bad: Vec<FieldKey> = data
        .unreadable
        .iter()
        .flat_map(|w| fill::form_fields(w).iter().copied())
        .collect();
    for (key, value) in &filled.values {
        if let Some(slot) = form.slot_mut(*key) {
            slot.widget.set_value(value);
            // An address part the card leaves blank is one the person does not have.
            if !bad.contains(key) && (!value.is_empty() || BLANK_MEANS_NONE.contains(key)) {
                form.from_card.insert(*key);
            }
        }
    }
    form.sync_id_kind();
    if data.sex.is_some() {
        form.sex_chosen();
    } else {
        form.sex_follows_title();
    }
    form.popup = None;
    // What the card says is checked at once: a field it got wrong shows its error.
    form.touched.extend(form.from_card.iter().copied());
    // A field the card got wrong shows its error (required) at once: marked for the clerk.
    form.touched.extend(bad.iter().copied());
    if let Some(first) = form
        .slots
        .iter()
        .find(|s| s.tab_stop && !form.from_card.contains(&s.key))
        .map(|s| s.key)
    {
        form.focus_on(first);
    }
    app.form.revalidate(&app.campaign, app.today);
    app.hint = Some(Hint::CardFilled {
        expired: data.expired(app.today).then(|| match data.expiry {
            crate::kiosk::card::Expiry::On(d) => d.format(),
            _ => String::new(),
        }),
        address_known: filled.address_known || data.unreadable.contains(&"address"),
        unreadable: data.unreadable.clone(),
    });
    lookup(app, true)
}
