//! `hub serve`'s running part: the connection cap kept under the open-files limit, the server
//! (and the metrics address) on a runtime of its own, and a graceful stop on SIGTERM or Ctrl-C.

use std::io::Write as _;
use std::net::SocketAddr;

use crate::hub::error::HubError;

use crate::hub::web::hub::HubOptions;

/// File descriptors kept free of connections: the store, its WAL, the read pool, the log.
#[cfg(unix)]
const RESERVED_FILES: u64 = 64;

/// `wanted` connections, or fewer when the process may not open that many files: a cap above the
/// limit would let sockets exhaust it before the cap is reached.
pub(crate) fn within_open_files(wanted: usize) -> usize {
    #[cfg(unix)]
    {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        if let Some(soft) = limit.current {
            let room = soft.saturating_sub(RESERVED_FILES).max(16) as usize;
            if room < wanted {
                tracing::warn!("open-files limit {soft}: at most {room} connections");
                eprintln!(
                    "ruamjai: warning: the open-files limit is {soft}, so at most {room} \
                     connections (not {wanted}); raise it with LimitNOFILE= or ulimit -n"
                );
                return room;
            }
        }
    }
    wanted
}

pub(crate) fn run_server(
    listen: SocketAddr,
    metrics_listen: Option<SocketAddr>,
    opts: HubOptions,
) -> Result<(), HubError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| HubError::system("cannot start the async runtime", e))?;
    let opts_tls = opts.tls.is_some();
    runtime.block_on(async move {
        // Signal handlers first: a SIGTERM right after the "listening" line must not kill us.
        let shutdown = shutdown_signal()?;
        let hub = crate::hub::web::hub::Hub::open(opts)?;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| HubError::system(format!("cannot listen on {listen}"), e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| HubError::system(format!("cannot listen on {listen}"), e))?;
        let metrics =
            match metrics_listen {
                Some(at) => Some(tokio::net::TcpListener::bind(at).await.map_err(|e| {
                    HubError::system(format!("cannot listen on {at} for metrics"), e)
                })?),
                None => None,
            };
        let scheme = if opts_tls { "https" } else { "http" };
        tracing::info!("hub listening on {scheme}://{addr}");
        let said = (|| {
            let mut out = std::io::stdout();
            writeln!(out, "listening on {scheme}://{addr}")?;
            if let Some(m) = &metrics {
                writeln!(out, "metrics on http://{}/metrics", m.local_addr()?)?;
            }
            out.flush()
        })();
        said.map_err(|e| HubError::system("cannot write to standard output", e))?;
        crate::hub::web::hub::serve_with_metrics(listener, metrics, hub, shutdown)
            .await
            .map_err(|e| HubError::system("the hub's connections failed", e))
    })
}

#[cfg(unix)]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()> + Send + 'static, HubError> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term =
        signal(SignalKind::terminate()).map_err(|e| HubError::system("cannot watch SIGTERM", e))?;
    let mut int =
        signal(SignalKind::interrupt()).map_err(|e| HubError::system("cannot watch SIGINT", e))?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => tracing::info!("SIGTERM"),
            _ = int.recv() => tracing::info!("SIGINT"),
        }
    })
}

// The Unix one's signature: watching Ctrl-C cannot fail to be set up.
#[cfg(not(unix))]
#[allow(clippy::unnecessary_wraps)]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()> + Send + 'static, HubError> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
