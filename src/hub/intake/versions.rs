//! Every version of the campaign's form the hub has published, to check a record against the
//! version it was made with ([`Versions::for_record`]). The table `campaign_versions` keeps each
//! version's definition from the first time a hub served it ([`publish`]); a hub loads them at
//! start ([`Versions::load`]). A record of a version this hub never published is not refused
//! for that: its built-in fields are checked by this build's rules and its answers kept as sent,
//! and it is flagged ([`Checked::unpublished`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::core::form::Campaign;
use crate::hub::store::db::{Db, DbError};

/// The versions of one campaign a hub knows: the one in force and the ones published before.
#[derive(Clone, Debug)]
pub struct Versions {
    in_force: Arc<Campaign>,
    earlier: BTreeMap<u32, Campaign>,
    /// The campaign in force without its own questions: what a record of a version never
    /// published is checked against (every answer then kept as sent).
    unknown: Campaign,
}

/// The campaign a record is checked against.
pub struct Checked<'a> {
    pub campaign: &'a Campaign,
    /// The record's version is not one this hub published.
    pub unpublished: bool,
}

impl Versions {
    /// Only the campaign in force (a hub whose store has no other version).
    #[must_use]
    pub fn only(in_force: Arc<Campaign>) -> Self {
        let mut unknown = (*in_force).clone();
        unknown.fields.retain(|f| f.key.question().is_none());
        Self {
            in_force,
            earlier: BTreeMap::new(),
            unknown,
        }
    }

    /// The campaign in force and every other version of it the store keeps (one whose
    /// definition this build cannot read is left out: its records count as unpublished).
    pub fn load(db: &mut dyn Db, in_force: Arc<Campaign>) -> Result<Self, DbError> {
        let mut v = Self::only(in_force);
        let rows = db.query(
            "SELECT version, definition FROM campaign_versions WHERE campaign_id = ?1",
            &[(&v.in_force.id).into()],
        )?;
        for r in rows {
            let version = u32::try_from(r.int("version")?).unwrap_or(0);
            if version == v.in_force.version {
                continue;
            }
            if let Ok(c) = serde_json::from_str::<Campaign>(&r.text("definition")?) {
                v.earlier.insert(version, c);
            }
        }
        Ok(v)
    }

    /// The version a record made with form `version` is checked against.
    #[must_use]
    pub fn for_record(&self, version: u32) -> Checked<'_> {
        if version == self.in_force.version {
            return Checked {
                campaign: &self.in_force,
                unpublished: false,
            };
        }
        match self.earlier.get(&version) {
            Some(c) => Checked {
                campaign: c,
                unpublished: false,
            },
            None => Checked {
                campaign: &self.unknown,
                unpublished: true,
            },
        }
    }

    /// The versions known, oldest first.
    #[must_use]
    pub fn known(&self) -> Vec<u32> {
        let mut all: Vec<u32> = self.earlier.keys().copied().collect();
        all.push(self.in_force.version);
        all.sort_unstable();
        all
    }
}

/// Records `campaign` as the one in force with `definition` (its JSON), and as published
/// unless its version was published before (the first definition of a version is kept).
pub fn publish(
    db: &mut dyn Db,
    campaign: &Campaign,
    definition: &str,
    now_ms: i64,
) -> Result<(), DbError> {
    db.execute(
        "INSERT INTO campaigns (id, definition, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET definition = excluded.definition,
             updated_at = excluded.updated_at",
        &[(&campaign.id).into(), definition.into(), now_ms.into()],
    )?;
    db.execute(
        "INSERT INTO campaign_versions (campaign_id, version, definition, first_published)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (campaign_id, version) DO NOTHING",
        &[
            (&campaign.id).into(),
            i64::from(campaign.version).into(),
            definition.into(),
            now_ms.into(),
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::store::Database;

    #[test]
    fn every_version_published_is_kept_and_a_record_gets_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let database = Database::Sqlite {
            data_dir: dir.path().to_path_buf(),
        };
        let mut db = database.connect(true).unwrap();
        let v1 = Campaign::load("flood-relief-2564", None).unwrap();
        let json = |c: &Campaign| serde_json::to_string(c).unwrap();
        publish(db.as_mut(), &v1, &json(&v1), 1).unwrap();
        // The same version again with another definition: the first is kept.
        let mut changed = v1.clone();
        changed.total_quota = 1;
        publish(db.as_mut(), &changed, &json(&changed), 2).unwrap();
        let mut v2 = v1.clone();
        v2.version = 2;
        v2.fields.retain(|f| f.key.as_str() != "note");
        publish(db.as_mut(), &v2, &json(&v2), 3).unwrap();
        let versions = Versions::load(db.as_mut(), Arc::new(v2.clone())).unwrap();
        assert_eq!(versions.known(), [1, 2]);
        let first = versions.for_record(1);
        assert!(!first.unpublished);
        assert_eq!(first.campaign, &v1);
        assert_eq!(versions.for_record(2).campaign, &v2);
        let never = versions.for_record(9);
        assert!(never.unpublished);
        assert_eq!(v2.questions().count(), 3);
        assert_eq!(never.campaign.questions().count(), 0);
    }
}
