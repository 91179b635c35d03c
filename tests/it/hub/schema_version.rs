//! Both stores number their migrations the same way, so a schema version means the same schema
//! on SQLite and on PostgreSQL; a PostgreSQL store migrated under the older numbering (which
//! lacked `0002_drop_received_index`) is renumbered by name when a hub opens it.

use ruamjai::hub::Database;
use ruamjai::hub::store::{MIGRATIONS, PG_MIGRATIONS};

fn names<'a>(list: &[(&'a str, &str)]) -> Vec<&'a str> {
    list.iter().map(|(name, _)| *name).collect()
}

#[test]
fn both_dialects_list_the_same_migrations_under_the_same_numbers() {
    assert_eq!(names(MIGRATIONS), names(PG_MIGRATIONS));
    for (i, name) in names(MIGRATIONS).iter().enumerate() {
        assert_eq!(
            name[..4],
            format!("{:04}", i + 1),
            "{name} is number {}",
            i + 1
        );
    }
}

/// The version each store records once a hub has opened it.
fn sqlite_version() -> i64 {
    let dir = crate::support::private_tempdir();
    let store = Database::Sqlite {
        data_dir: dir.path().to_owned(),
    };
    let mut db = store.connect(true).unwrap();
    db.query_one("PRAGMA user_version", &[])
        .unwrap()
        .int(0)
        .unwrap()
}

fn pg_records(url: &str) -> Vec<(i64, String)> {
    let store = Database::Postgres { url: url.into() };
    let mut db = store.connect(true).unwrap();
    db.query(
        "SELECT version, name FROM ruamjai_migrations ORDER BY version",
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| (r.int(0).unwrap(), r.text(1).unwrap()))
    .collect()
}

fn every_migration() -> Vec<(i64, String)> {
    names(PG_MIGRATIONS)
        .iter()
        .enumerate()
        .map(|(i, n)| (i as i64 + 1, (*n).to_owned()))
        .collect()
}

#[test]
fn both_stores_end_at_the_same_schema_version() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let url = cluster.database("schema_version");
    let records = pg_records(&url);
    assert_eq!(records, every_migration());
    let pg_version = records.last().unwrap().0;
    assert_eq!(sqlite_version(), pg_version);
    assert_eq!(pg_version, MIGRATIONS.len() as i64);
    cluster.drop_database(&url);
}

#[test]
fn a_postgres_store_numbered_the_old_way_is_renumbered_by_name() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let url = cluster.database("old_numbers");
    pg_records(&url);
    // As a hub before the common numbering left it: no 0002, the later ones one lower.
    cluster.psql(
        url.rsplit('/').next().unwrap(),
        "DELETE FROM ruamjai_migrations WHERE version = 2;
         UPDATE ruamjai_migrations SET version = 1 - version WHERE version > 2;
         UPDATE ruamjai_migrations SET version = -version,
             name = lpad((-version)::text, 4, '0') || substr(name, 5) WHERE version < 0;",
    );
    let old = cluster.psql(
        url.rsplit('/').next().unwrap(),
        "SELECT string_agg(version || ' ' || name, ',' ORDER BY version) FROM ruamjai_migrations",
    );
    assert!(old.contains("2 0002_waitlist_moves"), "{old}");
    assert!(old.contains("8 0008_people"), "{old}");
    // The next hub to open it renumbers the records and applies nothing twice (0009_people
    // would fail on its existing table).
    assert_eq!(pg_records(&url), every_migration());
    cluster.drop_database(&url);
}
