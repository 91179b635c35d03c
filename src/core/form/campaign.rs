//! Campaign definitions: the TOML files under `assets/campaigns/` (embedded in the binary) and any
//! override in the kiosk's config directory. A bad file is a clear error naming the file, the line
//! and what is wrong, at start, never in the middle of a registration.

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use super::spec::FieldSpec;
use super::{FieldKey, QuestionType, first_version};
use crate::core::thai::Lang;
use crate::core::thai::date::ThaiDate;

/// The campaigns built into the binary: (file name, TOML).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "samut-sakhon-2564-r1.toml",
        include_str!("../../../assets/campaigns/samut-sakhon-2564-r1.toml"),
    ),
    (
        "flood-relief-2564.toml",
        include_str!("../../../assets/campaigns/flood-relief-2564.toml"),
    ),
];

/// The campaign a kiosk runs when its config names none.
pub const DEFAULT_CAMPAIGN: &str = "samut-sakhon-2564-r1";

/// One target group and its rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub number: u8,
    pub th: String,
    pub en: String,
    /// Doses set aside for this group; beyond it registrations are waitlisted.
    #[serde(default)]
    pub quota: Option<u64>,
    /// Minimum age at the campaign's reference date (an error below it).
    #[serde(default)]
    pub min_age: Option<u32>,
    #[serde(default)]
    pub detail_th: Option<String>,
    #[serde(default)]
    pub detail_en: Option<String>,
    #[serde(default)]
    pub detail_required: bool,
    /// The detail is a number such as a card number: digits, Latin letters and `/ -`, typed
    /// whatever the keyboard layout.
    #[serde(default)]
    pub detail_ascii: bool,
    /// Titles this group expects (a warning the clerk can pass otherwise).
    #[serde(default)]
    pub expected_titles: Vec<String>,
}

impl Group {
    /// The group's name in `lang`.
    #[must_use]
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.th, &self.en)
    }

    /// True when this group asks for a detail.
    #[must_use]
    pub fn has_detail(&self) -> bool {
        self.detail_th.is_some()
    }
}

/// A registration campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: String,
    /// The version of the form (its fields and questions); every record carries the version
    /// it was made with. 1 when the file sets none.
    #[serde(default = "first_version", skip_serializing_if = "is_first")]
    pub version: u32,
    pub name_th: String,
    pub name_en: String,
    /// Ages for the groups' rules are counted at this date (DD/MM/YYYY BE).
    pub reference_date: String,
    pub total_quota: u64,
    #[serde(default)]
    pub home_province: Option<String>,
    /// The youngest age the campaign is meant for, at the reference date (a vaccine approved
    /// from 18, say): a younger person is a warning the clerk sees before saving, not a stop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    pub consent_purpose_th: String,
    pub consent_purpose_en: String,
    pub titles: Vec<String>,
    pub groups: Vec<Group>,
    /// The form's fields and questions, in the order the form shows them.
    pub fields: Vec<FieldSpec>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_first(v: &u32) -> bool {
    *v == 1
}

/// A campaign file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error("campaign file {file}: {message}")]
    Invalid { file: String, message: String },
    #[error("campaign file {file} cannot be read: {message}")]
    Unreadable { file: String, message: String },
    #[error("no campaign called {0:?} (built in: {list})", list = built_in())]
    Unknown(String),
    /// A hub's campaign this build cannot read (a newer hub's rule it does not have).
    #[error(
        "the hub's campaign cannot be read by this ruamjai ({message}): upgrade this kiosk; it keeps the form it has"
    )]
    NeedsUpgrade { message: String },
}

/// The ids of the built-in campaigns, for an error.
fn built_in() -> String {
    EMBEDDED
        .iter()
        .filter_map(|(name, _)| name.strip_suffix(".toml"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Campaign {
    /// Parses and checks a campaign file's text; `file` names it in errors.
    pub fn from_toml(file: &str, text: &str) -> Result<Self, CampaignError> {
        let campaign: Campaign = toml::from_str(text).map_err(|e| CampaignError::Invalid {
            file: file.to_owned(),
            message: crate::core::toml_error::describe(text, &e),
        })?;
        campaign
            .check()
            .map_err(|(entry, message)| CampaignError::Invalid {
                file: file.to_owned(),
                message: match entry
                    .and_then(|i| crate::core::toml_error::table_line(text, "fields", i))
                {
                    Some(line) => format!("line {line}: {message}"),
                    None => message,
                },
            })?;
        if let Some((i, f)) = campaign
            .fields
            .iter()
            .enumerate()
            .find(|(_, f)| f.kind == Some(QuestionType::Unknown))
        {
            // The entry's `type` line, else the entry's first.
            let line = crate::core::toml_error::table_line(text, "fields", i)
                .map(|l| {
                    text.lines()
                        .enumerate()
                        .skip(l)
                        .take_while(|(_, t)| !t.starts_with("[["))
                        .find(|(_, t)| t.trim_start().starts_with("type"))
                        .map_or(l, |(n, _)| n + 1)
                })
                .map_or_else(String::new, |l| format!("line {l}: "));
            return Err(CampaignError::Invalid {
                file: file.to_owned(),
                message: format!(
                    "{line}question {} has a type this ruamjai does not know: text, number, date, yes_no, choice or choices",
                    f.key.as_str()
                ),
            });
        }
        Ok(campaign)
    }

    /// Reads and checks the campaign a hub publishes (`definition` of `GET /v1/campaign`). A
    /// question of a type this build does not know is read as text ([`Self::shown_as_text`]);
    /// anything else it cannot read (a rule it does not have) says it needs an upgrade.
    pub fn from_hub(definition: &serde_json::Value) -> Result<Self, CampaignError> {
        let upgrade = |message: String| CampaignError::NeedsUpgrade { message };
        let campaign = Campaign::deserialize(definition).map_err(|e| upgrade(e.to_string()))?;
        campaign.check().map_err(|(_, m)| upgrade(m))?;
        Ok(campaign)
    }

    /// The questions of a type this build does not know, read as text (a newer hub's).
    pub fn shown_as_text(&self) -> impl Iterator<Item = &FieldSpec> {
        self.questions()
            .filter(|f| f.kind == Some(QuestionType::Unknown))
    }

    /// Loads campaign `id`: from `dir/<id>.toml` when that file exists, else the built-in one.
    pub fn load(id: &str, dir: Option<&Path>) -> Result<Self, CampaignError> {
        if let Some(path) = dir.map(|d| d.join(format!("{id}.toml")))
            && path.exists()
        {
            let file = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| CampaignError::Unreadable {
                file: file.clone(),
                message: e.to_string(),
            })?;
            return Self::from_toml(&file, &text);
        }
        for (name, text) in EMBEDDED {
            if name.strip_suffix(".toml") == Some(id) {
                return Self::from_toml(name, text);
            }
        }
        Err(CampaignError::Unknown(id.to_owned()))
    }

    /// What is wrong with the campaign, and the `[[fields]]` entry it is about (its index).
    fn check(&self) -> Result<(), (Option<usize>, String)> {
        self.check_head().map_err(|m| (None, m))?;
        for (i, f) in self.fields.iter().enumerate() {
            if self.fields[..i].iter().any(|o| o.key == f.key) {
                return Err((Some(i), format!("field {} is listed twice", f.key.as_str())));
            }
            f.check(&self.groups).map_err(|m| (Some(i), m))?;
        }
        Ok(())
    }

    fn check_head(&self) -> Result<(), String> {
        if self.version == 0 {
            return Err("version must be 1 or more".into());
        }
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(format!("id {:?} must be letters, digits and '-'", self.id));
        }
        ThaiDate::parse(&self.reference_date)
            .map_err(|e| format!("reference_date {:?}: {e}", self.reference_date))?;
        if self.min_age.is_some_and(|a| a > 130) {
            return Err(format!("min_age {:?} is not an age", self.min_age));
        }
        if self.groups.is_empty() {
            return Err("at least one [[groups]] is needed".into());
        }
        for (i, g) in self.groups.iter().enumerate() {
            if self.groups[..i].iter().any(|o| o.number == g.number) {
                return Err(format!("group {} is defined twice", g.number));
            }
            if g.detail_required && g.detail_th.is_none() {
                return Err(format!(
                    "group {} requires a detail but has no detail_th",
                    g.number
                ));
            }
        }
        for must in [
            FieldKey::IdType,
            FieldKey::IdNumber,
            FieldKey::FirstName,
            FieldKey::LastName,
            FieldKey::TargetGroup,
            FieldKey::Consent,
        ] {
            if self.field(must).is_none() {
                return Err(format!("the field {} must be in [[fields]]", must.as_str()));
            }
        }
        Ok(())
    }

    /// The reference date for ages, parsed (checked at load).
    #[must_use]
    pub fn reference(&self) -> ThaiDate {
        ThaiDate::parse(&self.reference_date).unwrap_or(ThaiDate {
            day: None,
            month: None,
            year_be: 2564,
        })
    }

    /// How `key` appears in this campaign, if it does.
    #[must_use]
    pub fn field(&self, key: FieldKey) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The field or question of this campaign called `name` (a CSV column, a hub's answer).
    #[must_use]
    pub fn key(&self, name: &str) -> Option<FieldKey> {
        self.fields
            .iter()
            .map(|f| f.key)
            .find(|k| k.as_str() == name)
    }

    /// The campaign's own questions, in form order.
    pub fn questions(&self) -> impl Iterator<Item = &FieldSpec> {
        self.fields.iter().filter(|f| f.key.question().is_some())
    }

    /// Where `key` comes on the form (after every field when it is not on it).
    #[must_use]
    pub fn position(&self, key: FieldKey) -> usize {
        self.fields
            .iter()
            .position(|f| f.key == key)
            .unwrap_or(self.fields.len())
    }

    /// Target group `n`.
    #[must_use]
    pub fn group(&self, n: u8) -> Option<&Group> {
        self.groups.iter().find(|g| g.number == n)
    }

    /// The campaign's name in `lang`.
    #[must_use]
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_th, &self.name_en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_campaign_is_the_seeds() {
        let c = Campaign::load(DEFAULT_CAMPAIGN, None).unwrap();
        assert_eq!(c.total_quota, 66_000);
        assert_eq!(c.groups.len(), 7);
        assert_eq!(c.group(3).unwrap().min_age, Some(70));
        assert_eq!(c.group(4).unwrap().expected_titles.len(), 3);
        assert_eq!(c.reference().year_be, 2564);
        assert_eq!(c.home_province.as_deref(), Some("สมุทรสาคร"));
    }

    #[test]
    fn a_bad_file_names_file_line_and_key() {
        let text = EMBEDDED[0]
            .1
            .replace("total_quota = 66000", "total_quota = \"many\"");
        let err = Campaign::from_toml("x.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("x.toml"), "{err}");
        assert!(err.contains("line 12"), "{err}");
        assert!(err.contains("total_quota"), "{err}");
        let text = EMBEDDED[0].1.replace("number = 2\n", "number = 1\n");
        let err = Campaign::from_toml("x.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("group 1 is defined twice"), "{err}");
        assert!(matches!(
            Campaign::load("nope", None),
            Err(CampaignError::Unknown(_))
        ));
    }

    #[test]
    fn a_file_in_the_config_dir_overrides_the_built_in_one() {
        let dir = tempfile::tempdir().unwrap();
        let text = EMBEDDED[0]
            .1
            .replace("total_quota = 66000", "total_quota = 10");
        std::fs::write(dir.path().join(format!("{DEFAULT_CAMPAIGN}.toml")), text).unwrap();
        let c = Campaign::load(DEFAULT_CAMPAIGN, Some(dir.path())).unwrap();
        assert_eq!(c.total_quota, 10);
    }
}
