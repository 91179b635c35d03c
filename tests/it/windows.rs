//! The Windows kiosk: the `.exe` cross-built for `x86_64-pc-windows-gnu` with mingw-w64, run
//! under Wine. `.ci/run` builds it and names it in `RUAMJAI_WINDOWS_EXE` (otherwise
//! `target/x86_64-pc-windows-gnu/debug/ruamjai.exe` is used, as `cargo build --target
//! x86_64-pc-windows-gnu` leaves it: build it again after a change, or these tests run the old
//! one). Without the `.exe` or Wine the tests say loudly they were skipped, and under `CI=true`
//! they fail.
//!
//! Headless: `--version`; `pin set` from standard input, `import` of a Thai paper list as UTF-8
//! and as Windows-874, `status`, and `flush` to the real Linux hub (`hub serve` on 127.0.0.1),
//! all with no `--data-dir`, so that the files are seen to land in the Windows places: the queue
//! and log in `%LOCALAPPDATA%\ruamjai\ruamjai\data`, `config.toml` read from
//! `%APPDATA%\ruamjai\ruamjai\config`.
//!
//! The counter screen: the `.exe` in Wine's console on a tmux terminal; a clerk's keys (Thai
//! text, Tab, Enter, F9) typed there register one person, whose receipt the kiosk draws. What is
//! checked of the screen is what the kiosk writes (the bytes the terminal receives, read through
//! tmux's `pipe-pane`), not what tmux shows: Wine 8's console does not interpret the VT sequences
//! a Windows 10 console does (`ENABLE_VIRTUAL_TERMINAL_PROCESSING` is accepted and ignored), so
//! it keeps the escape bytes as characters in its 80-column buffer, breaks lines inside them and
//! redraws around them, and the terminal shows a scrambled screen. That is Wine's console, not
//! the kiosk's drawing; it is said in the README's Windows section.
//!
//! One Wine prefix is made per target directory (`wineboot`, about 12 s and 700 MB, once) and
//! shared by these tests and later runs; each test keeps its data in a temp directory of its own
//! (`Z:\tmp\…`), except the one that checks the Windows places, which empties them first.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use assert_cmd::Command as Cmd;
use predicates::prelude::*;

use crate::support::{INHERITED_ENV, SEALING_ENV};

/// Wine must not ask to install Mono or Gecko, nor print its debug channels.
const WINE_ENV: [(&str, &str); 2] = [
    ("WINEDEBUG", "-all"),
    ("WINEDLLOVERRIDES", "mscoree,mshtml="),
];

/// The longest one command under Wine may take (a first start updates the prefix).
const COMMAND_LIMIT: Duration = Duration::from_secs(120);

/// The `.exe` and the prefix it runs in.
struct Wine {
    exe: PathBuf,
    prefix: PathBuf,
}

/// This file's Wine, set up once; the reason when it cannot be.
fn wine() -> Option<&'static Wine> {
    static WINE: OnceLock<Result<Wine, String>> = OnceLock::new();
    match WINE.get_or_init(Wine::set_up) {
        Ok(w) => Some(w),
        Err(why) => {
            crate::support::missing(why);
            None
        }
    }
}

impl Wine {
    fn set_up() -> Result<Wine, String> {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .expect("the target directory")
            .to_path_buf();
        let exe = std::env::var_os("RUAMJAI_WINDOWS_EXE").map_or_else(
            || target.join("x86_64-pc-windows-gnu/debug/ruamjai.exe"),
            PathBuf::from,
        );
        if !exe.is_file() {
            return Err(format!(
                "the Windows kiosk {} is not built (cargo build --target x86_64-pc-windows-gnu, \
                 or RUAMJAI_WINDOWS_EXE)",
                exe.display()
            ));
        }
        if Command::new("wine").arg("--version").output().is_err() {
            return Err("wine is not installed".into());
        }
        let prefix = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wine-prefix");
        if !prefix.join("system.reg").is_file() {
            make_prefix(&prefix)?;
        }
        Ok(Wine { exe, prefix })
    }

    /// `wine ruamjai.exe` with no inherited configuration, the test PIN and hub key.
    fn cmd(&self) -> Cmd {
        let mut cmd = Cmd::new("wine");
        for var in INHERITED_ENV {
            cmd.env_remove(var);
        }
        cmd.envs(SEALING_ENV)
            .envs(WINE_ENV)
            .env("WINEPREFIX", &self.prefix)
            .timeout(COMMAND_LIMIT)
            .arg(&self.exe);
        cmd
    }

    /// `wine ruamjai.exe --data-dir Z:\…` over the Linux directory `dir`.
    fn kiosk(&self, dir: &Path) -> Cmd {
        let mut cmd = self.cmd();
        cmd.arg("--data-dir").arg(windows_path(dir));
        cmd
    }

    /// The Windows user's profile in the prefix (`C:\users\NAME`).
    fn profile(&self) -> PathBuf {
        let users = self.prefix.join("drive_c/users");
        std::fs::read_dir(&users)
            .expect("the prefix's users")
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().is_some_and(|n| n != "Public"))
            .expect("a user profile in the prefix")
    }
}

/// A prefix made in a directory of its own and moved into place when complete, so that two test
/// processes never share a half-made one.
fn make_prefix(prefix: &Path) -> Result<(), String> {
    let building = prefix.with_extension(format!("{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&building);
    let wine = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .envs(WINE_ENV)
            .env("WINEPREFIX", &building)
            .output()
            .map_err(|e| format!("{program}: {e}"))
    };
    let boot = wine("wine", &["wineboot", "--init"])?;
    assert!(boot.status.success(), "wineboot: {boot:?}");
    wine("wineserver", &["--wait"])?;
    // Rust's standard library and getrandom take their randomness from bcryptprimitives.dll's
    // ProcessPrng (every Windows 10 has it); Wine 8 has no such DLL, so the stand-in in
    // tests/wine/ is put in the prefix. A Wine that has its own keeps it.
    let dll = building.join("drive_c/windows/system32/bcryptprimitives.dll");
    if !dll.exists() {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wine");
        let built = Command::new("x86_64-w64-mingw32-gcc")
            .args(["-shared", "-O2", "-s", "-o"])
            .arg(&dll)
            .arg(source.join("bcryptprimitives.c"))
            .arg(source.join("bcryptprimitives.def"))
            .arg("-ladvapi32")
            .output()
            .map_err(|e| {
                format!("x86_64-w64-mingw32-gcc (gcc-mingw-w64-x86-64), for Wine 8's missing bcryptprimitives.dll: {e}")
            })?;
        assert!(built.status.success(), "{built:?}");
    }
    if std::fs::rename(&building, prefix).is_err() {
        // Another test process made it meanwhile.
        let _ = std::fs::remove_dir_all(&building);
    }
    Ok(())
}

/// The Windows name Wine gives a Linux path (drive Z: is `/`).
fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_exe_says_its_version_under_wine() {
    let Some(w) = wine() else { return };
    w.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("ruamjai {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn pin_import_status_and_flush_to_a_linux_hub_in_the_windows_places() {
    let Some(w) = wine() else { return };
    let profile = w.profile();
    let roaming = profile.join("AppData/Roaming/ruamjai");
    let local = profile.join("AppData/Local/ruamjai");
    for dir in [&roaming, &local] {
        let _ = std::fs::remove_dir_all(dir);
    }

    // The hub: the Linux binary, on loopback, with this kiosk added.
    let hub_dir = tempfile::tempdir().unwrap();
    let token = crate::sync::kiosk_token(hub_dir.path(), "WIN01");
    let (mut hub, url) = crate::hub::binary::serve(hub_dir.path(), &[]);

    // config.toml where a Windows kiosk looks for it, %APPDATA%.
    let config = roaming.join("ruamjai/config/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        format!(
            "kiosk_id = \"WIN01\"\nhub_url = \"{url}\"\nhub_token = \"{token}\"\nlang = \"en\"\n"
        ),
    )
    .unwrap();

    // The counter's PIN, chosen at install (the other commands give it as RUAMJAI_PIN).
    let pin = ("RUAMJAI_PIN", "735194");
    w.cmd()
        .env_remove(pin.0)
        .args(["pin", "set"])
        .write_stdin("735194\r\n")
        .assert()
        .success();
    let data = local.join("ruamjai/data");
    assert!(
        data.join("queue.sqlite3").is_file(),
        "the queue in %LOCALAPPDATA%"
    );

    // A paper list as UTF-8 (with the byte-order mark "CSV UTF-8" writes) and one as Excel's
    // plain "CSV" on a Thai Windows PC, Windows-874.
    let lists = tempfile::tempdir().unwrap();
    let utf8 = lists.path().join("utf8.csv");
    std::fs::write(
        &utf8,
        format!("\u{feff}{}", crate::import_encoding::rows(110_203_458_000)),
    )
    .unwrap();
    let thai = lists.path().join("excel.csv");
    let rows = crate::import_encoding::rows(110_203_459_000);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_874.encode(&rows);
    assert!(!unmappable);
    std::fs::write(&thai, &bytes).unwrap();
    w.cmd()
        .env(pin.0, pin.1)
        .arg("import")
        .arg(windows_path(&utf8))
        .assert()
        .success()
        .stdout(predicate::str::contains("read as UTF-8"))
        .stdout(predicate::str::contains("2 saved"));
    w.cmd()
        .env(pin.0, pin.1)
        .arg("import")
        .arg(windows_path(&thai))
        .assert()
        .success()
        .stdout(predicate::str::contains("read as Windows-874 (TIS-620"))
        .stdout(predicate::str::contains("2 saved"));
    let csv = stdout(
        &w.cmd()
            .env(pin.0, pin.1)
            .args(["export", "--format", "csv"])
            .output()
            .unwrap(),
    );
    // Each as often as in the two lists.
    let listed = crate::import_encoding::rows(110_203_458_000);
    for name in ["สมชาย", "น้ำใจดี", "จำเนียร", "หาแก้ว", "คลองมะเดื่อ", "ตรวจแล้ว"]
    {
        let n = 2 * listed.matches(name).count();
        assert_eq!(csv.matches(name).count(), n, "{name} {n} times in\n{csv}");
    }

    w.cmd()
        .env(pin.0, pin.1)
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("RUAMJAI OK - 4 pending"));
    w.cmd()
        .env(pin.0, pin.1)
        .args(["flush", "--timeout", "60"])
        .assert()
        .success();
    w.cmd()
        .env(pin.0, pin.1)
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("RUAMJAI OK - 0 pending"));
    let _ = hub.kill();
    let _ = hub.wait();
    assert_eq!(crate::sync::hub_total(hub_dir.path()), 4);

    // Nothing but the configuration in the roaming profile; the queue and log in the local one.
    assert!(data.join("ruamjai.log").is_file());
    let mut roamed: Vec<_> = walk(&roaming);
    roamed.sort();
    assert_eq!(roamed, vec![config], "only config.toml roams");
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// What the kiosk writes to its terminal, as tmux's `pipe-pane` copies it to a file.
struct Written(PathBuf);

impl Written {
    /// How much has been written so far.
    fn mark(&self) -> usize {
        std::fs::metadata(&self.0).map_or(0, |m| m.len() as usize)
    }

    /// The text written after `mark`: the escape sequences taken out, and the line breaks (Wine's
    /// console inserts its own; the kiosk writes none while its screen is up). A word written in
    /// one piece, or in pieces with only cursor moves between them, reads whole.
    fn since(&self, mark: usize) -> String {
        let bytes = std::fs::read(&self.0).unwrap_or_default();
        let raw = String::from_utf8_lossy(bytes.get(mark..).unwrap_or_default()).into_owned();
        let mut text = String::with_capacity(raw.len());
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' | '\n' => {}
                // CSI: parameters and intermediates up to the final byte; a sequence another
                // escape cuts short (Wine writes its own cursor escapes into the kiosk's) ends there.
                '\u{1b}' if chars.peek() == Some(&'[') => {
                    chars.next();
                    while let Some(&p) = chars.peek() {
                        if p == '\u{1b}' {
                            break;
                        }
                        chars.next();
                        if ('@'..='~').contains(&p) {
                            break;
                        }
                    }
                }
                '\u{1b}' => {
                    chars.next();
                }
                c => text.push(c),
            }
        }
        text
    }

    /// Presses F5 (the kiosk's full redraw, in which every cell is written: a partial one skips
    /// the cells that did not change, cutting words) and waits, bounded, until every one of `words` has
    /// been written since.
    fn redrawn(&self, t: &crate::tui_tmux::Tmux, screen: &str, words: &[&str]) {
        let mark = self.mark();
        t.keys(&["F5"]);
        let start = Instant::now();
        loop {
            let text = self.since(mark);
            if words.iter().all(|w| text.contains(w)) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "{screen}: {words:?} not drawn; the kiosk wrote {text:?}\nits log:\n{}",
                t.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The pane's command line: the kiosk under Wine, over the data directory `dir`, once `go` exists
/// (so that pipe-pane is on before the kiosk writes anything).
fn console_line(w: &Wine, dir: &Path, go: &Path) -> Vec<String> {
    let mut line: Vec<String> = vec![
        "sh".into(),
        "-c".into(),
        "while [ ! -e \"$0\" ]; do sleep 0.05; done; exec \"$@\"".into(),
        go.display().to_string(),
        "env".into(),
    ];
    for var in INHERITED_ENV {
        line.extend(["-u".into(), var.into()]);
    }
    line.extend(
        SEALING_ENV
            .iter()
            .chain(WINE_ENV.iter())
            .chain([crate::support::NO_CARD_READER].iter())
            .map(|(k, v)| format!("{k}={v}")),
    );
    line.extend([
        format!("WINEPREFIX={}", w.prefix.display()),
        "wine".into(),
        w.exe.display().to_string(),
        "--lang".into(),
        "en".into(),
        "--data-dir".into(),
        windows_path(dir),
    ]);
    line
}

#[test]
fn one_typed_registration_at_the_counter_screen_in_wines_console() {
    let Some(w) = wine() else { return };
    let dir = crate::support::private_tempdir();
    let raw = dir.path().join("terminal.raw");
    let go = dir.path().join("go");
    let line = console_line(w, dir.path(), &go);
    let data = dir.path().to_path_buf();
    let Some(t) = crate::tui_tmux::Tmux::start_command(dir, "wine", &line) else {
        return;
    };
    let piped = t.tmux(
        &["pipe-pane", "-t", "kiosk", "-o"],
        &[format!("cat >> '{}'", raw.display())],
    );
    assert!(piped.status.success(), "{piped:?}");
    std::fs::write(&go, "").unwrap();
    let written = Written(raw);

    // The start screen: its box title and the operator's field. Wine takes a few seconds to
    // start; the kiosk's first drawing is its first full one.
    let start = Instant::now();
    while !written.since(0).contains("Operator's") {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no start screen: {:?}",
            written.since(0)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    written.redrawn(
        &t,
        "start screen",
        &["Start", "shift", "Operator's", "name:"],
    );
    t.send("สมใจ\r");
    written.redrawn(&t, "form", &["New", "registration"]);
    for keys in [
        "\t1112034563562\t",
        "1\t",
        "จำเนียร\t",
        "น้ำใจดี\t",
        "05072490\t1\t0812345678\t12/3\t4\t\t\t",
        "มหาชัย",
    ] {
        t.send(keys);
    }
    t.keys(&["Enter"]);
    t.send("3\t1\t");
    written.redrawn(
        &t,
        "form filled",
        &["จำเนียร", "น้ำใจดี", "081-234-5678", "มหาชัย", "74000"],
    );
    t.keys(&["F9"]);
    written.redrawn(&t, "review", &["Review", "before", "saving", "Save"]);
    t.keys(&["F9"]);

    // Saved under a reference, which the receipt shows.
    let mut reference = String::new();
    let start = Instant::now();
    while reference.is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no registration saved:\n{}",
            t.log()
        );
        std::thread::sleep(Duration::from_millis(100));
        if let Some(rest) = t.log().split("registration saved reference=").nth(1) {
            reference = rest.split_whitespace().next().unwrap_or("").to_owned();
        }
    }
    written.redrawn(&t, "receipt", &["Saved", &reference, "นายจำเนียร", "น้ำใจดี"]);
    let csv = stdout(
        &w.kiosk(&data)
            .args(["export", "--format", "csv"])
            .output()
            .unwrap(),
    );
    for typed in [reference.as_str(), "จำเนียร", "น้ำใจดี", "มหาชัย", "0812345678"]
    {
        assert!(csv.contains(typed), "{typed} in\n{csv}");
    }
}
