//! The real event loop (`tui::run::event_loop`) on a test terminal, fed scripted key events as
//! crossterm would deliver them, against a real queue file: the clerk starts a shift, fills the
//! form, reviews, saves and quits. The loop runs the effects itself: the record is on disk.

use crossterm::event::{Event, KeyCode};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::queue::{ListFilter, State};
use ruamjai::kiosk::sync::{Link, SyncStatus};

use crate::tui_support::{app, key, register_events};

/// The clerk's keys: shift start, a group-3 registration (as `tui_support::fill` types it),
/// review, save, next person, quit.
fn script() -> Vec<Event> {
    let mut keys = register_events();
    keys.extend([
        key(KeyCode::Enter),
        key(KeyCode::F(10)),
        key(KeyCode::Char('y')),
    ]);
    keys
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_loop_runs_a_clerks_registration_to_disk_and_quits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    let mut queue = crate::support::open_queue(&path, "SK01").unwrap();
    let mut app = app(Lang::Th);
    let mut terminal = Terminal::new(TestBackend::new(100, 40)).unwrap();
    let (_tx, status) = tokio::sync::watch::channel(SyncStatus {
        link: Link::NoHub,
        ..SyncStatus::default()
    });
    let events = futures_util::stream::iter(script().into_iter().map(std::io::Result::Ok));
    let woken = std::sync::atomic::AtomicUsize::new(0);
    let wake = || {
        woken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let ran = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        ruamjai::kiosk::tui::run::event_loop(
            &mut terminal,
            &mut app,
            events,
            ruamjai::kiosk::tui::run::Background {
                status,
                cards: tokio::sync::mpsc::unbounded_channel().1,
                printer: None,
                enroller: None,
            },
            &mut queue,
            &wake,
            std::future::pending(),
        ),
    )
    .await
    .expect("the loop ends when the clerk quits");
    ran.unwrap();
    // What the clerk saw is what the queue holds, read back from the file.
    let records = crate::support::open_queue(&path, "SK01")
        .unwrap()
        .list(&ListFilter::default())
        .unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    let r = &records[0].0;
    assert_eq!(r.state, State::Pending);
    assert_eq!(r.operator, "สมใจ");
    assert!(r.reference.starts_with("SK01-"), "{}", r.reference);
    assert!(
        r.registration
            .as_ref()
            .is_some_and(|reg| reg.first_name.contains("สมชาย"))
    );
    assert!(
        woken.load(std::sync::atomic::Ordering::Relaxed) >= 1,
        "the sender was woken"
    );
}
