//! The one writer: a thread that owns the write connection and is fed by a bounded channel.
//!
//! Each request sends its job (a batch, a heartbeat, cancellations, a site's doses: `job`) with a
//! oneshot for the answer. The writer takes the first job waiting, then whatever else is already
//! queued (up to a limit), decides them all in ONE transaction — a savepoint per job, so one
//! job's storage failure does not fail the others — and commits once (group commit: one fsync
//! for many kiosks), then answers each job. Counters and group counts live in memory for the
//! commit ([`Counts`]) and are written back just before it.
//! A full channel is the handler's cue to answer 503: there is never an unbounded queue.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::core::form::Campaign;
use crate::hub::clock::now_ms;
use crate::hub::error::HubError;
use crate::hub::intake::counts::Counts;
use crate::hub::intake::decide;
use crate::hub::intake::known::Known;
use crate::hub::store::Database;
use crate::hub::store::db::{Db, DbError, Param};

mod job;

pub use job::Job;
use job::{Done, answer};

/// Jobs taken into one commit at most.
const MAX_JOBS_PER_COMMIT: usize = 256;
/// Submissions taken into one commit at most (a job is never split).
const MAX_ITEMS_PER_COMMIT: usize = 5_000;

/// What the writer needs besides its connection.
pub struct WriterConfig {
    /// Told how many submissions each commit answered, and how long it took.
    pub backlog: Arc<crate::hub::intake::backlog::Backlog>,
    pub campaign: Arc<Campaign>,
    /// The store, for words in errors and to connect again after the connection broke.
    pub database: Database,
    /// Test aid: hold every commit this long (to have a batch in flight on purpose).
    pub commit_delay: Duration,
    pub bounds: decide::Bounds,
    /// Rejected rows older than this are deleted (at start, then hourly).
    pub rejected_retention: Duration,
    pub metrics: Arc<crate::hub::reports::metrics::Metrics>,
    /// The hub's data directory (where it records the store it writes to: `lineage`).
    pub data_dir: std::path::PathBuf,
}

/// How often rejected rows past their retention are looked for.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Deletes rejected rows received before `now - retention` and counts each kiosk's rejected rows
/// again; how many were deleted.
pub fn purge_rejected(db: &mut dyn Db, retention: Duration, now: i64) -> Result<u64, DbError> {
    let before = now.saturating_sub(i64::try_from(retention.as_millis()).unwrap_or(i64::MAX));
    db.begin_write()?;
    let purged = (|| {
        let deleted = db.execute(
            "DELETE FROM submissions WHERE status = 'rejected' AND received_at < ?1",
            &[Param::Int(before)],
        )?;
        db.execute("DELETE FROM counters WHERE name LIKE 'rejected:%'", &[])?;
        db.execute(
            "INSERT INTO counters (name, value)
             SELECT 'rejected:' || kiosk_id, count(*) FROM submissions
             WHERE status = 'rejected' GROUP BY kiosk_id",
            &[],
        )?;
        db.batch("COMMIT")?;
        Ok(deleted)
    })();
    if purged.is_err() {
        let _ = db.batch("ROLLBACK");
    }
    purged
}

/// Starts the writer thread; it ends when every sender is dropped and the queue is drained.
pub fn spawn(
    conn: Box<dyn Db>,
    rx: mpsc::Receiver<Job>,
    config: WriterConfig,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("hub-writer".into())
        .spawn(move || run(conn, rx, &config))
}

fn run(conn: Box<dyn Db>, mut rx: mpsc::Receiver<Job>, config: &WriterConfig) {
    let mut conn = Some(conn);
    let mut purged_at: Option<std::time::Instant> = None;
    loop {
        if purged_at.is_none_or(|t| t.elapsed() >= PURGE_EVERY)
            && let Some(db) = conn.as_mut()
        {
            match purge_rejected(db.as_mut(), config.rejected_retention, now_ms()) {
                Ok(0) => {}
                Ok(n) => tracing::info!("deleted {n} rejected submissions past their retention"),
                Err(e) => tracing::error!("hub writer cannot purge rejected submissions: {e}"),
            }
            purged_at = Some(std::time::Instant::now());
        }
        let Some(first) = rx.blocking_recv() else {
            break;
        };
        let mut items = first.weight();
        let mut jobs = vec![first];
        while jobs.len() < MAX_JOBS_PER_COMMIT && items < MAX_ITEMS_PER_COMMIT {
            match rx.try_recv() {
                Ok(job) => {
                    items += job.weight();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        let submissions: u64 = jobs.iter().map(Job::submissions).sum();
        let started = std::time::Instant::now();
        config.backlog.started();
        commit_reconnecting(&mut conn, config, jobs);
        config.backlog.finished();
        config.backlog.done(submissions, started.elapsed());
    }
    tracing::info!("hub writer stopped");
}

/// Commits `jobs` on `conn`. A connection that broke (the database restarted, or dropped it)
/// is opened again first; one found broken only when the transaction begins is opened again
/// and the jobs tried once more. Until the store answers, every job is answered 503 and the
/// kiosks retry.
fn commit_reconnecting(conn: &mut Option<Box<dyn Db>>, config: &WriterConfig, mut jobs: Vec<Job>) {
    for _ in 0..2 {
        if conn.as_ref().is_none_or(|c| c.broken()) {
            let connected = config.database.connect(false).and_then(|mut c| {
                // A new connection may reach another store (a failover, an old primary).
                lineage_checked(c.as_mut(), &config.database, &config.data_dir)?;
                Ok(c)
            });
            *conn = match connected {
                Ok(c) => Some(c),
                Err(e) => {
                    tracing::error!("hub writer cannot reach the store: {e}");
                    for job in jobs {
                        answer(job, Err(again(&e)));
                    }
                    return;
                }
            };
        }
        let Some(db) = conn.as_mut() else {
            return;
        };
        match commit_group(db.as_mut(), config, jobs) {
            Ok(()) => return,
            Err(back) => jobs = back,
        }
    }
    let e = HubError::at_store(
        &config.database.describe(),
        crate::core::sqlite::Failure::CannotOpen("the connection broke twice".into()),
    );
    for job in jobs {
        answer(job, Err(again(&e)));
    }
}

/// Checks the store `db` reaches against the one the hub wrote to, reconciling after a failover
/// (`lineage`), in its own write transaction.
pub fn lineage_checked(
    db: &mut dyn Db,
    database: &Database,
    data_dir: &std::path::Path,
) -> Result<(), HubError> {
    db.begin_write().map_err(|e| database.error(&e))?;
    match crate::hub::store::lineage::check(db, data_dir) {
        Ok(_) => db.batch("COMMIT").map_err(|e| database.error(&e)),
        Err(e) => {
            let _ = db.batch("ROLLBACK");
            tracing::error!("{e}");
            Err(e.into())
        }
    }
}

/// Runs one job: what it came to.
fn apply(
    db: &mut dyn Db,
    counts: &mut Counts,
    config: &WriterConfig,
    job: &Job,
    now: i64,
) -> Result<Done, DbError> {
    match job {
        Job::Batch { caller, items, .. } => {
            let scope = decide::Scope {
                campaign: &config.campaign,
                bounds: config.bounds,
                now,
            };
            let mut known = Known::fetch(db, items)?;
            let outcomes = items
                .iter()
                .map(|p| decide::decide(db, counts, &mut known, &scope, caller, p))
                .collect::<Result<Vec<_>, _>>()?;
            known.flush(db)?;
            Ok(Done::Outcomes(outcomes))
        }
        Job::Cancel { caller, items, .. } => items
            .iter()
            .map(|c| {
                crate::hub::intake::waitlist::cancel_for_kiosk(
                    db,
                    counts,
                    &config.campaign,
                    caller,
                    c,
                    now,
                )
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Done::Outcomes),
        Job::Doses { caller, doses, .. } => doses
            .iter()
            .map(|d| crate::hub::sites::doses::record(db, counts, caller, d, now))
            .collect::<Result<Vec<_>, _>>()
            .map(Done::Doses),
        Job::Heartbeat { caller, beat, .. } => {
            let clip = |s: &str| s.chars().take(64).collect::<String>();
            let (reported, version) = (clip(&beat.kiosk_id), clip(&beat.version));
            db.execute(
                "INSERT INTO heartbeats (kiosk_id, reported_id, pending, oldest_pending_age_secs,
                     version, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (kiosk_id) DO UPDATE SET reported_id = excluded.reported_id,
                     pending = excluded.pending,
                     oldest_pending_age_secs = excluded.oldest_pending_age_secs,
                     version = excluded.version, received_at = excluded.received_at",
                &[
                    caller.id.into(),
                    (&reported).into(),
                    i64::try_from(beat.pending).unwrap_or(i64::MAX).into(),
                    beat.oldest_pending_age_secs
                        .map(|s| i64::try_from(s).unwrap_or(i64::MAX))
                        .into(),
                    (&version).into(),
                    now.into(),
                ],
            )
            .map(|_| Done::Beat)
        }
    }
}

/// The same error once more, for each job waiting on it.
fn again(e: &HubError) -> HubError {
    match e {
        HubError::Store { store, failure } => HubError::at_store(store, failure.clone()),
        other => HubError::at_store(
            "the hub store",
            crate::core::sqlite::Failure::CannotOpen(other.to_string()),
        ),
    }
}

/// Runs one job inside its own savepoint: a failure rolls back that job alone.
fn apply_saved(
    db: &mut dyn Db,
    counts: &mut Counts,
    config: &WriterConfig,
    job: &Job,
    now: i64,
) -> Result<Done, DbError> {
    db.batch("SAVEPOINT job")?;
    let done = apply(db, counts, config, job, now);
    if done.is_ok() {
        db.batch("RELEASE SAVEPOINT job")?;
    } else {
        db.batch("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job")?;
    }
    done
}

/// Decides and commits `jobs` in one transaction, and answers them; the jobs back, unanswered,
/// when the transaction could not begin because the connection is over.
fn commit_group(db: &mut dyn Db, config: &WriterConfig, jobs: Vec<Job>) -> Result<(), Vec<Job>> {
    let store = config.database.describe();
    let fail = |e: &DbError| HubError::at_store(&store, e.failure());
    let now = now_ms();
    if let Err(e) = db.begin_write() {
        tracing::error!("hub writer cannot begin: {e}");
        let _ = db.batch("ROLLBACK");
        if db.broken() {
            return Err(jobs);
        }
        for job in jobs {
            answer(job, Err(fail(&e)));
        }
        return Ok(());
    }
    config.metrics.commit(jobs.len());
    let mut results = Vec::with_capacity(jobs.len());
    let mut counts = Counts::default();
    // A commit of one job needs no savepoint: its failure is the transaction's.
    let alone = jobs.len() == 1;
    for job in jobs {
        let before = counts.clone();
        let result = if alone {
            apply(db, &mut counts, config, &job, now)
        } else {
            apply_saved(db, &mut counts, config, &job, now)
        };
        if alone && let Err(e) = &result {
            tracing::error!("hub writer: the job failed and was rolled back: {e}");
            let _ = db.batch("ROLLBACK");
            answer(job, Err(fail(e)));
            return Ok(());
        }
        if let Err(e) = &result {
            tracing::error!("hub writer: one job failed and was rolled back: {e}");
            counts = before;
        }
        results.push((job, result));
    }
    if !config.commit_delay.is_zero() {
        std::thread::sleep(config.commit_delay);
    }
    match counts.write(db).and_then(|()| db.batch("COMMIT")) {
        Ok(()) => {
            for (job, result) in results {
                answer(job, result.map_err(|e| fail(&e)));
            }
        }
        Err(e) => {
            tracing::error!("hub writer cannot commit: {e}");
            let _ = db.batch("ROLLBACK");
            for (job, _) in results {
                answer(job, Err(fail(&e)));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
