//! Taking a test store back to before one of its migrations, as a hub of an older version left
//! it: what that migration and every later one made is undone, and the store's record of them
//! rewound, so the next hub to open it runs them again. One place for every test that needs an
//! older store: a new migration that makes something adds its undoing to [`UNDO`], once.

use ruamjai::hub::Database;
use ruamjai::hub::store::db::Db;

/// What undoes each migration a test may rewind past (by its name without the number, the
/// same in both dialects), and on PostgreSQL what else it made. A migration not listed runs
/// again as it is (it makes nothing, or only `IF NOT EXISTS`), or its own test undoes it.
const UNDO: &[(&str, &str, &str)] = &[
    ("kiosk_prefixes", "DROP TABLE kiosk_prefixes", ""),
    (
        "reference_unique",
        "DROP INDEX submissions_live_reference;
         ALTER TABLE submissions DROP COLUMN reference_kept_by",
        "",
    ),
    (
        "people",
        "DROP TABLE access_log;
         ALTER TABLE kiosks DROP COLUMN role;
         ALTER TABLE kiosks DROP COLUMN amphoes",
        "DROP FUNCTION access_log_append_only()",
    ),
    ("enrolment", "DROP TABLE enrolments", ""),
    (
        "sites",
        "DROP TABLE appointments;
         DROP TABLE site_days;
         DROP TABLE site_serves;
         DROP TABLE sites;
         ALTER TABLE outcome_history DROP COLUMN appointment",
        "",
    ),
    (
        "campaign_versions",
        "DROP TABLE campaign_versions;
         ALTER TABLE submissions DROP COLUMN unpublished_version",
        "",
    ),
    (
        "checkin",
        "DROP TABLE doses;
         ALTER TABLE kiosks DROP COLUMN site_id",
        "",
    ),
];

/// Rewinds `db` (of `store`) to before the migration named `from` (without its number):
/// undoes it, where [`UNDO`] knows how, and every later one, then rewinds the record.
pub fn rewind_store(db: &mut dyn Db, store: &Database, from: &str) {
    let names: Vec<&str> = ruamjai::hub::store::MIGRATIONS
        .iter()
        .map(|(name, _)| name.split_once('_').map_or(*name, |(_, stem)| stem))
        .collect();
    let at = names
        .iter()
        .position(|n| *n == from)
        .unwrap_or_else(|| panic!("no migration {from}"));
    let postgres = matches!(store, Database::Postgres { .. });
    for name in &names[at..] {
        if let Some((_, undo, pg_too)) = UNDO.iter().find(|(n, _, _)| n == name) {
            db.batch(undo).unwrap();
            if postgres && !pg_too.is_empty() {
                db.batch(pg_too).unwrap();
            }
        }
    }
    let back = if postgres {
        format!(
            "DELETE FROM ruamjai_migrations WHERE version >= (SELECT version
                 FROM ruamjai_migrations WHERE name LIKE '%\\_{from}')"
        )
    } else {
        format!("PRAGMA user_version = {at}")
    };
    db.batch(&back).unwrap();
}
