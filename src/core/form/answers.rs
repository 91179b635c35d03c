//! The answers half of [`validate`](super::validate): each of the campaign's questions asked of
//! the person's group, read by its rule; an answer to a question not asked of that group dropped;
//! an answer by a key the campaign does not know kept as sent, never refused (a newer kiosk's).

use std::collections::BTreeMap;

use super::problem::{FieldError, Problem};
use super::question::{foreign_answer, normalise_answer};
use super::{Campaign, FieldKey, FormInput};

/// The answers a record carries, and an error per question answered wrongly (or left empty
/// when required of this group).
pub(super) fn read_answers(
    campaign: &Campaign,
    input: &FormInput,
    group: Option<u8>,
    errors: &mut Vec<FieldError>,
) -> BTreeMap<String, String> {
    let mut answers = BTreeMap::new();
    for spec in campaign.questions() {
        let (Some(rule), Some(key)) = (spec.rule(), spec.key.question()) else {
            continue;
        };
        if !spec.asked_for(group) {
            continue;
        }
        match normalise_answer(rule, input.get(FieldKey::Question(key))) {
            Ok(v) if v.is_empty() => {
                if spec.required {
                    errors.push(FieldError {
                        field: spec.key,
                        problem: Problem::Required,
                    });
                }
            }
            Ok(v) => {
                answers.insert(key.as_str().to_owned(), v);
            }
            Err(problem) => errors.push(FieldError {
                field: spec.key,
                problem,
            }),
        }
    }
    for (key, raw) in input.answers() {
        // By name: a key from a record is never interned (only a campaign file's are).
        let asked = campaign.fields.iter().any(|f| f.key.as_str() == key);
        if !asked && let Some(v) = foreign_answer(key, raw) {
            answers.insert(key.clone(), v);
        }
    }
    answers
}
