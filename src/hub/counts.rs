//! The counters and per-group counts one commit works with, held in memory by the writer.
//!
//! The writer is the only connection that writes, so within one commit it can read each counter
//! (hub reference sequence, waiting-list positions, conflicts) and each group's live counts once,
//! decide every submission against the values in memory, and write the changed values back once,
//! in the same transaction, just before it commits. That replaces three statements per
//! submission. A job whose savepoint is rolled back restores the snapshot taken before it; a
//! commit that fails leaves nothing behind, because the next commit reads everything again.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::stats;

/// Live counts of one target group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub accepted: i64,
    pub waitlisted: i64,
}

/// One commit's view of `counters` and `group_counts` (read on first use).
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// Counter name → (value, changed in this commit).
    counters: BTreeMap<String, (i64, bool)>,
    /// Campaign → its groups (all read at once) and whether any changed.
    campaigns: BTreeMap<String, (BTreeMap<u8, Group>, bool)>,
}

impl Counts {
    /// The next value of counter `name` (the first is 1).
    pub fn next(&mut self, conn: &Connection, name: &str) -> rusqlite::Result<i64> {
        self.add(conn, name, 1)
    }

    /// The value of counter `name` (0 when it was never counted).
    pub fn get(&mut self, conn: &Connection, name: &str) -> rusqlite::Result<i64> {
        self.add(conn, name, 0)
    }

    /// Adds `delta` to counter `name`; its new value.
    pub fn add(&mut self, conn: &Connection, name: &str, delta: i64) -> rusqlite::Result<i64> {
        if !self.counters.contains_key(name) {
            let value: Option<i64> = conn
                .prepare_cached("SELECT value FROM counters WHERE name = ?1")?
                .query_row([name], |r| r.get(0))
                .optional()?;
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
        conn: &Connection,
        campaign: &str,
    ) -> rusqlite::Result<&mut (BTreeMap<u8, Group>, bool)> {
        if !self.campaigns.contains_key(campaign) {
            let groups = stats::group_counts(conn, campaign)?
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

    /// Accepted in the whole campaign, and in `group`.
    pub fn accepted(
        &mut self,
        conn: &Connection,
        campaign: &str,
        group: u8,
    ) -> rusqlite::Result<(i64, i64)> {
        let (groups, _) = self.groups(conn, campaign)?;
        let total = groups.values().map(|g| g.accepted).sum();
        Ok((total, groups.get(&group).map_or(0, |g| g.accepted)))
    }

    /// Adds to a group's live counts (negative when a place is freed).
    pub fn bump(
        &mut self,
        conn: &Connection,
        campaign: &str,
        group: u8,
        accepted: i64,
        waitlisted: i64,
    ) -> rusqlite::Result<()> {
        let (groups, changed) = self.groups(conn, campaign)?;
        let g = groups.entry(group).or_default();
        g.accepted += accepted;
        g.waitlisted += waitlisted;
        *changed = true;
        Ok(())
    }

    /// Writes every changed value back (inside the commit's transaction).
    pub fn write(&self, conn: &Connection) -> rusqlite::Result<()> {
        for (name, &(value, changed)) in &self.counters {
            if changed {
                conn.prepare_cached(
                    "INSERT INTO counters (name, value) VALUES (?1, ?2)
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                )?
                .execute(params![name, value])?;
            }
        }
        for (campaign, (groups, changed)) in &self.campaigns {
            if !changed {
                continue;
            }
            for (group, g) in groups {
                conn.prepare_cached(
                    "INSERT INTO group_counts (campaign_id, target_group, accepted, waitlisted)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (campaign_id, target_group) DO UPDATE SET
                         accepted = excluded.accepted, waitlisted = excluded.waitlisted",
                )?
                .execute(params![campaign, group, g.accepted, g.waitlisted])?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub_db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::hub::store::open(dir.path()).unwrap();
        (dir, conn)
    }

    #[test]
    fn values_written_back_are_where_the_next_commit_starts() {
        let (_dir, conn) = hub_db();
        let mut first = Counts::default();
        assert_eq!(first.next(&conn, "hub_seq").unwrap(), 1);
        assert_eq!(first.next(&conn, "hub_seq").unwrap(), 2);
        first.bump(&conn, "c", 3, 1, 0).unwrap();
        first.bump(&conn, "c", 5, 1, 2).unwrap();
        first.write(&conn).unwrap();

        let mut second = Counts::default();
        assert_eq!(second.next(&conn, "hub_seq").unwrap(), 3);
        assert_eq!(second.accepted(&conn, "c", 3).unwrap(), (2, 1));
        assert_eq!(second.accepted(&conn, "c", 4).unwrap(), (2, 0));
        assert_eq!(second.accepted(&conn, "other", 3).unwrap(), (0, 0));
        second.bump(&conn, "c", 3, -1, 0).unwrap();
        second.write(&conn).unwrap();
        let stored: (i64, i64) = conn
            .query_row(
                "SELECT accepted, waitlisted FROM group_counts
                 WHERE campaign_id = 'c' AND target_group = 5",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(stored, (1, 2));
        assert_eq!(Counts::default().accepted(&conn, "c", 3).unwrap(), (1, 0));
        assert_eq!(Counts::default().next(&conn, "hub_seq").unwrap(), 4);
    }

    #[test]
    fn nothing_is_written_until_write() {
        let (_dir, conn) = hub_db();
        let mut counts = Counts::default();
        counts.next(&conn, "conflicts").unwrap();
        counts.bump(&conn, "c", 1, 1, 0).unwrap();
        assert_eq!(Counts::default().next(&conn, "conflicts").unwrap(), 1);
        assert_eq!(Counts::default().accepted(&conn, "c", 1).unwrap(), (0, 0));
    }
}
