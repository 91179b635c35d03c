//! The check-in screen of a site's kiosk (`ruamjai checkin`): the scan line, the person and the
//! appointment found, the security code, the dose recorded, and what the clerk tells someone on
//! another day's or site's list, already vaccinated or not on the list; today's vaccine lot (F6)
//! and the site's list (its days, when it was downloaded, the doses waiting to be sent).

use super::Phrase;
use crate::core::thai::Lang;

pub const TITLE: Phrase = Phrase::new(" เช็กอินที่จุดฉีด ", " Check-in at the site ");

/// Before the scan field.
pub const SCAN: Phrase = Phrase::new(
    " สแกนใบรับ หรือพิมพ์เลขอ้างอิง/เลขบัตร: ",
    " Scan the receipt, or type the reference or ID number: ",
);

/// The keys line at the foot of the screen.
pub const KEYS: Phrase = Phrase::new(
    " Enter ค้นหา/บันทึก   Esc กลับไปสแกน   F6 ล็อตวัคซีนวันนี้",
    " Enter find/record   Esc back to scanning   F6 today's vaccine lot",
);
/// The footer's word beside F6.
pub const FOOTER_LOT: Phrase = Phrase::new("ล็อต", "Lot");

/// The site's list as the kiosk holds it: the site, its days and when it was downloaded, and
/// the doses recorded here that wait to be sent; three parts, which the screen puts on one line
/// or two.
#[must_use]
pub fn list_parts(
    site: &str,
    first_day: &str,
    last_day: &str,
    downloaded: &str,
    pending: usize,
    lang: Lang,
) -> [String; 3] {
    match lang {
        Lang::Th => [
            site.to_owned(),
            format!("รายชื่อ {first_day}–{last_day} โหลดเมื่อ {downloaded}"),
            format!("รอส่ง {pending} โดส"),
        ],
        Lang::En => [
            site.to_owned(),
            format!("list {first_day}–{last_day}, downloaded {downloaded}"),
            if pending == 1 {
                "1 dose to send".to_owned()
            } else {
                format!("{pending} doses to send")
            },
        ],
    }
}

/// On the status line of a site's kiosk: the doses waiting to be sent.
#[must_use]
pub fn doses_waiting(pending: usize, lang: Lang) -> String {
    match lang {
        Lang::Th => format!("โดสรอส่ง {pending}"),
        Lang::En => format!("doses to send {pending}"),
    }
}

/// The kiosk is not enrolled for a site (as far as the hub has said) and holds no list.
pub const NOT_A_SITE: Phrase = Phrase::new(
    "เครื่องนี้ยังไม่ใช่เครื่องของจุดฉีด: ที่ศูนย์สั่ง ruamjai hub add-kiosk ชื่อเครื่อง --site รหัสจุดฉีด แล้วที่เครื่องนี้สั่ง ruamjai flush",
    "This kiosk is not a site's kiosk: at the hub run `ruamjai hub add-kiosk NAME --site ID`, then `ruamjai flush` on this kiosk",
);
/// A site's kiosk with no list yet.
pub const NO_LIST_YET: Phrase = Phrase::new(
    "ยังไม่มีรายชื่อของจุดฉีด: เชื่อมต่อศูนย์แล้วสั่ง ruamjai flush (หรือรอให้เครื่องโหลดเอง)",
    "No list for this site yet: connect to the hub and run `ruamjai flush` (or wait for the kiosk to fetch it)",
);

/// Today's lot and dose number.
#[must_use]
pub fn today_lot(lot: &str, dose_number: u8, lang: Lang) -> String {
    match lang {
        Lang::Th => format!("วันนี้: ล็อตวัคซีน {lot} เข็มที่ {dose_number}   (F6 เปลี่ยน)"),
        Lang::En => format!("Today: vaccine lot {lot}, dose {dose_number}   (F6 to change)"),
    }
}
/// No lot is set for today.
pub const NO_LOT: Phrase = Phrase::new(
    "ยังไม่ได้ตั้งล็อตวัคซีนของวันนี้: กด F6",
    "No vaccine lot set for today: press F6",
);

/// The person's facts under their name.
#[must_use]
pub fn person_line(id_tail: &str, born: Option<&str>, group: u8, lang: Lang) -> String {
    let born = born
        .map(|b| format!("   {} {b}", lang.pick("เกิด", "born")))
        .unwrap_or_default();
    format!(
        "{} …{id_tail}{born}   {} {group}",
        lang.pick("เลขบัตรลงท้าย", "ID ending"),
        lang.pick("กลุ่ม", "group")
    )
}

/// The appointment of the person found here: site, day in BE, slot.
#[must_use]
pub fn appointment_line(site: &str, day: &str, slot: Option<&str>, lang: Lang) -> String {
    let slot = slot.map(|s| format!(" {s}")).unwrap_or_default();
    format!(
        "{} {site}  {day}{slot}",
        lang.pick("นัดหมาย:", "Appointment:")
    )
}

/// Before the security code field.
pub const CODE: Phrase = Phrase::new(
    " รหัสยืนยัน 4 หลัก (ถามผู้รับบริการ): ",
    " Security code (ask the person): ",
);
/// Under the code field.
pub const CODE_KEYS: Phrase = Phrase::new(
    " ตรวจชื่อและเลขบัตรกับบัตรประชาชน แล้ว Enter บันทึกการฉีด",
    " Check the name and ID with the card, then Enter records the dose",
);
/// The code given is not the appointment's.
pub const WRONG_CODE: Phrase = Phrase::new(
    "รหัสยืนยันไม่ถูกต้อง: ยังไม่ได้บันทึก ถามรหัสอีกครั้งแล้วแก้ไข",
    "Wrong security code: nothing recorded; ask again and correct it",
);
/// Enter with no code typed.
pub const TYPE_CODE: Phrase = Phrase::new(
    "พิมพ์รหัสยืนยันที่ผู้รับบริการได้รับก่อน",
    "Type the security code the person was given first",
);
/// Recording was refused for want of today's lot: the lot is asked for.
pub const SET_LOT_FIRST: Phrase = Phrase::new(
    "ตั้งล็อตวัคซีนของวันนี้ก่อน แล้วจะบันทึกการฉีดต่อ",
    "Set today's vaccine lot; the dose is recorded next",
);

/// The dose was recorded.
#[must_use]
pub fn recorded(name: &str, lot: &str, dose_number: u8, time: &str, lang: Lang) -> String {
    match lang {
        Lang::Th => {
            format!("✓ บันทึกการฉีดแล้ว: {name}  ล็อต {lot}  เข็มที่ {dose_number}  เวลา {time}")
        }
        Lang::En => format!("✓ Dose recorded: {name}, lot {lot}, dose {dose_number}, at {time}"),
    }
}
/// After a dose recorded.
pub const NEXT: Phrase = Phrase::new("สแกนใบรับของคนถัดไปได้เลย", "Scan the next person's receipt");

/// Booked for another day here: when to come.
#[must_use]
pub fn other_day(reference: &str, day: &str, slot: Option<&str>, site: &str, lang: Lang) -> String {
    let slot = slot.map(|s| format!(" {s}")).unwrap_or_default();
    match lang {
        Lang::Th => format!("{reference}: นัดวันอื่น ยังฉีดวันนี้ไม่ได้ — ให้มาวันที่ {day}{slot} ที่ {site}"),
        Lang::En => {
            format!("{reference}: booked for another day, not today: come on {day}{slot} at {site}")
        }
    }
}

/// Booked at another site: where and when to go.
#[must_use]
pub fn other_site(
    reference: &str,
    site: &str,
    day: &str,
    slot: Option<&str>,
    lang: Lang,
) -> String {
    let slot = slot.map(|s| format!(" {s}")).unwrap_or_default();
    match lang {
        Lang::Th => format!("{reference}: นัดที่จุดฉีดอื่น — ให้ไปที่ {site} วันที่ {day}{slot}"),
        Lang::En => format!("{reference}: booked at another site: go to {site} on {day}{slot}"),
    }
}

/// Already vaccinated: refused, with when and where.
#[must_use]
pub fn vaccinated(reference: &str, day: &str, time: &str, site: &str, lang: Lang) -> String {
    match lang {
        Lang::Th => format!("✗ {reference}: ฉีดแล้วเมื่อ {day} เวลา {time} ที่ {site} — ฉีดซ้ำไม่ได้"),
        Lang::En => format!(
            "✗ {reference}: already vaccinated on {day} at {time} at {site}: no second dose"
        ),
    }
}

/// Nobody on the list has this reference or ID number.
#[must_use]
pub fn not_found(query: &str, lang: Lang) -> String {
    match lang {
        Lang::Th => format!(
            "ไม่พบ {query} ในรายชื่อ: ตรวจเลขอ้างอิงหรือเลขบัตรอีกครั้ง; คนที่เพิ่งได้นัดจะอยู่ในรายชื่อหลัง ruamjai flush"
        ),
        Lang::En => format!(
            "{query} is not on the list: check the reference or ID number; someone booked since the list was downloaded appears after `ruamjai flush`"
        ),
    }
}

/// The person's details are sealed to the shift: the PIN opens them.
pub const NEED_SHIFT: Phrase = Phrase::new(
    "รายชื่อเปิดได้ด้วย PIN ของกะ: Esc กลับหน้าเริ่มกะแล้วใส่ PIN",
    "The list's names open with the shift's PIN: Esc to the start of shift and type it",
);
/// Check-in started with an empty PIN.
pub const PIN_NEEDED: Phrase = Phrase::new(
    "การเช็กอินต้องใช้ PIN ของกะ (รายชื่อถูกล็อกด้วย PIN)",
    "Check-in needs the shift's PIN (the list is locked with it)",
);
/// The queue could not be read or written: its message (for clerks, in English) follows.
pub const PROBLEM: Phrase = Phrase::new("อ่าน/บันทึกข้อมูลไม่ได้:", "Storage problem:");

/// Today's lot dialog.
pub const LOT_TITLE: Phrase = Phrase::new(" ล็อตวัคซีนของวันนี้ ", " Today's vaccine lot ");
pub const LOT: Phrase = Phrase::new(" ล็อตวัคซีน: ", " Vaccine lot: ");
pub const DOSE_NUMBER: Phrase = Phrase::new(" เข็มที่: ", " Dose number: ");
pub const LOT_KEYS: Phrase = Phrase::new(
    " Enter บันทึก   Tab ช่องถัดไป   Esc ยกเลิก",
    " Enter saves   Tab next field   Esc cancels",
);
/// The lot field is empty.
pub const LOT_EMPTY: Phrase = Phrase::new("พิมพ์เลขล็อตวัคซีน", "Type the vaccine lot");
/// The dose number is not 1 to 9.
pub const DOSE_RANGE: Phrase = Phrase::new("เข็มที่ต้องเป็น 1 ถึง 9", "The dose number is 1 to 9");
/// The lot was saved.
#[must_use]
pub fn lot_saved(lot: &str, dose_number: u8, lang: Lang) -> String {
    match lang {
        Lang::Th => format!("ตั้งล็อต {lot} เข็มที่ {dose_number} สำหรับวันนี้แล้ว"),
        Lang::En => format!("Lot {lot}, dose {dose_number} set for today"),
    }
}

/// The help screen's keys on a check-in kiosk.
pub const HELP_KEYS: &[(&str, Phrase)] = &[
    ("F1  Ctrl-G", Phrase::new("หน้าช่วยเหลือนี้", "this help")),
    (
        "F2  Ctrl-L",
        Phrase::new("สลับภาษา ไทย / English", "switch language Thai / English"),
    ),
    (
        "F5",
        Phrase::new(
            "วาดหน้าจอใหม่ทั้งหมด (เมื่อจอเพี้ยน)",
            "redraw the whole screen (if it looks garbled)",
        ),
    ),
    (
        "F6  Ctrl-K",
        Phrase::new(
            "ล็อตวัคซีนและเข็มที่ของวันนี้",
            "today's vaccine lot and dose number",
        ),
    ),
    ("F10 Ctrl-Q", Phrase::new("ออกจากโปรแกรม", "quit")),
    (
        "Enter",
        Phrase::new(
            "ค้นหาเลขอ้างอิง/เลขบัตร; บันทึกการฉีดเมื่อใส่รหัสยืนยันแล้ว",
            "find the reference or ID; record the dose once the code is typed",
        ),
    ),
    (
        "Esc",
        Phrase::new(
            "กลับไปสแกน (จอว่าง: กลับหน้าเริ่มกะ)",
            "back to scanning (from an empty screen: the start of shift)",
        ),
    ),
    ("Ctrl-U", Phrase::new("ล้างช่องนี้", "clear this field")),
];
