//! The hub's own HTTP/1.1 accept loop (in place of `axum::serve`, which has no header timeout and
//! no connection cap), so that nobody can stop the hub without a token:
//!
//! - **A cap on open connections** (`max_connections`). When it is reached, the connection that
//!   has been open longest *without a request in progress* is closed to make room, so a new one
//!   (a kiosk, `/v1/health`) is always served while idle or half-sent sockets hold the rest. Only
//!   when every connection is in the middle of a request is a newcomer refused with a canned
//!   `503` (those requests end within the body timeout).
//! - **A header timeout** (`header_timeout`): the whole request head must arrive within it, and
//!   it runs again while a kept-alive connection waits for its next request, so an idle or
//!   trickling socket is closed after it either way.
//! - **Graceful shutdown**: on the signal no new connections are accepted; idle ones close at
//!   once, busy ones after their answer, within the grace period.
//!
//! - **TLS** when the hub serves HTTPS itself (`tls`): the handshake runs on the connection's own
//!   task, within the header timeout, before hyper sees a byte.
//!
//! Each request carries its peer address as a [`Peer`] extension (for the refusal log).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt as _;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tower_service::Service as _;

/// The peer of the connection a request came on.
#[derive(Clone, Copy, Debug)]
pub struct Peer(pub SocketAddr);

/// Bounds on connections, and TLS when the hub serves HTTPS itself.
#[derive(Clone)]
pub struct ConnLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub tls: Option<super::tls::Acceptor>,
}

/// What the accept loop knows of one open connection.
struct Entry {
    /// Requests in progress on it (0 or 1 for HTTP/1.1 without pipelining).
    busy: Arc<AtomicUsize>,
    /// Asks the connection to close once idle (at once when it is idle now).
    close: Arc<Notify>,
    /// Asked already; not asked again.
    asked: bool,
}

/// The open connections, oldest first (ids grow with accept order).
#[derive(Default)]
struct Registry {
    open: Mutex<BTreeMap<u64, Entry>>,
    /// Notified whenever a connection ends.
    ended: Notify,
    /// Connections closed to make room, since start (for the log and tests).
    evicted: AtomicU64,
}

impl Registry {
    fn len(&self) -> usize {
        self.open.lock().map_or(0, |o| o.len())
    }

    /// Connections not yet asked to close.
    fn live(&self) -> usize {
        self.open
            .lock()
            .map_or(0, |o| o.values().filter(|e| !e.asked).count())
    }

    /// Asks the oldest idle connection to close; false when every connection is busy.
    fn evict_oldest_idle(&self) -> bool {
        let Ok(mut open) = self.open.lock() else {
            return false;
        };
        let oldest = open
            .values_mut()
            .find(|e| !e.asked && e.busy.load(Ordering::Acquire) == 0);
        let Some(entry) = oldest else {
            return false;
        };
        entry.asked = true;
        entry.close.notify_one();
        self.evicted.fetch_add(1, Ordering::Relaxed);
        true
    }

    fn remove(&self, id: u64) {
        if let Ok(mut open) = self.open.lock() {
            open.remove(&id);
        }
        self.ended.notify_waiters();
    }
}

/// Counts a request in progress on its connection for as long as it lives.
struct BusyGuard(Arc<AtomicUsize>);

impl BusyGuard {
    fn enter(busy: &Arc<AtomicUsize>) -> Self {
        busy.fetch_add(1, Ordering::AcqRel);
        Self(Arc::clone(busy))
    }
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The answer to a connection refused because every slot is mid-request.
const FULL: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Type: application/json\r\n\
Connection: close\r\nContent-Length: 76\r\n\r\n\
{\"error\":\"overloaded\",\"message\":\"The hub has no room for another connection\"}";

/// Serves `router` on `listener` within `limits` until `shutdown`, then drains for up to `grace`.
pub async fn run(
    listener: TcpListener,
    router: axum::Router,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let registry = Arc::new(Registry::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let max = limits.max_connections.max(1);
    let mut next_id = 0u64;
    tokio::pin!(shutdown);
    loop {
        // At the cap: make room first, so the kernel's backlog holds the newcomer meanwhile.
        while registry.live() >= max {
            if !registry.evict_oldest_idle() {
                break;
            }
        }
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                // Out of file descriptors and the like: wait for connections to end, not spin.
                tracing::warn!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if registry.live() >= max {
            refuse(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        next_id += 1;
        spawn_connection(
            next_id,
            stream,
            peer,
            router.clone(),
            limits.clone(),
            &registry,
            stop_rx.clone(),
        );
    }
    tracing::info!("shutting down: no new connections, finishing requests in flight");
    let _ = stop_tx.send(true);
    let drained = async {
        loop {
            let ended = registry.ended.notified();
            if registry.len() == 0 {
                return;
            }
            ended.await;
        }
    };
    if tokio::time::timeout(grace, drained).await.is_err() {
        tracing::warn!("requests still open after {grace:?}; stopping anyway");
    }
    Ok(())
}

/// Answers `503` and closes, without waiting on a slow peer.
fn refuse(mut stream: TcpStream) {
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(FULL)).await;
    });
}

fn spawn_connection(
    id: u64,
    stream: TcpStream,
    peer: SocketAddr,
    router: axum::Router,
    limits: ConnLimits,
    registry: &Arc<Registry>,
    mut stop: watch::Receiver<bool>,
) {
    let busy = Arc::new(AtomicUsize::new(0));
    let close = Arc::new(Notify::new());
    if let Ok(mut open) = registry.open.lock() {
        open.insert(
            id,
            Entry {
                busy: Arc::clone(&busy),
                close: Arc::clone(&close),
                asked: false,
            },
        );
    }
    let registry = Arc::clone(registry);
    let busy_now = Arc::clone(&busy);
    tokio::spawn(async move {
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            let guard = BusyGuard::enter(&busy);
            req.extensions_mut().insert(Peer(peer));
            let mut router = router.clone();
            async move {
                let response = router.call(req.map(Body::new)).await;
                drop(guard);
                Ok::<_, Infallible>(response.unwrap_or_else(|e| match e {}))
            }
        });
        let header_timeout = limits.header_timeout;
        let ends = Ends {
            close,
            stop: &mut stop,
            busy: &busy_now,
            peer,
        };
        match limits.tls {
            None => drive(TokioIo::new(stream), service, header_timeout, ends).await,
            Some(tls) => match tokio::time::timeout(header_timeout, tls.accept(stream)).await {
                Ok(Ok(stream)) => drive(TokioIo::new(stream), service, header_timeout, ends).await,
                Ok(Err(e)) => tracing::debug!(%peer, "TLS handshake failed: {e}"),
                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
            },
        }
        registry.remove(id);
    });
}

/// What ends a connection besides its peer: a request to make room, the shutdown, and whether
/// a request is in progress.
struct Ends<'a> {
    close: Arc<Notify>,
    stop: &'a mut watch::Receiver<bool>,
    busy: &'a AtomicUsize,
    peer: SocketAddr,
}

/// Serves HTTP/1.1 on `io` (a socket, or TLS over one) until the peer, a request to make room or
/// the shutdown ends it.
async fn drive<I, S>(io: I, service: S, header_timeout: Duration, ends: Ends<'_>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    S: hyper::service::HttpService<Incoming, ResBody = Body>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(peer = %ends.peer, "connection ended: {e}");
                }
                break;
            }
            () = ends.close.notified(), if !closing => {}
            _ = ends.stop.wait_for(|s| *s), if !closing => {}
        }
        // Asked to close. With no request in progress the socket is simply dropped (hyper's
        // graceful shutdown would wait out a connection that never sent a byte); a request
        // in progress gets its answer first.
        if ends.busy.load(Ordering::Acquire) == 0 {
            break;
        }
        closing = true;
        conn.as_mut().graceful_shutdown();
    }
}
