//! The counters and per-group counts one commit works with, held in memory by the writer.
//!
//! The writer is the only connection that writes, so within one commit it can read each counter
//! (hub reference sequence, waiting-list positions, conflicts) and each group's live counts once,
//! decide every submission against the values in memory, and write the changed values back once,
//! in the same transaction, just before it commits. That replaces three statements per
//! submission. A job whose savepoint is rolled back restores the snapshot taken before it; a
//! commit that fails leaves nothing behind, because the next commit reads everything again.

use std::collections::{BTreeMap, HashMap};

use crate::core::form::Campaign;
use crate::hub::store::db::{Db, DbError, Param};

/// Live counts of one target group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub accepted: i64,
    pub waitlisted: i64,
}

/// A campaign's quotas in force: its definition's, unless `hub set-quota` set another (table
/// `quotas`, group -1 for the total).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quotas {
    pub total: i64,
    groups: BTreeMap<u8, Option<i64>>,
}

impl Quotas {
    /// Group `group`'s own quota, if it has one.
    #[must_use]
    pub fn group(&self, group: u8) -> Option<i64> {
        self.groups.get(&group).copied().flatten()
    }

    /// Group `group`'s quota in force as a count (`None`: the group has none of its own).
    #[must_use]
    pub fn group_doses(&self, group: u8) -> Option<u64> {
        self.group(group).map(|q| u64::try_from(q).unwrap_or(0))
    }

    /// The campaign's total quota in force as a count.
    #[must_use]
    pub fn total_doses(&self) -> u64 {
        u64::try_from(self.total).unwrap_or(0)
    }

    /// The quotas in force for `campaign`, read from the store.
    pub fn read(db: &mut dyn Db, campaign: &Campaign) -> Result<Quotas, DbError> {
        let to_db = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let mut q = Quotas {
            total: to_db(campaign.total_quota),
            groups: campaign
                .groups
                .iter()
                .map(|g| (g.number, g.quota.map(to_db)))
                .collect(),
        };
        for row in db.query(
            "SELECT target_group, quota FROM quotas WHERE campaign_id = ?1",
            &[(&campaign.id).into()],
        )? {
            let (group, quota) = (row.int("target_group")?, row.int("quota")?);
            match u8::try_from(group) {
                Ok(g) => {
                    q.groups.insert(g, Some(quota));
                }
                Err(_) => q.total = quota,
            }
        }
        Ok(q)
    }
}

/// One commit's view of `counters` and `group_counts` (read on first use).
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// Campaign → its quotas in force (read once per commit).
    quotas: BTreeMap<String, Quotas>,
    /// Counter name → (value, changed in this commit).
    counters: BTreeMap<String, (i64, bool)>,
    /// Campaign → its groups (all read at once) and whether any changed.
    campaigns: BTreeMap<String, (BTreeMap<u8, Group>, bool)>,
}

impl Counts {
    /// The next value of counter `name` (the first is 1).
    pub fn next(&mut self, db: &mut dyn Db, name: &str) -> Result<i64, DbError> {
        self.add(db, name, 1)
    }

    /// The value of counter `name` (0 when it was never counted).
    pub fn get(&mut self, db: &mut dyn Db, name: &str) -> Result<i64, DbError> {
        self.add(db, name, 0)
    }

    /// Adds `delta` to counter `name`; its new value.
    pub fn add(&mut self, db: &mut dyn Db, name: &str, delta: i64) -> Result<i64, DbError> {
        if !self.counters.contains_key(name) {
            let value = db
                .query_opt(
                    "SELECT value FROM counters WHERE name = ?1",
                    &[Param::Text(name)],
                )?
                .map(|r| r.int("value"))
                .transpose()?;
            self.counters
                .insert(name.to_owned(), (value.unwrap_or(0), false));
        }
        let entry = self.counters.get_mut(name).expect("just read");
        if delta != 0 {
            entry.0 += delta;
            entry.1 = true;
        }
        Ok(entry.0)
    }

    fn groups(
        &mut self,
        db: &mut dyn Db,
        campaign: &str,
    ) -> Result<&mut (BTreeMap<u8, Group>, bool), DbError> {
        if !self.campaigns.contains_key(campaign) {
            let groups = group_counts(db, campaign)?
                .into_iter()
                .map(|(group, (accepted, waitlisted))| {
                    let group_counts = Group {
                        accepted: i64::try_from(accepted).unwrap_or(i64::MAX),
                        waitlisted: i64::try_from(waitlisted).unwrap_or(i64::MAX),
                    };
                    (group, group_counts)
                })
                .collect();
            self.campaigns.insert(campaign.to_owned(), (groups, false));
        }
        Ok(self.campaigns.get_mut(campaign).expect("just read"))
    }

    /// `campaign`'s quotas in force.
    pub fn quotas(&mut self, db: &mut dyn Db, campaign: &Campaign) -> Result<Quotas, DbError> {
        if let Some(q) = self.quotas.get(&campaign.id) {
            return Ok(q.clone());
        }
        let q = Quotas::read(db, campaign)?;
        self.quotas.insert(campaign.id.clone(), q.clone());
        Ok(q)
    }

    /// Reads `campaign`'s quotas again on next use (one was just set).
    pub fn forget_quotas(&mut self, campaign: &str) {
        self.quotas.remove(campaign);
    }

    /// Accepted in the whole campaign, and in `group`.
    pub fn accepted(
        &mut self,
        db: &mut dyn Db,
        campaign: &str,
        group: u8,
    ) -> Result<(i64, i64), DbError> {
        let (groups, _) = self.groups(db, campaign)?;
        let total = groups.values().map(|g| g.accepted).sum();
        Ok((total, groups.get(&group).map_or(0, |g| g.accepted)))
    }

    /// Adds to a group's live counts (negative when a place is freed).
    pub fn bump(
        &mut self,
        db: &mut dyn Db,
        campaign: &str,
        group: u8,
        accepted: i64,
        waitlisted: i64,
    ) -> Result<(), DbError> {
        let (groups, changed) = self.groups(db, campaign)?;
        let g = groups.entry(group).or_default();
        g.accepted += accepted;
        g.waitlisted += waitlisted;
        *changed = true;
        Ok(())
    }

    /// Writes every changed value back (inside the commit's transaction).
    pub fn write(&self, db: &mut dyn Db) -> Result<(), DbError> {
        for (name, &(value, changed)) in &self.counters {
            if changed {
                db.execute(
                    "INSERT INTO counters (name, value) VALUES (?1, ?2)
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    &[name.into(), value.into()],
                )?;
            }
        }
        for (campaign, (groups, changed)) in &self.campaigns {
            if !changed {
                continue;
            }
            for (group, g) in groups {
                db.execute(
                    "INSERT INTO group_counts (campaign_id, target_group, accepted, waitlisted)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (campaign_id, target_group) DO UPDATE SET
                         accepted = excluded.accepted, waitlisted = excluded.waitlisted",
                    &[
                        campaign.into(),
                        (*group).into(),
                        g.accepted.into(),
                        g.waitlisted.into(),
                    ],
                )?;
            }
        }
        Ok(())
    }
}

/// Live (accepted, waitlisted) registrations per group of `campaign_id`.
pub fn group_counts(
    db: &mut dyn Db,
    campaign_id: &str,
) -> Result<HashMap<u8, (u64, u64)>, DbError> {
    db.query(
        "SELECT target_group, accepted, waitlisted FROM group_counts WHERE campaign_id = ?1",
        &[campaign_id.into()],
    )?
    .iter()
    .map(|r| {
        let group = u8::try_from(r.int("target_group")?).unwrap_or(0);
        Ok((group, (r.count("accepted")?, r.count("waitlisted")?)))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub_db() -> (tempfile::TempDir, Box<dyn Db>) {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::hub::store::Database::Sqlite {
            data_dir: dir.path().to_path_buf(),
        }
        .connect(false)
        .unwrap();
        (dir, db)
    }

    #[test]
    fn values_written_back_are_where_the_next_commit_starts() {
        let (_dir, mut db) = hub_db();
        let conn = db.as_mut();
        let mut first = Counts::default();
        assert_eq!(first.next(conn, "hub_seq").unwrap(), 1);
        assert_eq!(first.next(conn, "hub_seq").unwrap(), 2);
        first.bump(conn, "c", 3, 1, 0).unwrap();
        first.bump(conn, "c", 5, 1, 2).unwrap();
        first.write(conn).unwrap();

        let mut second = Counts::default();
        assert_eq!(second.next(conn, "hub_seq").unwrap(), 3);
        assert_eq!(second.accepted(conn, "c", 3).unwrap(), (2, 1));
        assert_eq!(second.accepted(conn, "c", 4).unwrap(), (2, 0));
        assert_eq!(second.accepted(conn, "other", 3).unwrap(), (0, 0));
        second.bump(conn, "c", 3, -1, 0).unwrap();
        second.write(conn).unwrap();
        let row = conn
            .query_one(
                "SELECT accepted, waitlisted FROM group_counts
                 WHERE campaign_id = 'c' AND target_group = 5",
                &[],
            )
            .unwrap();
        let stored = (row.int(0).unwrap(), row.int(1).unwrap());
        assert_eq!(stored, (1, 2));
        assert_eq!(Counts::default().accepted(conn, "c", 3).unwrap(), (1, 0));
        assert_eq!(Counts::default().next(conn, "hub_seq").unwrap(), 4);
    }

    #[test]
    fn nothing_is_written_until_write() {
        let (_dir, mut db) = hub_db();
        let conn = db.as_mut();
        let mut counts = Counts::default();
        counts.next(conn, "conflicts").unwrap();
        counts.bump(conn, "c", 1, 1, 0).unwrap();
        assert_eq!(Counts::default().next(conn, "conflicts").unwrap(), 1);
        assert_eq!(Counts::default().accepted(conn, "c", 1).unwrap(), (0, 0));
    }
}
