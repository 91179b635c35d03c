//! The check-in screen of a site's kiosk (`ruamjai checkin`, issue 33 part 4): the clerk scans
//! the receipt's QR code (a keyboard-wedge scanner types the reference and Enter) or types the
//! reference or the ID number; Enter asks the site's list ([`CheckinEffect::Find`]). A person
//! booked here today is shown with the appointment and a field for the security code; Enter
//! records the dose ([`CheckinEffect::Record`]) with today's vaccine lot, which F6 (Ctrl-K) sets
//! ([`CheckinEffect::SetLot`]). Whoever is not to be dosed here now is told why: another day or
//! site (where and when to go), already vaccinated (when and where), not on the list.
//!
//! The scan line and the code take the keys as they were typed, like the enrolment code
//! (`app::enrol`): with the operating system's Thai layout on, a scanner types `ฆษจๅขจจฤึข๐` for
//! `SK01-00A7-Q`, and every character goes back through Kedmanee to its key. No I/O here: the
//! event loop runs the effects against the queue and answers with [`CheckinMsg`] (`answer`).

mod answer;
mod lot;

use crossterm::event::{KeyCode, KeyEvent};

pub use self::lot::LotForm;
use super::fields::{Edit, edit_text};
use super::keys::{is_ctrl, typed_char};
use super::{App, Effect, Hint, Screen};
use crate::core::protocol::Appointment;
pub use crate::core::protocol::ListedPerson;
use crate::core::thai::edit::TextField;
use crate::core::thai::kedmanee;
use crate::core::thai::normalize::thai_digits_to_ascii;
pub use crate::kiosk::queue::{DaySetting, DoseRecorded, Finding, SiteListInfo};

pub(super) use self::answer::answer;

/// The longest reference or ID number the scan line takes.
const MAX_QUERY_CHARS: usize = 40;
/// The longest security code the code field takes (the hub prints four digits).
const MAX_CODE_CHARS: usize = 8;

/// The check-in screen's state, on a kiosk started with `ruamjai checkin`.
#[derive(Clone, Debug, Default)]
pub struct CheckinView {
    /// The scan line: a reference or an ID number, as its keys.
    pub query: TextField,
    /// A Thai character was typed into the scan line: the system's Thai layout is on, so a `-`
    /// is the `3` key (a reference's own `-` comes as `ข`).
    pub thai: bool,
    /// The person found here today, with the code being typed.
    pub arrival: Option<Arrival>,
    /// What the last scan or dose came to, until the next scan.
    pub said: Option<Said>,
    /// Today's lot dialog, while it is open.
    pub lot: Option<LotForm>,
    /// The site and its list as the queue last said.
    pub status: CheckinStatus,
}

/// The person found on the site's list for today.
#[derive(Clone, Debug)]
pub struct Arrival {
    pub person: Box<ListedPerson>,
    /// The security code as typed.
    pub code: TextField,
    /// The last code tried was wrong (it stays, to be corrected).
    pub wrong_code: bool,
}

/// What the screen says about the last scan or dose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Said {
    /// The dose was recorded: for whom.
    Recorded { name: String, dose: DoseRecorded },
    /// Booked here on another day.
    OtherDay {
        reference: String,
        appointment: Appointment,
    },
    /// Booked at another site.
    OtherSite {
        reference: String,
        appointment: Appointment,
    },
    /// Already vaccinated: refused.
    Vaccinated {
        reference: String,
        appointment: Appointment,
    },
    /// Nobody on the list has what was typed.
    NotFound(String),
    /// The kiosk has no list.
    NoList,
    /// The person's details need the shift's PIN.
    NeedShift,
    /// The queue could not be read or written (for clerks, in English).
    Problem(String),
}

/// The site and its list, as [`CheckinMsg::Status`] brings them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckinStatus {
    /// The site the hub enrolled the kiosk for, once it said so.
    pub site_id: Option<String>,
    pub info: Option<SiteListInfo>,
    /// Today's lot and dose number.
    pub setting: Option<DaySetting>,
    /// The queue has answered at least once.
    pub read: bool,
}

/// Check-in work for the event loop, against the queue; each is answered by a [`CheckinMsg`].
/// "Today" is the day at the site when the effect runs (the queue's `today_iso`), as the hub
/// and `ruamjai checkin REFERENCE` count it, also on a kiosk left running past midnight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckinEffect {
    /// The site, its list's summary and today's setting.
    Status,
    /// Who `query` (a reference or an ID number) is on today's list.
    Find { query: String },
    /// Record the dose of `reference`, given `code`, by `operator`.
    Record {
        reference: String,
        code: String,
        operator: String,
    },
    /// Set today's lot and dose number.
    SetLot { lot: String, dose_number: u8 },
}

/// The queue's answers to [`CheckinEffect`]s.
#[derive(Clone, Debug)]
pub enum CheckinMsg {
    Status(CheckinStatus),
    /// Who the scan found; why it could not look (`Shift`, `Problem`).
    Found {
        query: String,
        result: Result<Finding, Refused>,
    },
    Recorded(Result<DoseRecorded, Refused>),
    LotSet(Result<DaySetting, String>),
}

/// Why a dose was not recorded (or a scan not looked up).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    WrongCode,
    /// No lot is set for today: it is asked for.
    NoLot,
    /// The person is not to be dosed here now (another day or site, vaccinated meanwhile).
    NotHere(Finding),
    /// The shift is not open.
    Shift,
    Problem(String),
}

impl App {
    /// The screen after the start of shift: the check-in screen on a kiosk started for it,
    /// else the form.
    #[must_use]
    pub fn work_screen(&self) -> Screen {
        if self.checkin.is_some() {
            Screen::Checkin
        } else {
            Screen::Form
        }
    }
}

/// The effect that reads the site, its list and today's setting again.
#[must_use]
pub fn status() -> Effect {
    Effect::Checkin(CheckinEffect::Status)
}

/// The key on the check-in screen.
pub(super) fn key(app: &mut App, k: &KeyEvent) -> Vec<Effect> {
    let Some(view) = app.checkin.as_mut() else {
        return Vec::new();
    };
    if view.lot.is_some() {
        return lot::key(app, k);
    }
    if k.code == KeyCode::F(6) || is_ctrl(k, 'k') {
        lot::open(app, false);
        return Vec::new();
    }
    match k.code {
        KeyCode::Esc if view.arrival.is_some() || view.said.is_some() || !view.query.is_empty() => {
            back_to_scanning(app);
        }
        KeyCode::Esc => {
            app.hint = None;
            app.screen = Screen::Start;
            return super::shift::close(app);
        }
        KeyCode::Enter if view.arrival.is_some() => return record(app),
        KeyCode::Enter => return find(app),
        _ => {
            if let Some(c) = typed_char(k) {
                typed(app, c);
                return Vec::new();
            }
            let field = match view.arrival.as_mut() {
                Some(a) => &mut a.code,
                None => &mut view.query,
            };
            if edit_text(field, k, false, MAX_QUERY_CHARS) == Edit::Changed {
                if let Some(a) = view.arrival.as_mut() {
                    a.wrong_code = false;
                }
                if view.query.is_empty() {
                    view.thai = false;
                }
            }
        }
    }
    Vec::new()
}

/// A character typed: a digit into the code while a person is shown, anything else into the
/// scan line (a new scan starts over the person shown).
fn typed(app: &mut App, c: char) {
    let Some(view) = app.checkin.as_mut() else {
        return;
    };
    if let Some(a) = view.arrival.as_mut() {
        if let Some(d) = code_digit(c) {
            if a.code.text().len() < MAX_CODE_CHARS {
                a.code
                    .insert_char(d, crate::core::thai::input_check::CheckMode::Off)
                    .ok();
                a.wrong_code = false;
            }
            return;
        }
        // A letter while the code is asked: the next receipt is being scanned.
        back_to_scanning(app);
    }
    let Some(view) = app.checkin.as_mut() else {
        return;
    };
    if view.said.is_some() && view.query.is_empty() {
        view.said = None;
    }
    view.thai |= !c.is_ascii();
    if let Some(key) = query_char(c, view.thai)
        && view.query.text().chars().count() < MAX_QUERY_CHARS
    {
        view.query
            .insert_char(key, crate::core::thai::input_check::CheckMode::Off)
            .ok();
    }
    app.hint = None;
}

/// The key that typed `c` when it can be part of a reference or an ID number (a letter, a digit,
/// `-`); `None` for anything else (a space, say). Thai characters and the signs Kedmanee types
/// on digit keys go back to their keys; a `-` too when the Thai layout is on (`thai`). Thai
/// digits other than `๐` are digits.
fn query_char(c: char, thai: bool) -> Option<char> {
    let key = match c {
        '-' if thai => '3',
        '-' => '-',
        c if c.is_ascii_alphanumeric() => c,
        // `๐` is Shift-Q on Kedmanee (a reference's check letter); the other Thai digits are
        // on keys no reference or ID holds, so they are the digits.
        c => match kedmanee::to_key(c) {
            Some(k) if k.is_ascii_alphanumeric() || k == '-' => k,
            _ => thai_digits_to_ascii(&c.to_string())
                .chars()
                .next()
                .filter(char::is_ascii_digit)?,
        },
    };
    (key.is_ascii_alphanumeric() || key == '-').then_some(key)
}

/// The digit `c` stands for in a security code: an ASCII or Thai digit, or what the Thai layout
/// types on a digit key (`ๅ` is 1, `จ` is 0).
fn code_digit(c: char) -> Option<char> {
    if c.is_ascii_digit() {
        return Some(c);
    }
    let thai = thai_digits_to_ascii(&c.to_string());
    if let Some(d) = thai.chars().next().filter(char::is_ascii_digit) {
        return Some(d);
    }
    kedmanee::to_key(c).filter(char::is_ascii_digit)
}

/// A bracketed paste into the scan line (or the code while a person is shown).
pub(super) fn paste(app: &mut App, s: &str) {
    for c in s.chars().filter(|c| !c.is_control()) {
        typed(app, c);
    }
}

/// Back to an empty scan line: the person, what was said and the line are cleared.
fn back_to_scanning(app: &mut App) {
    if let Some(view) = app.checkin.as_mut() {
        view.arrival = None;
        view.said = None;
        view.query.clear();
        view.thai = false;
    }
    app.hint = None;
}

/// Enter on the scan line: ask the list.
fn find(app: &mut App) -> Vec<Effect> {
    let Some(view) = app.checkin.as_mut() else {
        return Vec::new();
    };
    let query = view.query.text().trim().to_owned();
    if query.is_empty() {
        return Vec::new();
    }
    view.query.clear();
    view.thai = false;
    view.said = None;
    app.hint = None;
    vec![Effect::Checkin(CheckinEffect::Find { query })]
}

/// Enter on the code: record the dose.
fn record(app: &mut App) -> Vec<Effect> {
    let operator = app.operator_name();
    let Some(a) = app.checkin.as_ref().and_then(|v| v.arrival.as_ref()) else {
        return Vec::new();
    };
    if a.code.is_empty() {
        app.hint = Some(Hint::Checkin(crate::kiosk::tui::words::checkin::TYPE_CODE));
        return Vec::new();
    }
    app.hint = None;
    vec![Effect::Checkin(CheckinEffect::Record {
        reference: a.person.reference.clone(),
        code: a.code.text().to_owned(),
        operator,
    })]
}

/// A card read on the check-in screen: its ID number is looked up as if typed.
pub(super) fn card(app: &mut App, citizen_id: &str) -> Vec<Effect> {
    if app.confirm.is_some() || app.checkin.as_ref().is_none_or(|v| v.lot.is_some()) {
        return Vec::new();
    }
    back_to_scanning(app);
    if let Some(view) = app.checkin.as_mut() {
        view.query.set_text(citizen_id);
    }
    find(app)
}
