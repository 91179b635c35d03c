//! What a careless admin could do to the hub's data, tried with the real binary: a second hub on
//! the same directory, a store deleted or emptied under a hub that ran there, personal data left
//! readable by other users of the machine.

use std::path::Path;
use std::time::Duration;

use super::binary::{add_kiosk, serve, signal, wait_exit};
use super::{batch, client, post, submission};
use crate::support::ruamjai;

fn serve_refused(dir: &Path, args: &[&str]) -> String {
    let out = ruamjai(dir)
        .args(["hub", "serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[cfg(unix)]
#[test]
fn a_second_hub_on_the_same_directory_is_refused_while_the_first_serves() {
    let dir = tempfile::tempdir().unwrap();
    let (mut first, _url) = serve(dir.path(), &[]);
    let said = serve_refused(dir.path(), &[]);
    assert!(said.contains("another hub is already serving"), "{said}");
    assert!(said.contains(&format!("process {}", first.id())), "{said}");
    signal(&first, "-TERM");
    assert_eq!(wait_exit(&mut first, Duration::from_secs(10)), Some(0));
    // Once it stopped, the directory can be served again.
    let (mut again, _url) = serve(dir.path(), &[]);
    signal(&again, "-TERM");
    assert_eq!(wait_exit(&mut again, Duration::from_secs(10)), Some(0));
}

#[cfg(unix)]
#[test]
fn a_lost_store_is_refused_unless_init_is_given() {
    let dir = tempfile::tempdir().unwrap();
    add_kiosk(dir.path(), "SK01", &[]);
    let store = dir.path().join("hub.sqlite3");
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", store.display()));
    }
    std::fs::write(&store, b"").unwrap();
    let said = serve_refused(dir.path(), &[]);
    assert!(
        said.contains("empty (0 bytes)") && said.contains("--init"),
        "{said}"
    );
    std::fs::remove_file(&store).unwrap();
    let said = serve_refused(dir.path(), &[]);
    assert!(
        said.contains("missing") && said.contains("--init"),
        "{said}"
    );
    // Management commands refuse it too, instead of making an empty store behind the admin.
    let out = ruamjai(dir.path())
        .args(["hub", "add-kiosk", "SK02"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "{out:?}");
    assert!(!store.exists(), "add-kiosk made a new store");
    // On purpose: a new empty store.
    let (mut hub, _url) = serve(dir.path(), &["--init"]);
    signal(&hub, "-TERM");
    assert_eq!(wait_exit(&mut hub, Duration::from_secs(10)), Some(0));
    assert!(std::fs::metadata(&store).unwrap().len() > 0);
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_data_is_the_owners_only_and_an_open_directory_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hub");
    let token = add_kiosk(&dir, "SK01", &[]);
    let (mut child, url) = serve(&dir, &[]);
    let r = post(
        &client(),
        &format!("{url}/v1/submissions"),
        &token,
        &batch(vec![submission(1, "SK01-0001-A")]),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(mode(&dir), 0o700, "the hub's data directory");
    for name in [
        "hub.sqlite3",
        "hub.sqlite3-wal",
        "hub.sqlite3-shm",
        "hub.log",
    ] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
    signal(&child, "-TERM");
    let code = tokio::task::spawn_blocking(move || wait_exit(&mut child, Duration::from_secs(10)));
    assert_eq!(code.await.unwrap(), Some(0));

    // The kiosk's queue, made by the first command that opens it.
    let kiosk = tmp.path().join("kiosk");
    let out = ruamjai(&kiosk).arg("export").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&kiosk), 0o700);
    assert_eq!(mode(&kiosk.join("queue.sqlite3")), 0o600);

    // A directory someone opened up is reported at start, and its store closed again.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let store = dir.join("hub.sqlite3");
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (child, _url) = super::binary::listening(
        std::process::Command::new(env!("CARGO_BIN_EXE_ruamjai"))
            .envs(crate::support::SEALING_ENV)
            .arg("--data-dir")
            .arg(&dir)
            .args(["hub", "serve", "--listen", "127.0.0.1:0"])
            .stderr(std::process::Stdio::piped()),
    );
    signal(&child, "-TERM");
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("other users can open it") && said.contains("chmod 700"),
        "{said}"
    );
    assert_eq!(mode(&store), 0o600, "the store is closed again on open");
    // The kiosk says so on every command.
    std::fs::set_permissions(&kiosk, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = ruamjai(&kiosk).arg("export").output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("other users can open it"), "{said}");
}

/// Opening a store again in the same process (the hub's read pool does it all day) must not
/// drop the POSIX locks its open connections hold: closing any descriptor of the file would.
/// Another process (Python's sqlite3) must still find the write lock taken.
#[cfg(unix)]
#[test]
fn opening_the_store_again_keeps_the_locks_of_open_connections() {
    let dir = tempfile::tempdir().unwrap();
    let store = ruamjai::hub::store::open(dir.path()).unwrap();
    store.execute_batch("BEGIN IMMEDIATE").unwrap();
    drop(ruamjai::hub::store::open(dir.path()).unwrap());
    // Leaving WAL needs the exclusive lock on the store itself, which the open connection's
    // shared lock forbids: "locked". A dropped lock lets it through ("delete").
    let probe = "import sqlite3, sys\n\
                 c = sqlite3.connect(sys.argv[1], timeout=0)\n\
                 try:\n    print(c.execute('PRAGMA journal_mode=DELETE').fetchone()[0])\n\
                 except sqlite3.OperationalError as e:\n    print('locked' if 'locked' in str(e) else e)\n";
    let out = std::process::Command::new("python3")
        .args(["-c", probe])
        .arg(dir.path().join("hub.sqlite3"))
        .output();
    let Ok(out) = out else {
        crate::support::missing("python3");
        return;
    };
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        said.trim(),
        "locked",
        "another process took the store out of WAL under open connections: {out:?}"
    );
    store.execute_batch("ROLLBACK").unwrap();
}

/// `/v1/health` says whether this process can read its store: a load balancer takes a hub whose
/// store went away out of rotation (503), and puts it back when the store is there again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_is_503_when_the_store_cannot_be_read() {
    let hub = super::TestHub::start().await;
    let store = hub.path().join("hub.sqlite3");
    let saved = hub.path().join("saved.sqlite3");
    // The disk holding it went away: the file is gone for every new reader.
    std::fs::rename(&store, &saved).unwrap();
    let c = super::client();
    let r = c
        .get(format!("{}/v1/health", hub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    let body: ruamjai::core::protocol::Health = r.json().await.unwrap();
    assert_eq!(body.status, "store_unreachable");
    std::fs::rename(&saved, &store).unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = c
        .get(format!("{}/v1/health", hub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        200,
        "back in rotation once the store is readable"
    );
    hub.stop().await;
}
