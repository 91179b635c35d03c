//! `ruamjai card read [--json] [--show]`: what the reader and the card in it say, for a
//! technician setting up a counter. The holder's details are masked (first character, then `*`;
//! the birth year alone) unless `--show` is given; the card's dates, issuer and the address's
//! tambon, amphoe and province are shown, with whether the national list knows the address.
//! A field the card holds that makes no sense (a birth date that is no real date) is shown as
//! unreadable and named on a last row, `unreadable`; the rest is shown as read. Exit 0 read (also
//! with an unreadable field), 1 nothing to read (no service, reader or card), 2 the card could not
//! be read.
//! Nothing read from the card is logged.

use std::time::Duration;

use unicode_segmentation::UnicodeSegmentation;

use crate::core::form::Context;
use crate::core::thai::national_id::format_id;
use crate::kiosk::card::{self, CardData, CardError, Expiry, Generation, fill};

/// How `card read` prints.
#[derive(Clone, Copy, Debug, Default)]
pub struct Show {
    pub json: bool,
    /// The holder's details in full.
    pub unmasked: bool,
}

/// `s` as its first character and a `*` for each character after it.
fn mask(s: &str, show: bool) -> String {
    if show {
        return s.to_owned();
    }
    let mut g = s.graphemes(true);
    g.next().map_or_else(String::new, |first| {
        format!("{first}{}", "*".repeat(g.count()))
    })
}

/// The fields to print, in order: (key, value).
fn fields(data: &CardData, show: bool) -> Vec<(&'static str, String)> {
    let today = Context::now().today;
    let name = |n: &card::Name| {
        [
            n.title.clone(),
            mask(&n.first, show),
            mask(&n.middle, show),
            mask(&n.last, show),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    };
    let id = if show {
        format_id(&data.citizen_id)
    } else {
        format!(
            "{}-****-*****-**-{}",
            &data.citizen_id[..1],
            &data.citizen_id[12..]
        )
    };
    let birth = match (data.birth_date, show) {
        (Some(d), true) => d.format(),
        (Some(d), false) => format!("**/**/{}", d.year_be),
        (None, _) => String::new(),
    };
    let expiry = match data.expiry {
        Expiry::On(d) if data.expired(today) => format!("{} (expired)", d.format()),
        Expiry::On(d) => d.format(),
        Expiry::Lifelong => "lifelong".to_owned(),
        Expiry::Unknown => "unknown".to_owned(),
    };
    let a = &data.address;
    let filled = fill::form_values(data);
    let postcode = filled
        .values
        .iter()
        .find(|(k, _)| *k == crate::core::form::FieldKey::Postcode)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let rows = vec![
        ("citizen_id", id),
        ("name_th", name(&data.name_th)),
        ("name_en", name(&data.name_en)),
        ("birth_date", birth),
        (
            "sex",
            data.sex.map(|s| mask(s.as_str(), show)).unwrap_or_default(),
        ),
        (
            "house_no",
            mask(&format!("{} {}", a.house_no, a.moo), show)
                .trim()
                .to_owned(),
        ),
        ("tambon", a.tambon.clone()),
        ("amphoe", a.amphoe.clone()),
        ("province", a.province.clone()),
        (
            "postcode",
            if filled.address_known {
                format!("{postcode} (national list)")
            } else {
                "not in the national list".to_owned()
            },
        ),
        ("issuer", data.issuer.clone()),
        (
            "issued",
            data.issued.map(|d| d.format()).unwrap_or_default(),
        ),
        ("expires", expiry),
    ];
    marked_unreadable(rows, &data.unreadable)
}

/// The row each of the card's fields is printed in.
fn row_of(what: &str) -> &'static [&'static str] {
    match what {
        "Thai name" => &["name_th"],
        "English name" => &["name_en"],
        "birth date" => &["birth_date"],
        "sex" => &["sex"],
        "issuer" => &["issuer"],
        "issue date" => &["issued"],
        "expiry date" => &["expires"],
        "address" => &["house_no", "tambon", "amphoe", "province", "postcode"],
        _ => &[],
    }
}

/// `rows` with each field the card gave that makes no sense said so, and a last row naming them.
fn marked_unreadable(
    mut rows: Vec<(&'static str, String)>,
    unreadable: &[&'static str],
) -> Vec<(&'static str, String)> {
    for what in unreadable {
        for (key, value) in &mut rows {
            if row_of(what).contains(key) {
                *value = format!("unreadable: the card's {what} makes no sense");
            }
        }
    }
    if !unreadable.is_empty() {
        rows.push(("unreadable", unreadable.join(", ")));
    }
    rows
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `card read`; the exit code.
pub fn read(reader: Option<&str>, timeout: Duration, show: Show) -> i32 {
    let out = std::io::stdout();
    let mut out = out.lock();
    match card::read_once(reader, timeout) {
        Ok((name, atr, data)) => {
            let generation = match data.generation {
                Generation::Older => "older (GET RESPONSE 00 C0 00 01)",
                Generation::Current => "current (GET RESPONSE 00 C0 00 00)",
            };
            let mut rows = vec![
                ("reader", name),
                ("atr", hex(&atr)),
                ("generation", generation.to_owned()),
            ];
            rows.extend(fields(&data, show.unmasked));
            print_rows(&mut out, &rows, show.json);
            0
        }
        Err(e) => {
            let code = match e {
                CardError::Unsupported
                | CardError::NoService
                | CardError::NoReader
                | CardError::NoCard
                | CardError::ReaderGone => 1,
                _ => 2,
            };
            if show.json {
                print_rows(&mut out, &[("error", e.to_string())], true);
            } else {
                eprintln!("ruamjai card read: {e}");
            }
            code
        }
    }
}

fn print_rows(out: &mut impl std::io::Write, rows: &[(&str, String)], json: bool) {
    let text = if json {
        let map: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone())))
            .collect();
        serde_json::Value::Object(map).to_string()
    } else {
        rows.iter()
            .map(|(k, v)| {
                format!(
                    "{k:<11} {}",
                    crate::core::thai::width::sanitize_for_display(v)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let _ = writeln!(out, "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_the_card_holds_wrong_is_named_and_the_rest_shown() {
        let rows = vec![
            ("name_th", "นาย ส**** ใ***".to_owned()),
            ("birth_date", String::new()),
            ("sex", "m***".to_owned()),
        ];
        let rows = marked_unreadable(rows, &["birth date"]);
        assert_eq!(rows[0].1, "นาย ส**** ใ***");
        assert_eq!(
            rows[1].1,
            "unreadable: the card's birth date makes no sense"
        );
        assert_eq!(
            rows.last().unwrap(),
            &("unreadable", "birth date".to_owned())
        );
        assert_eq!(marked_unreadable(Vec::new(), &[]), Vec::new());
    }
}
