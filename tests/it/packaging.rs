//! What a Linux admin installs beside the binary: shell completions and manual pages generated
//! from the real command line, and the systemd units in `assets/systemd/`. Each is checked by the
//! tool that will read it (bash, man, systemd-analyze) where that tool is here, and the units'
//! commands are run through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::{missing, ruamjai};

/// Every command a completion or man page must know of (`hub` ones appear under `hub`).
const COMMANDS: [&str; 12] = [
    "kiosk",
    "status",
    "import",
    "export",
    "flush",
    "demo",
    "hub",
    "serve",
    "add-kiosk",
    "revoke-kiosk",
    "completions",
    "man",
];

pub fn has(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn output(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = ruamjai(dir.path()).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completions_for_every_shell_name_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = output(&["completions", shell]);
        for command in COMMANDS {
            assert!(
                script.contains(command),
                "{shell} completion lacks {command}"
            );
        }
        assert!(
            script.contains("data-dir"),
            "{shell} completion lacks --data-dir"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = ruamjai(dir.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "an unknown shell must be refused");
}

#[test]
fn bash_completion_loads_and_completes_subcommands() {
    if !has("bash") {
        missing("bash");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("ruamjai.bash");
    std::fs::write(&script, output(&["completions", "bash"])).unwrap();
    // Source it, then ask for the words after `ruamjai hub ` as bash would on Tab.
    let probe = format!(
        "source {}; COMP_WORDS=(ruamjai hub ''); COMP_CWORD=2; _ruamjai ruamjai '' hub; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &probe])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let words = String::from_utf8(out.stdout).unwrap();
    for word in ["serve", "add-kiosk", "revoke-kiosk", "stats"] {
        assert!(
            words.lines().any(|w| w == word),
            "`ruamjai hub <Tab>` lacks {word}: {words}"
        );
    }
    assert!(
        !words.lines().any(|w| w == "import"),
        "kiosk commands offered under hub: {words}"
    );
}

#[test]
fn man_pages_render_and_cover_every_command() {
    let page = output(&["man"]);
    assert!(
        page.contains(".TH ruamjai 1"),
        "not a section-1 page: {}",
        &page[..200.min(page.len())]
    );
    let dir = tempfile::tempdir().unwrap();
    let man_dir = dir.path().join("man1");
    let out = ruamjai(dir.path())
        .args(["man", "--dir"])
        .arg(&man_dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let mut pages: Vec<String> = std::fs::read_dir(&man_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    for page in [
        "ruamjai.1",
        "ruamjai-import.1",
        "ruamjai-flush.1",
        "ruamjai-hub.1",
        "ruamjai-hub-serve.1",
        "ruamjai-hub-add-kiosk.1",
    ] {
        assert!(
            pages.iter().any(|p| p == page),
            "{page} missing from {pages:?}"
        );
    }
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(
        said.contains(&format!("{} manual pages", pages.len())),
        "{said}"
    );
    if !has("man") {
        missing("man");
        return;
    }
    let shown = Command::new("man")
        .arg("-l")
        .arg(man_dir.join("ruamjai-import.1"))
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.status.success(), "{shown:?}");
    for flag in ["--dry-run", "--strict", "--operator"] {
        assert!(
            text.contains(flag),
            "man ruamjai-import lacks {flag}: {text}"
        );
    }
}

fn units() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/systemd")
}

/// `Key=value` lines of a unit, in order, with their section; comments and blanks dropped.
fn parse_unit(text: &str) -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            name.clone_into(&mut section);
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("line {}: not Key=value: {line}", n + 1));
        assert!(
            !section.is_empty(),
            "line {}: a key before any section",
            n + 1
        );
        out.push((
            section.clone(),
            key.trim().to_owned(),
            value.trim().to_owned(),
        ));
    }
    out
}

fn value<'a>(unit: &'a [(String, String, String)], section: &str, key: &str) -> &'a str {
    unit.iter()
        .find(|(s, k, _)| s == section && k == key)
        .map_or_else(
            || panic!("no {key}= in [{section}]"),
            |(_, _, v)| v.as_str(),
        )
}

/// The unit's `ExecStart=` as arguments after the binary, which must be /usr/local/bin/ruamjai.
fn exec_args(unit: &[(String, String, String)]) -> Vec<String> {
    let exec = value(unit, "Service", "ExecStart");
    let mut words = exec.split_whitespace().map(str::to_owned);
    assert_eq!(
        words.next().as_deref(),
        Some("/usr/local/bin/ruamjai"),
        "{exec}"
    );
    words.collect()
}

fn read_unit(name: &str) -> Vec<(String, String, String)> {
    parse_unit(&std::fs::read_to_string(units().join(name)).unwrap())
}

#[test]
fn unit_files_parse_and_point_at_each_other() {
    let hub = read_unit("ruamjai-hub.service");
    assert_eq!(value(&hub, "Install", "WantedBy"), "multi-user.target");
    assert_eq!(value(&hub, "Service", "StateDirectoryMode"), "0700");
    assert_eq!(value(&hub, "Service", "UMask"), "0077");
    let flush = read_unit("ruamjai-flush.service");
    assert_eq!(value(&flush, "Service", "Type"), "oneshot");
    assert_eq!(exec_args(&flush)[0], "flush");
    let timer = read_unit("ruamjai-flush.timer");
    // A timer named like its service starts that service.
    assert!(!timer.iter().any(|(s, k, _)| s == "Timer" && k == "Unit"));
    assert!(value(&timer, "Timer", "OnUnitActiveSec").ends_with("min"));
}

/// The hub unit's command, run as written but on a temp directory and a free loopback port,
/// serves and stops cleanly on SIGTERM (what `systemctl stop` sends).
#[cfg(unix)]
#[test]
fn hub_unit_command_serves_and_stops_on_sigterm() {
    let hub = read_unit("ruamjai-hub.service");
    let dir = tempfile::tempdir().unwrap();
    let mut args = exec_args(&hub);
    let at = |args: &[String], flag: &str| args.iter().position(|a| a == flag).unwrap() + 1;
    let d = at(&args, "--data-dir");
    args[d] = dir.path().display().to_string();
    let l = at(&args, "--listen");
    args[l] = "127.0.0.1:0".into();
    let (mut child, url) = crate::hub::binary::listening(
        Command::new(env!("CARGO_BIN_EXE_ruamjai"))
            .envs(crate::support::SEALING_ENV)
            .args(&args)
            .stderr(Stdio::null()),
    );
    assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "the hub must drain and exit 0 on SIGTERM"
    );
}

/// The flush unit's command on an empty kiosk with no hub ends with an exit status the unit
/// counts as success (0, or 1 for "left unsent").
#[test]
fn flush_unit_command_exits_as_the_unit_expects() {
    let flush = read_unit("ruamjai-flush.service");
    let ok: Vec<i32> = std::iter::once(0)
        .chain(
            value(&flush, "Service", "SuccessExitStatus")
                .split_whitespace()
                .map(|c| c.parse().unwrap()),
        )
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = ruamjai(dir.path())
        .args(exec_args(&flush))
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(ok.contains(&code), "exit {code} is a failed unit: {out:?}");
}

#[test]
fn systemd_analyze_verifies_the_units() {
    if !has("systemd-analyze") {
        missing("systemd-analyze");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_ruamjai");
    for name in [
        "ruamjai-hub.service",
        "ruamjai-flush.service",
        "ruamjai-flush.timer",
    ] {
        // The binary is not installed here: point ExecStart at the one under test.
        let text = std::fs::read_to_string(units().join(name)).unwrap();
        std::fs::write(
            dir.path().join(name),
            text.replace("/usr/local/bin/ruamjai", bin),
        )
        .unwrap();
    }
    let runtime = dir.path().join("runtime");
    std::fs::create_dir(&runtime).unwrap();
    let verify = |user: bool, names: &[&str]| {
        let mut cmd = Command::new("systemd-analyze");
        if user {
            // A user manager needs a runtime directory, not a running session.
            cmd.arg("--user").env("XDG_RUNTIME_DIR", &runtime);
        }
        cmd.args(["--man=no", "verify"]);
        cmd.args(names.iter().map(|n| dir.path().join(n)));
        let out = cmd.output().unwrap();
        // verify exits 0 on unknown keys and bad values too, warning on stderr: any line fails.
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && said.trim().is_empty(),
            "{names:?}: {said}"
        );
    };
    verify(false, &["ruamjai-hub.service"]);
    verify(true, &["ruamjai-flush.timer", "ruamjai-flush.service"]);
    // The check itself catches a misspelt key.
    let bad = dir.path().join("ruamjai-bad.service");
    let text = std::fs::read_to_string(dir.path().join("ruamjai-hub.service")).unwrap();
    std::fs::write(&bad, text.replace("Restart=", "Restrat=")).unwrap();
    let out = Command::new("systemd-analyze")
        .args(["--man=no", "verify"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Restrat"),
        "{out:?}"
    );
}
