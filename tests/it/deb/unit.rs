//! The hub's unit as systemd will run it: `systemd-analyze security` rates its hardening OK (an
//! exposure of 3.0 or less; the unit without it is rated worse, so the reading is real), the
//! packaged copy verifies, and a hub whose standard error systemd connected to the journal
//! (`JOURNAL_STREAM`) logs there instead of to `hub.log`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::packaging::has;
use crate::support::missing;

/// The most `systemd-analyze security` may rate the hub's unit: its "OK" band.
const OK: f64 = 3.0;

/// `systemd-analyze security --offline=true` on `unit` (a path, or a name under `--root`); the
/// overall exposure it states.
fn exposure(root: Option<&Path>, unit: &str) -> f64 {
    let mut cmd = Command::new("systemd-analyze");
    cmd.args(["security", "--offline=true", "--no-pager"]);
    if let Some(root) = root {
        cmd.arg("--root").arg(root);
    }
    let out = cmd.arg(unit).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    let line = said
        .lines()
        .find(|l| l.contains("Overall exposure level"))
        .unwrap_or_else(|| panic!("no exposure: {out:?}"));
    let (_, rest) = line.split_once(": ").unwrap();
    rest.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number in {line:?}"))
}

#[test]
fn the_hub_unit_is_rated_ok_by_systemd_analyze_security() {
    if !has("systemd-analyze") {
        missing("systemd-analyze");
        return;
    }
    let unit = super::manifest().join("assets/systemd/ruamjai-hub.service");
    let hardened = exposure(None, &unit.display().to_string());
    eprintln!("ruamjai-hub.service: exposure {hardened}");
    assert!(hardened <= OK, "exposure {hardened} > {OK}");
    // The same unit with only the settings it had before its hardening is rated worse.
    let text = std::fs::read_to_string(&unit).unwrap();
    let kept = [
        "NoNewPrivileges",
        "ProtectSystem",
        "ProtectHome",
        "PrivateTmp",
        "PrivateDevices",
        "ProtectKernelTunables",
        "ProtectControlGroups",
        "RestrictAddressFamilies",
    ];
    let soft: String = text
        .lines()
        .filter(|l| {
            let key = l.split('=').next().unwrap_or_default();
            !hardening_key(key) || kept.contains(&key)
        })
        .flat_map(|l| [l, "\n"])
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let soft_unit = dir.path().join("ruamjai-hub.service");
    std::fs::write(&soft_unit, soft).unwrap();
    let before = exposure(None, &soft_unit.display().to_string());
    assert!(
        before > OK,
        "unhardened exposure {before}: the reading is not the unit's"
    );
}

/// Whether `key` is one of the sandboxing settings the hardening added (as opposed to what the
/// service is: its user, command, directories and restarts).
pub fn hardening_key(key: &str) -> bool {
    key.starts_with("Protect")
        || key.starts_with("Private")
        || key.starts_with("Restrict")
        || key.starts_with("SystemCall")
        || [
            "NoNewPrivileges",
            "CapabilityBoundingSet",
            "DevicePolicy",
            "ProcSubset",
            "RemoveIPC",
            "LockPersonality",
            "MemoryDenyWriteExecute",
        ]
        .contains(&key)
}

/// The unit the package installed under `root`: systemd-analyze verifies it (its `ExecStart`
/// pointed at the unpacked binary, which is not at /usr/bin here) and rates it as the repository's.
pub fn packaged_unit_verifies_and_is_rated_ok(root: &Path) {
    if !has("systemd-analyze") {
        missing("systemd-analyze");
        return;
    }
    let rated = exposure(Some(root), "ruamjai-hub.service");
    assert!(rated <= OK, "the packaged unit's exposure {rated} > {OK}");
    let text =
        std::fs::read_to_string(root.join("usr/lib/systemd/system/ruamjai-hub.service")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("ruamjai-hub.service");
    let bin = root.join("usr/bin/ruamjai");
    std::fs::write(
        &copy,
        text.replace(
            "ExecStart=/usr/bin/ruamjai ",
            &format!("ExecStart={} ", bin.display()),
        ),
    )
    .unwrap();
    let out = Command::new("systemd-analyze")
        .args(["--man=no", "verify"])
        .arg(&copy)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && said.trim().is_empty(), "{said}");
}

/// Under systemd (`JOURNAL_STREAM` naming standard error's device and inode) the hub logs to
/// standard error, which is the journal; with the variable inherited but stderr elsewhere it
/// keeps its `hub.log`.
#[cfg(unix)]
#[test]
fn the_hub_logs_to_the_journal_when_systemd_connected_its_stderr_there() {
    use std::os::unix::fs::MetadataExt;

    for journal in [true, false] {
        let dir = crate::support::private_tempdir();
        let data = dir.path().join("data");
        let stream = dir.path().join("journal");
        let stderr = std::fs::File::create(&stream).unwrap();
        let meta = stderr.metadata().unwrap();
        let ino = if journal { meta.ino() } else { meta.ino() + 1 };
        let (mut child, _url) = crate::hub::binary::listening(
            Command::new(env!("CARGO_BIN_EXE_ruamjai"))
                .envs(crate::support::SEALING_ENV)
                .env_remove("RUAMJAI_DATA_DIR")
                .env_remove("RUAMJAI_HUB_DATABASE")
                .env("JOURNAL_STREAM", format!("{}:{ino}", meta.dev()))
                .arg("--data-dir")
                .arg(&data)
                .args(["hub", "serve", "--listen", "127.0.0.1:0"])
                .stdin(Stdio::null())
                .stderr(stderr),
        );
        crate::hub::binary::signal(&child, "-TERM");
        let code = crate::hub::binary::wait_exit(&mut child, Duration::from_secs(30));
        assert_eq!(code, Some(0));
        let on_stderr = std::fs::read_to_string(&stream).unwrap();
        let in_file = std::fs::read_to_string(data.join("hub.log")).unwrap_or_default();
        let (logged, other) = if journal {
            (&on_stderr, &in_file)
        } else {
            (&in_file, &on_stderr)
        };
        assert!(
            logged.contains(" INFO "),
            "journal {journal}: nothing logged where expected: {logged:?}"
        );
        assert!(
            !other.contains(" INFO "),
            "journal {journal}: logged on both: {other:?}"
        );
    }
}
