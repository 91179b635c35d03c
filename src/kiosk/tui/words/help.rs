//! The help screen (F1 / Ctrl-G): every key and what it does.

use super::Phrase;

pub const TITLE: Phrase = Phrase::new(" ช่วยเหลือ — ปุ่มลัด (Esc ปิด) ", " Help — keys (Esc closes) ");

/// The table: the keys as written on the keyboard, and what they do.
pub const KEYS: &[(&str, Phrase)] = &[
    ("F1  Ctrl-G", Phrase::new("หน้าช่วยเหลือนี้", "this help")),
    (
        "F2  Ctrl-L",
        Phrase::new("สลับภาษา ไทย / English", "switch language Thai / English"),
    ),
    (
        "F3  Ctrl-T  `",
        Phrase::new(
            "สลับแป้นพิมพ์ TH (เกษมณี) / EN",
            "switch keyboard layout TH (Kedmanee) / EN",
        ),
    ),
    (
        "F4  Ctrl-O",
        Phrase::new(
            "รายการในคิว ค้นหา แก้ไข ยกเลิก",
            "queue: search, correct, cancel",
        ),
    ),
    (
        "F5",
        Phrase::new(
            "วาดหน้าจอใหม่ทั้งหมด (เมื่อจอเพี้ยน)",
            "redraw the whole screen (if it looks garbled)",
        ),
    ),
    ("F9  Ctrl-R", Phrase::new("ตรวจทาน / บันทึก", "review / save")),
    ("F10 Ctrl-Q", Phrase::new("ออกจากโปรแกรม", "quit")),
    (
        "Tab ↓  Shift-Tab ↑",
        Phrase::new("ช่องถัดไป / ก่อนหน้า", "next / previous field"),
    ),
    ("Enter", Phrase::new("ไปต่อ", "go on")),
    (
        "Esc",
        Phrase::new(
            "ย้อนกลับ (ถามก่อนทิ้งข้อมูล: Y ทิ้ง, Enter ไม่ทิ้ง)",
            "go back (asks first: Y discards, Enter keeps)",
        ),
    ),
    (
        "← →  Space  1-9",
        Phrase::new("เลือกตัวเลือก", "change a choice"),
    ),
    (
        "-",
        Phrase::new("วันเกิด: ไม่ทราบวัน/เดือน", "birth date: day/month unknown"),
    ),
    ("Ctrl-U", Phrase::new("ล้างช่องนี้", "clear this field")),
    (
        "Ctrl-E",
        Phrase::new("แก้ไขรายการเดิมของคนนี้", "correct this person's first record"),
    ),
    (
        "Delete  Ctrl-D",
        Phrase::new("คิว: ยกเลิกรายการ", "queue: cancel a record"),
    ),
];

/// Below the table.
pub const SAVED_AT_ONCE: Phrase = Phrase::new(
    " ข้อมูลบันทึกลงเครื่องทันที ส่งไปศูนย์เองเมื่อเชื่อมต่อได้ ไม่ต้องรอเครือข่าย",
    " Records are saved on this machine at once and sent to the hub when the link is up",
);
