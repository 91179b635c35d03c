//! One enrolment code (issue 31, item 1), with the real binary and a real hub on loopback:
//! `hub enrol` prints a code, `ruamjai enrol CODE` sets the kiosk up and sends; what was saved
//! before enrolment goes then with the references on its receipts; a wrong, used or expired code
//! says which and changes nothing, and one that could not be recorded is not spent; a hub serving HTTPS itself is pinned by its certificate's
//! fingerprint with no CA file, and another certificate at that address is refused in words; a
//! revoked kiosk is enrolled again and its old token stops.

use std::path::Path;
use std::process::{Child, Command};

use ruamjai::core::enrolment::{EnrolCode, key_pin};
use ruamjai::kiosk::queue::{NewRecord, Queue, now_ms};

use crate::hub::binary::{hub_cmd, listening, serve};
use crate::support::{TEST_PIN, missing, private_tempdir, ruamjai, test_hub_public};

/// Each test on both stores: SQLite and (where there is one) PostgreSQL, as the hub's own tests.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[test]
            fn $name() {
                crate::hub::on(crate::hub::Backend::Sqlite, async { super::$name() });
            })*
        }
        mod on_postgres {
            $(#[test]
            fn $name() {
                crate::hub::on(crate::hub::Backend::Postgres, async { super::$name() });
            })*
        }
    };
}

on_both_stores!(
    records_saved_before_enrolment_are_delivered_after_it_with_their_references,
    a_wrong_used_or_expired_code_says_which_and_changes_nothing,
    a_revoked_kiosk_is_enrolled_again_and_its_old_token_stops,
    https_is_pinned_by_fingerprint_with_no_ca_file_and_another_certificate_is_refused,
);

/// Stops a hub when the test ends, however it ends.
struct Hub(Child);

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `hub enrol NAME ARGS…` on the hub in `dir`: the code, the last line of standard output.
fn code(dir: &Path, name: &str, args: &[&str]) -> String {
    let out = hub_cmd(dir)
        .args(["hub", "enrol", name])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().unwrap().to_owned();
    assert!(last.starts_with("RJ1."), "{stdout}");
    assert!(stdout.lines().count() > 10, "a QR code above it:\n{stdout}");
    last
}

/// `ruamjai enrol CODE` on the kiosk in `dir`: exit code, standard output, standard error.
fn enrol(dir: &Path, code: &str) -> (i32, String, String) {
    let out = ruamjai(dir).args(["enrol", code]).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn flush(dir: &Path) -> (i32, String) {
    let out = ruamjai(dir)
        .args(["flush", "--timeout", "20"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn records_saved_before_enrolment_are_delivered_after_it_with_their_references() {
    let hub_dir = tempfile::tempdir().unwrap();
    let (child, url) = serve(hub_dir.path(), &[]);
    let _hub = Hub(child);
    let kiosk = private_tempdir();
    // Saved before the kiosk had a name or the hub's key: a provisional prefix.
    let path = kiosk.path().join("queue.sqlite3");
    let mut queue = Queue::open(&path, "KIOSK").unwrap().unnamed().unwrap();
    queue.set_pin_cost(std::time::Duration::ZERO);
    queue.set_pin(TEST_PIN).unwrap();
    let campaign = crate::hub::campaign();
    let printed: Vec<_> = (1..=2)
        .map(|n| {
            let person = crate::support::registration(&campaign, 9100 + n);
            queue
                .enqueue(&NewRecord::from_registration(&person, "op", None), now_ms())
                .unwrap()
        })
        .collect();
    drop(queue);
    for (_, reference) in &printed {
        let prefix = ruamjai::core::refcode::prefix_in(reference).unwrap();
        assert!(
            ruamjai::core::refcode::is_provisional(prefix),
            "{reference}"
        );
    }

    let code = code(
        hub_dir.path(),
        "SK01",
        &["--url", &url, "--point", "รพ.สต. ท่าไม้"],
    );
    let (rc, stdout, stderr) = enrol(kiosk.path(), &code);
    assert_eq!(rc, 0, "{stdout}\n{stderr}");
    let host = url.trim_start_matches("http://");
    assert_eq!(
        stdout.lines().last(),
        Some(format!("enrolled as SK01 at {host}, hub reached").as_str()),
        "{stdout}"
    );
    let config = std::fs::read_to_string(kiosk.path().join("config.toml")).unwrap();
    for key in [
        "kiosk_id = \"SK01\"",
        "hub_token = \"rjk_",
        "hub_key = ",
        "point_name",
    ] {
        assert!(config.contains(key), "{key}:\n{config}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(kiosk.path().join("config.toml")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let queue = crate::support::open_queue(&path, "SK01").unwrap();
    assert_eq!(queue.stats().unwrap().counts["accepted"], 2, "{stdout}");
    for (id, reference) in &printed {
        let record = queue.get(*id).unwrap().unwrap();
        assert_eq!(&record.reference, reference, "sent as printed");
    }
    assert_eq!(flush(kiosk.path()).0, 0);
}

fn a_wrong_used_or_expired_code_says_which_and_changes_nothing() {
    let hub_dir = tempfile::tempdir().unwrap();
    let (child, url) = serve(hub_dir.path(), &[]);
    let _hub = Hub(child);
    let kiosk = private_tempdir();
    let config = kiosk.path().join("config.toml");
    let good = code(hub_dir.path(), "SK01", &["--url", &url]);

    // Mistyped: wrong before any network.
    let mut typo = good.clone().into_bytes();
    let at = typo.len() / 2;
    typo[at] = if typo[at] == b'A' { b'B' } else { b'A' };
    let (rc, _, stderr) = enrol(kiosk.path(), &String::from_utf8(typo).unwrap());
    assert_eq!(rc, 2);
    assert!(stderr.contains("wrong code"), "{stderr}");
    assert!(!config.exists());

    // Well formed but not the hub's: the hub says it is wrong.
    let forged = EnrolCode {
        urls: vec![url.clone()],
        name: "SK01".into(),
        secret: [5; 16],
        key_pin: key_pin(test_hub_public().as_bytes()),
        cert_sha256: None,
    }
    .encode()
    .unwrap();
    let (rc, _, stderr) = enrol(kiosk.path(), &forged);
    assert_eq!(rc, 2);
    assert!(
        stderr.contains("wrong code: the hub knows no such code"),
        "{stderr}"
    );
    assert!(!config.exists());

    // config.toml cannot be written here (its new copy's name is taken by a folder): refused
    // before the hub is asked, so the code is not spent on an enrolment the kiosk cannot keep.
    let blocker = kiosk.path().join("config.toml.new");
    std::fs::create_dir(&blocker).unwrap();
    let (rc, _, stderr) = enrol(kiosk.path(), &good);
    assert_eq!(rc, 2, "{stderr}");
    assert!(stderr.contains("config.toml"), "{stderr}");
    assert!(!config.exists());
    std::fs::remove_dir(&blocker).unwrap();

    // Used: once, then never again, and the second try leaves config.toml as it was.
    assert_eq!(enrol(kiosk.path(), &good).0, 0);
    let before = std::fs::read(&config).unwrap();
    let other = private_tempdir();
    for dir in [kiosk.path(), other.path()] {
        let (rc, _, stderr) = enrol(dir, &good);
        assert_eq!(rc, 2);
        assert!(stderr.contains("used already"), "{stderr}");
    }
    assert_eq!(std::fs::read(&config).unwrap(), before);
    assert!(!other.path().join("config.toml").exists());

    // Expired.
    let soon = code(hub_dir.path(), "SK02", &["--url", &url, "--expires", "1s"]);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let (rc, _, stderr) = enrol(other.path(), &soon);
    assert_eq!(rc, 2);
    assert!(stderr.contains("expired"), "{stderr}");
    assert!(!other.path().join("config.toml").exists());
}

fn a_revoked_kiosk_is_enrolled_again_and_its_old_token_stops() {
    let hub_dir = tempfile::tempdir().unwrap();
    let (child, url) = serve(hub_dir.path(), &[]);
    let _hub = Hub(child);
    let old = private_tempdir();
    assert_eq!(
        enrol(old.path(), &code(hub_dir.path(), "SK01", &["--url", &url])).0,
        0
    );
    // Enrolled and active: no second code until it is revoked.
    let refused = hub_cmd(hub_dir.path())
        .args(["hub", "enrol", "SK01", "--url", &url])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("revoke it first"));
    let revoked = hub_cmd(hub_dir.path())
        .args(["hub", "revoke-kiosk", "SK01"])
        .output()
        .unwrap();
    assert!(revoked.status.success(), "{revoked:?}");

    let new = private_tempdir();
    let (rc, stdout, stderr) = enrol(new.path(), &code(hub_dir.path(), "SK01", &["--url", &url]));
    assert_eq!(rc, 0, "{stdout}\n{stderr}");
    let token = |dir: &Path| {
        std::fs::read_to_string(dir.join("config.toml"))
            .unwrap()
            .lines()
            .find(|l| l.starts_with("hub_token"))
            .unwrap()
            .to_owned()
    };
    assert_ne!(token(old.path()), token(new.path()));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let mut queue = crate::support::open_queue(&old.path().join("queue.sqlite3"), "SK01").unwrap();
    let person = crate::support::registration(&crate::hub::campaign(), 9301);
    queue
        .enqueue(&NewRecord::from_registration(&person, "op", None), now_ms())
        .unwrap();
    drop(queue);
    assert_eq!(flush(old.path()).0, 2, "the old token is refused");
    assert_eq!(flush(new.path()).0, 0);
}

/// A throwaway certificate and key in `dir` (`hub.pem`, `hub.key`), by `openssl`.
fn certificate(dir: &Path) -> bool {
    if Command::new("openssl").arg("version").output().is_err() {
        missing("openssl (for a hub's own certificate)");
        return false;
    }
    crate::tls::make_certs(dir, "hub.test");
    true
}

fn https_is_pinned_by_fingerprint_with_no_ca_file_and_another_certificate_is_refused() {
    let certs = tempfile::tempdir().unwrap();
    let other_certs = tempfile::tempdir().unwrap();
    if !certificate(certs.path()) || !certificate(other_certs.path()) {
        return;
    }
    let cert = certs.path().join("hub.pem");
    let key = certs.path().join("hub.key");
    let hub_dir = tempfile::tempdir().unwrap();
    let tls = [
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ];
    let (child, url) = serve(hub_dir.path(), &tls);
    let hub = Hub(child);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    // tls_cert in hub.toml names what kiosks see; public_url where.
    std::fs::write(
        hub_dir.path().join("hub.toml"),
        format!(
            "public_url = \"{url}\"\ntls_cert = \"{}\"\n",
            cert.display()
        ),
    )
    .unwrap();
    let kiosk = private_tempdir();
    let (rc, stdout, stderr) = enrol(kiosk.path(), &code(hub_dir.path(), "SK01", &[]));
    assert_eq!(rc, 0, "{stdout}\n{stderr}");
    let config = std::fs::read_to_string(kiosk.path().join("config.toml")).unwrap();
    assert!(config.contains("hub_cert_sha256 = \""), "{config}");
    assert!(!config.contains("hub_ca_file"), "{config}");
    assert_eq!(flush(kiosk.path()).0, 0);

    // Another certificate at the same address: refused, in words.
    let addr = url.trim_start_matches("https://").to_owned();
    drop(hub);
    let elsewhere = tempfile::tempdir().unwrap();
    let (child, _) = listening(
        Command::new(env!("CARGO_BIN_EXE_ruamjai"))
            .envs(crate::support::SEALING_ENV)
            .env_remove("RUAMJAI_HUB_DATABASE")
            .arg("--data-dir")
            .arg(elsewhere.path())
            .args(["hub", "serve", "--listen", &addr, "--tls-cert"])
            .arg(other_certs.path().join("hub.pem"))
            .arg("--tls-key")
            .arg(other_certs.path().join("hub.key"))
            .stderr(std::process::Stdio::null()),
    );
    let _impostor = Hub(child);
    let queue_path = kiosk.path().join("queue.sqlite3");
    let mut queue = crate::support::open_queue(&queue_path, "SK01").unwrap();
    let person = crate::support::registration(&crate::hub::campaign(), 9201);
    queue
        .enqueue(&NewRecord::from_registration(&person, "op", None), now_ms())
        .unwrap();
    drop(queue);
    let (rc, said) = flush(kiosk.path());
    assert_eq!(rc, 1, "{said}");
    assert!(
        said.contains("not the one this kiosk was enrolled with"),
        "{said}"
    );
}
