//! The one writer: a thread that owns the write connection and is fed by a bounded channel.
//!
//! Each request sends its batch (or heartbeat) with a oneshot for the answer. The writer takes the
//! first job waiting, then whatever else is already queued (up to a limit), decides them all in ONE
//! transaction — a savepoint per job, so one job's storage failure does not fail the others — and
//! commits once (group commit: one fsync for many kiosks), then answers each job. A full channel
//! is the handler's cue to answer 503: there is never an unbounded queue.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior, params};
use tokio::sync::{mpsc, oneshot};

use super::decide;
use super::kiosks::Caller;
use super::prepare::Prepared;
use super::{HubError, store};
use crate::form::Campaign;
use crate::protocol::{Heartbeat, ItemOutcome};

/// Jobs taken into one commit at most.
const MAX_JOBS_PER_COMMIT: usize = 256;
/// Submissions taken into one commit at most (a job is never split).
const MAX_ITEMS_PER_COMMIT: usize = 5_000;

/// Work for the writer.
pub enum Job {
    Batch {
        caller: Caller,
        items: Vec<Prepared>,
        reply: oneshot::Sender<Result<Vec<ItemOutcome>, HubError>>,
    },
    Heartbeat {
        caller: Caller,
        beat: Heartbeat,
        reply: oneshot::Sender<Result<(), HubError>>,
    },
}

impl Job {
    fn len(&self) -> usize {
        match self {
            Job::Batch { items, .. } => items.len().max(1),
            Job::Heartbeat { .. } => 1,
        }
    }
}

/// What the writer needs besides its connection.
pub struct WriterConfig {
    pub campaign: Arc<Campaign>,
    pub path: PathBuf,
    /// Test aid: hold every commit this long (to have a batch in flight on purpose).
    pub commit_delay: Duration,
}

/// Starts the writer thread; it ends when every sender is dropped and the queue is drained.
pub fn spawn(
    conn: Connection,
    rx: mpsc::Receiver<Job>,
    config: WriterConfig,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("hub-writer".into())
        .spawn(move || run(conn, rx, &config))
}

fn run(mut conn: Connection, mut rx: mpsc::Receiver<Job>, config: &WriterConfig) {
    while let Some(first) = rx.blocking_recv() {
        let mut items = first.len();
        let mut jobs = vec![first];
        while jobs.len() < MAX_JOBS_PER_COMMIT && items < MAX_ITEMS_PER_COMMIT {
            match rx.try_recv() {
                Ok(job) => {
                    items += job.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        commit_group(&mut conn, config, jobs);
    }
    tracing::info!("hub writer stopped");
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Runs one job: a batch's outcomes, or `None` for a heartbeat.
fn apply(
    conn: &Connection,
    config: &WriterConfig,
    job: &Job,
    now: i64,
) -> rusqlite::Result<Option<Vec<ItemOutcome>>> {
    match job {
        Job::Batch { caller, items, .. } => items
            .iter()
            .map(|p| decide::decide(conn, &config.campaign, caller, p, now))
            .collect::<rusqlite::Result<Vec<_>>>()
            .map(Some),
        Job::Heartbeat { caller, beat, .. } => {
            let clip = |s: &str| s.chars().take(64).collect::<String>();
            conn.prepare_cached(
                "INSERT INTO heartbeats (kiosk_id, reported_id, pending, oldest_pending_age_secs,
                     version, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (kiosk_id) DO UPDATE SET reported_id = excluded.reported_id,
                     pending = excluded.pending,
                     oldest_pending_age_secs = excluded.oldest_pending_age_secs,
                     version = excluded.version, received_at = excluded.received_at",
            )?
            .execute(params![
                caller.id,
                clip(&beat.kiosk_id),
                i64::try_from(beat.pending).unwrap_or(i64::MAX),
                beat.oldest_pending_age_secs
                    .map(|s| i64::try_from(s).unwrap_or(i64::MAX)),
                clip(&beat.version),
                now,
            ])
            .map(|_| None)
        }
    }
}

fn answer(job: Job, result: Result<Option<Vec<ItemOutcome>>, HubError>) {
    // A requester that went away (client disconnected) simply gets no answer; the data stays.
    match job {
        Job::Batch { reply, .. } => {
            let _ = reply.send(result.map(Option::unwrap_or_default));
        }
        Job::Heartbeat { reply, .. } => {
            let _ = reply.send(result.map(|_| ()));
        }
    }
}

fn commit_group(conn: &mut Connection, config: &WriterConfig, jobs: Vec<Job>) {
    let path = &config.path;
    let now = now_ms();
    let mut tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!("hub writer cannot begin: {e}");
            for job in jobs {
                answer(job, Err(store::classify(path, &e)));
            }
            return;
        }
    };
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        let result = tx.savepoint().and_then(|mut sp| {
            let done = apply(&sp, config, &job, now);
            if done.is_ok() {
                sp.commit()?;
            } else {
                sp.rollback()?;
            }
            done
        });
        if let Err(e) = &result {
            tracing::error!("hub writer: one job failed and was rolled back: {e}");
        }
        results.push((job, result));
    }
    if !config.commit_delay.is_zero() {
        std::thread::sleep(config.commit_delay);
    }
    match tx.commit() {
        Ok(()) => {
            for (job, result) in results {
                answer(job, result.map_err(|e| store::classify(path, &e)));
            }
        }
        Err(e) => {
            tracing::error!("hub writer cannot commit: {e}");
            for (job, _) in results {
                answer(job, Err(store::classify(path, &e)));
            }
        }
    }
}
