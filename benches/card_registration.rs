//! One complete registration in a real terminal (tmux, 80×24), typed versus with the ID card:
//! keystrokes and seconds from the empty form to the receipt, save included. Keys go in one at a
//! time with a clerk's pause between them (`KEY_MS`, 250 ms by default: a practised clerk); each
//! screen is waited for; the card is one of `tests/it/card_emu.rs`'s, inserted into vpcd's
//! virtual reader through the real pcscd. Prints a Markdown section and, with `--write`, puts it
//! into BENCHMARKS.md between its markers. Needs tmux, pcscd and vsmartcard-vpcd running, and a
//! build with the card feature:
//!
//! `cargo bench --profile dev --features card --bench card_registration -- --write`
//!
//! Not a test: nothing here passes or fails on time.

#[path = "../tests/it/card_emu.rs"]
mod card_emu;
#[path = "common/section.rs"]
mod section;
#[path = "../tests/it/support.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use card_emu::{Person, VirtualCard};

const BIN: &str = env!("CARGO_BIN_EXE_ruamjai");
const MARK_BEGIN: &str = "<!-- card_registration: begin -->";
const MARK_END: &str = "<!-- card_registration: end -->";

/// One key as tmux names it, or literal text sent as one key per character.
enum Key<'a> {
    Named(&'a str),
    Text(&'a str),
}

struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
    pause: Duration,
    keys: usize,
}

impl Tmux {
    fn start(pause: Duration) -> Self {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = support::private_tempdir();
        let socket = format!("ruamjai-bench-card-{}-{n}", std::process::id());
        let t = Self {
            socket,
            dir,
            pause,
            keys: 0,
        };
        let data = t.dir.path().display().to_string();
        let out = t.tmux(&[
            "new-session",
            "-d",
            "-s",
            "k",
            "-x",
            "80",
            "-y",
            "24",
            "env",
            "RUAMJAI_CARD_READER=Virtual PCD 00 00",
            BIN,
            "--data-dir",
            &data,
        ]);
        assert!(out.status.success(), "{out:?}");
        t
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "k"]).stdout).into_owned()
    }

    fn wait_for(&self, what: &str) {
        let start = Instant::now();
        while !self.screen().contains(what) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{what:?} did not appear:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Presses keys, counting each and pausing after each as a clerk does.
    fn press(&mut self, keys: &[Key<'_>]) {
        for k in keys {
            let one: Vec<String> = match k {
                Key::Named(n) => vec![(*n).to_owned()],
                Key::Text(t) => t.chars().map(String::from).collect(),
            };
            for key in one {
                let literal = matches!(k, Key::Text(_));
                let mut args = vec!["send-keys", "-t", "k"];
                if literal {
                    args.push("-l");
                }
                args.push(&key);
                self.tmux(&args);
                self.keys += 1;
                std::thread::sleep(self.pause);
            }
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// Starts a kiosk and goes past the start of shift (not counted: once per shift).
fn on_form(pause: Duration) -> Tmux {
    let mut t = Tmux::start(pause);
    t.wait_for("F10/^Q");
    t.press(&[Key::Text("สมใจ"), Key::Named("Enter")]);
    t.wait_for("ลงทะเบียนผู้รับบริการ");
    t.wait_for("บัตร พร้อม");
    t.keys = 0;
    t
}

/// Ends on the receipt; returns the keys pressed and the seconds since `start`.
fn save(t: &mut Tmux, start: Instant) -> (usize, f64) {
    t.press(&[Key::Named("F9")]);
    t.wait_for("ตรวจทานก่อนบันทึก");
    t.press(&[Key::Named("Enter")]);
    t.wait_for("บันทึกแล้ว");
    (t.keys, start.elapsed().as_secs_f64())
}

/// The whole registration typed, as `tests/it/tui_pty.rs` types it.
fn typed(pause: Duration) -> (usize, f64) {
    use Key::{Named as N, Text as T};
    let mut t = on_form(pause);
    let start = Instant::now();
    t.press(&[
        N("Tab"),
        T("1112034563562"),
        N("Tab"),
        T("1"),
        N("Tab"),
        T("สมชาย"),
        N("Tab"),
        T("ใจดี"),
        N("Tab"),
        T("05072490"),
        N("Tab"),
        N("Tab"), // the sex followed the title
        T("0812345678"),
        N("Tab"),
        T("12/3"),
        N("Tab"),
        T("4"),
        N("Tab"),
        N("Tab"),
        N("Tab"),
        T("คลองมะเ"),
    ]);
    t.wait_for("กระทุ่มแบน");
    t.press(&[
        N("Enter"),
        N("Tab"),
        N("Tab"),
        N("Tab"),
        T("3"),
        N("Tab"),
        T("1"),
    ]);
    save(&mut t, start)
}

/// The card goes in, the clerk types the phone, group and consent, then saves. Also returns the
/// seconds from the card going in to the form filled.
fn with_card(pause: Duration) -> (usize, f64, f64) {
    use Key::{Named as N, Text as T};
    let mut t = on_form(pause);
    let start = Instant::now();
    let card = VirtualCard::current(&Person::somchai()).insert(card_emu::VPCD_PORT);
    t.wait_for("◆ จากบัตร");
    let filled = start.elapsed().as_secs_f64();
    t.press(&[T("0812345678"), N("Enter"), T("3"), N("Enter"), T("1")]);
    let (keys, secs) = save(&mut t, start);
    drop(card);
    (keys, secs, filled)
}

fn main() {
    let write = std::env::args().any(|a| a == "--write");
    let ms: u64 = std::env::var("KEY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250);
    let pause = Duration::from_millis(ms);
    if let Err(why) = card_emu::start_stack() {
        eprintln!("card_registration: {why}");
        std::process::exit(1);
    }
    let mut rows = Vec::new();
    for run in 0..3 {
        let t = typed(pause);
        let c = with_card(pause);
        eprintln!("run {run}: typed {t:?}, card {c:?}");
        rows.push((t, c));
    }
    let med = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let typed_s = med(rows.iter().map(|r| r.0.1).collect());
    let card_s = med(rows.iter().map(|r| r.1.1).collect());
    let filled_s = med(rows.iter().map(|r| r.1.2).collect());
    let (typed_k, card_k) = (rows[0].0.0, rows[0].1.0);
    let met = |ok: bool| if ok { "met" } else { "missed" };
    let section = format!(
        "{MARK_BEGIN}\n## One registration: typed or from the ID card\n\n\
         `cargo bench --profile {profile} --features card --bench card_registration -- --write` \
         ({} UTC): the kiosk in tmux at 80×24, one key at a time with {ms} ms between keys, each \
         screen waited for; the card an emulated current Thai ID card in vpcd's virtual reader \
         behind the real pcscd. From the empty form to the receipt, save included; the start of \
         shift is not counted. Median of 3 runs. The seconds are at that steady pace: a lower \
         bound for a person, who also reads the card and looks up between fields (the typed \
         path is where that costs most). Typed takes fewer keys than the 80 to 95 first \
         estimated because the title sets the sex and the tambon list fills amphoe, province and \
         postcode.\n\n\
         | | keystrokes | seconds | target with the card |\n|---|---|---|---|\n\
         | typed (as `tests/it/tui_pty.rs` types it) | {typed_k} | {typed_s:.1} | — |\n\
         | with the card (phone, Enter, group, Enter, consent, F9, Enter) | {card_k} | {card_s:.1} | < 20 keys: {}; < 15 s: {} |\n\
         | card in to form filled | — | {filled_s:.2} | — |\n{MARK_END}\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        met(card_k < 20),
        met(card_s < 15.0),
        profile = if cfg!(debug_assertions) {
            "dev"
        } else {
            "release"
        },
    );
    println!("{section}");
    if write {
        section::write(MARK_BEGIN, MARK_END, &section);
    }
}
