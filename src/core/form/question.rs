//! A campaign's own questions: the `[[fields]]` entries whose key is not one of the built-in
//! [`FieldKey`](super::FieldKey)s. What a question is ([`QuestionType`], its choices), its key
//! ([`QuestionKey`], a name interned once so form code can copy it like a built-in key), and the
//! one rule that turns a typed answer into the text a record carries ([`normalise_answer`]).
//! Checking a campaign file's questions is `campaign.rs`'s; here each answer alone.

use std::collections::BTreeSet;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::problem::Problem;
use crate::core::thai::chars;
use crate::core::thai::date::ThaiDate;
use crate::core::thai::input_check::first_fault;
use crate::core::thai::normalize::{normalize_text, thai_digits_to_ascii};

/// The longest question key, in characters.
pub const MAX_KEY: usize = 40;
/// The longest text answer when the campaign sets no `max_len`.
pub const DEFAULT_MAX_LEN: usize = super::rules::MAX_NOTE;

/// True for a key a campaign may give its own question: `[a-z][a-z0-9_]*`, at most
/// [`MAX_KEY`] characters.
#[must_use]
pub fn is_key(s: &str) -> bool {
    s.len() <= MAX_KEY
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A question's key. Names are interned (each distinct name leaked once) so the key is `Copy`
/// like a built-in one; only names from campaign files become keys, and those are few and
/// bounded ([`is_key`]). Answers a record carries by other names stay plain strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuestionKey(&'static str);

impl QuestionKey {
    /// The key named `name`, when it is a valid question key.
    #[must_use]
    pub fn new(name: &str) -> Option<Self> {
        static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
        if !is_key(name) {
            return None;
        }
        let mut names = NAMES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = names.get(name) {
            return Some(Self(n));
        }
        let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
        names.insert(leaked);
        Some(Self(leaked))
    }

    /// The key's name: the CSV column and the key in a record's `answers`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// What kind of answer a question takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Text,
    Number,
    Date,
    YesNo,
    Choice,
    Choices,
    /// A type this build does not know (a newer hub's campaign): asked and read as text. A
    /// campaign file may not use it ([`Campaign::from_toml`](super::Campaign::from_toml)); a
    /// hub's definition may ([`Campaign::from_hub`](super::Campaign::from_hub)).
    #[serde(other)]
    Unknown,
}

impl QuestionType {
    /// The file's word for it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Text => "text",
            QuestionType::Number => "number",
            QuestionType::Date => "date",
            QuestionType::YesNo => "yes_no",
            QuestionType::Choice => "choice",
            QuestionType::Choices => "choices",
            QuestionType::Unknown => "unknown",
        }
    }
}

/// One choice of a `choice` or `choices` question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceSpec {
    pub value: String,
    pub th: String,
    pub en: String,
}

/// The two choices of a `yes_no` question.
pub const YES_NO: [super::rules::Choice; 2] = [
    super::rules::Choice {
        value: "yes",
        th: "ใช่",
        en: "Yes",
    },
    super::rules::Choice {
        value: "no",
        th: "ไม่ใช่",
        en: "No",
    },
];

/// What a question asks for, as [`normalise_answer`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct Rule<'a> {
    pub kind: QuestionType,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub max_len: Option<usize>,
    pub choices: &'a [ChoiceSpec],
}

fn is_unsafe(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() || chars::is_bidi_override(c) || chars::is_bidi_mark(c))
}

/// The choice `s` names by its value or its words, in any case.
fn choice_of<'a>(choices: &'a [ChoiceSpec], s: &str) -> Option<&'a str> {
    let s = normalize_text(s.trim()).to_lowercase();
    choices
        .iter()
        .find(|c| s == c.value.to_lowercase() || s == c.th || s == c.en.to_lowercase())
        .map(|c| c.value.as_str())
}

fn listed(choices: &[ChoiceSpec]) -> String {
    choices
        .iter()
        .map(|c| c.value.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The answer a record carries for `raw` under `rule`: text NFC and trimmed, `yes`/`no`, a
/// choice's value, chosen values in the question's order joined by `;`, a number in ASCII
/// digits, a BE date as `DD/MM/YYYY`. Empty stays empty (whether that may be is the caller's).
pub fn normalise_answer(rule: Rule<'_>, raw: &str) -> Result<String, Problem> {
    if is_unsafe(raw) {
        return Err(Problem::UnsafeText);
    }
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    match rule.kind {
        QuestionType::Text | QuestionType::Unknown => {
            let value = normalize_text(trimmed);
            let max = rule.max_len.unwrap_or(DEFAULT_MAX_LEN);
            if value.chars().count() > max {
                return Err(Problem::TooLong { max });
            }
            if let Some(r) = first_fault(&value) {
                return Err(Problem::ThaiSequence(r));
            }
            Ok(value)
        }
        QuestionType::Number => {
            let digits = thai_digits_to_ascii(trimmed).replace(',', "");
            let n: i64 = digits.parse().map_err(|_| Problem::NotANumber)?;
            if rule.min.is_some_and(|m| n < m) || rule.max.is_some_and(|m| n > m) {
                return Err(Problem::OutOfRange {
                    min: rule.min,
                    max: rule.max,
                });
            }
            Ok(n.to_string())
        }
        QuestionType::Date => ThaiDate::parse(&thai_digits_to_ascii(trimmed))
            .map(|d| d.format())
            .map_err(Problem::Date),
        QuestionType::YesNo => {
            let value = match trimmed.to_lowercase().as_str() {
                "y" | "true" | "1" | "ใช่" => "yes",
                "n" | "false" | "0" | "ไม่" | "ไม่ใช่" => "no",
                other => super::rules::chosen(&YES_NO, other).ok_or(Problem::NotAChoice {
                    choices: super::rules::listed(&YES_NO),
                })?,
            };
            Ok(value.to_owned())
        }
        QuestionType::Choice => choice_of(rule.choices, trimmed)
            .map(str::to_owned)
            .ok_or_else(|| Problem::NotAChoice {
                choices: listed(rule.choices),
            }),
        QuestionType::Choices => {
            let mut picked = BTreeSet::new();
            for part in trimmed.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                let value = choice_of(rule.choices, part).ok_or_else(|| Problem::NotAChoice {
                    choices: listed(rule.choices),
                })?;
                picked.insert(value);
            }
            Ok(rule
                .choices
                .iter()
                .filter(|c| picked.contains(c.value.as_str()))
                .map(|c| c.value.as_str())
                .collect::<Vec<_>>()
                .join(";"))
        }
    }
}

/// An answer a record carries for a key this campaign does not ask: kept as sent (NFC,
/// trimmed) so a newer kiosk's record is never refused, unless it is unsafe or too long to
/// store or its key is not a key, in which case it is dropped (never an error).
#[must_use]
pub fn foreign_answer(key: &str, raw: &str) -> Option<String> {
    let value = normalize_text(raw.trim());
    (is_key(key)
        && !is_unsafe(raw)
        && !value.is_empty()
        && value.chars().count() <= DEFAULT_MAX_LEN)
        .then_some(value)
}

/// The most fields a record may carry that this build does not know (more are dropped).
pub const MAX_EXTRA: usize = 32;
/// The most bytes of JSON one such field may take.
pub const MAX_EXTRA_BYTES: usize = 1024;

/// The unknown top-level fields of a record (a newer build's) worth keeping: a valid key, at most
/// [`MAX_EXTRA_BYTES`] of JSON, no control or bidi characters in any text; at most [`MAX_EXTRA`]
/// of them. The others are dropped, never an error: the record is not refused for them.
#[must_use]
pub fn kept_extra(
    extra: &std::collections::BTreeMap<String, serde_json::Value>,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    fn safe(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::String(s) => !is_unsafe(s),
            serde_json::Value::Array(a) => a.iter().all(safe),
            serde_json::Value::Object(o) => o.iter().all(|(k, v)| !is_unsafe(k) && safe(v)),
            _ => true,
        }
    }
    extra
        .iter()
        .filter(|(k, v)| {
            is_key(k)
                && safe(v)
                && serde_json::to_string(v).is_ok_and(|j| j.len() <= MAX_EXTRA_BYTES)
        })
        .take(MAX_EXTRA)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
