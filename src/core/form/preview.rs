//! A campaign's form as text, for whoever writes a campaign file to see before any kiosk does
//! (`ruamjai hub campaign check`): each field in the file's order with its label, `*` when
//! required, what it takes (type, limits, choices) and the groups it is asked of, in Thai and in
//! English, wrapped to a width with Thai counted as the terminal draws it. Labels come from a
//! file, so they are made safe for a terminal first.

use std::fmt::Write as _;

use super::question::QuestionType;
use super::rules::{self, Choice};
use super::{Campaign, FieldKey, FieldSpec};
use crate::core::thai::Lang;
use crate::core::thai::width::{sanitize_for_display, wrap};

fn words(lang: Lang, th: &str, en: &str) -> String {
    sanitize_for_display(lang.pick(th, en))
}

fn fixed(lang: Lang, choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| lang.pick(c.th, c.en))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// What a built-in field takes, in `lang`.
fn built_in(campaign: &Campaign, key: FieldKey, lang: Lang) -> String {
    let (th, en, list) = match key {
        FieldKey::IdType => ("เลือก", "choice", fixed(lang, &rules::ID_TYPES)),
        FieldKey::Sex => ("เลือก", "choice", fixed(lang, &rules::SEXES)),
        FieldKey::Consent => ("เลือก", "choice", fixed(lang, &rules::CONSENT)),
        FieldKey::Title => ("เลือกหรือพิมพ์", "choice or typed", campaign.titles.join(" / ")),
        FieldKey::TargetGroup => {
            let groups: Vec<String> = campaign
                .groups
                .iter()
                .map(|g| format!("{} {}", g.number, words(lang, &g.th, &g.en)))
                .collect();
            ("เลือก", "choice", groups.join(" / "))
        }
        FieldKey::IdNumber => ("เลขบัตร ตรวจหลักท้าย", "ID, check digit", String::new()),
        FieldKey::BirthDate => ("วันที่ พ.ศ.", "date (BE)", String::new()),
        FieldKey::Phone => ("เบอร์โทรศัพท์", "phone", String::new()),
        FieldKey::Tambon => ("ตำบล จากรายชื่อ", "tambon, from the list", String::new()),
        FieldKey::Moo | FieldKey::Postcode => ("ตัวเลข", "digits", String::new()),
        _ => ("ข้อความ", "text", String::new()),
    };
    let kind = format!("{} {}", words(lang, "ในตัว", "built-in"), lang.pick(th, en));
    if list.is_empty() {
        kind
    } else {
        format!("{kind}: {}", sanitize_for_display(&list))
    }
}

/// What a question takes, in `lang`.
fn question(spec: &FieldSpec, kind: QuestionType, lang: Lang) -> String {
    let name = match kind {
        QuestionType::Text | QuestionType::Unknown => words(lang, "ข้อความ", "text"),
        QuestionType::Number => words(lang, "ตัวเลข", "number"),
        QuestionType::Date => words(lang, "วันที่ พ.ศ.", "date (BE)"),
        QuestionType::YesNo => words(lang, "ใช่/ไม่ใช่", "yes/no"),
        QuestionType::Choice => words(lang, "เลือกหนึ่ง", "one of"),
        QuestionType::Choices => words(lang, "เลือกได้หลายข้อ", "any of"),
    };
    let mut out = name;
    match (spec.min, spec.max) {
        (Some(a), Some(b)) => write!(out, " {a}–{b}"),
        (Some(a), None) => write!(out, " ≥ {a}"),
        (None, Some(b)) => write!(out, " ≤ {b}"),
        (None, None) => Ok(()),
    }
    .ok();
    if let Some(n) = spec.max_len {
        let _ = write!(out, " ≤ {n} {}", words(lang, "ตัวอักษร", "characters"));
    }
    if !spec.choices.is_empty() {
        let list: Vec<String> = spec
            .choices
            .iter()
            .map(|c| {
                format!(
                    "{} ({})",
                    words(lang, &c.th, &c.en),
                    sanitize_for_display(&c.value)
                )
            })
            .collect();
        let _ = write!(out, ": {}", list.join(" / "));
    }
    out
}

/// The groups a question is asked of, when not all.
fn relevance(campaign: &Campaign, spec: &FieldSpec, lang: Lang) -> Option<String> {
    if spec.groups.is_empty() {
        return None;
    }
    let names: Vec<String> = spec
        .groups
        .iter()
        .map(|n| match campaign.group(*n) {
            Some(g) => format!("{n} {}", words(lang, &g.th, &g.en)),
            None => n.to_string(),
        })
        .collect();
    Some(format!(
        "{} {}",
        words(lang, "ถามเฉพาะกลุ่ม", "asked only of group"),
        names.join(", ")
    ))
}

/// The form of `campaign` in `lang`, wrapped to `width` columns.
#[must_use]
pub fn form_text(campaign: &Campaign, lang: Lang, width: usize) -> String {
    let mut out = String::new();
    let title = format!(
        "{} · {} {}",
        words(lang, &campaign.name_th, &campaign.name_en),
        words(lang, "ฟอร์มรุ่น", "form version"),
        campaign.version
    );
    for line in wrap(&title, width) {
        let _ = writeln!(out, "{line}");
    }
    let number_w = campaign.fields.len().to_string().len();
    let indent = " ".repeat(number_w + 4);
    for (i, spec) in campaign.fields.iter().enumerate() {
        let mark = if spec.required { " *" } else { "" };
        let head = format!(
            "{:>number_w$}. {}{mark}  [{}]",
            i + 1,
            sanitize_for_display(spec.label(lang)),
            spec.key.as_str()
        );
        let mut said = vec![match spec.rule() {
            Some(rule) => question(spec, rule.kind, lang),
            None => built_in(campaign, spec.key, lang),
        }];
        said.extend(relevance(campaign, spec, lang));
        said.extend(
            spec.hint(lang)
                .map(|h| format!("» {}", sanitize_for_display(h))),
        );
        for line in wrap(&head, width) {
            let _ = writeln!(out, "{line}");
        }
        for s in said {
            for line in wrap(&s, width.saturating_sub(indent.len())) {
                let _ = writeln!(out, "{indent}{line}");
            }
        }
    }
    out
}
