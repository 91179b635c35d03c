//! A hub behind HTTPS whose certificate the kiosk cannot trust, a name that does not resolve and
//! a port nobody listens on: `flush` and `status` name the cause and the fix instead of "cannot
//! connect". The HTTPS side is `openssl s_server` with a throwaway CA made by `openssl`.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ruamjai::kiosk::queue::NewRecord;

use crate::support::{missing, ruamjai};

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "openssl {args:?}: {out:?}");
}

/// A CA and a certificate it signed for `name` (as DNS name and, for 127.0.0.1, an IP).
pub(crate) fn make_certs(dir: &Path, name: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Province test CA",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "hub.key",
            "-out",
            "hub.csr",
            "-subj",
            &format!("/CN={name}"),
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        format!("subjectAltName=DNS:{name}\nbasicConstraints=CA:FALSE\n"),
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "hub.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "hub.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve_tls(dir: &Path, port: u16) -> Server {
    let child = Command::new("openssl")
        .current_dir(dir)
        .args([
            "s_server", "-quiet", "-www", "-cert", "hub.pem", "-key", "hub.key", "-accept",
        ])
        .arg(format!("127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "openssl s_server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Server(child)
}

/// An HTTPS server for `localhost` on a free port, with a certificate signed by a throwaway CA
/// (`ca.pem` in the directory returned); `None`, said loudly, without openssl.
fn https_hub() -> Option<(tempfile::TempDir, u16, Server)> {
    if Command::new("openssl").arg("version").output().is_err() {
        missing("openssl");
        return None;
    }
    let certs = tempfile::tempdir().unwrap();
    make_certs(certs.path(), "localhost");
    let port = free_port();
    let server = serve_tls(certs.path(), port);
    Some((certs, port, server))
}

/// A kiosk data directory pointed at `url` with one record waiting.
fn kiosk(dir: &Path, url: &str, ca: Option<&Path>) {
    let ca = ca.map_or(String::new(), |p| {
        format!("hub_ca_file = {:?}\n", p.display().to_string())
    });
    std::fs::write(
        dir.join("config.toml"),
        format!("kiosk_id = \"SK01\"\nhub_url = {url:?}\nhub_token = \"rjk_test\"\n{ca}"),
    )
    .unwrap();
    let mut q = crate::support::open_queue(&dir.join("queue.sqlite3"), "SK01").unwrap();
    let registration = crate::hub::registration(1);
    let rec = NewRecord {
        campaign_id: registration.campaign_id.clone(),
        operator: "op".into(),
        id_key: registration.person_key(),
        search_text: registration.search_text(),
        payload: serde_json::to_string(&registration).unwrap(),
        replaces: None,
    };
    q.enqueue(&rec, ruamjai::kiosk::queue::now_ms()).unwrap();
}

/// What `flush` and then `status` say for a kiosk in `dir`.
fn flush_and_status(dir: &Path) -> (String, String) {
    let flush = ruamjai(dir)
        .args(["flush", "--timeout", "5"])
        .output()
        .unwrap();
    assert_eq!(flush.status.code(), Some(1), "{flush:?}");
    let status = ruamjai(dir).arg("status").output().unwrap();
    (
        String::from_utf8_lossy(&flush.stdout).into_owned()
            + &String::from_utf8_lossy(&flush.stderr),
        String::from_utf8_lossy(&status.stdout).into_owned(),
    )
}

/// The config (it holds the token) and the data directory private, as an admin leaves them.
fn chmod_600(p: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
        let dir = p.parent().unwrap();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = p;
}

#[test]
fn a_certificate_the_kiosk_cannot_trust_is_named_with_its_fix() {
    let Some((certs, port, _server)) = https_hub() else {
        return;
    };

    // Signed by a CA the kiosk was not given.
    let dir = tempfile::tempdir().unwrap();
    kiosk(dir.path(), &format!("https://localhost:{port}"), None);
    chmod_600(&dir.path().join("config.toml"));
    let (flushed, status) = flush_and_status(dir.path());
    for said in [&flushed, &status] {
        assert!(
            said.contains("not signed by an authority") && said.contains("hub_ca_file"),
            "{said}"
        );
        assert!(!said.contains("cannot connect"), "{said}");
    }
    // Given the CA, but the address is not the certificate's name.
    let dir = tempfile::tempdir().unwrap();
    kiosk(
        dir.path(),
        &format!("https://127.0.0.1:{port}"),
        Some(&certs.path().join("ca.pem")),
    );
    chmod_600(&dir.path().join("config.toml"));
    let (flushed, status) = flush_and_status(dir.path());
    for said in [&flushed, &status] {
        assert!(
            said.contains("not for the name 127.0.0.1") && said.contains("hub_url"),
            "{said}"
        );
    }
}

#[test]
fn a_name_that_does_not_resolve_and_a_refused_port_are_named() {
    let dir = tempfile::tempdir().unwrap();
    kiosk(dir.path(), "http://hub.ruamjai.invalid:8080", None);
    chmod_600(&dir.path().join("config.toml"));
    let (flushed, status) = flush_and_status(dir.path());
    for said in [&flushed, &status] {
        assert!(said.contains("cannot be found (DNS)"), "{said}");
    }
    let dir = tempfile::tempdir().unwrap();
    kiosk(
        dir.path(),
        &format!("http://127.0.0.1:{}", free_port()),
        None,
    );
    chmod_600(&dir.path().join("config.toml"));
    let (flushed, _) = flush_and_status(dir.path());
    assert!(flushed.contains("refused the connection"), "{flushed}");
    assert_eq!(
        flushed.matches("warning").count(),
        0,
        "a private config must give no warning: {flushed}"
    );
    // A token others can read is said once per command, not once per reader of the config.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let config = dir.path().join("config.toml");
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
        let (flushed, _) = flush_and_status(dir.path());
        assert_eq!(
            flushed.matches("holds the hub token").count(),
            1,
            "{flushed}"
        );
    }
}

/// A kiosk that has not fetched the hub's key yet: the records wait for it, and what the flush and
/// the check say is why the key could not be fetched (the certificate), not "time ran out".
#[test]
fn a_kiosk_still_without_the_hubs_key_names_why_it_could_not_get_it() {
    let Some((_certs, port, _server)) = https_hub() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = format!("https://localhost:{port}");
    std::fs::write(
        dir.path().join("config.toml"),
        format!("kiosk_id = \"SK01\"\nhub_url = {url:?}\nhub_token = \"rjk_test\"\n"),
    )
    .unwrap();
    chmod_600(&dir.path().join("config.toml"));
    // Installed without the hub's key: the record is sealed to the shift only.
    let mut q =
        ruamjai::kiosk::queue::Queue::open(&dir.path().join("queue.sqlite3"), "SK01").unwrap();
    q.set_pin(crate::support::TEST_PIN).unwrap();
    let registration = crate::hub::registration(1);
    q.enqueue(
        &NewRecord::from_registration(&registration, "op", None),
        ruamjai::kiosk::queue::now_ms(),
    )
    .unwrap();
    drop(q);
    let flush = ruamjai(dir.path())
        .args(["flush", "--timeout", "3"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&flush.stdout);
    assert_eq!(flush.status.code(), Some(1), "{flush:?}");
    assert!(
        said.contains("not signed by an authority") && said.contains("hub_ca_file"),
        "{said}"
    );
    assert!(!said.contains("time ran out"), "{said}");
    let status = ruamjai(dir.path()).arg("status").output().unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.contains("hub_ca_file"), "{status}");
}

/// `hub_ca_file = "ca.pem"` is the file beside config.toml, whatever folder the command runs in
/// (the flush timer's is not the admin's shell's); one that cannot be read is a WARNING.
#[test]
fn a_relative_ca_file_is_read_beside_the_config() {
    let Some((certs, port, _server)) = https_hub() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    kiosk(dir.path(), &format!("https://localhost:{port}"), None);
    std::fs::copy(certs.path().join("ca.pem"), dir.path().join("ca.pem")).unwrap();
    let config = dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap() + "hub_ca_file = \"ca.pem\"\n";
    std::fs::write(&config, text).unwrap();
    chmod_600(&config);
    let elsewhere = tempfile::tempdir().unwrap();
    let flush = ruamjai(dir.path())
        .current_dir(elsewhere.path())
        .args(["flush", "--timeout", "3"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&flush.stdout).into_owned()
        + &String::from_utf8_lossy(&flush.stderr);
    // The certificate is trusted now: whatever the test server then says, it is not that.
    assert!(!said.contains("not signed by an authority"), "{said}");
    assert!(!said.contains("CA file"), "the CA file was found: {said}");
    let status = ruamjai(dir.path())
        .current_dir(elsewhere.path())
        .arg("status")
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&status.stdout);
    assert!(!line.contains("cannot be read"), "{line}");
    // Gone: the check says so.
    std::fs::remove_file(dir.path().join("ca.pem")).unwrap();
    let status = ruamjai(dir.path()).arg("status").output().unwrap();
    let line = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.code().unwrap() >= 1, "{line}");
    assert!(
        line.contains("hub_ca_file") && line.contains("cannot be read"),
        "{line}"
    );
}
