//! What a slip says: the facts of one saved registration ([`Slip`]), built from what the screen
//! or the queue holds, with the ID number masked; and the slip's own words, Thai and English
//! (labels, the record's state, the date in the Buddhist Era). Drawing it is `layout`'s.

use crate::core::form::{Campaign, Registration};
use crate::core::protocol::{Appointment, Outcome, appointment_state};
use crate::core::thai::Lang;
use crate::core::thai::date::{iso_to_be_or_as_is, today_be_from_unix};
use crate::kiosk::queue::State;

/// One slip's facts, in the kiosk's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slip {
    pub lang: Lang,
    pub campaign: String,
    /// The registration point.
    pub point: String,
    pub reference: String,
    /// What the QR code holds: the same as the screen's (the reference).
    pub qr: String,
    /// The target group, number and name.
    pub group: String,
    /// The ID number masked ([`mask_id`]); empty when not known.
    pub id_masked: String,
    /// When it was saved (Unix ms); `None`: the time it prints.
    pub saved_at_ms: Option<i64>,
    pub utc_offset_secs: i32,
    pub state: SlipState,
    /// The appointment, once the hub gave one: the site in the slip's language, the day in the
    /// Buddhist Era, the slot, its state unless booked ([`Slip::set_appointment`]).
    pub appointment: Option<String>,
    /// The security code given with the appointment, when it can be read (a shift open).
    pub security_code: Option<String>,
    /// What to bring, from `[printer] bring`; `None`: the slip's own line.
    pub bring: Option<String>,
}

/// The record's state as the slip says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlipState {
    /// Saved here, not at the hub yet.
    Queued,
    Accepted,
    /// On the waiting list, at this place.
    Waiting(u64),
    Duplicate,
    Rejected,
    Cancelled,
}

impl SlipState {
    /// From the queue's state and the hub's answer.
    #[must_use]
    pub fn of(state: State, outcome: Option<&Outcome>) -> Self {
        match (state, outcome) {
            (State::Waitlisted, Some(Outcome::Waitlisted { position, .. })) => {
                Self::Waiting(*position)
            }
            (State::Waitlisted, _) => Self::Waiting(0),
            (State::Accepted, _) => Self::Accepted,
            (State::Duplicate, _) => Self::Duplicate,
            (State::Rejected, _) => Self::Rejected,
            (State::Cancelled, _) => Self::Cancelled,
            (State::Pending | State::Sending, _) => Self::Queued,
        }
    }

    /// In words.
    #[must_use]
    pub fn say(self, lang: Lang) -> String {
        match self {
            Self::Queued => lang
                .pick("บันทึกแล้ว รอส่งไปศูนย์", "saved, on its way to the hub")
                .into(),
            Self::Accepted => lang.pick("ศูนย์รับแล้ว", "accepted").into(),
            Self::Waiting(0) => lang.pick("รอคิวสำรอง", "on the waiting list").into(),
            Self::Waiting(n) => format!(
                "{} {n}",
                lang.pick("รอคิวสำรอง ลำดับที่", "waiting list, number")
            ),
            Self::Duplicate => lang.pick("ลงทะเบียนไว้แล้ว (ซ้ำ)", "already registered").into(),
            Self::Rejected => lang
                .pick("ต้องแก้ไข ติดต่อเจ้าหน้าที่", "needs correcting: ask the clerk")
                .into(),
            Self::Cancelled => lang.pick("ยกเลิกแล้ว", "cancelled").into(),
        }
    }
}

impl Slip {
    /// The slip of a saved registration: `registration` when it can be read (its group and ID).
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        campaign: &Campaign,
        point: &str,
        lang: Lang,
        reference: &str,
        registration: Option<&Registration>,
        state: SlipState,
        saved_at_ms: Option<i64>,
        bring: Option<String>,
    ) -> Self {
        let group = registration
            .and_then(|r| campaign.group(r.target_group))
            .map(|g| format!("{} {}", g.number, g.name(lang)))
            .unwrap_or_default();
        Self {
            lang,
            campaign: campaign.name(lang).to_owned(),
            point: point.to_owned(),
            reference: reference.to_owned(),
            qr: reference.to_owned(),
            group,
            id_masked: registration
                .map(|r| mask_id(&r.id_number))
                .unwrap_or_default(),
            saved_at_ms,
            utc_offset_secs: 0,
            state,
            appointment: None,
            security_code: None,
            bring,
        }
    }

    /// Prints `a`, the appointment the hub gave, on this slip: `โรงพยาบาลสกลนคร 02/08/2564
    /// 09:00-12:00`, with its state when it is no longer booked, and its security code when
    /// known.
    pub fn set_appointment(&mut self, a: &Appointment) {
        let l = self.lang;
        let (first, second) = match l {
            Lang::Th => (&a.site_name_th, &a.site_name_en),
            Lang::En => (&a.site_name_en, &a.site_name_th),
        };
        let site = [first, second, &a.site_id]
            .into_iter()
            .find(|s| !s.trim().is_empty())
            .map_or("", String::as_str);
        let day = iso_to_be_or_as_is(&a.date);
        let mut text = format!("{site} {day}");
        if let Some(slot) = &a.slot {
            text = format!("{text} {slot}");
        }
        if let Some(state) = words::appointment_state(&a.state, l) {
            text = format!("{text} ({state})");
        }
        self.appointment = Some(text);
        self.security_code.clone_from(&a.security_code);
    }

    /// `ruamjai printer test`'s slip: Thai with stacked marks and SARA AM, and a QR code.
    #[must_use]
    pub fn test(point: &str, lang: Lang) -> Self {
        Self {
            lang,
            campaign: "ทดสอบเครื่องพิมพ์ ที่นี่ น้ำ ก๊าซ ผู้สูงอายุ".into(),
            point: point.to_owned(),
            reference: "TEST-0000-0".into(),
            qr: "TEST-0000-0".into(),
            group: "1 ผู้สูงอายุ 60 ปีขึ้นไป".into(),
            id_masked: mask_id("1234567890123"),
            saved_at_ms: None,
            utc_offset_secs: 0,
            state: SlipState::Queued,
            appointment: None,
            security_code: None,
            bring: None,
        }
    }

    /// The date and time it was saved, in the Buddhist Era: `7 ธ.ค. 2569 16:35 น.`.
    #[must_use]
    pub fn when(&self, now_ms: i64) -> String {
        let ms = self.saved_at_ms.unwrap_or(now_ms);
        let secs = ms.div_euclid(1000);
        let d = today_be_from_unix(secs, self.utc_offset_secs);
        let local = (secs + i64::from(self.utc_offset_secs)).rem_euclid(86_400);
        let (h, m) = (local / 3600, local % 3600 / 60);
        let month = usize::from(d.month.unwrap_or(1).clamp(1, 12)) - 1;
        match self.lang {
            Lang::Th => format!(
                "{} {} {} {h:02}:{m:02} น.",
                d.day.unwrap_or(1),
                MONTHS_TH[month],
                d.year_be
            ),
            Lang::En => format!(
                "{} {} {} BE {h:02}:{m:02}",
                d.day.unwrap_or(1),
                MONTHS_EN[month],
                d.year_be
            ),
        }
    }
}

const MONTHS_TH: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An ID number with all but its last four digits as `x`, its separators kept:
/// `1-2345-67890-12-3` prints `x-xxxx-xxxx0-12-3`. The slip leaves the counter with the person
/// and may be lost; the last digits are enough for the person to know it is theirs.
#[must_use]
pub fn mask_id(id: &str) -> String {
    let digits = id.chars().filter(char::is_ascii_alphanumeric).count();
    let mut seen = 0;
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                seen += 1;
                if seen + 4 <= digits { 'x' } else { c }
            } else {
                c
            }
        })
        .collect()
}

/// The slip's labels.
pub(super) mod words {
    use crate::core::thai::Lang;

    pub fn reference(l: Lang) -> &'static str {
        l.pick("เลขอ้างอิง", "Reference")
    }
    pub fn group(l: Lang) -> &'static str {
        l.pick("กลุ่ม", "Group")
    }
    pub fn when(l: Lang) -> &'static str {
        l.pick("วันเวลา", "Saved")
    }
    pub fn state(l: Lang) -> &'static str {
        l.pick("สถานะ", "State")
    }
    pub fn id(l: Lang) -> &'static str {
        l.pick("เลขประจำตัว", "ID number")
    }
    pub fn appointment(l: Lang) -> &'static str {
        l.pick("วันนัด", "Appointment")
    }
    pub fn security_code(l: Lang) -> &'static str {
        l.pick("รหัสยืนยัน", "Security code")
    }
    /// An appointment's state, when it is not `booked` (a booked one says only where and when).
    pub fn appointment_state(state: &str, l: Lang) -> Option<&str> {
        use super::appointment_state as s;
        match state {
            s::BOOKED => None,
            s::VACCINATED => Some(l.pick("ฉีดแล้ว", "vaccinated")),
            s::NO_SHOW => Some(l.pick("ไม่มาตามนัด", "did not come")),
            s::CANCELLED => Some(l.pick("ยกเลิกนัดแล้ว", "cancelled")),
            other => Some(other),
        }
    }
    pub fn bring(l: Lang) -> &'static str {
        l.pick(
            "วันนัดโปรดนำบัตรประชาชนและใบนี้มาด้วย",
            "On the day, bring your ID card and this slip",
        )
    }
    pub fn keep(l: Lang) -> &'static str {
        l.pick("เก็บใบนี้ไว้เป็นหลักฐาน", "Keep this slip as your proof")
    }
}
