//! The start of shift: who is at the counter, the counter's PIN, and the enrolment code of a
//! kiosk with no hub yet.

use super::Phrase;
use crate::core::enrolment::EnrolProblem;
use crate::core::thai::Lang;
use crate::kiosk::queue::{MIN_CHOSEN_PIN_CHARS, MIN_PIN_CHARS, PinError, Weakness};

pub const TITLE: Phrase = Phrase::new(" เริ่มกะ ", " Start of shift ");
/// The program's name, in both scripts.
pub const BRAND: &str = " รวมใจ · ruamjai";
/// Before the kiosk's id.
pub const KIOSK: Phrase = Phrase::new("จุดบริการ", "Kiosk");
/// Before the place's name.
pub const PLACE: Phrase = Phrase::new("สถานที่", "Place");
pub const OPERATOR: Phrase = Phrase::new(" ชื่อผู้ปฏิบัติงาน: ", " Operator's name: ");
pub const RECORDED: Phrase = Phrase::new(
    " ชื่อนี้จะบันทึกไว้กับทุกรายการในกะนี้",
    " This name is recorded on every registration of the shift",
);
pub const KEYS: Phrase = Phrase::new(
    " Enter เริ่มงาน   ` หรือ F3 สลับแป้นไทย/อังกฤษ",
    " Enter starts   ` or F3 switches Thai/English keys",
);

/// Before the PIN's asterisks.
pub const PIN: Phrase = Phrase::new(" รหัส PIN ของจุดบริการ: ", " Counter's PIN: ");
/// Under the PIN while it is asked for.
pub const PIN_OPENS: Phrase = Phrase::new(
    " PIN เปิดชื่อผู้ลงทะเบียนบนจอ; Enter ว่าง = เริ่มโดยไม่เปิด",
    " The PIN unlocks names on screen; empty Enter starts without",
);
/// The kiosk has no PIN yet.
pub const NO_PIN: Phrase = Phrase::new(
    " ยังไม่ตั้ง PIN: หน้าคิวแสดงเฉพาะเลขอ้างอิง (ruamjai pin set)",
    " No PIN set: the queue shows references only (ruamjai pin set)",
);
/// Before the asterisks of the PIN chosen at the first start.
pub const CHOOSE_PIN: Phrase = Phrase::new(" ตั้ง PIN ของจุดบริการ: ", " Choose the counter's PIN: ");
/// Before the asterisks of the chosen PIN typed again.
pub const PIN_AGAIN: Phrase = Phrase::new(" พิมพ์ PIN อีกครั้ง: ", " Type it again: ");
/// Under the two PIN fields at the first start.
pub const CHOOSE_WHY: Phrase = Phrase::new(
    " เริ่มใช้ครั้งแรก: PIN นี้ใช้เปิดชื่อผู้ลงทะเบียนบนจอ",
    " First start: this PIN unlocks the names on screen",
);
/// The wait after too many wrong PINs is over.
pub const PIN_MAY_TRY: Phrase = Phrase::new("ใส่ PIN ได้อีกครั้งแล้ว", "You may try the PIN again now");
/// Enter with no PIN chosen yet.
pub const CHOOSE_FIRST: Phrase = Phrase::new(
    "ตั้ง PIN ก่อน (อย่างน้อย 6 ตัว): ข้อมูลที่บันทึกจะถูกล็อกด้วย PIN นี้",
    "Choose the PIN first (at least 6 characters): what is saved is locked with it",
);
/// The PIN typed again differs.
pub const PINS_DIFFER: Phrase = Phrase::new(
    "PIN ที่พิมพ์ครั้งที่สองไม่ตรงกับครั้งแรก: พิมพ์อีกครั้ง",
    "The second PIN is not the same as the first: type it again",
);
/// The shift is open already (the PIN was given to the kiosk when it started).
pub const SHIFT_OPEN: Phrase = Phrase::new(
    " กะนี้เปิดแล้ว: หน้าคิวแสดงชื่อผู้ลงทะเบียน",
    " The shift is open: the queue screen shows names",
);
/// The keys while the PIN is asked for.
pub const PIN_KEYS: Phrase = Phrase::new(
    " Enter ถัดไป/เริ่มงาน   Tab สลับช่อง   ` หรือ F3 แป้นไทย/อังกฤษ",
    " Enter next/start   Tab field   ` or F3 Thai/English keys",
);
/// On the message line after an empty PIN.
pub const WITHOUT_PIN: Phrase = Phrase::new(
    "เริ่มกะโดยไม่ใส่ PIN: ลงทะเบียนได้ตามปกติ แต่หน้าคิวไม่แสดงชื่อ (Esc กลับไปใส่ PIN)",
    "Shift started without the PIN: registering works, the queue shows no names (Esc, then the PIN)",
);

/// Why the PIN was not taken.
#[must_use]
pub fn pin_refused(e: &PinError, lang: Lang) -> String {
    match e {
        PinError::Wrong { tries_left } => format!(
            "{} {tries_left} {}",
            lang.pick("PIN ไม่ถูกต้อง — ลองได้อีก", "Wrong PIN:"),
            lang.pick(
                "ครั้ง ก่อนต้องรอระหว่างแต่ละครั้ง",
                "more tries before each try has to wait"
            )
        ),
        PinError::Wait { secs } => format!(
            "{} {secs} {}",
            lang.pick(
                "PIN ผิดหลายครั้ง — ลองใหม่ได้ในอีก",
                "Too many wrong PINs: try again in"
            ),
            lang.pick("วินาที", "s")
        ),
        PinError::TooShort => format!(
            "{} {MIN_PIN_CHARS} {}",
            lang.pick("PIN ต้องยาวอย่างน้อย", "A PIN has at least"),
            lang.pick("ตัว", "characters")
        ),
        PinError::Weak(w) => weak(*w, lang),
        PinError::NotSet | PinError::AlreadySet | PinError::Broken(_) => format!(
            "{} {e}",
            lang.pick("เปิดกะด้วย PIN ไม่ได้:", "The shift could not be opened:")
        ),
    }
}

/// Why a PIN chosen at the first start was refused.
fn weak(w: Weakness, lang: Lang) -> String {
    match w {
        Weakness::Short => format!(
            "{} {MIN_CHOSEN_PIN_CHARS} {}",
            lang.pick("PIN ต้องยาวอย่างน้อย", "A PIN chosen here has at least"),
            lang.pick("ตัว", "characters")
        ),
        Weakness::OneKey => lang
            .pick(
                "PIN ที่กดปุ่มเดียวซ้ำ (เช่น 000000) เดาง่าย: เลือกใหม่",
                "One key again and again (like 000000) is guessed first: choose another",
            )
            .into(),
        Weakness::Run => lang
            .pick(
                "PIN ที่เรียงขึ้นหรือลง (เช่น 123456) เดาง่าย: เลือกใหม่",
                "A PIN counting up or down (like 123456) is guessed first: choose another",
            )
            .into(),
        Weakness::Repeated => lang
            .pick(
                "PIN ที่ซ้ำกลุ่มสั้น ๆ (เช่น 121212) เดาง่าย: เลือกใหม่",
                "A short group repeated (like 121212) is guessed first: choose another",
            )
            .into(),
    }
}

/// Before the enrolment code, on a kiosk with no hub yet.
pub const CODE: Phrase = Phrase::new(" รหัสลงทะเบียนเครื่อง: ", " Enrolment code: ");
/// Under the enrolment code.
pub const CODE_WHY: Phrase = Phrase::new(
    " สแกนหรือพิมพ์รหัสจากศูนย์ (ruamjai hub enrol) แล้วกด Enter; Enter ว่าง = ข้าม",
    " Scan or type the hub's code (ruamjai hub enrol), then Enter; empty Enter skips",
);
/// The hub is asked.
pub const ENROLLING: Phrase = Phrase::new(
    "กำลังติดต่อศูนย์เพื่อลงทะเบียนเครื่อง…",
    "Asking the hub to enrol this kiosk…",
);

/// The kiosk was enrolled.
#[must_use]
pub fn enrolled(kiosk: &str, host: &str, lang: Lang) -> String {
    match lang {
        Lang::Th => format!("ลงทะเบียนเครื่องแล้ว: {kiosk} ที่ {host} — รายการที่บันทึกไว้จะส่งไปศูนย์"),
        Lang::En => format!("Enrolled as {kiosk} at {host}: what is saved goes to the hub"),
    }
}

/// Why the enrolment code did not enrol the kiosk (nothing was changed; the code stays).
#[must_use]
pub fn enrol_refused(problem: &EnrolProblem, lang: Lang) -> String {
    let l = lang;
    match problem {
        EnrolProblem::NotACode => l
            .pick(
                "นี่ไม่ใช่รหัสลงทะเบียนเครื่อง (ขึ้นต้นด้วย RJ1.)",
                "This is not an enrolment code (one starts with RJ1.)",
            )
            .into(),
        EnrolProblem::Mistyped => l
            .pick(
                "รหัสไม่ถูกต้อง: มีตัวอักษรผิดหรือขาด ตรวจกับรหัสจากศูนย์",
                "The code does not add up: a character is mistyped or missing; check it",
            )
            .into(),
        EnrolProblem::Newer(v) => format!(
            "{} ({v})",
            l.pick(
                "รหัสนี้มาจาก ruamjai รุ่นใหม่กว่า: ปรับรุ่นเครื่องนี้ก่อน",
                "This code is from a newer ruamjai: update this kiosk first"
            )
        ),
        EnrolProblem::Wrong => l
            .pick(
                "ศูนย์ไม่รู้จักรหัสนี้: ตรวจรหัส หรือขอรหัสใหม่",
                "The hub knows no such code: check it, or ask for a new one",
            )
            .into(),
        EnrolProblem::Used => l
            .pick(
                "รหัสนี้ถูกใช้ไปแล้ว (ใช้ได้ครั้งเดียว): ขอรหัสใหม่จากศูนย์",
                "This code was used already (a code works once): ask the hub for a new one",
            )
            .into(),
        EnrolProblem::Expired => l
            .pick(
                "รหัสนี้หมดอายุแล้ว: ขอรหัสใหม่จากศูนย์",
                "This code has expired: ask the hub for a new one",
            )
            .into(),
        EnrolProblem::KeyMismatch => l
            .pick(
                "ศูนย์ที่ตอบไม่ใช่ศูนย์ที่ออกรหัส: ไม่ได้เปลี่ยนแปลงอะไร",
                "The hub that answered is not the one that made the code: nothing was changed",
            )
            .into(),
        EnrolProblem::Unreachable(why) => format!(
            "{} ({why})",
            l.pick(
                "ติดต่อศูนย์ไม่ได้ ไม่ได้เปลี่ยนแปลงอะไร: ตรวจเครือข่ายแล้ว Enter อีกครั้ง",
                "The hub could not be reached, nothing was changed: check the network, then Enter again"
            )
        ),
        EnrolProblem::Other(why) => format!(
            "{} {why}",
            l.pick("ลงทะเบียนเครื่องไม่สำเร็จ:", "The kiosk was not enrolled:")
        ),
    }
}
