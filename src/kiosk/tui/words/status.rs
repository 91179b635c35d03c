//! The status line at the foot of every screen: the operator, the link to the hub, the hub in
//! use, the ID card reader, records pending, the last sync, the keyboard layout.

use super::Phrase;

/// Before the operator's name.
pub const OPERATOR: Phrase = Phrase::new("ผู้ปฏิบัติงาน", "op");

/// The link to the hub.
pub const NO_HUB: Phrase = Phrase::new("ไม่ได้ตั้งค่าศูนย์", "no hub configured");
pub const CHECKING: Phrase = Phrase::new("กำลังตรวจสอบ", "checking");
pub const ONLINE: Phrase = Phrase::new("● ออนไลน์", "● online");
pub const OFFLINE: Phrase = Phrase::new("○ ออฟไลน์", "○ offline");
/// The time the hub asked the kiosk to wait until follows.
pub const BUSY_UNTIL: Phrase = Phrase::new("ศูนย์ไม่ว่างถึง", "hub busy until");
pub const NOT_AUTHORISED: Phrase = Phrase::new("ไม่ได้รับอนุญาต", "not authorised");
pub const UNNAMED: Phrase = Phrase::new("ยังไม่ตั้ง kiosk_id: ไม่ส่ง", "kiosk_id unset: not sending");
/// Before the hub's address in use.
pub const HUB: Phrase = Phrase::new("ศูนย์", "hub");

/// The ID card reader: `CARD` and then its state.
pub const CARD: Phrase = Phrase::new("บัตร", "card");
pub const CARD_NO_SERVICE: Phrase = Phrase::new("ไม่มี pcscd", "no pcscd");
pub const CARD_NO_READER: Phrase = Phrase::new("ไม่มีเครื่องอ่าน", "no reader");
pub const CARD_READER_ERROR: Phrase = Phrase::new("เครื่องอ่านขัดข้อง", "reader error");
pub const CARD_READY: Phrase = Phrase::new("พร้อม", "ready");
pub const CARD_READING: Phrase = Phrase::new("กำลังอ่าน…", "reading…");
pub const CARD_DONE: Phrase = Phrase::new("อ่านแล้ว", "read");
pub const CARD_FAILED: Phrase = Phrase::new("อ่านไม่ได้", "card error");

/// Before the count of records not yet sent.
pub const PENDING: Phrase = Phrase::new("รอส่ง", "pending");
/// Before the time of the last successful sync.
pub const LAST_SYNC: Phrase = Phrase::new("ส่งล่าสุด", "last sync");
/// Before the keyboard layout (TH or EN).
pub const KEYBOARD: Phrase = Phrase::new("แป้น", "kbd");
