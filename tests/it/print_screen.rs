//! The slip from the kiosk screen: the real event loop (`tui::run::event_loop`) on a test
//! terminal, a real queue, keys as crossterm delivers them, and the virtual printer
//! (`print_support`). A save prints its slip; with the printer down the receipt still shows and
//! the message line says why within two seconds; `p` prints the kept slip once the printer is up.

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode};
use futures_util::StreamExt as _;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::print::{Device, Mode, Printer, Width};
use ruamjai::kiosk::queue::{ListFilter, Queue};
use ruamjai::kiosk::sync::{Link, SyncStatus};
use ruamjai::kiosk::tui::App;
use ruamjai::kiosk::tui::app::Screen;
use tokio::sync::mpsc;

use crate::print_support::{VirtualPrinter, decode, png, zbar};
use crate::tui_support::{app, key, register_events, screen_text};

fn printer(addr: &str) -> Printer {
    Printer {
        device: Device::Tcp(addr.to_owned()),
        width: Width::Mm58,
        cut: true,
        mode: Mode::Raster,
        codepage: 21,
        bring: None,
    }
}

/// Runs the event loop with `printer` until `keys` (sent as `script` says) end in a quit.
async fn run(
    terminal: &mut Terminal<TestBackend>,
    app: &mut App,
    queue: &mut Queue,
    printer: &Printer,
    keys: mpsc::UnboundedReceiver<Event>,
) {
    let (_tx, status) = tokio::sync::watch::channel(SyncStatus {
        link: Link::NoHub,
        ..SyncStatus::default()
    });
    let events = tokio_stream(keys).map(std::io::Result::Ok);
    tokio::time::timeout(
        Duration::from_secs(30),
        ruamjai::kiosk::tui::run::event_loop(
            terminal,
            app,
            events,
            ruamjai::kiosk::tui::run::Background {
                status,
                cards: mpsc::unbounded_channel().1,
                printer: Some(printer.clone()),
                enroller: None,
            },
            queue,
            &|| {},
            std::future::pending(),
        ),
    )
    .await
    .expect("the loop ends when the clerk quits")
    .unwrap();
}

fn tokio_stream(mut rx: mpsc::UnboundedReceiver<Event>) -> impl futures_util::Stream<Item = Event> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

fn quit(tx: &mpsc::UnboundedSender<Event>) {
    tx.send(key(KeyCode::F(10))).unwrap();
    tx.send(key(KeyCode::Char('y'))).unwrap();
}

/// Quits once the printer has job `n` (and its answer has had time to reach the screen).
fn quit_after_job(
    vp: &VirtualPrinter,
    n: usize,
    tx: &mpsc::UnboundedSender<Event>,
) -> std::thread::JoinHandle<Option<crate::print_support::Job>> {
    let (vp, tx) = (vp.clone(), tx.clone());
    std::thread::spawn(move || {
        let job = vp.job(n, Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(1500));
        quit(&tx);
        job
    })
}

fn said(a: &App) -> String {
    a.hint
        .as_ref()
        .map(|h| ruamjai::core::thai::Bilingual::say(h, Lang::Th))
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_prints_its_slip_on_the_counters_printer() {
    let dir = tempfile::tempdir().unwrap();
    let mut queue = crate::support::open_queue(&dir.path().join("queue.sqlite3"), "SK01").unwrap();
    let mut terminal = Terminal::new(TestBackend::new(100, 40)).unwrap();
    let vp = VirtualPrinter::start();
    let mut a = app(Lang::Th);
    a.printer.configured = true;
    let (tx, rx) = mpsc::unbounded_channel();
    for k in register_events() {
        tx.send(k).unwrap();
    }
    let waiter = quit_after_job(&vp, 0, &tx);
    run(&mut terminal, &mut a, &mut queue, &printer(&vp.addr), rx).await;
    let job = waiter
        .join()
        .unwrap()
        .expect("the save's slip reached the printer");
    let records = queue.list(&ListFilter::default()).unwrap();
    assert_eq!(records.len(), 1);
    let reference = records[0].0.reference.clone();
    assert_eq!(a.screen, Screen::Receipt);
    assert!(said(&a).contains("พิมพ์ใบรับแล้ว"), "{}", said(&a));
    let file = png(&decode(&job.bytes), dir.path(), "saved.png");
    if let Some(read) = zbar(&file) {
        assert_eq!(read, reference, "the slip's QR code is the saved reference");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_printer_leaves_the_receipt_says_why_and_p_prints_once_it_is_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut queue = crate::support::open_queue(&dir.path().join("queue.sqlite3"), "SK01").unwrap();
    let mut terminal = Terminal::new(TestBackend::new(100, 40)).unwrap();
    // Nothing listens there: the printer is off.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let p = printer(&addr);
    let mut a = app(Lang::Th);
    a.printer.configured = true;
    let (tx, rx) = mpsc::unbounded_channel();
    for k in register_events() {
        tx.send(k).unwrap();
    }
    // The clerk looks up two seconds after the save keys.
    let looked = {
        let tx = tx.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(2));
            quit(&tx);
        })
    };
    let started = Instant::now();
    run(&mut terminal, &mut a, &mut queue, &p, rx).await;
    looked.join().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    let records = queue.list(&ListFilter::default()).unwrap();
    assert_eq!(records.len(), 1, "saved whatever the printer did");
    let reference = records[0].0.reference.clone();
    assert_eq!(a.screen, Screen::Receipt);
    let screen = screen_text(&terminal);
    assert!(
        screen.contains(&reference),
        "the receipt still shows:\n{screen}"
    );
    assert!(screen.contains("p พิมพ์ใบรับอีกครั้ง"), "{screen}");
    assert!(said(&a).contains("พิมพ์ใบรับไม่ได้"), "{}", said(&a));
    assert!(
        said(&a).contains("refused") && said(&a).contains("กด p"),
        "{}",
        said(&a)
    );
    assert!(a.printer.kept.is_some(), "the slip is kept");

    // The printer is switched on; p prints the kept slip.
    let vp = VirtualPrinter::on(&addr, None);
    a.quit = false;
    let (tx, rx) = mpsc::unbounded_channel();
    tx.send(key(KeyCode::Char('p'))).unwrap();
    let waiter = quit_after_job(&vp, 0, &tx);
    run(&mut terminal, &mut a, &mut queue, &p, rx).await;
    let job = waiter.join().unwrap().expect("p printed the slip");
    assert!(said(&a).contains("พิมพ์ใบรับแล้ว"), "{}", said(&a));
    let file = png(&decode(&job.bytes), dir.path(), "again.png");
    if let Some(read) = zbar(&file) {
        assert_eq!(read, reference);
    }
}

/// The real binary in tmux with `[printer]` pointing at a printer that is off: the save's
/// receipt shows and the message line says why within two seconds; once the printer is on, `p`
/// prints the slip, whose QR code is the receipt's reference.
#[test]
fn in_a_real_terminal_the_printer_is_off_then_p_prints() {
    let dir = crate::support::private_tempdir();
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("kiosk_id = \"SK01\"\n[printer]\ndevice = \"tcp://{addr}\"\nwidth = 58\n"),
    )
    .unwrap();
    let config = config.display().to_string();
    let Some(t) = crate::tui_tmux::Tmux::start_env(
        None,
        &[crate::support::NO_CARD_READER, ("RUAMJAI_CONFIG", &config)],
    ) else {
        return;
    };
    t.wait_for("F10/^Q");
    for step in [
        "สมใจ",
        "\r",
        "\t1112034563562\t",
        "1\t",
        "จำเนียร\t",
        "น้ำใจดี\t",
        "05072490\t1\t0812345678\t12/3\t4\t\t\t",
        "มหาชัย",
    ] {
        t.send(step);
    }
    t.keys(&["Enter"]);
    t.send("3\t1\t");
    t.keys(&["F9"]);
    let saved = Instant::now();
    t.keys(&["F9"]);
    t.wait_for("พิมพ์ใบรับไม่ได้");
    let said_in = saved.elapsed();
    assert!(said_in < Duration::from_millis(2500), "{said_in:?}");
    let screen = t.screen();
    let reference = screen
        .split_whitespace()
        .find(|w| w.starts_with("SK01-") && w.len() == 11)
        .unwrap_or_else(|| panic!("the receipt shows its reference:\n{screen}"))
        .to_owned();
    assert!(screen.contains("refused"), "{screen}");
    // The printer is switched on; p prints the kept slip.
    let vp = VirtualPrinter::on(&addr, None);
    t.send("p");
    let job = vp
        .job(0, Duration::from_secs(5))
        .expect("p printed the slip");
    t.wait_for("พิมพ์ใบรับแล้ว");
    let file = png(&decode(&job.bytes), dir.path(), "tmux.png");
    if let Some(read) = zbar(&file) {
        assert_eq!(read, reference);
    }
}
