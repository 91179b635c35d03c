//! `GET /dashboard/export?format=csv|xlsx&state=&group=&kiosk=&since=`: `hub export` for a
//! signed-in admin, as a download, with the command's filters, rows and snapshot
//! (`export::write`). CSV is streamed as it is written, a buffer at a time, so a province's list
//! holds one page of the store in memory; an xlsx workbook is written first (its zip needs the
//! whole) into a private temporary folder (0700, its files 0600), streamed, and removed. An
//! export that fails midway breaks the download off rather than end it as if complete. At most
//! [`EXPORTS_AT_ONCE`](super::state::EXPORTS_AT_ONCE) run at a time; one more is answered 503.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use clap::ValueEnum as _;
use tokio::sync::mpsc;

use crate::hub::export::rows::{Filter, State as RowState, parse_since};
use crate::hub::export::write::{Format, export, export_to};
use crate::hub::web::state::Shared;

/// Bytes sent to the browser at a time.
const CHUNK: usize = 64 * 1024;

/// The form's fields; an empty one is no filter.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct ExportQuery {
    format: Option<String>,
    state: Option<String>,
    group: Option<String>,
    kiosk: Option<String>,
    since: Option<String>,
}

fn given(field: Option<&String>) -> Option<&str> {
    field.map(|s| s.trim()).filter(|s| !s.is_empty())
}

impl ExportQuery {
    /// The format and the filter, or what is wrong with them in words.
    fn read(&self) -> Result<(Format, Filter), String> {
        let format = match given(self.format.as_ref()) {
            None | Some("csv") => Format::Csv,
            Some("xlsx") => Format::Xlsx,
            Some(other) => return Err(format!("format {other:?}: csv or xlsx")),
        };
        let state = given(self.state.as_ref())
            .map(|s| RowState::from_str(s, true).map_err(|_| format!("state {s:?}")))
            .transpose()?;
        let group = given(self.group.as_ref())
            .map(|g| {
                g.parse::<u8>()
                    .map_err(|_| format!("group {g:?}: a number"))
            })
            .transpose()?;
        let since_ms = given(self.since.as_ref())
            .map(parse_since)
            .transpose()
            .map_err(|e| format!("since: {e}"))?;
        let kiosk = given(self.kiosk.as_ref()).map(str::to_owned);
        Ok((
            format,
            Filter {
                state,
                group,
                kiosk,
                since_ms,
            },
        ))
    }
}

/// What is written goes to the browser a chunk at a time; a browser gone stops the export.
struct ToBrowser {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl Write for ToBrowser {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "browser gone"))
    }
}

impl ToBrowser {
    /// Breaks the download off: the browser sees it fail, not end.
    fn fail(&self, why: &crate::hub::error::HubError) {
        tracing::warn!("dashboard export stopped: {why}");
        let _ = self
            .tx
            .blocking_send(Err(std::io::Error::other("the export stopped")));
    }
}

pub(crate) async fn download(
    State(st): State<Arc<Shared>>,
    Query(q): Query<ExportQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    let Some(who) = super::page::viewer(&st, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "sign in at /dashboard/signin").into_response();
    };
    // Personal data: a reader's or an admin's account, and a reader limited to amphoes reads
    // through GET /v1/registrations, which keeps to them.
    let caller = crate::hub::web::guard::active_tokens(&st)
        .await
        .ok()
        .and_then(|list| {
            list.iter()
                .find(|t| crate::hub::places::kiosks::ct_eq(&t.hash, &who.admin))
                .map(|t| t.caller.clone())
        });
    let allowed = caller
        .as_ref()
        .is_some_and(|c| c.reads_personal_data() && c.reach.amphoes.is_empty());
    if !allowed {
        return (
            StatusCode::FORBIDDEN,
            "the export is personal data: it needs a reader's (not limited to amphoes) or an admin's account",
        )
            .into_response();
    }
    let asked = format!("{q:?}");
    let (format, filter) = match q.read() {
        Ok(read) => read,
        Err(why) => return (StatusCode::BAD_REQUEST, why).into_response(),
    };
    let Ok(permit) = Arc::clone(&st.dashboard.exports).try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "other exports are running; try again in a minute",
        )
            .into_response();
    };
    tracing::info!("dashboard export ({format:?}, {filter:?}) by {}", who.name);
    let database = st.reads.database().clone();
    let (tx, rx) = mpsc::channel(4);
    let name = who.name.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut out = ToBrowser {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        let done = match format {
            Format::Xlsx => workbook(&database, &filter, &mut out),
            _ => export_to(&database, &filter, format, &mut out, "the download"),
        };
        match done.and_then(|n| out.flush().map_err(|e| io_error(&e)).map(|()| n)) {
            // The read of personal data is kept (`hub audit`).
            Ok(n) => {
                let logged = database.connect_existing().and_then(|mut db| {
                    crate::hub::access::roles::record(
                        db.as_mut(),
                        &name,
                        "GET /dashboard/export",
                        &asked,
                        n,
                        crate::hub::clock::now_ms(),
                    )
                    .map_err(|e| database.error(&e))
                });
                if let Err(e) = logged {
                    tracing::error!("the dashboard export was not written to the access log: {e}");
                }
            }
            Err(e) => out.fail(&e),
        }
    });
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    }));
    let (kind, ext) = match format {
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        _ => ("text/csv; charset=utf-8", "csv"),
    };
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M");
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"ruamjai-export-{stamp}.{ext}\""
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn io_error(err: &std::io::Error) -> crate::hub::error::HubError {
    crate::hub::error::HubError::Write {
        path: "the download".into(),
        err: std::io::Error::new(err.kind(), err.to_string()),
    }
}

/// The workbook written in a private temporary folder, then sent; the folder removed.
fn workbook(
    database: &crate::hub::store::Database,
    filter: &Filter,
    out: &mut ToBrowser,
) -> Result<u64, crate::hub::error::HubError> {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("ruamjai-export-{}", uuid::Uuid::now_v7().simple()));
    crate::core::private::create_dir(&dir).map_err(|e| io_error(&e))?;
    let file = dir.join("export.xlsx");
    let sent = export(
        database,
        filter,
        Format::Xlsx,
        Some(&file),
        &mut |_| {},
        &mut || {},
    )
    .and_then(|n| {
        let mut f = std::fs::File::open(&file).map_err(|e| io_error(&e))?;
        std::io::copy(&mut f, out).map_err(|e| io_error(&e))?;
        Ok(n)
    });
    let _ = std::fs::remove_dir_all(&dir);
    sent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> ExportQuery {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| (*v).to_owned())
        };
        ExportQuery {
            format: get("format"),
            state: get("state"),
            group: get("group"),
            kiosk: get("kiosk"),
            since: get("since"),
        }
    }

    #[test]
    fn a_failed_export_breaks_the_download_off_and_a_gone_browser_stops_it() {
        let (tx, mut rx) = mpsc::channel(4);
        let mut out = ToBrowser {
            tx,
            buf: Vec::new(),
        };
        out.write_all(b"id_type,").unwrap();
        out.flush().unwrap();
        out.fail(&crate::hub::error::HubError::WriterStopped);
        assert_eq!(
            rx.try_recv().unwrap().unwrap(),
            Bytes::from_static(b"id_type,")
        );
        assert!(
            rx.try_recv().unwrap().is_err(),
            "the stream ends in an error"
        );
        drop(rx);
        let big = vec![b'x'; CHUNK];
        let gone = out.write_all(&big).unwrap_err();
        assert_eq!(gone.kind(), std::io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn empty_fields_are_no_filter_and_wrong_ones_are_named() {
        let (format, filter) = query(&[("format", "csv"), ("state", ""), ("group", " ")])
            .read()
            .unwrap();
        assert_eq!((format, filter), (Format::Csv, Filter::default()));
        let (format, filter) = query(&[
            ("format", "xlsx"),
            ("state", "waitlisted"),
            ("group", "3"),
            ("kiosk", "SK01"),
            ("since", "2569-12-01"),
        ])
        .read()
        .unwrap();
        assert_eq!(format, Format::Xlsx);
        assert_eq!(filter.state, Some(RowState::Waitlisted));
        assert_eq!(
            (filter.group, filter.kiosk.as_deref()),
            (Some(3), Some("SK01"))
        );
        assert_eq!(filter.since_ms, parse_since("2026-12-01").ok());
        for (k, v) in [
            ("format", "pdf"),
            ("state", "lost"),
            ("group", "x"),
            ("since", "soon"),
        ] {
            assert!(query(&[(k, v)]).read().is_err(), "{k}={v}");
        }
    }
}
