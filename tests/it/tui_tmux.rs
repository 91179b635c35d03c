//! The real binary in a real terminal: tmux, which answers the width probe itself and draws Thai
//! by its own rules. With the profile the probe finds, Thai words are whole and every box border
//! is in the last column of its row. The same check with the old-console profile forced shows
//! Thai words split by gaps, so the probed choice is what makes tmux right. Needs `tmux`
//! (`.ci/run` installs it; elsewhere the tests say loudly they were skipped, and under `CI=true`
//! they fail). After every step of a clerk's session, what tmux shows equals what it shows after
//! the kiosk's own full redraw (F5), cell for cell and style for style.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use unicode_width::UnicodeWidthStr;

const WAIT: Duration = Duration::from_secs(10);

/// Tmux servers started by this test binary: one socket each, however many tests run at once.
static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A kiosk running in its own tmux server (its own socket), killed on drop.
pub(crate) struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    /// Starts the kiosk at 80×24; `None` when tmux is not installed.
    pub(crate) fn start(profile: Option<&str>) -> Option<Self> {
        Self::start_env(profile, &[crate::support::NO_CARD_READER])
    }

    /// Starts the kiosk with `env` set as well (the card tests name their reader).
    pub(crate) fn start_env(profile: Option<&str>, env: &[(&str, &str)]) -> Option<Self> {
        let dir = crate::support::private_tempdir();
        let mut vars = env.to_vec();
        if let Some(p) = profile {
            vars.push(("RUAMJAI_WIDTH_PROFILE", p));
        }
        let kiosk = kiosk_command(dir.path(), &vars, &[]);
        Self::start_command(dir, profile.unwrap_or("probed"), &kiosk)
    }

    /// Starts the command line `kiosk` at 80×24 in a tmux server of its own (its socket named
    /// after `name`), `dir` being the kiosk's data directory; `None` when tmux is not installed.
    pub(crate) fn start_command(
        dir: tempfile::TempDir,
        name: &str,
        kiosk: &[String],
    ) -> Option<Self> {
        if Command::new("tmux").arg("-V").output().is_err() {
            crate::support::missing("tmux is not installed");
            return None;
        }
        let socket = format!(
            "ruamjai-test-{}-{name}-{}",
            std::process::id(),
            STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let t = Self { socket, dir };
        let out = t.tmux(
            &["new-session", "-d", "-s", "kiosk", "-x", "80", "-y", "24"],
            kiosk,
        );
        assert!(out.status.success(), "{out:?}");
        Some(t)
    }

    pub(crate) fn tmux(&self, args: &[&str], more: &[String]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .args(more)
            .output()
            .expect("run tmux")
    }

    /// The screen as tmux holds it, one line per row with its trailing blanks.
    pub(crate) fn lines(&self) -> Vec<String> {
        let out = self.tmux(&["capture-pane", "-p", "-N", "-t", "kiosk"], &[]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    pub(crate) fn wait_for(&self, what: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.lines().join("\n").contains(what) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{what:?} did not appear:\n{}", self.lines().join("\n"));
    }

    /// Types `text` literally (Tab and Enter included), then lets the kiosk draw.
    pub(crate) fn send(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "kiosk", "-l"], &[text.to_owned()]);
        std::thread::sleep(Duration::from_millis(150));
    }

    /// The kiosk's data directory.
    pub(crate) fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("ruamjai.log")).unwrap_or_default()
    }

    /// The reference of the first registration the kiosk's log says it saved.
    pub(crate) fn saved_reference(&self) -> String {
        let log = self.log();
        log.lines()
            .find(|l| l.contains("registration saved"))
            .and_then(|l| l.split("reference=").nth(1))
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_else(|| panic!("a registration was saved:\n{log}"))
            .to_owned()
    }

    /// Rows drawn as part of a box (starting with `│`) whose right border is not the last cell.
    fn misaligned_rows(&self) -> Vec<String> {
        self.lines()
            .into_iter()
            .filter(|l| l.starts_with('│') && !l.ends_with('│'))
            .collect()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"], &[]);
    }
}

/// Where tmux has the cursor (0-based column, row).
fn cursor(t: &Tmux) -> (usize, usize) {
    let out = t.tmux(
        &[
            "display-message",
            "-p",
            "-t",
            "kiosk",
            "#{cursor_x} #{cursor_y}",
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace().map(|n| n.parse().unwrap());
    (parts.next().unwrap(), parts.next().unwrap())
}

/// The form with Thai names holding SARA AM and tone marks, where terminals disagree.
fn fill_names(t: &Tmux) {
    // The footer: only the screen draws it (a warning printed before the screen says "ruamjai").
    t.wait_for("F10/^Q");
    t.send("สมใจ\r");
    // The form's footer (ASCII, so it reads the same under any profile).
    t.wait_for("F9/^R");
    t.send("\t1112034563562\t1\t");
    t.send("จำเนียร\t");
    t.send("น้ำใจดี\t");
    t.wait_for("1-1120-34563-56-2");
}

#[test]
fn borders_line_up_in_tmux_with_the_probed_profile() {
    let Some(t) = Tmux::start(None) else { return };
    fill_names(&t);
    t.wait_for("จำเนียร");
    t.wait_for("น้ำใจดี");
    let screen = t.lines().join("\n");
    let boxed = t.lines().iter().filter(|l| l.starts_with('│')).count();
    assert!(boxed >= 10, "the form box is on screen:\n{screen}");
    assert_eq!(t.misaligned_rows(), Vec::<String>::new(), "{screen}");
    // Back on the last name: the cursor stands after its 5 columns (4 clusters), where tmux has it.
    t.send("\x1b[Z");
    let (x, y) = cursor(&t);
    let line = &t.lines()[y];
    let start = line
        .find("น้ำใจดี")
        .expect("the last name on the cursor's row");
    assert_eq!(x, line[..start].width() + 5, "{line}");
    let log = t.log();
    assert!(
        log.contains("width profile probed") && log.contains("answers=2"),
        "tmux answered the probe:\n{log}"
    );
    assert!(log.contains("profile=Standard"), "{log}");
}

#[test]
fn the_old_console_profile_forced_on_tmux_splits_thai_words() {
    let Some(t) = Tmux::start(Some("marks-spacing")) else {
        return;
    };
    fill_names(&t);
    let screen = t.lines().join("\n");
    assert!(screen.contains("ruamjai"), "{screen}");
    assert!(
        !screen.contains("จำเนียร") && !screen.contains("ลงทะเบียน"),
        "padding meant for marks in cells of their own shows as gaps in tmux:\n{screen}"
    );
}

impl Tmux {
    /// Resizes the window, as dragging its corner does, then lets the kiosk draw.
    pub(crate) fn resize(&self, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        self.tmux(&["resize-window", "-t", "kiosk", "-x", &w, "-y", &h], &[]);
        std::thread::sleep(Duration::from_millis(200));
    }

    /// The screen as one text.
    pub(crate) fn screen(&self) -> String {
        self.lines().join("\n")
    }

    /// Presses keys by tmux's names (`F5`, `BTab`, `Escape`…), then lets the kiosk draw.
    pub(crate) fn keys(&self, names: &[&str]) {
        let names: Vec<String> = names.iter().map(|&n| n.to_owned()).collect();
        self.tmux(&["send-keys", "-t", "kiosk"], &names);
        std::thread::sleep(Duration::from_millis(150));
    }

    /// The screen with its styles (tmux's escapes), one line per row.
    pub(crate) fn styled(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-e", "-N", "-t", "kiosk"], &[]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The styled screen once it has not changed for 200 ms (the kiosk has drawn what it was
    /// sent).
    pub(crate) fn settled(&self) -> String {
        let start = Instant::now();
        let mut last = self.styled();
        let mut since = Instant::now();
        while start.elapsed() < WAIT && since.elapsed() < Duration::from_millis(200) {
            std::thread::sleep(Duration::from_millis(30));
            let now = self.styled();
            if now != last {
                last = now;
                since = Instant::now();
            }
        }
        last
    }

    /// The cells where the screen differs from what it shows after the kiosk's full redraw
    /// (F5), text and style, read back through a vt100 screen.
    pub(crate) fn stale_cells(&self, step: &str) -> Vec<String> {
        let before = self.settled();
        self.keys(&["F5"]);
        let after = self.settled();
        let screen = |text: &str| {
            let mut p = vt100::Parser::new(24, 80, 0);
            p.process(text.replace('\n', "\r\n").as_bytes());
            p
        };
        let (b, a) = (screen(&before), screen(&after));
        crate::tui_truth::differences(step, b.screen(), a.screen())
    }
}

/// One step of the clerk's session: text typed literally, or keys by tmux's names.
enum Do {
    Type(&'static str),
    Keys(&'static [&'static str]),
}

#[test]
fn every_step_of_a_clerks_session_equals_its_full_redraw_in_tmux() {
    use Do::{Keys, Type};
    let Some(t) = Tmux::start(None) else { return };
    t.wait_for("F10/^Q");
    let steps: &[(&str, Do)] = &[
        ("start screen", Type("สมใจ")),
        ("form", Type("\r")),
        ("id", Type("\t1112034563562\t")),
        ("title", Type("1\t")),
        ("first name", Type("จำเนียร\t")),
        ("last name", Type("น้ำใจดี\t")),
        (
            "down the form",
            Type("05072490\t1\t0812345678\t12/3\t4\t\t\t"),
        ),
        ("address list open", Type("มหาชัย")),
        ("address list moved", Keys(&["Down", "Up"])),
        ("address picked", Keys(&["Enter"])),
        ("group and consent", Type("3\t1\t")),
        (
            "back up the form",
            Keys(&[
                "BTab", "BTab", "BTab", "BTab", "BTab", "BTab", "BTab", "BTab",
            ]),
        ),
        (
            "down again",
            Keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab"]),
        ),
        ("language switched", Keys(&["F2"])),
        ("layout switched", Keys(&["F3"])),
        ("layout back, language back", Keys(&["F3", "F2"])),
        ("quit asked", Keys(&["F10"])),
        ("quit declined", Keys(&["Escape"])),
        ("review", Keys(&["F9"])),
        ("review moved", Keys(&["Up"])),
        ("receipt", Keys(&["F9"])),
        ("next person", Keys(&["Enter"])),
        ("errors shown", Keys(&["F9"])),
        ("queue", Keys(&["F4"])),
        ("queue search", Type("จำ")),
        ("search erased", Keys(&["BSpace", "BSpace"])),
        ("help", Keys(&["F1"])),
        ("help closed", Keys(&["Escape"])),
        ("back to the form", Keys(&["F4"])),
    ];
    let mut stale = Vec::new();
    for (what, step) in steps {
        match step {
            Type(text) => t.send(text),
            Keys(names) => t.keys(names),
        }
        stale.extend(t.stale_cells(what));
    }
    let screen = t.lines().join("\n");
    assert!(
        screen.contains("F9/^R"),
        "the session ended on the form:\n{screen}"
    );
    assert!(
        t.log().contains("registration saved"),
        "the session saved a registration:\n{}",
        t.log()
    );
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

/// The real kiosk in tmux (session `name`) at 80×24 on a data directory holding `config` as its `config.toml`
/// and each of `campaigns` (name, text) under `campaigns/`; `None` without tmux.
pub fn kiosk_in_tmux(
    name: &str,
    config: &str,
    campaigns: &[(&str, &str)],
) -> Option<crate::tui_tmux::Tmux> {
    let dir = crate::support::private_tempdir();
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    std::fs::create_dir_all(dir.path().join("campaigns")).unwrap();
    for (name, text) in campaigns {
        std::fs::write(dir.path().join("campaigns").join(name), text).unwrap();
    }
    let kiosk = kiosk_command(dir.path(), &[crate::support::NO_CARD_READER], &[]);
    Tmux::start_command(dir, name, &kiosk)
}

/// The command line tmux runs for the real kiosk on `dir`: `env` with what the test process
/// inherited that would change the kiosk cleared, the tests' sealing settings and `env` set,
/// then the binary with `--data-dir DIR` and `args`.
pub fn kiosk_command(dir: &std::path::Path, env: &[(&str, &str)], args: &[&str]) -> Vec<String> {
    let mut kiosk = vec!["env".to_owned()];
    for var in crate::support::INHERITED_ENV {
        kiosk.extend(["-u".to_owned(), var.to_owned()]);
    }
    kiosk.extend(
        crate::support::SEALING_ENV
            .iter()
            .chain(env)
            .map(|(k, v)| format!("{k}={v}")),
    );
    kiosk.extend([
        env!("CARGO_BIN_EXE_ruamjai").to_owned(),
        "--data-dir".to_owned(),
        dir.display().to_string(),
    ]);
    kiosk.extend(args.iter().map(|a| (*a).to_owned()));
    kiosk
}
