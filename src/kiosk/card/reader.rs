//! The card reader over PC/SC (the `pcsc` crate: pcsc-lite on Linux, `WinSCard` on Windows, the
//! PC/SC framework on macOS), on a thread of its own: it waits for the service and a reader, and
//! each time a card goes in it reads it once and sends what it read, or why not. States are sent
//! only when they change, so an idle reader never wakes the screen. Every wait is bounded (half a
//! second), so a dead service, a reader pulled out or a card pulled mid-read never hangs it; the
//! thread ends once the screen has dropped its receiver. Logged: state changes only.

use std::ffi::CString;
use std::time::{Duration, Instant};

use pcsc::{Context, Disposition, Error, Protocols, Scope, ShareMode, State};
use tokio::sync::mpsc::UnboundedSender;

use super::apdu::{self, Transmit};
use super::{CardData, CardError, CardEvent, ReaderState};

/// The longest one wait for a change lasts.
const POLL: Duration = Duration::from_millis(500);
/// Between attempts to reach a service that is not running.
const RETRY: Duration = Duration::from_secs(2);

/// A PC/SC error in the clerk's words.
fn error(e: Error) -> CardError {
    match e {
        Error::NoReadersAvailable => CardError::NoReader,
        Error::NoService | Error::ServiceStopped => CardError::NoService,
        Error::RemovedCard
        | Error::ResetCard
        | Error::NoSmartcard
        | Error::NotTransacted
        | Error::CommError
        | Error::UnpoweredCard => CardError::Removed,
        Error::UnresponsiveCard | Error::Timeout => CardError::NoAnswer,
        Error::ReaderUnavailable | Error::UnknownReader => CardError::ReaderGone,
        Error::UnsupportedCard | Error::InvalidAtr | Error::ProtoMismatch => CardError::NotThaiId,
        e => CardError::Reader(e.to_string()),
    }
}

/// One connected card, as a [`Transmit`].
struct Pcsc<'c> {
    card: &'c pcsc::Card,
}

impl Transmit for Pcsc<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CardError> {
        let mut buf = [0u8; pcsc::MAX_BUFFER_SIZE];
        self.card
            .transmit(command, &mut buf)
            .map(<[u8]>::to_vec)
            .map_err(error)
    }
}

/// Connects to the card in `reader` and reads it: its ATR and what it holds.
fn read(ctx: &Context, reader: &CString) -> Result<(Vec<u8>, CardData), CardError> {
    let mut card = ctx
        .connect(reader, ShareMode::Shared, Protocols::ANY)
        .map_err(error)?;
    let result = {
        let tx = card.transaction().map_err(error)?;
        let atr = tx.status2_owned().map_err(error)?.atr().to_vec();
        let data = apdu::read_card(&mut Pcsc { card: &tx }, &atr);
        let _ = tx.end(Disposition::LeaveCard);
        data.map(|d| (atr, d))
    };
    let _ = card.disconnect(Disposition::LeaveCard);
    result
}

/// Why a read failed: a card that stopped answering and is no longer in the reader (looked at for
/// up to [`POLL`]) was taken out, whatever the transport said.
fn explain(ctx: &Context, reader: &CString, e: CardError) -> CardError {
    if !matches!(
        e,
        CardError::NoAnswer | CardError::Reader(_) | CardError::Garbage { .. }
    ) {
        return e;
    }
    let mut rs = pcsc::ReaderState::new(reader.clone(), State::UNAWARE);
    for _ in 0..2 {
        match wait(ctx, &mut rs) {
            Ok(Seen::Present) => {}
            Ok(_) => return CardError::Removed,
            Err(_) => return e,
        }
    }
    e
}

/// The first reader, or the first whose name contains `want`.
fn pick(ctx: &Context, want: Option<&str>) -> Result<Option<CString>, CardError> {
    match ctx.list_readers_owned() {
        Ok(names) => Ok(names
            .into_iter()
            .find(|n| want.is_none_or(|w| n.to_string_lossy().contains(w)))),
        Err(Error::NoReadersAvailable) => Ok(None),
        Err(e) => Err(error(e)),
    }
}

/// What a wait on `reader` found.
enum Seen {
    Empty,
    Present,
    Gone,
}

/// Waits at most [`POLL`] for the reader's state to change from what `rs` last saw (at once for
/// a new `rs`, made `UNAWARE`).
fn wait(ctx: &Context, rs: &mut pcsc::ReaderState) -> Result<Seen, CardError> {
    rs.sync_current_state();
    match ctx.get_status_change(POLL, std::slice::from_mut(rs)) {
        Ok(()) | Err(Error::Timeout) => {}
        Err(Error::UnknownReader | Error::ReaderUnavailable) => return Ok(Seen::Gone),
        Err(e) => return Err(error(e)),
    }
    let ev = rs.event_state();
    Ok(
        if ev.intersects(State::UNKNOWN | State::IGNORE | State::UNAVAILABLE) {
            Seen::Gone
        } else if ev.contains(State::PRESENT) {
            Seen::Present
        } else {
            Seen::Empty
        },
    )
}

/// Sends state changes (only changes) and read cards to the screen.
struct Tell {
    tx: UnboundedSender<CardEvent>,
    last: Option<ReaderState>,
}

impl Tell {
    fn state(&mut self, s: ReaderState) {
        if self.last.as_ref() != Some(&s) {
            match &s {
                ReaderState::Unavailable(e) | ReaderState::Failed(e) => {
                    tracing::info!("card reader: {e}");
                }
                s => tracing::info!("card reader: {s:?}"),
            }
            let _ = self.tx.send(CardEvent::State(s.clone()));
            self.last = Some(s);
        }
    }

    fn gone(&self) -> bool {
        self.tx.is_closed()
    }
}

pub(super) fn spawn(tx: UnboundedSender<CardEvent>, want: Option<String>) {
    let spawned = std::thread::Builder::new()
        .name("card-reader".into())
        .spawn(move || run(&mut Tell { tx, last: None }, want.as_deref()));
    if let Err(e) = spawned {
        tracing::warn!("card reader thread not started: {e}");
    }
}

fn run(tell: &mut Tell, want: Option<&str>) {
    while !tell.gone() {
        match Context::establish(Scope::User) {
            Ok(ctx) => {
                if let Err(e) = watch(&ctx, tell, want) {
                    tell.state(ReaderState::Unavailable(e));
                }
            }
            Err(e) => tell.state(ReaderState::Unavailable(error(e))),
        }
        std::thread::sleep(RETRY);
    }
}

/// Watches readers in `ctx` until the service goes away (an error) or the screen does (`Ok`).
fn watch(ctx: &Context, tell: &mut Tell, want: Option<&str>) -> Result<(), CardError> {
    let mut reader: Option<(CString, pcsc::ReaderState)> = None;
    let mut card_in = false;
    while !tell.gone() {
        let Some((name, rs)) = reader.as_mut() else {
            reader = pick(ctx, want)?.map(|n| {
                let rs = pcsc::ReaderState::new(n.clone(), State::UNAWARE);
                (n, rs)
            });
            if reader.is_none() {
                tell.state(ReaderState::Unavailable(CardError::NoReader));
                std::thread::sleep(POLL);
            }
            continue;
        };
        let name = name.clone();
        match wait(ctx, rs)? {
            Seen::Gone => {
                reader = None;
                card_in = false;
                tell.state(ReaderState::Unavailable(CardError::ReaderGone));
                std::thread::sleep(POLL);
            }
            Seen::Empty => {
                card_in = false;
                tell.state(ReaderState::Ready);
            }
            Seen::Present if card_in => {}
            Seen::Present => {
                card_in = true;
                tell.state(ReaderState::Reading);
                match read(ctx, &name) {
                    Ok((_, data)) => {
                        let _ = tell.tx.send(CardEvent::Read(Box::new(data)));
                        tell.state(ReaderState::Done);
                    }
                    Err(e) => tell.state(ReaderState::Failed(explain(ctx, &name, e))),
                }
            }
        }
    }
    Ok(())
}

/// Waits up to `timeout` for a card and reads it once: the reader's name, the ATR, the card.
pub(super) fn read_once(
    want: Option<&str>,
    timeout: Duration,
) -> Result<(String, Vec<u8>, CardData), CardError> {
    let ctx = Context::establish(Scope::User).map_err(error)?;
    let start = Instant::now();
    let name = loop {
        if let Some(n) = pick(&ctx, want)? {
            break n;
        }
        if start.elapsed() >= timeout {
            return Err(CardError::NoReader);
        }
        std::thread::sleep(POLL);
    };
    let mut rs = pcsc::ReaderState::new(name.clone(), State::UNAWARE);
    loop {
        match wait(&ctx, &mut rs)? {
            Seen::Present => break,
            Seen::Gone => return Err(CardError::ReaderGone),
            Seen::Empty if start.elapsed() >= timeout => return Err(CardError::NoCard),
            Seen::Empty => {}
        }
    }
    let (atr, data) = read(&ctx, &name).map_err(|e| explain(&ctx, &name, e))?;
    Ok((name.to_string_lossy().into_owned(), atr, data))
}
