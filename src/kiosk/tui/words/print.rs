//! The paper slip on the message line: printing, printed, why not (the printer's own words, for
//! clerks, in English), and the receipt's line offering `p`.

use super::Phrase;
use crate::core::thai::Lang;

pub const PRINTING: Phrase = Phrase::new("กำลังพิมพ์ใบรับ…", "Printing the slip…");
pub const NO_PRINTER: Phrase = Phrase::new(
    "ไม่ได้ตั้งค่าเครื่องพิมพ์ ([printer] ใน config.toml)",
    "No printer is set up ([printer] in config.toml)",
);
/// Under the receipt when a printer is configured.
pub const PRINT_AGAIN: Phrase = Phrase::new("p พิมพ์ใบรับอีกครั้ง", "p print the slip again");

/// The slip printed; the paper may be running out.
#[must_use]
pub fn printed(paper_low: bool, lang: Lang) -> String {
    let done = lang.pick("พิมพ์ใบรับแล้ว", "Slip printed");
    if paper_low {
        format!(
            "{done} — {}",
            lang.pick("กระดาษใกล้หมด", "the paper is running out")
        )
    } else {
        done.to_owned()
    }
}

/// The slip did not print: the printer's words follow; the record is saved all the same.
#[must_use]
pub fn failed(why: &str, lang: Lang) -> String {
    format!(
        "{} {why} — {}",
        lang.pick("พิมพ์ใบรับไม่ได้:", "Slip not printed:"),
        lang.pick(
            "บันทึกแล้ว กด p เพื่อพิมพ์อีกครั้ง",
            "the record is saved; press p to print again"
        )
    )
}
