//! Backups through the real binary: `hub backup` of a serving SQLite hub (mid-day, and while its
//! writer commits), `hub restore` into an empty data directory (a non-empty one refused,
//! unchanged), the restored hub answering with the same registrations and taking what kiosks
//! resend once; a copy onto the store itself refused; PostgreSQL's commands printed without the
//! password. The kiosk's `ruamjai backup`: `kiosk_backup.rs`.

use std::path::Path;
use std::time::Duration;

use predicates::prelude::*;
use ruamjai::core::protocol::{BatchResponse, HubStats, ItemOutcome, Outcome, SubmissionBatch};
use rusqlite::Connection;

use crate::hub::binary::{add_kiosk, serve, signal, wait_exit};
use crate::hub::{Backend, batch, client, on, submission};
use crate::support::ruamjai;

/// `ruamjai --data-dir DIR` for a hub command on SQLite in DIR.
pub fn hub(dir: &Path) -> assert_cmd::Command {
    let mut cmd = ruamjai(dir);
    cmd.env("RUAMJAI_HUB_DATABASE", "");
    cmd
}

/// Sends `b` to the hub at `url` as kiosk `token`; its outcomes.
async fn send(url: &str, token: &str, b: &SubmissionBatch) -> Vec<ItemOutcome> {
    let r =
        crate::hub::post_until_taken(&client(), &format!("{url}/v1/submissions"), token, b).await;
    assert_eq!(r.status(), 200);
    r.json::<BatchResponse>().await.unwrap().outcomes
}

pub fn stop(mut child: std::process::Child) {
    signal(&child, "-KILL");
    wait_exit(&mut child, Duration::from_secs(10));
}

#[cfg(unix)]
pub fn assert_owner_only(file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}: {mode:o}", file.display());
}

/// `PRAGMA integrity_check` of a copy, and its row counter, rows and highest row number (the
/// same three numbers in a consistent copy: they are written in one transaction).
fn check_copy(file: &Path) -> (String, [i64; 3]) {
    let conn = Connection::open(file).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let counts = conn
        .query_row(
            "SELECT COALESCE((SELECT value FROM counters WHERE name = 'row_seq'), 0), \
             (SELECT COUNT(*) FROM submissions), \
             (SELECT COALESCE(MAX(row_seq), 0) FROM submissions)",
            [],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?]),
        )
        .unwrap();
    (ok, counts)
}

#[test]
fn a_hub_restored_from_a_mid_day_backup_answers_the_same_and_takes_resent_records_once() {
    on(Backend::Sqlite, async {
        let day = tempfile::tempdir().unwrap();
        let dir = day.path().join("hub");
        let token = add_kiosk(&dir, "SK01", &[]);
        let admin = add_kiosk(&dir, "boss", &["--admin"]);
        let (child, url) = serve(&dir, &[]);
        let morning = batch(
            (0..3)
                .map(|n| submission(700 + n, &format!("SK01-{n:04}")))
                .collect(),
        );
        let first = send(&url, &token, &morning).await;
        assert!(
            first
                .iter()
                .all(|o| matches!(o.outcome, Outcome::Accepted { .. })),
            "{first:?}"
        );

        let copy = day.path().join("noon.sqlite3");
        hub(&dir)
            .args(["hub", "backup"])
            .arg(&copy)
            .assert()
            .success()
            .stdout(predicate::str::contains("3 submissions"));
        #[cfg(unix)]
        assert_owner_only(&copy);
        let afternoon = batch(
            (3..6)
                .map(|n| submission(700 + n, &format!("SK01-{n:04}")))
                .collect(),
        );
        let later = send(&url, &token, &afternoon).await;
        assert!(
            later
                .iter()
                .all(|o| matches!(o.outcome, Outcome::Accepted { .. }))
        );
        stop(child);

        let new = day.path().join("restored");
        hub(&new)
            .args(["hub", "restore"])
            .arg(&copy)
            .assert()
            .success()
            .stdout(predicate::str::contains("3 submissions"));
        let store = new.join("hub.sqlite3");
        #[cfg(unix)]
        assert_owner_only(&store);
        // Again into the directory that now holds a store: refused, and nothing changes.
        let before = std::fs::read(&store).unwrap();
        hub(&new)
            .args(["hub", "restore"])
            .arg(&copy)
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("already holds a hub store")
                    .and(predicate::str::contains("Nothing was changed")),
            );
        assert_eq!(std::fs::read(&store).unwrap(), before);

        let (child, url) = serve(&new, &[]);
        for (item, answer) in morning.items.iter().zip(&first) {
            let r = client()
                .get(format!("{url}/v1/submissions/{}", item.submission_id))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(&r.json::<ItemOutcome>().await.unwrap(), answer);
        }
        let missed = afternoon.items[0].submission_id;
        let r = client()
            .get(format!("{url}/v1/submissions/{missed}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "the backup was taken before it came");

        // The kiosk sends the day again: the morning is a replay with its first answers, the
        // afternoon is new to this hub, and a second resend changes nothing.
        let whole_day = batch([morning.items.clone(), afternoon.items.clone()].concat());
        let resent = send(&url, &token, &whole_day).await;
        assert_eq!(resent[..3], first[..]);
        assert!(
            resent[3..]
                .iter()
                .all(|o| matches!(o.outcome, Outcome::Accepted { .. }))
        );
        assert_eq!(send(&url, &token, &whole_day).await, resent);
        let stats: HubStats = crate::hub::get_json(&format!("{url}/v1/stats"), &admin).await;
        assert_eq!((stats.accepted, stats.duplicates), (6, 0));
        stop(child);
    });
}

#[test]
fn a_backup_taken_while_the_writer_commits_is_consistent() {
    on(Backend::Sqlite, async {
        let day = tempfile::tempdir().unwrap();
        let dir = day.path().join("hub");
        let token = add_kiosk(&dir, "SK01", &[]);
        let (child, url) = serve(&dir, &["--kiosk-rate", "0"]);
        // The writer commits batch after batch until told to stop, then one batch more (which
        // starts after the last copy was taken).
        let enough = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writing = {
            let (url, token, enough) = (url.clone(), token.clone(), enough.clone());
            tokio::spawn(async move {
                for round in 0..400_u64 {
                    let last = enough.load(std::sync::atomic::Ordering::SeqCst);
                    let b = batch(
                        (0..25)
                            .map(|n| {
                                let n = round * 25 + n;
                                submission(9_000 + n, &format!("SK01-{n:04}"))
                            })
                            .collect(),
                    );
                    send(&url, &token, &b).await;
                    if last {
                        break;
                    }
                }
            })
        };
        let backup = |i: usize| {
            let copy = day.path().join(format!("copy-{i}.sqlite3"));
            let dir = dir.clone();
            async move {
                let out = tokio::task::spawn_blocking({
                    let copy = copy.clone();
                    move || {
                        hub(&dir)
                            .args(["hub", "backup"])
                            .arg(&copy)
                            .output()
                            .unwrap()
                    }
                })
                .await
                .unwrap();
                assert!(out.status.success(), "{out:?}");
                assert_eq!(std::fs::read(&copy).unwrap()[18], 1, "one file, no WAL");
                let (ok, [counter, rows, last]) = check_copy(&copy);
                assert_eq!(ok, "ok");
                assert!(counter == rows && rows == last, "{counter} {rows} {last}");
                rows
            }
        };
        let mut seen = Vec::new();
        for i in 0..4 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            seen.push(backup(i).await);
        }
        enough.store(true, std::sync::atomic::Ordering::SeqCst);
        writing.await.unwrap();
        let after = backup(4).await;
        stop(child);
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        assert!(
            seen[3] > 0 && after > seen[3],
            "taken mid-write: {seen:?} then {after}"
        );
    });
}

#[test]
fn a_backup_onto_the_store_itself_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    hub(dir.path())
        .args(["hub", "add-kiosk", "SK01"])
        .assert()
        .success();
    let store = dir.path().join("hub.sqlite3");
    let before = std::fs::read(&store).unwrap();
    hub(dir.path())
        .args(["hub", "backup"])
        .arg(dir.path().join(".").join("hub.sqlite3"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the database itself"));
    assert_eq!(std::fs::read(&store).unwrap(), before);
    assert!(!dir.path().join("hub.sqlite3.partial").exists());
}

#[test]
fn on_postgres_backup_and_restore_print_the_pg_commands_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://ruamjai:s3cret@db.province.local/ruamjai";
    let file = dir.path().join("hub.dump");
    for (command, tool) in [("backup", "pg_dump "), ("restore", "pg_restore ")] {
        let out = hub(dir.path())
            .args(["hub", command, "--database", url])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let (stdout, stderr) = (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        );
        assert!(stdout.starts_with(tool), "{stdout}");
        assert!(
            stdout.contains("postgres://ruamjai@db.province.local/ruamjai"),
            "{stdout}"
        );
        assert!(
            !stdout.contains("s3cret") && !stderr.contains("s3cret"),
            "{stderr}"
        );
        assert!(stderr.contains("PostgreSQL"), "{stderr}");
    }
    assert!(!file.exists() && !dir.path().join("hub.sqlite3").exists());
}

#[test]
fn a_restore_refuses_what_is_not_a_hub_store_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let queue = dir.path().join("queue.sqlite3");
    Connection::open(&queue)
        .unwrap()
        .execute_batch("CREATE TABLE registrations (id INTEGER PRIMARY KEY)")
        .unwrap();
    let target = dir.path().join("hub");
    for (file, why) in [
        (queue.as_path(), "holds no hub store"),
        (dir.path().join("none").as_path(), "no such file"),
    ] {
        hub(&target)
            .args(["hub", "restore"])
            .arg(file)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(why));
    }
    assert!(!target.join("hub.sqlite3").exists(), "no store made");
}
