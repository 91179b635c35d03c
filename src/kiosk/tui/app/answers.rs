//! A record's answers to the campaign's own questions as the receipt and the queue detail show
//! them: each question the record answered, in the file's order, with its label in the screen's
//! language and, for a yes/no or a choice, the chosen words rather than the stored value. The
//! labels are the campaign version's the record was made with when the kiosk has it
//! ([`App::campaign_of`]), else the one in force. Drawing them is `ui`'s.

use std::collections::BTreeMap;

use super::App;
use crate::core::form::question::{QuestionType, YES_NO};
use crate::core::form::{Campaign, FieldKey, FieldSpec};
use crate::core::thai::Lang;

/// One answer as shown: the question's label and the answer's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub label: String,
    pub value: String,
}

/// The `answers` a record carries, as `campaign` asks them, in `lang`: only the campaign's own
/// questions that were answered (an answer to a question it does not ask is left out).
#[must_use]
pub fn shown(campaign: &Campaign, answers: &BTreeMap<String, String>, lang: Lang) -> Vec<Answer> {
    if answers.is_empty() {
        return Vec::new();
    }
    campaign
        .fields
        .iter()
        .filter_map(|f| {
            let FieldKey::Question(q) = f.key else {
                return None;
            };
            let raw = answers.get(q.as_str()).filter(|v| !v.is_empty())?;
            Some(Answer {
                label: f.label(lang).to_owned(),
                value: words_of(f, raw, lang),
            })
        })
        .collect()
}

/// The words of the answer `raw` to the question `f`: a choice's label (each of several, in
/// the file's order, joined by commas), yes/no in words, anything else as stored.
fn words_of(f: &FieldSpec, raw: &str, lang: Lang) -> String {
    let choice = |v: &str| -> String {
        f.choices
            .iter()
            .find(|c| c.value == v)
            .map_or_else(|| v.to_owned(), |c| lang.pick(&c.th, &c.en).to_owned())
    };
    match f.kind {
        Some(QuestionType::YesNo) => YES_NO
            .iter()
            .find(|c| c.value == raw)
            .map_or_else(|| raw.to_owned(), |c| lang.pick(c.th, c.en).to_owned()),
        Some(QuestionType::Choice) => choice(raw),
        Some(QuestionType::Choices) => raw
            .split(';')
            .filter(|v| !v.is_empty())
            .map(choice)
            .collect::<Vec<_>>()
            .join(", "),
        _ => raw.to_owned(),
    }
}

impl App {
    /// The answers of a record made with form `version`, as this kiosk shows them now.
    #[must_use]
    pub fn answers_shown(&self, version: u32, answers: &BTreeMap<String, String>) -> Vec<Answer> {
        shown(self.campaign_of(version), answers, self.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flood() -> Campaign {
        Campaign::load("flood-relief-2564", None).unwrap()
    }

    #[test]
    fn a_choice_shows_its_words_and_unknown_keys_are_left_out() {
        let c = flood();
        let answers: BTreeMap<String, String> = [
            ("damage", "partial"),
            ("household_size", "4"),
            ("pets", "2"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let th = shown(&c, &answers, Lang::Th);
        let pairs: Vec<(&str, &str)> = th
            .iter()
            .map(|a| (a.label.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [("จำนวนสมาชิกในครัวเรือน", "4"), ("ความเสียหาย", "เสียหายบางส่วน")]
        );
        assert_eq!(shown(&c, &answers, Lang::En)[1].value, "Partial");
        assert!(shown(&c, &BTreeMap::new(), Lang::Th).is_empty());
    }
}
