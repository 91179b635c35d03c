//! The package's maintainer scripts (`assets/debian/`, byte for byte what the package holds) run
//! as dpkg runs them, against stand-ins for the system tools they call (getent, adduser, install,
//! chown, systemctl, deb-systemd-invoke, rm, deluser), which write down each call instead of changing this machine:
//! the `ruamjai` system user is made on the first configure and only then, and a purge keeps the
//! hub's data and user. Then the postinst for real, with the real adduser, in a mount namespace
//! of its own where /etc is a copy and /var/lib an empty directory.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::missing;

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
            ("chown", "true"),
            ("systemctl", "true"),
            ("deb-systemd-invoke", "true"),
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
    let adduser = "adduser --quiet --system --group --home /var/lib/ruamjai-hub --no-create-home \
                   --shell /usr/sbin/nologin ruamjai";
    assert!(first.lines().any(|l| l == adduser), "{first}");
    if !data_dir_exists() {
        let made = [
            "install -d -m 0700 /var/lib/ruamjai-hub",
            "chown ruamjai:ruamjai /var/lib/ruamjai-hub",
        ];
        assert!(
            made.iter().all(|m| first.lines().any(|l| l == *m)),
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

/// The postinst run twice as root in a private mount namespace (`unshare`): /etc a copy of this
/// machine's, /var/lib empty. The real adduser makes a system user `ruamjai` with the hub's data
/// directory as its home and no shell, once; the directory is 0700 and the user's.
#[test]
fn postinst_makes_a_real_system_user_in_a_throwaway_etc() {
    let root = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&root.stdout).trim() != "0" || !crate::packaging::has("unshare") {
        missing("root and unshare (the postinst makes a user in a private mount namespace)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (etc, var_lib) = (dir.path().join("etc"), dir.path().join("var-lib"));
    std::fs::create_dir(&var_lib).unwrap();
    let copied = Command::new("cp")
        .args(["-a", "/etc/."])
        .arg(&etc)
        .status()
        .unwrap();
    assert!(copied.success());
    let postinst = super::manifest().join("assets/debian/postinst");
    let script = format!(
        "mount --bind {etc} /etc && mount --bind {var_lib} /var/lib && \
         sh {postinst} configure '' && sh {postinst} configure 0.1.0-1 && \
         getent passwd ruamjai && stat -c '%a %U:%G' /var/lib/ruamjai-hub",
        etc = etc.display(),
        var_lib = var_lib.display(),
        postinst = postinst.display(),
    );
    let out = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8(out.stdout).unwrap();
    let mut lines = said.lines();
    let user: Vec<&str> = lines.next().unwrap_or_default().split(':').collect();
    assert_eq!(user.first(), Some(&"ruamjai"), "{said}");
    let uid: u32 = user[2].parse().unwrap();
    assert!(uid < 1000, "not a system user: {said}");
    assert_eq!(
        &user[5..],
        ["/var/lib/ruamjai-hub", "/usr/sbin/nologin"],
        "{said}"
    );
    assert_eq!(lines.next(), Some("700 ruamjai:ruamjai"), "{said}");
    let passwd = std::fs::read_to_string(etc.join("passwd")).unwrap();
    let made = passwd.lines().filter(|l| l.starts_with("ruamjai:")).count();
    assert_eq!(made, 1, "{passwd}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.trim().is_empty(), "the postinst complained: {said}");
}
