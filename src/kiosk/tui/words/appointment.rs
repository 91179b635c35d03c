//! An appointment the hub gave (issue 33), as the receipt and the queue screen say it: the site
//! in the screen's language, the day in the Buddhist Era with its time slot, the security code,
//! and the appointment's state.

use super::Phrase;
use crate::core::protocol::{Appointment, appointment_state as state};
use crate::core::thai::Lang;
use crate::core::thai::date::iso_to_be_or_as_is;

/// The labels of the receipt's appointment facts.
pub const SITE: Phrase = Phrase::new("สถานที่ฉีด", "Site");
pub const WHEN: Phrase = Phrase::new("วันนัด", "Date");
pub const CODE: Phrase = Phrase::new("รหัสยืนยัน", "Security code");
/// Before the appointment on the queue screen's detail.
pub const APPOINTMENT: Phrase = Phrase::new("นัดหมาย", "Appointment");

/// The site's name in `lang` (the other language's, or its id, when the hub gave none).
#[must_use]
pub fn site(a: &Appointment, lang: Lang) -> String {
    let (first, second) = match lang {
        Lang::Th => (&a.site_name_th, &a.site_name_en),
        Lang::En => (&a.site_name_en, &a.site_name_th),
    };
    [first, second, &a.site_id]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .cloned()
        .unwrap_or_default()
}

/// The appointment's state in words (a state this kiosk does not know, as the hub said it).
#[must_use]
pub fn state_name(a: &Appointment, lang: Lang) -> String {
    match a.state.as_str() {
        state::BOOKED => lang.pick("นัดแล้ว", "booked"),
        state::VACCINATED => lang.pick("ฉีดแล้ว", "vaccinated"),
        state::NO_SHOW => lang.pick("ไม่มาตามนัด", "did not come"),
        state::CANCELLED => lang.pick("ยกเลิกนัดแล้ว", "cancelled"),
        other => other,
    }
    .to_owned()
}

/// The day in the Buddhist Era (`02/08/2564`) and the slot, with the state: `02/08/2564
/// 09:00-12:00 (นัดแล้ว)`.
#[must_use]
pub fn when(a: &Appointment, lang: Lang) -> String {
    let day = iso_to_be_or_as_is(&a.date);
    let slot = a
        .slot
        .as_deref()
        .map(|s| format!(" {s}"))
        .unwrap_or_default();
    format!("{day}{slot} ({})", state_name(a, lang))
}

/// The whole appointment on one line, for the queue screen's detail: site, day, slot, state and
/// the security code when it can be read.
#[must_use]
pub fn line(a: &Appointment, lang: Lang) -> String {
    let code = a
        .security_code
        .as_deref()
        .map(|c| format!("  {} {c}", CODE.say(lang)))
        .unwrap_or_default();
    format!(
        "{}: {}  {}{code}",
        APPOINTMENT.say(lang),
        site(a, lang),
        when(a, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn booked() -> Appointment {
        Appointment {
            site_id: "SK-MUANG-01".into(),
            site_name_th: "โรงพยาบาลสกลนคร".into(),
            site_name_en: "Sakon Nakhon Hospital".into(),
            date: "2021-08-02".into(),
            slot: Some("09:00-12:00".into()),
            security_code: Some("4821".into()),
            state: state::BOOKED.into(),
            vaccinated_at: None,
        }
    }

    #[test]
    fn says_the_site_by_language_the_day_in_be_and_the_code() {
        let a = booked();
        assert_eq!(
            line(&a, Lang::Th),
            "นัดหมาย: โรงพยาบาลสกลนคร  02/08/2564 09:00-12:00 (นัดแล้ว)  รหัสยืนยัน 4821"
        );
        assert_eq!(
            line(&a, Lang::En),
            "Appointment: Sakon Nakhon Hospital  02/08/2564 09:00-12:00 (booked)  Security code 4821"
        );
        let moved = Appointment {
            site_name_en: String::new(),
            slot: None,
            security_code: None,
            state: state::NO_SHOW.into(),
            ..a
        };
        assert_eq!(site(&moved, Lang::En), "โรงพยาบาลสกลนคร");
        assert_eq!(when(&moved, Lang::En), "02/08/2564 (did not come)");
    }
}
