//! The package's maintainer scripts (`assets/debian/`, byte for byte what the package holds) run
//! as dpkg runs them, against stand-ins for the system tools they call (getent, adduser, install,
//! systemctl, rm, deluser), which write down each call instead of changing this machine: the
//! `ruamjai` system user is made on the first configure and only then, and a purge keeps the
//! hub's data and user.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A directory of stand-ins, a state directory (`user` exists once adduser ran) and the log.
struct Stand {
    _dir: tempfile::TempDir,
    bin: PathBuf,
    state: PathBuf,
}

impl Stand {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        let state = dir.path().join("state");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(&state).unwrap();
        let log = r#"echo "$(basename "$0") $*" >>"$STAND/log""#;
        for (tool, then) in [
            ("getent", r#"[ -e "$STAND/user" ]"#),
            ("adduser", r#"touch "$STAND/user""#),
            ("install", "true"),
            ("systemctl", "true"),
            ("rm", "true"),
            ("deluser", "true"),
        ] {
            let path = bin.join(tool);
            std::fs::write(&path, format!("#!/bin/sh\n{log}\n{then}\n")).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
        }
        Self {
            _dir: dir,
            bin,
            state,
        }
    }

    /// Runs `assets/debian/SCRIPT ARGS…` (must exit 0); the calls it made, one a line.
    fn run(&self, script: &str, args: &[&str]) -> String {
        let _ = std::fs::remove_file(self.state.join("log"));
        let path = super::manifest().join("assets/debian").join(script);
        let out = Command::new("sh")
            .arg(&path)
            .args(args)
            .env(
                "PATH",
                format!("{}:/usr/sbin:/usr/bin:/sbin:/bin", self.bin.display()),
            )
            .env("STAND", &self.state)
            .output()
            .unwrap();
        assert!(out.status.success(), "{script} {args:?}: {out:?}");
        std::fs::read_to_string(self.state.join("log")).unwrap_or_default()
    }
}

fn data_dir_exists() -> bool {
    Path::new("/var/lib/ruamjai-hub").is_dir()
}

#[test]
fn postinst_makes_the_system_user_once_and_postrm_purge_keeps_the_data() {
    let stand = Stand::new();
    let first = stand.run("postinst", &["configure", ""]);
    let adduser = "adduser --system --group --home /var/lib/ruamjai-hub --no-create-home \
                   --shell /usr/sbin/nologin ruamjai";
    assert!(first.lines().any(|l| l == adduser), "{first}");
    if !data_dir_exists() {
        assert!(
            first
                .lines()
                .any(|l| l == "install -d -m 0700 -o ruamjai -g ruamjai /var/lib/ruamjai-hub"),
            "{first}"
        );
    }
    // An upgrade, or a configure after a failed one: the user is there, nothing is made again.
    let again = stand.run("postinst", &["configure", "0.1.0-1"]);
    assert!(
        again.lines().any(|l| l == "getent passwd ruamjai"),
        "{again}"
    );
    assert!(
        !again.contains("adduser"),
        "the user was made twice: {again}"
    );
    assert_eq!(stand.run("postinst", &["abort-upgrade", "0.1.0-1"]), "");

    assert!(!stand.run("prerm", &["upgrade", "0.1.0-2"]).contains("stop"));
    stand.run("prerm", &["remove"]);
    stand.run("postrm", &["remove"]);
    let purge = stand.run("postrm", &["purge"]);
    assert!(
        !purge.contains("/var/lib/ruamjai-hub") && !purge.contains("deluser"),
        "a purge must keep the hub's data and user: {purge}"
    );
    assert!(
        purge
            .lines()
            .any(|l| l == "rm -f /etc/systemd/system/multi-user.target.wants/ruamjai-hub.service"),
        "{purge}"
    );
}
