//! The hub's store on PostgreSQL, through the synchronous `postgres` client (pure Rust, over
//! tokio-postgres; no libpq on any machine). Plain TCP or a Unix socket; no TLS to the database
//! (run it on the hub's own network).
//!
//! Migrations (`migrations/hub-postgres/`) are applied by whichever process connects first: it
//! holds a session advisory lock while it reads `ruamjai_migrations` and applies what is missing,
//! each in its own transaction; the others wait on the lock and then find nothing to do.
//! Statements are prepared once per connection and cached.

use std::collections::HashMap;
use std::time::Duration;

use super::pg_error::{classify, describe};
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};

use super::db::{Db, DbError, Kind, Param, Row, Value};
use crate::core::sqlite::Failure;

/// The PostgreSQL migrations, in order; `ruamjai_migrations` records those applied.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_hub",
        include_str!("../../../migrations/hub-postgres/0001_hub.sql"),
    ),
    (
        "0002_drop_received_index",
        include_str!("../../../migrations/hub-postgres/0002_drop_received_index.sql"),
    ),
    (
        "0003_waitlist_moves",
        include_str!("../../../migrations/hub-postgres/0003_waitlist_moves.sql"),
    ),
    (
        "0004_row_seq",
        include_str!("../../../migrations/hub-postgres/0004_row_seq.sql"),
    ),
    (
        "0005_waitlist_per_group",
        include_str!("../../../migrations/hub-postgres/0005_waitlist_per_group.sql"),
    ),
    (
        "0006_kiosk_prefixes",
        include_str!("../../../migrations/hub-postgres/0006_kiosk_prefixes.sql"),
    ),
    (
        "0007_sessions",
        include_str!("../../../migrations/hub-postgres/0007_sessions.sql"),
    ),
    (
        "0008_reference_unique",
        include_str!("../../../migrations/hub-postgres/0008_reference_unique.sql"),
    ),
    (
        "0009_people",
        include_str!("../../../migrations/hub-postgres/0009_people.sql"),
    ),
    (
        "0010_enrolment",
        include_str!("../../../migrations/hub-postgres/0010_enrolment.sql"),
    ),
    (
        "0011_sites",
        include_str!("../../../migrations/hub-postgres/0011_sites.sql"),
    ),
    (
        "0012_campaign_versions",
        include_str!("../../../migrations/hub-postgres/0012_campaign_versions.sql"),
    ),
    (
        "0013_checkin",
        include_str!("../../../migrations/hub-postgres/0013_checkin.sql"),
    ),
];

/// The advisory lock key held while migrating ("rjmigr").
const MIGRATE_LOCK: i64 = 0x726a_6d69_6772;

/// How long connecting may take before the database counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A PostgreSQL connection as a [`Db`].
pub struct PgDb {
    client: Client,
    statements: HashMap<String, Statement>,
    /// An answer said the connection is over (the server shut it, or it dropped).
    dead: bool,
}

/// Connects to `url` and brings its schema up to date.
pub fn connect(url: &str) -> Result<PgDb, Failure> {
    let mut config: postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| Failure::CannotOpen(describe(&e)))?;
    config
        .connect_timeout(CONNECT_TIMEOUT)
        .application_name("ruamjai-hub");
    let mut client = config.connect(NoTls).map_err(|e| classify(&e))?;
    migrate(&mut client).map_err(|e| match e {
        Migration::Newer(found) => Failure::NewerSchema {
            found,
            supported: MIGRATIONS.len(),
        },
        Migration::Db(e) => classify(&e),
    })?;
    Ok(PgDb {
        client,
        statements: HashMap::new(),
        dead: false,
    })
}

enum Migration {
    Newer(usize),
    Db(postgres::Error),
}

impl From<postgres::Error> for Migration {
    fn from(e: postgres::Error) -> Self {
        Migration::Db(e)
    }
}

fn migrate(client: &mut Client) -> Result<(), Migration> {
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATE_LOCK])?;
    let applied = apply_missing(client);
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATE_LOCK]);
    applied?;
    unlocked?;
    Ok(())
}

fn apply_missing(client: &mut Client) -> Result<(), Migration> {
    client.batch_execute(
        "CREATE TABLE IF NOT EXISTS ruamjai_migrations (
             version    BIGINT PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at BIGINT NOT NULL
         )",
    )?;
    renumber(client)?;
    let recorded: Vec<i64> = client
        .query("SELECT version FROM ruamjai_migrations", &[])?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let found = recorded
        .iter()
        .max()
        .map_or(0, |v| usize::try_from(*v).unwrap_or(0));
    if found > MIGRATIONS.len() {
        return Err(Migration::Newer(found));
    }
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if recorded.contains(&version) {
            continue;
        }
        let mut tx = client.transaction()?;
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO ruamjai_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            &[&version, name, &crate::hub::clock::now_ms()],
        )?;
        tx.commit()?;
        tracing::info!("database migration {name} applied");
    }
    Ok(())
}

/// A migration's name without its number (`0003_waitlist_moves` → `waitlist_moves`).
fn stem(name: &str) -> &str {
    name.split_once('_').map_or(name, |(_, stem)| stem)
}

/// Stores migrated before both dialects numbered their migrations the same way recorded
/// `0002_waitlist_moves` … `0008_people` as versions 2 to 8. Each recorded migration gets the
/// number it has now, found by its name, in one transaction; the one such a store lacks
/// (`0002_drop_received_index`, which makes nothing here) is then applied like any missing one.
/// A record whose name this build does not know (a newer hub's) is left as it is.
fn renumber(client: &mut Client) -> Result<(), postgres::Error> {
    let moves: Vec<(i64, i64, &str)> = client
        .query("SELECT version, name FROM ruamjai_migrations", &[])?
        .iter()
        .filter_map(|row| {
            let version: i64 = row.get(0);
            let name: String = row.get(1);
            let at = MIGRATIONS
                .iter()
                .position(|(n, _)| stem(n) == stem(&name))?;
            let (now, _) = MIGRATIONS[at];
            (at as i64 + 1 != version).then_some((version, at as i64 + 1, now))
        })
        .collect();
    if moves.is_empty() {
        return Ok(());
    }
    let mut tx = client.transaction()?;
    // Out of the way first, so no two records hold one number on the way.
    for (from, _, _) in &moves {
        tx.execute(
            "UPDATE ruamjai_migrations SET version = -version WHERE version = $1",
            &[from],
        )?;
    }
    for (from, to, name) in &moves {
        tx.execute(
            "UPDATE ruamjai_migrations SET version = $2, name = $3 WHERE version = $1",
            &[&-from, to, name],
        )?;
    }
    tx.commit()?;
    tracing::info!(
        "database migrations renumbered as the SQLite store numbers them ({} moved)",
        moves.len()
    );
    Ok(())
}

/// `?1`-style placeholders as PostgreSQL's `$1`.
fn dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `e` ends the connection: no answer from the server, or the server closing it
/// (connection errors, shutdown, the database dropped under it).
fn ends_connection(e: &postgres::Error) -> bool {
    e.is_closed()
        || e.as_db_error().is_none_or(|db| {
            let code = db.code().code();
            code.starts_with("08") || code.starts_with("57P") || code == "3D000"
        })
}

impl PgDb {
    /// `result`, noting whether its error ended the connection.
    fn noted<T>(&mut self, result: Result<T, postgres::Error>) -> Result<T, DbError> {
        if let Err(e) = &result
            && ends_connection(e)
        {
            self.dead = true;
        }
        Ok(result?)
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.client.prepare(&dollars(sql));
        let prepared = self.noted(prepared)?;
        self.statements.insert(sql.to_owned(), prepared.clone());
        Ok(prepared)
    }
}

fn refs<'a>(params: &'a [Param<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Db for PgDb {
    fn kind(&self) -> Kind {
        Kind::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        let stmt = self.statement(sql)?;
        let done = self.client.execute(&stmt, &refs(params));
        self.noted(done)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError> {
        let stmt = self.statement(sql)?;
        let names: super::db::Columns =
            stmt.columns().iter().map(|c| c.name().to_owned()).collect();
        let rows = self.client.query(&stmt, &refs(params));
        self.noted(rows)?
            .iter()
            .map(|r| read_row(r, &names))
            .collect()
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        let done = self.client.batch_execute(sql);
        self.noted(done)
    }

    fn broken(&self) -> bool {
        self.dead || self.client.is_closed()
    }
}

fn read_row(r: &postgres::Row, names: &super::db::Columns) -> Result<Row, DbError> {
    let mut row = Vec::with_capacity(r.len());
    for (i, column) in r.columns().iter().enumerate() {
        let value = match *column.type_() {
            Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map(Value::Int),
            Type::INT4 => r
                .try_get::<_, Option<i32>>(i)?
                .map(|n| Value::Int(n.into())),
            Type::INT2 => r
                .try_get::<_, Option<i16>>(i)?
                .map(|n| Value::Int(n.into())),
            Type::BOOL => r
                .try_get::<_, Option<bool>>(i)?
                .map(|b| Value::Int(b.into())),
            Type::BYTEA => r.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Bytes),
            Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR => {
                r.try_get::<_, Option<String>>(i)?.map(Value::Text)
            }
            // The advisory lock functions answer `void`.
            Type::VOID => None,
            ref other => {
                return Err(DbError::Decode(format!(
                    "column {} has type {other}; cast it to BIGINT or TEXT",
                    column.name()
                )));
            }
        };
        row.push(value.unwrap_or(Value::Null));
    }
    Ok(Row::named(row, std::sync::Arc::clone(names)))
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(n) => match *ty {
                Type::INT2 => i16::try_from(n)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(n)?.to_sql(ty, out),
                Type::BOOL => (n != 0).to_sql(ty, out),
                _ => n.to_sql(ty, out),
            },
            Param::Text(s) => s.to_sql(ty, out),
            Param::Bytes(b) => b.to_sql(ty, out),
            Param::Texts(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars_and_nothing_else_changes() {
        assert_eq!(
            dollars("SELECT a FROM t WHERE b = ?1 AND c = '?' AND d = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $12"
        );
    }
}
