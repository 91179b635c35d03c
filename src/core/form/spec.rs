//! One `[[fields]]` entry of a campaign file ([`FieldSpec`]): a built-in field (label, required)
//! or a question of the campaign's own (type, hints, limits, choices, the groups it is asked
//! of), and the checks a file's entries must pass, each naming the entry it is about so the
//! error can give its line.

use serde::{Deserialize, Serialize};

use super::question::{self, ChoiceSpec, QuestionType, Rule};
use super::{FieldKey, Group};
use crate::core::thai::Lang;

/// How a field appears in this campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub key: FieldKey,
    pub th: String,
    pub en: String,
    #[serde(default)]
    pub required: bool,
    /// A line under the question saying how to answer it (questions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_th: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_en: Option<String>,
    /// The question's type (questions only, and needed there).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<QuestionType>,
    /// A number's least and greatest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// A text answer's most characters (else [`question::DEFAULT_MAX_LEN`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_len: Option<usize>,
    /// A `choice` or `choices` question's choices, in the order shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<ChoiceSpec>,
    /// The target groups the question is asked of (all when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<u8>,
}

impl FieldSpec {
    /// The label in `lang`.
    #[must_use]
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.th, &self.en)
    }

    /// The hint in `lang` (Thai when there is no English one).
    #[must_use]
    pub fn hint(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Th => self.hint_th.as_deref(),
            Lang::En => self.hint_en.as_deref().or(self.hint_th.as_deref()),
        }
    }

    /// How an answer to this question is read, when it is a question.
    #[must_use]
    pub fn rule(&self) -> Option<Rule<'_>> {
        self.key.question()?;
        Some(Rule {
            kind: self.kind?,
            min: self.min,
            max: self.max,
            max_len: self.max_len,
            choices: &self.choices,
        })
    }

    /// True when the field is asked of a person in `group` (a question with groups is not
    /// asked before a group is chosen).
    #[must_use]
    pub fn asked_for(&self, group: Option<u8>) -> bool {
        self.groups.is_empty() || group.is_some_and(|g| self.groups.contains(&g))
    }

    /// What is wrong with this entry, in a campaign with `groups`.
    pub(super) fn check(&self, groups: &[Group]) -> Result<(), String> {
        let key = self.key.as_str();
        if self.th.trim().is_empty() || self.en.trim().is_empty() {
            return Err(format!("field {key} needs both th and en labels"));
        }
        if self.key.question().is_some() && super::reserved::is_reserved(key) {
            return Err(format!(
                "question {key}: {key} is a column of the exports (hub export, the kiosk's export) \
                 and cannot be a question's key; give the question another key"
            ));
        }
        let Some(kind) = self.kind.filter(|_| self.key.question().is_some()) else {
            return self.check_built_in();
        };
        if kind == QuestionType::Unknown {
            // A newer build's type: its own rules are that build's to check; read as text here.
            return self.check_groups(groups);
        }
        let choosing = matches!(kind, QuestionType::Choice | QuestionType::Choices);
        if choosing && self.choices.is_empty() {
            return Err(format!(
                "question {key} is a {} but has no choices",
                kind.as_str()
            ));
        }
        if !choosing && !self.choices.is_empty() {
            return Err(format!(
                "question {key} has choices but is a {}: choices go with type choice or choices",
                kind.as_str()
            ));
        }
        if (self.min.is_some() || self.max.is_some()) && kind != QuestionType::Number {
            return Err(format!(
                "question {key}: min and max go with type number only"
            ));
        }
        if let (Some(min), Some(max)) = (self.min, self.max)
            && min > max
        {
            return Err(format!("question {key}: min {min} is more than max {max}"));
        }
        if let Some(n) = self.max_len {
            if kind != QuestionType::Text {
                return Err(format!("question {key}: max_len goes with type text only"));
            }
            if !(1..=question::DEFAULT_MAX_LEN).contains(&n) {
                return Err(format!(
                    "question {key}: max_len {n} must be 1 to {}",
                    question::DEFAULT_MAX_LEN
                ));
            }
        }
        for (i, c) in self.choices.iter().enumerate() {
            if c.value.is_empty()
                || c.value.contains(';')
                || c.value.trim() != c.value
                || c.value.chars().count() > question::MAX_KEY
            {
                return Err(format!(
                    "question {key}: choice value {:?} must be 1 to {} characters, no ';' and no spaces around it",
                    c.value,
                    question::MAX_KEY
                ));
            }
            if self.choices[..i].iter().any(|o| o.value == c.value) {
                return Err(format!(
                    "question {key}: choice {} is listed twice",
                    c.value
                ));
            }
            if c.th.trim().is_empty() || c.en.trim().is_empty() {
                return Err(format!(
                    "question {key}: choice {} needs both th and en",
                    c.value
                ));
            }
        }
        self.check_groups(groups)
    }

    /// Every group the question is asked of is one of `groups`.
    fn check_groups(&self, groups: &[Group]) -> Result<(), String> {
        if let Some(g) = self
            .groups
            .iter()
            .find(|g| !groups.iter().any(|o| o.number == **g))
        {
            return Err(format!(
                "question {} is asked of group {g}, which is not in [[groups]]",
                self.key.as_str()
            ));
        }
        Ok(())
    }

    /// A built-in field: a label and whether it is required, nothing a question has.
    fn check_built_in(&self) -> Result<(), String> {
        let key = self.key.as_str();
        if self.key.question().is_some() {
            return Err(format!(
                "question {key} needs a type: text, number, date, yes_no, choice or choices"
            ));
        }
        if self.kind.is_some()
            || self.hint_th.is_some()
            || self.hint_en.is_some()
            || self.min.is_some()
            || self.max.is_some()
            || self.max_len.is_some()
            || !self.choices.is_empty()
            || !self.groups.is_empty()
        {
            return Err(format!(
                "field {key} is built in, with rules of its own: it takes th, en and required only"
            ));
        }
        Ok(())
    }
}
