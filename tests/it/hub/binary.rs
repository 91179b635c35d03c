//! The real binary: `hub add-kiosk`, `hub serve --listen 127.0.0.1:0` (the port read from its
//! `listening on` line), SIGTERM with a batch in flight (answered, exit 0), a restart over the same
//! data, `hub revoke-kiosk` and `hub stats` (text and `--json`) with the server stopped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use predicates::prelude::*;
use ruamjai::core::protocol::{BatchResponse, HubStats, ItemOutcome, Outcome};

use super::{batch, client, submission};
use crate::support::ruamjai;

/// `RUAMJAI_HUB_DATABASE` for a hub binary over `dir` on this thread's backend (empty on
/// SQLite: the store is in the data directory).
fn store_env(dir: &Path) -> String {
    match super::store_for(dir) {
        ruamjai::hub::Database::Postgres { url } => url,
        ruamjai::hub::Database::Sqlite { .. } => String::new(),
    }
}

/// `ruamjai --data-dir DIR …` for a hub command, on this thread's backend.
pub fn hub_cmd(dir: &Path) -> assert_cmd::Command {
    let mut cmd = ruamjai(dir);
    cmd.env("RUAMJAI_HUB_DATABASE", store_env(dir));
    cmd
}

/// `ruamjai --data-dir DIR hub serve --listen 127.0.0.1:0 ARGS…` (on this thread's backend),
/// and its URL once it listens.
pub fn serve(dir: &Path, args: &[&str]) -> (Child, String) {
    listening(
        Command::new(env!("CARGO_BIN_EXE_ruamjai"))
            .envs(crate::support::SEALING_ENV)
            .env_remove("RUAMJAI_DATA_DIR")
            .env("RUAMJAI_HUB_DATABASE", store_env(dir))
            .arg("--data-dir")
            .arg(dir)
            .args(["hub", "serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stderr(Stdio::null()),
    )
}

/// Starts `cmd` (a hub server; its stdout is taken here, its stderr is the caller's) and waits,
/// bounded, for its `listening on http://ADDR` line; the child and that URL.
pub fn listening(cmd: &mut Command) -> (Child, String) {
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("listening line");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned();
    (child, url)
}

/// Waits (bounded) for `child` to exit; its exit code.
pub fn wait_exit(child: &mut Child, limit: Duration) -> Option<i32> {
    let deadline = std::time::Instant::now() + limit;
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    panic!("the hub did not exit in {limit:?}");
}

/// `kill SIG PID` (std has no signals but SIGKILL).
pub fn signal(child: &Child, sig: &str) {
    let sent = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

pub fn add_kiosk(dir: &Path, name: &str, extra: &[&str]) -> String {
    let out = hub_cmd(dir)
        .args(["hub", "add-kiosk", name, "--point", "อบต. ท่าไม้"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[cfg(unix)]
async fn the_binary_finishes_a_batch_in_flight_on_sigterm_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let token = add_kiosk(dir.path(), "SK01", &[]);
    assert!(token.starts_with("rjk_"), "{token}");
    let admin = add_kiosk(dir.path(), "boss", &["--admin"]);
    assert!(admin.starts_with("rja_"), "{admin}");

    let (mut child, url) = serve(dir.path(), &["--commit-delay-ms", "1200"]);
    let sent = batch(
        (0..20)
            .map(|n| submission(500 + n, &format!("SK01-{n:04}")))
            .collect(),
    );
    let in_flight = {
        let (url, token, sent) = (format!("{url}/v1/submissions"), token.clone(), sent.clone());
        tokio::spawn(async move {
            let r = client()
                .post(&url)
                .bearer_auth(&token)
                .json(&sent)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<BatchResponse>().await.ok())
        })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    signal(&child, "-TERM");
    let (status, answer) = in_flight.await.unwrap();
    assert_eq!(status, 200, "the batch in flight is answered");
    let answer = answer.unwrap();
    assert!(
        answer
            .outcomes
            .iter()
            .all(|o| matches!(o.outcome, Outcome::Accepted { .. }))
    );
    let code = tokio::task::spawn_blocking(move || wait_exit(&mut child, Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!(code, Some(0));

    // The data is there after a restart.
    let (mut child, url) = serve(dir.path(), &[]);
    let id = sent.items[7].submission_id;
    let r = client()
        .get(format!("{url}/v1/submissions/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<ItemOutcome>().await.unwrap(), answer.outcomes[7]);
    let r = client()
        .get(format!("{url}/v1/stats"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<HubStats>().await.unwrap().accepted, 20);
    signal(&child, "-INT");
    let code = tokio::task::spawn_blocking(move || wait_exit(&mut child, Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!(code, Some(0));

    // Management with the server stopped.
    hub_cmd(dir.path())
        .args(["hub", "revoke-kiosk", "SK01"])
        .assert()
        .success();
    hub_cmd(dir.path())
        .args(["hub", "revoke-kiosk", "SK01"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no kiosk called"));
    let out = hub_cmd(dir.path())
        .args(["hub", "stats", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let counted: HubStats = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (counted.accepted, counted.duplicates, counted.rejected),
        (20, 0, 0)
    );
    let sk01 = counted.kiosks.iter().find(|k| k.name == "SK01").unwrap();
    assert!(sk01.revoked && sk01.counts.accepted == 20);
    assert_eq!(
        counted.days.iter().map(|d| d.counts.accepted).sum::<u64>(),
        20
    );
    hub_cmd(dir.path())
        .args(["hub", "stats"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("accepted 20").and(predicate::str::contains("SK01 (revoked)")),
        );
}

/// 401, 403 and 429 leave a line in `hub.log` naming the kiosk (when its token was known) and the
/// peer; the token itself never reaches the log.
#[cfg(unix)]
async fn refusals_are_logged_by_kiosk_name_never_by_token() {
    let dir = tempfile::tempdir().unwrap();
    let token = add_kiosk(dir.path(), "SK07", &[]);
    let (mut child, url) = serve(dir.path(), &["--kiosk-rate", "0.01", "--kiosk-burst", "1"]);
    let c = client();
    let stolen = format!("{token}x");
    let get = |path: &str, token: &str| c.get(format!("{url}{path}")).bearer_auth(token).send();
    assert_eq!(get("/v1/campaign", &stolen).await.unwrap().status(), 401);
    assert_eq!(get("/v1/stats", &token).await.unwrap().status(), 403);
    assert_eq!(get("/v1/campaign", &token).await.unwrap().status(), 429);
    signal(&child, "-TERM");
    let code = tokio::task::spawn_blocking(move || wait_exit(&mut child, Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!(code, Some(0));
    let log = std::fs::read_to_string(dir.path().join("hub.log")).unwrap();
    let refused: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("request refused"))
        .collect();
    let with = |status: &str, kiosk: &str| {
        refused.iter().any(|l| {
            l.contains(&format!("status={status}"))
                && l.contains(&format!("kiosk={kiosk}"))
                && l.contains("peer=127.0.0.1")
        })
    };
    assert!(with("401", "-"), "{log}");
    assert!(with("403", "SK07"), "{log}");
    assert!(with("429", "SK07"), "{log}");
    assert!(!log.contains(&token[4..]), "a token reached the log: {log}");
}

#[cfg(unix)]
on_both_backends!(
    the_binary_finishes_a_batch_in_flight_on_sigterm_and_keeps_it,
    refusals_are_logged_by_kiosk_name_never_by_token,
);
