//! The dashboard's counts of the campaign's `choice` and `choices` questions: for each question of
//! the form in force, how many live registrations (accepted or waitlisted, not superseded; a
//! cancelled one is no longer either) chose each value, a `choices` answer counting once for each
//! value chosen. Shown with the choice's words in the page's language.
//!
//! Read with the snapshot, in one query: the store picks each answer out of the stored record
//! (SQLite's `json_extract`, PostgreSQL's `->>`) and groups by them, so the hub receives a row
//! per combination of answers, never a record, a name or an ID. The query scans the campaign's
//! submissions once, as the snapshot's own counts do; it is left out when the form has no such
//! question. Its cost is reading each live record's JSON: at 66,000 flood records (about 700
//! bytes each) it took 147 ms against 120 ms for the snapshot's own scan (SQLite 3.40, the 2-core
//! build machine, shared; 12 ms of it is the scan, the rest the JSON), so a snapshot of a table
//! that size takes about twice as long to read and, by `snapshot::COST_SHARE`, is kept about twice
//! as long (about 5 s instead of 3), the dashboard still taking at most 1/20 of a core. Folding it
//! into the snapshot's own grouped scan cost more (326 ms), so it stays a query of its own.

use std::collections::BTreeMap;

use crate::core::form::{Campaign, FieldSpec, QuestionType};
use crate::hub::store::db::{Db, DbError, Kind};

/// Per question key, per chosen value, how many live registrations.
pub type Counts = BTreeMap<String, BTreeMap<String, u64>>;

/// The questions counted: the campaign's `choice` and `choices` ones, in the form's order.
fn counted(campaign: &Campaign) -> impl Iterator<Item = &FieldSpec> {
    campaign
        .questions()
        .filter(|q| matches!(q.kind, Some(QuestionType::Choice | QuestionType::Choices)))
}

/// The expression of the answer to `key` (a question key: `[a-z][a-z0-9_]*`, never quoted text
/// from outside) in the stored record, on the store's dialect.
fn answer(kind: Kind, key: &str) -> String {
    match kind {
        // A live row always holds a record; json_valid keeps any other row from failing the read.
        Kind::Sqlite => format!(
            "CASE WHEN json_valid(s.registration) THEN json_extract(s.registration, '$.answers.{key}') END"
        ),
        Kind::Postgres => format!("(s.registration::jsonb -> 'answers' ->> '{key}')"),
    }
}

/// Counts the answers of `campaign`'s choice questions among its live registrations.
pub fn read(db: &mut dyn Db, campaign: &Campaign) -> Result<Counts, DbError> {
    let keys: Vec<&'static str> = counted(campaign).map(|q| q.key.as_str()).collect();
    let mut counts = Counts::new();
    if keys.is_empty() {
        return Ok(counts);
    }
    let kind = db.kind();
    let columns: Vec<String> = (0..keys.len()).map(|i| format!("a{i}")).collect();
    let selected: Vec<String> = keys
        .iter()
        .zip(&columns)
        .map(|(key, col)| format!("{} AS {col}", answer(kind, key)))
        .collect();
    let sql = format!(
        "SELECT {}, CAST(COUNT(*) AS BIGINT) AS n FROM submissions s
         WHERE s.campaign_id = ?1 AND s.status IN ('accepted', 'waitlisted')
             AND s.superseded_by IS NULL
         GROUP BY {}",
        selected.join(", "),
        columns.join(", ")
    );
    for row in db.query(&sql, &[campaign.id.as_str().into()])? {
        let n = row.count("n")?;
        for (key, col) in keys.iter().zip(&columns) {
            let Some(answer) = row.opt_text(col.as_str())? else {
                continue;
            };
            let per_value = counts.entry((*key).to_owned()).or_default();
            for value in answer.split(';').filter(|v| !v.is_empty()) {
                *per_value.entry(value.to_owned()).or_default() += n;
            }
        }
    }
    Ok(counts)
}

/// One choice's line.
#[derive(Debug)]
pub struct ChoiceRow {
    pub value: String,
    /// The choice's words in the page's language.
    pub label: String,
    pub count: u64,
    /// Its share of the question's largest count, 0–100 (the bar).
    pub pct: u64,
}

/// One question's table.
#[derive(Debug)]
pub struct QuestionRows {
    pub key: String,
    /// The question's words in the page's language.
    pub label: String,
    pub choices: Vec<ChoiceRow>,
}

/// The tables for `counts`, each question's choices in the form's order (a value no longer a
/// choice of the form, from an older version, after them by its value), in `lang` (`th`, `en`).
#[must_use]
pub fn rows(counts: &Counts, campaign: &Campaign, lang: &str) -> Vec<QuestionRows> {
    let words = |th: &str, en: &str| if lang == "en" { en } else { th }.to_owned();
    counted(campaign)
        .map(|q| {
            let key = q.key.as_str();
            let got = counts.get(key);
            let count = |value: &str| got.and_then(|g| g.get(value)).copied().unwrap_or(0);
            let mut choices: Vec<ChoiceRow> = q
                .choices
                .iter()
                .map(|c| ChoiceRow {
                    value: c.value.clone(),
                    label: words(&c.th, &c.en),
                    count: count(&c.value),
                    pct: 0,
                })
                .collect();
            for (value, n) in got.into_iter().flatten() {
                if !q.choices.iter().any(|c| &c.value == value) {
                    choices.push(ChoiceRow {
                        value: value.clone(),
                        label: value.clone(),
                        count: *n,
                        pct: 0,
                    });
                }
            }
            let largest = choices.iter().map(|c| c.count).max().unwrap_or(0).max(1);
            for c in &mut choices {
                c.pct = (c.count.saturating_mul(100) / largest).min(100);
            }
            QuestionRows {
                key: key.to_owned(),
                label: words(&q.th, &q.en),
                choices,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_choice_in_the_form_s_order_in_the_page_s_language() {
        let flood = Campaign::load("flood-relief-2564", None).unwrap();
        let mut counts = Counts::new();
        counts.insert(
            "damage".into(),
            [("total".to_owned(), 4), ("gone".to_owned(), 1)].into(),
        );
        let tables = rows(&counts, &flood, "en");
        assert_eq!(
            tables.len(),
            1,
            "household_size and bank_account are not choices"
        );
        let t = &tables[0];
        assert_eq!(t.key, "damage");
        let got: Vec<(&str, u64, u64)> = t
            .choices
            .iter()
            .map(|c| (c.label.as_str(), c.count, c.pct))
            .collect();
        assert_eq!(
            got,
            [
                ("None", 0, 0),
                ("Partial", 0, 0),
                ("Total", 4, 100),
                ("gone", 1, 25)
            ]
        );
        assert_eq!(
            rows(&counts, &flood, "th")[0].choices[2].label,
            "เสียหายทั้งหมด"
        );
    }
}
