//! The event loop: one task selecting over terminal events, the sync status channel, the ID card
//! reader's events and a shutdown signal (SIGTERM / SIGHUP). Each message goes through [`update`]; the effects it
//! returns run here against the queue (a local SQLite commit, a few ms) and their answers go
//! back in as messages. The screen is redrawn only after something happened: an idle kiosk does
//! not wake up. The loop is generic over the ratatui backend, so tests drive it on `TestBackend`.
//! A slip to print ([`Effect::Print`]) goes to the printer on a thread of its own and its answer
//! comes back on a channel as [`Msg::Printed`], so a printer that hangs never holds the screen.
//! An enrolment code ([`Effect::Enrol`]) goes to the kiosk's enroller on a task of its own
//! (`enrolling`); once the kiosk is enrolled the loop watches the sender it started.

use std::collections::VecDeque;
use std::future::Future;
use std::io::{IsTerminal, stdout};

use crossterm::event::{Event, EventStream};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use tokio::sync::{mpsc, watch};

use super::app::{App, Effect, Msg, ViewOptions, update};
use super::backend::ProfileBackend;
pub use super::effects::run_effect;
use super::enrolling::{self, Enroller};
use super::term::TerminalGuard;
use super::{TuiError, probe, ui};
use crate::kiosk::card::CardEvent;
use crate::kiosk::print::Printer;
use crate::kiosk::queue::{Queue, now_ms};
use crate::kiosk::sync::{SyncHandle, SyncStatus};

/// Runs the kiosk screen on this terminal until the clerk quits or a signal arrives. The command
/// that starts the kiosk (`cli::kiosk`) assembles what it shows: `app` (campaign, kiosk, place,
/// language), the `queue` effects run against, the `sync` sender whose status it watches, and
/// the ID card reader's events (`cards`), the counter's `printer`, if any, and, for a kiosk with
/// no hub yet, what enrols it from a code typed on the start screen.
pub async fn run(
    mut app: App,
    mut queue: Queue,
    sync: SyncHandle,
    cards: mpsc::UnboundedReceiver<CardEvent>,
    printer: Option<Printer>,
    enroller: Option<Enroller>,
) -> Result<(), TuiError> {
    if !stdout().is_terminal() {
        return Err(TuiError::NotATerminal);
    }
    app.view = ViewOptions {
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        profile: crate::core::thai::width::WidthProfile::Standard,
        utc_offset_secs: chrono::Local::now().offset().local_minus_utc(),
    };
    let guard = TerminalGuard::enter()?;
    let env_profile = std::env::var("RUAMJAI_WIDTH_PROFILE").ok();
    if let Some(profile) = probe::from_env(env_profile.as_deref()) {
        app.view.profile = profile;
        tracing::info!(
            ?profile,
            "kiosk screen started; width profile from RUAMJAI_WIDTH_PROFILE"
        );
    } else {
        let found = probe::probe(&mut stdout());
        app.view.profile = found.profile;
        tracing::info!(
            profile = ?found.profile,
            answers = found.answers,
            probe_ms = found.took.as_millis(),
            "kiosk screen started; width profile probed"
        );
    }
    let backend = ProfileBackend::new(CrosstermBackend::new(stdout()), app.view.profile);
    let mut terminal = Terminal::new(backend)?;
    terminal.clear()?;
    let events = EventStream::new();
    let result = event_loop(
        &mut terminal,
        &mut app,
        events,
        Background {
            status: sync.status.clone(),
            cards,
            printer,
            enroller,
        },
        &mut queue,
        &|| sync.wake(),
        shutdown_signal(),
    )
    .await;
    drop(terminal);
    drop(guard);
    result
}

#[cfg(unix)]
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) {
        (Ok(mut term), Ok(mut hup)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
        }
        _ => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn shutdown_signal() {
    std::future::pending::<()>().await;
}

fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Paste(s) => Some(Msg::Paste(s)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

/// What background work tells the screen: the sender's status and the card reader's events;
/// and the printer slips go to.
pub struct Background {
    pub status: watch::Receiver<SyncStatus>,
    pub cards: mpsc::UnboundedReceiver<CardEvent>,
    pub printer: Option<Printer>,
    /// Enrols the kiosk from a code on its start screen (a kiosk with no hub yet).
    pub enroller: Option<Enroller>,
}

/// Runs until the app quits, the events end, or `shutdown` completes.
pub async fn event_loop<B, S>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut events: S,
    background: Background,
    queue: &mut Queue,
    wake: &dyn Fn(),
    shutdown: impl Future<Output = ()>,
) -> Result<(), TuiError>
where
    B: Backend,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let Background {
        mut status,
        mut cards,
        printer,
        enroller,
    } = background;
    let (printed_tx, mut printed) = mpsc::unbounded_channel::<Msg>();
    let (enrolled_tx, mut enrolled) = mpsc::unbounded_channel::<enrolling::Answer>();
    let away = |fx: Effect| match fx {
        Effect::Print(slip) => super::printing::off_thread(printer.as_ref(), *slip, &printed_tx),
        Effect::Enrol(code) => enrolling::spawn(enroller.as_ref(), code, &enrolled_tx),
        _ => {}
    };
    // The sender started by an enrolment on the start screen, woken in place of `wake` after it.
    let sender = std::cell::RefCell::new(None::<SyncHandle>);
    let wake = || match sender.borrow().as_ref() {
        Some(s) => s.wake(),
        None => wake(),
    };
    let draw = |t: &mut Terminal<B>, app: &App| {
        t.draw(|f| ui::draw(f, app))
            .map(|_| ())
            .map_err(|e| TuiError::Draw(e.to_string()))
    };
    if let Ok(size) = terminal.size() {
        update(
            app,
            Msg::Resize {
                width: size.width,
                height: size.height,
            },
        );
    }
    // The first frame goes out before anything reads the queue (its counts over a large queue
    // take tens of milliseconds); the counts follow in the next frame.
    draw(terminal, app)?;
    let first = Msg::Sync(status.borrow_and_update().clone());
    process_with(app, first, queue, &wake, &away);
    draw(terminal, app)?;
    tokio::pin!(shutdown);
    // A second's tick, taken only while a wrong-PIN wait counts down on screen.
    let mut second = tokio::time::interval(std::time::Duration::from_secs(1));
    second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut status_open = true;
    let mut cards_open = true;
    while !app.quit {
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => to_msg(ev),
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            changed = status.changed(), if status_open => {
                status_open = changed.is_ok();
                changed.ok().map(|()| Msg::Sync(status.borrow_and_update().clone()))
            }
            card = cards.recv(), if cards_open => {
                cards_open = card.is_some();
                card.map(Msg::Card)
            }
            answer = printed.recv() => answer,
            answer = enrolled.recv() => answer.map(|a| Msg::Enrolled(a.map(|done| {
                enrolling::adopt(queue, &done);
                status = done.sender.status.clone();
                status_open = true;
                let who = done.who.clone();
                *sender.borrow_mut() = Some(done.sender);
                who
            }))),
            _ = second.tick(), if app.wants_tick() => Some(Msg::Tick(now_ms())),
            () = &mut shutdown => {
                tracing::info!("signal: leaving the kiosk screen");
                break;
            }
        };
        if let Some(msg) = msg {
            if process_with(app, msg, queue, &wake, &away) {
                terminal
                    .clear()
                    .map_err(|e| TuiError::Draw(e.to_string()))?;
            }
            draw(terminal, app)?;
        }
    }
    Ok(())
}

/// Applies `msg` and every message its effects answer with; true when the whole screen is to be
/// drawn again ([`Effect::Redraw`]). A slip to print and an enrolment code are answered at once:
/// no printer and no hub here.
pub fn process(app: &mut App, msg: Msg, queue: &mut Queue, wake: &dyn Fn()) -> bool {
    let unanswered = std::cell::RefCell::new(Vec::new());
    let redraw = process_with(app, msg, queue, wake, &|fx| {
        unanswered.borrow_mut().push(fx);
    });
    for fx in unanswered.take() {
        let answer = if matches!(fx, Effect::Enrol(_)) {
            Msg::Enrolled(Err(crate::core::enrolment::EnrolProblem::Other(
                "no hub can be asked here".into(),
            )))
        } else {
            Msg::Printed(Err("no printer is configured".into()))
        };
        process_with(app, answer, queue, wake, &|_| {});
    }
    redraw
}

/// [`process`], with each effect that runs off this thread (a slip to print, an enrolment code)
/// handed to `away`, which answers later ([`Msg::Printed`], [`Msg::Enrolled`]).
pub fn process_with(
    app: &mut App,
    msg: Msg,
    queue: &mut Queue,
    wake: &dyn Fn(),
    away: &dyn Fn(Effect),
) -> bool {
    let mut redraw = false;
    let mut work = VecDeque::from([msg]);
    while let Some(msg) = work.pop_front() {
        for fx in update(app, msg) {
            if matches!(fx, Effect::Redraw) {
                redraw = true;
            } else if matches!(fx, Effect::Print(_) | Effect::Enrol(_)) {
                away(fx);
            } else if let Some(answer) = run_effect(queue, fx, wake) {
                work.push_back(answer);
            }
        }
    }
    redraw
}
