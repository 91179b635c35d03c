//! The kiosk's state machine: [`update`] takes the [`App`] and one [`Msg`] (a key, a paste, a
//! sync status, an answer from the queue) and returns the [`Effect`]s to run. It never performs
//! I/O: the event loop runs the effects and feeds their results back as messages, so every flow
//! is testable without a terminal. It holds no words: they are in [`crate::kiosk::tui::words`].
//!
//! - `fields`: one widget per field kind. - `form`: the form's state. - `hint`: what the
//!   message line says.
//! - `handle`: keys per screen. - `confirm`: the dialogs' answers. - `queue`: the queue
//!   screen's keys. - `save`: review, save, receipt, correction.
//! - `update`: one message applied. - `keys`: the key map. - `record`: queue rows.
//! - `search`: what the queue search looks for. - `checkin`: the check-in screen of a site's
//!   kiosk (`ruamjai checkin`), in place of the form.
//! - `card`: the ID card reader's state and the form filled from a card.
//! - `shift`: the PIN on the start screen, which opens the shift (the on-screen copies).
//! - `print`: the paper slip: printed on each save and with `p`, kept when the printer fails.
//! - `enrol`: the enrolment code on the start screen of a kiosk with no hub yet.
//! - `answers`: a record's answers to the campaign's questions, as the receipt and queue show them.

pub mod answers;
mod card;
pub mod checkin;
mod confirm;
pub mod doses;
pub mod enrol;
pub mod fields;
pub mod form;
mod handle;
mod hint;
pub mod keys;
mod print;
mod queue;
mod record;
mod save;
pub mod search;
mod shift;
mod update;
mod versions;

use crossterm::event::KeyEvent;
use uuid::Uuid;

pub use crate::core::enrolment::EnrolProblem;
pub use card::{CardView, status_part as card_status};
pub use enrol::{EnrolView, EnrolledAs};
pub use form::Form;
pub use hint::Hint;
pub use print::PrinterView;
pub use record::RecordRow;
pub use save::{Save, Saved};
pub use shift::{ShiftView, StartFocus};
pub use update::update;

use crate::core::form::Campaign;
use crate::core::protocol::{Appointment, Outcome};
use crate::core::thai::Lang;
use crate::core::thai::date::ThaiDate;
use crate::core::thai::edit::TextField;
use crate::core::thai::width::WidthProfile;
use crate::kiosk::card::{CardData, CardEvent};
use crate::kiosk::queue::{Pin, PinError, State};
use crate::kiosk::sync::SyncStatus;

/// The screens, in the order of a registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Start of shift: who is at the counter.
    Start,
    Form,
    /// Everything on one page before saving.
    Review,
    /// The saved record's reference, to show the person.
    Receipt,
    /// Queued records: search, correct, cancel.
    Queue,
    /// Check-in at a vaccination site (`ruamjai checkin`): scan, code, dose.
    Checkin,
}

/// Which keyboard layout typed letters go through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KeyLayout {
    /// Keys as the terminal sends them.
    #[default]
    En,
    /// US keys mapped to Thai by the Kedmanee layout.
    Th,
}

/// How the screen is drawn on this terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewOptions {
    /// `NO_COLOR` is set: bold and reverse only.
    pub no_color: bool,
    /// How the terminal counts Thai columns (probed at start).
    pub profile: WidthProfile,
    /// Local time zone, for "last sync 10:42".
    pub utc_offset_secs: i32,
}

/// A question waiting for Enter (yes) or Esc (no). Discarding a form is the exception: there
/// Enter and Esc keep it and only `y` throws it away, so Enter pressed by habit loses nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// Throw away the typed form, then do this.
    Discard(AfterDiscard),
    Quit,
    CancelRecord(Box<RecordRow>),
    /// Save although validation warned.
    SaveWithWarnings,
    /// A card went in while the form holds another person's data: replace it with the card's?
    /// Like a discard, only `y` says yes.
    ReplaceWithCard(Box<CardData>),
}

/// What follows a confirmed discard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterDiscard {
    ToStart,
    Correct(Box<RecordRow>),
    /// Back to where the correction was opened from ([`App::back`]).
    Back,
}

/// Where a correction was opened from, for Esc to return to.
#[derive(Clone, Debug)]
pub enum Back {
    /// Ctrl-E on the form: the form as it was (the duplicate typed again).
    Form(Box<Form>),
    /// A row of the queue screen.
    Queue,
}

/// The review page's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    /// A field row (to edit it) or, at `slots.len()`, the save button.
    pub selected: usize,
    /// The registration is handed to the queue and not answered yet: keys wait.
    pub saving: bool,
    /// Why the last save failed, as the queue said it.
    pub error: Option<String>,
}

/// What the receipt shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub submission_id: Uuid,
    pub reference: String,
    pub name: String,
    pub id_shown: String,
    pub group: String,
    pub state: State,
    pub outcome: Option<Outcome>,
    /// The reference this one corrects.
    pub corrects: Option<String>,
    /// The appointment the hub gave, once it did (it follows the sender, as the state does).
    pub appointment: Option<Appointment>,
    /// The version of the form the record was made with, and its answers by key.
    pub form_version: u32,
    pub answers: std::collections::BTreeMap<String, String>,
}

/// The queue screen's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueView {
    pub search: TextField,
    pub rows: Vec<RecordRow>,
    pub selected: usize,
    pub return_to: Screen,
}

/// The kiosk as one value.
#[derive(Clone, Debug)]
pub struct App {
    pub campaign: Campaign,
    pub kiosk_id: String,
    pub point_name: String,
    pub lang: Lang,
    pub layout: KeyLayout,
    /// The layout the operating system seems to have on (Thai when the last letter or digit
    /// typed was Thai): with Thai, the signs Kedmanee types on the number row are read as those
    /// keys in fields of digits.
    pub system_layout: KeyLayout,
    pub today: ThaiDate,
    pub view: ViewOptions,
    pub screen: Screen,
    pub help: bool,
    /// The window is below 80×24: the screen asks for a larger one and keys wait (only quit
    /// and redraw work), so nothing lands in a field the clerk cannot see.
    pub too_small: bool,
    pub operator: TextField,
    /// The shift's PIN and whether the shift is open.
    pub shift: ShiftView,
    /// The enrolment code's field, on a kiosk with no hub yet (none once it is enrolled).
    pub enrol: Option<EnrolView>,
    pub form: Form,
    pub review: Review,
    pub receipt: Option<Receipt>,
    pub queue: QueueView,
    pub confirm: Option<Confirm>,
    /// Where the correction on the form was opened from.
    pub back: Option<Back>,
    pub hint: Option<Hint>,
    pub sync: SyncStatus,
    /// The ID card reader.
    pub card: CardView,
    /// The counter's printer, when one is configured, and the slip kept to print again.
    pub printer: PrinterView,
    /// A site's kiosk started with `ruamjai checkin`: the check-in screen follows the start
    /// screen in place of the form.
    pub checkin: Option<checkin::CheckinView>,
    pub unsent: u64,
    pub last_sync_ok_at: Option<i64>,
    /// A version of the form the hub published that this build cannot read (said once).
    pub hub_form: Option<u32>,
    /// The versions of the campaign this kiosk took over from, oldest first.
    pub earlier: Vec<Campaign>,
    pub quit: bool,
}

/// Something that happened.
#[derive(Clone, Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The terminal's size (at start and whenever it changes).
    Resize {
        width: u16,
        height: u16,
    },
    Sync(SyncStatus),
    /// The ID card reader's state, or a card it read.
    Card(CardEvent),
    /// A second passed (sent only while [`App::wants_tick`]): the PIN lockout counts down.
    Tick(i64),
    /// The queue's answer to [`Effect::OpenShift`] or [`Effect::ChoosePin`].
    ShiftOpened(Result<(), PinError>),
    /// The queue saved the record (what the receipt shows) or said why not, in its words.
    Enqueued(Result<Saved, String>),
    /// The duplicate check's answer for a person key.
    PersonFound {
        id_key: String,
        record: Option<RecordRow>,
    },
    Listed(Result<Vec<RecordRow>, String>),
    Cancelled(Result<String, String>),
    /// A record's state now (the receipt follows its record).
    RecordState(RecordRow),
    Stats {
        unsent: u64,
        last_sync_ok_at: Option<i64>,
    },
    /// The answer to [`Effect::Enrol`]: who the kiosk is now, or why the code did not enrol it.
    Enrolled(Result<EnrolledAs, EnrolProblem>),
    /// The printer's answer to [`Effect::Print`]: whether the paper runs low, or why it did not
    /// print (for clerks, in English).
    Printed(Result<bool, String>),
    /// The queue's answer to an [`Effect::Checkin`].
    Checkin(checkin::CheckinMsg),
}

/// Work for the event loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Open the shift with this PIN (the on-screen copies become readable).
    OpenShift(Pin),
    /// Set the counter's first PIN (chosen on the start screen), which opens the shift; the
    /// queue refuses one too easy to guess.
    ChoosePin(Pin),
    /// Close the shift: the on-screen copies are unreadable again.
    CloseShift,
    Enqueue(Box<Save>),
    LookupPerson {
        campaign_id: String,
        id_key: String,
    },
    /// The records any of `searches` finds, newest first (every record when it is empty).
    ListQueue {
        searches: Vec<String>,
    },
    Cancel {
        id: Uuid,
    },
    GetRecord {
        id: Uuid,
    },
    RefreshStats,
    /// Print this slip on the counter's printer (off the screen's thread; answered by
    /// [`Msg::Printed`] within two seconds).
    Print(Box<crate::kiosk::print::Slip>),
    /// Enrol the kiosk with this code (its check verified): ask the hub, write the
    /// configuration, start the sender; answered by [`Msg::Enrolled`].
    Enrol(String),
    /// Check-in work against the queue (the site's list, a dose), answered by [`Msg::Checkin`].
    Checkin(checkin::CheckinEffect),
    /// Tell the sender there is something new.
    WakeSync,
    /// Clear the terminal and draw every cell of the next frame.
    Redraw,
    Quit,
}

impl App {
    /// A kiosk at the start of a shift.
    #[must_use]
    pub fn new(
        campaign: Campaign,
        kiosk_id: &str,
        point_name: &str,
        lang: Lang,
        today: ThaiDate,
    ) -> Self {
        let form = Form::new(&campaign);
        Self {
            campaign,
            kiosk_id: kiosk_id.to_owned(),
            point_name: point_name.to_owned(),
            lang,
            layout: KeyLayout::En,
            system_layout: KeyLayout::En,
            today,
            view: ViewOptions::default(),
            screen: Screen::Start,
            help: false,
            too_small: false,
            operator: TextField::new(),
            shift: ShiftView::default(),
            enrol: None,
            form,
            review: Review::default(),
            receipt: None,
            queue: QueueView {
                search: TextField::new(),
                rows: Vec::new(),
                selected: 0,
                return_to: Screen::Form,
            },
            confirm: None,
            back: None,
            hint: None,
            sync: SyncStatus::default(),
            card: CardView::default(),
            printer: PrinterView::default(),
            checkin: None,
            unsent: 0,
            last_sync_ok_at: None,
            hub_form: None,
            earlier: Vec::new(),
            quit: false,
        }
    }

    /// The operator's name as recorded.
    #[must_use]
    pub fn operator_name(&self) -> String {
        self.operator
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Where Esc on the form goes: back to where a correction came from, else the shift start.
    #[must_use]
    pub fn esc_goes(&self) -> AfterDiscard {
        if self.form.replaces.is_some() && self.back.is_some() {
            AfterDiscard::Back
        } else {
            AfterDiscard::ToStart
        }
    }

    /// Whether the event loop should send a [`Msg::Tick`] each second: a wrong-PIN wait is
    /// counting down on screen. Otherwise an idle kiosk does not wake up.
    #[must_use]
    pub fn wants_tick(&self) -> bool {
        self.shift.wait_until.is_some()
            || matches!(self.hint, Some(Hint::Pin(PinError::Wait { .. })))
    }

    /// The most recent successful sync, from the sender or the queue.
    #[must_use]
    pub fn last_sync(&self) -> Option<i64> {
        self.sync.last_ok_at.max(self.last_sync_ok_at)
    }
}
