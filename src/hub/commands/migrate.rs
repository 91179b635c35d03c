//! `ruamjai hub migrate-store --from sqlite:PATH --to postgres://…`: moving a district's hub
//! into the province's database, while the district's hub may still be serving.
//!
//! Everything is copied in one transaction on the target, holding the writers' lock, so hub
//! processes already serving on the target wait for it and then see all of it or none. Rows are
//! matched by what identifies them (a kiosk by name, a submission by its id, a person by campaign
//! and key), so a second run copies nothing twice; kiosk ids are mapped by name. The counters
//! take the larger of both sides, and the group counts are counted again from the submissions.
//! A target that holds another hub's registrations is refused by its unique hub references.

use std::collections::HashMap;

use crate::hub::error::HubError;
use crate::hub::store::Database;
use crate::hub::store::db::{Db, DbError, Param, Row};
use crate::hub::store::submission;

pub use super::migrate_moved::Moved;

fn tally(pair: &mut (u64, u64), changed: u64) {
    if changed > 0 {
        pair.0 += 1;
    } else {
        pair.1 += 1;
    }
}

fn params(row: &Row) -> Vec<Param<'_>> {
    row.0
        .iter()
        .map(|v| match v {
            crate::hub::store::db::Value::Null => Param::Null,
            crate::hub::store::db::Value::Int(n) => Param::Int(*n),
            crate::hub::store::db::Value::Text(s) => Param::Text(s),
            crate::hub::store::db::Value::Bytes(b) => Param::Bytes(b),
        })
        .collect()
}

/// Copies the store `from` into `to`.
pub fn migrate(from: &Database, to: &Database) -> Result<Moved, HubError> {
    if from == to {
        return Err(HubError::SameStore(from.describe()));
    }
    crate::hub::store::off_runtime(|| {
        let mut source = from.connect_existing()?;
        let mut target = to.connect(false)?;
        let copied = copy(source.as_mut(), target.as_mut());
        match copied {
            Ok(moved) => Ok(moved),
            Err(Side::From(e)) => {
                let _ = target.batch("ROLLBACK");
                Err(from.error(&e))
            }
            Err(Side::To(e)) => {
                let _ = target.batch("ROLLBACK");
                Err(to.error(&e))
            }
        }
    })
}

/// Which store failed.
enum Side {
    From(DbError),
    To(DbError),
}

fn put(target: &mut dyn Db, sql: &str, p: &[Param<'_>]) -> Result<u64, Side> {
    target.execute(sql, p).map_err(Side::To)
}

/// The provisional prefixes bound to kiosks, their kiosks mapped by `ids`.
fn copy_prefixes(
    source: &mut dyn Db,
    target: &mut dyn Db,
    ids: &HashMap<i64, i64>,
    moved: &mut Moved,
) -> Result<(), Side> {
    let rows = source
        .query(
            "SELECT prefix, kiosk_id, created_at FROM kiosk_prefixes",
            &[],
        )
        .map_err(Side::From)?;
    for r in rows {
        let old = r.int("kiosk_id").map_err(Side::From)?;
        let Some(&id) = ids.get(&old) else {
            return Err(Side::From(DbError::Decode(format!(
                "a prefix names kiosk {old}, which is not in kiosks"
            ))));
        };
        let mut p = params(&r);
        p[1] = Param::Int(id);
        let changed = put(
            target,
            "INSERT INTO kiosk_prefixes (prefix, kiosk_id, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (prefix) DO NOTHING",
            &p,
        )?;
        tally(&mut moved.prefixes, changed);
    }
    Ok(())
}

/// The kiosks and people's accounts, matched by name; old id → new id.
fn copy_kiosks(
    source: &mut dyn Db,
    target: &mut dyn Db,
    moved: &mut Moved,
) -> Result<HashMap<i64, i64>, Side> {
    let read = |db: &mut dyn Db, sql: &str| db.query(sql, &[]).map_err(Side::From);
    let mut ids: HashMap<i64, i64> = HashMap::new();
    for k in read(
        source,
        "SELECT name, point, is_admin, token_hash, created_at, revoked_at, role, amphoes,
             site_id, id
         FROM kiosks",
    )? {
        let p = params(&k);
        let changed = put(
            target,
            "INSERT INTO kiosks (name, point, is_admin, token_hash, created_at, revoked_at, role,
                 amphoes, site_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (name) DO NOTHING",
            &p[..9],
        )?;
        tally(&mut moved.kiosks, changed);
        let id = target
            .query_one("SELECT id FROM kiosks WHERE name = ?1", &p[..1])
            .and_then(|r| r.int("id"))
            .map_err(Side::To)?;
        ids.insert(k.int("id").map_err(Side::From)?, id);
    }
    Ok(ids)
}

/// The access log, each read once (a read already there, by time, who, what and filter, is
/// not copied again).
fn copy_access_log(
    source: &mut dyn Db,
    target: &mut dyn Db,
    moved: &mut Moved,
) -> Result<(), Side> {
    let rows = source
        .query(
            "SELECT at, who, what, filter, rows FROM access_log ORDER BY seq",
            &[],
        )
        .map_err(Side::From)?;
    for r in rows {
        let p = params(&r);
        let there = target
            .query_one(
                "SELECT COUNT(*) AS n FROM access_log WHERE at = ?1 AND who = ?2 AND what = ?3
                 AND filter = ?4",
                &p[..4],
            )
            .and_then(|c| c.int("n"))
            .map_err(Side::To)?;
        let changed = if there > 0 {
            0
        } else {
            put(
                target,
                "INSERT INTO access_log (at, who, what, filter, rows) VALUES (?1, ?2, ?3, ?4, ?5)",
                &p,
            )?
        };
        tally(&mut moved.reads, changed);
    }
    Ok(())
}

fn copy(source: &mut dyn Db, target: &mut dyn Db) -> Result<Moved, Side> {
    let read = |db: &mut dyn Db, sql: &str| db.query(sql, &[]).map_err(Side::From);
    let mut moved = Moved::default();
    // A consistent picture of a store that may be serving: one read transaction.
    source.batch("BEGIN").map_err(Side::From)?;
    target.begin_write().map_err(Side::To)?;

    let ids = copy_kiosks(source, target, &mut moved)?;
    for c in read(source, "SELECT id, definition, updated_at FROM campaigns")? {
        let changed = put(
            target,
            "INSERT INTO campaigns (id, definition, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO NOTHING",
            &params(&c),
        )?;
        tally(&mut moved.campaigns, changed);
    }
    // The versions published (not counted apart: they go with their campaign), in table order.
    let cols = "campaign_id, version, definition, first_published";
    for v in read(source, &format!("SELECT {cols} FROM campaign_versions"))? {
        let sql = "INSERT INTO campaign_versions VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";
        put(target, sql, &params(&v))?;
    }
    let kiosk = |old: i64| {
        ids.get(&old).copied().ok_or_else(|| {
            Side::From(DbError::Decode(format!(
                "a row names kiosk {old}, which is not in kiosks"
            )))
        })
    };
    let all = submission::all();
    let columns = submission::list(&all);
    let kiosk_at = all.iter().position(|c| *c == "kiosk_id").unwrap_or(1);
    let insert = format!(
        "INSERT INTO submissions ({columns}) VALUES ({})
         ON CONFLICT (submission_id) DO NOTHING",
        submission::placeholders(all.len())
    );
    for s in read(source, &format!("SELECT {columns} FROM submissions"))? {
        let mut p = params(&s);
        p[kiosk_at] = Param::Int(kiosk(s.int("kiosk_id").map_err(Side::From)?)?);
        let changed = put(target, &insert, &p)?;
        tally(&mut moved.submissions, changed);
    }
    for r in read(
        source,
        "SELECT campaign_id, person_key, submission_id FROM persons",
    )? {
        let changed = put(
            target,
            "INSERT INTO persons (campaign_id, person_key, submission_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (campaign_id, person_key) DO NOTHING",
            &params(&r),
        )?;
        tally(&mut moved.persons, changed);
    }
    copy_prefixes(source, target, &ids, &mut moved)?;
    copy_access_log(source, target, &mut moved)?;
    for h in read(
        source,
        "SELECT kiosk_id, reported_id, pending, oldest_pending_age_secs, version, received_at
         FROM heartbeats",
    )? {
        let mut p = params(&h);
        p[0] = Param::Int(kiosk(h.int("kiosk_id").map_err(Side::From)?)?);
        let changed = put(
            target,
            "INSERT INTO heartbeats (kiosk_id, reported_id, pending, oldest_pending_age_secs,
                 version, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (kiosk_id) DO UPDATE SET reported_id = excluded.reported_id,
                 pending = excluded.pending,
                 oldest_pending_age_secs = excluded.oldest_pending_age_secs,
                 version = excluded.version, received_at = excluded.received_at
             WHERE heartbeats.received_at < excluded.received_at",
            &p,
        )?;
        tally(&mut moved.heartbeats, changed);
    }
    copy_after_registration(source, target, &kiosk, &mut moved)?;
    let failed = |e| match e {
        super::migrate_sites::Failed::From(e) => Side::From(e),
        super::migrate_sites::Failed::To(e) => Side::To(e),
    };
    moved.appointments = super::migrate_sites::copy(source, target).map_err(failed)?;
    moved.doses = super::migrate_sites::copy_doses(source, target, &ids).map_err(failed)?;
    moved.counters = copy_counters(source, target, &ids)?;
    recount_groups(target).map_err(Side::To)?;
    target.batch("COMMIT").map_err(Side::To)?;
    let _ = source.batch("COMMIT");
    Ok(moved)
}

/// The quotas set by `hub set-quota` and the outcome history (its kiosk ids mapped; its
/// sequence numbers kept, as they are the kiosks' cursors).
fn copy_after_registration(
    source: &mut dyn Db,
    target: &mut dyn Db,
    kiosk: &dyn Fn(i64) -> Result<i64, Side>,
    moved: &mut Moved,
) -> Result<(), Side> {
    let quotas = source
        .query(
            "SELECT campaign_id, target_group, quota, updated_at FROM quotas",
            &[],
        )
        .map_err(Side::From)?;
    for q in quotas {
        let changed = put(
            target,
            "INSERT INTO quotas (campaign_id, target_group, quota, updated_at)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (campaign_id, target_group) DO NOTHING",
            &params(&q),
        )?;
        tally(&mut moved.quotas, changed);
    }
    let history = source
        .query(
            "SELECT seq, submission_id, kiosk_id, status, outcome, actor, reason, at,
                 appointment FROM outcome_history ORDER BY seq",
            &[],
        )
        .map_err(Side::From)?;
    for h in history {
        let mut p = params(&h);
        p[2] = Param::Int(kiosk(h.int("kiosk_id").map_err(Side::From)?)?);
        let changed = put(
            target,
            "INSERT INTO outcome_history (seq, submission_id, kiosk_id, status, outcome, actor,
                 reason, at, appointment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (seq) DO NOTHING",
            &p,
        )?;
        tally(&mut moved.history, changed);
    }
    Ok(())
}

/// Each counter takes the larger of both sides (a per-kiosk counter under the kiosk's new id).
fn copy_counters(
    source: &mut dyn Db,
    target: &mut dyn Db,
    ids: &HashMap<i64, i64>,
) -> Result<u64, Side> {
    let mut n = 0;
    for c in source
        .query("SELECT name, value FROM counters", &[])
        .map_err(Side::From)?
    {
        let name = c.text("name").map_err(Side::From)?;
        let name = match name.strip_prefix("rejected:").map(str::parse::<i64>) {
            Some(Ok(old)) => match ids.get(&old) {
                Some(new) => crate::hub::intake::decide::seen::rejected_counter(*new),
                None => continue,
            },
            _ => name,
        };
        target
            .execute(
                "INSERT INTO counters (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value
                 WHERE counters.value < excluded.value",
                &[
                    Param::Text(&name),
                    Param::Int(c.int("value").map_err(Side::From)?),
                ],
            )
            .map_err(Side::To)?;
        n += 1;
    }
    Ok(n)
}

/// The live counts per group, counted again from the submissions.
fn recount_groups(db: &mut dyn Db) -> Result<(), DbError> {
    db.execute("DELETE FROM group_counts", &[])?;
    db.execute(
        "INSERT INTO group_counts (campaign_id, target_group, accepted, waitlisted)
         SELECT campaign_id, target_group,
             CAST(SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) AS BIGINT),
             CAST(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END) AS BIGINT)
         FROM submissions
         WHERE status IN ('accepted', 'waitlisted') AND superseded_by IS NULL
         GROUP BY campaign_id, target_group",
        &[],
    )?;
    Ok(())
}
