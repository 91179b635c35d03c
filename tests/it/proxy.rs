//! A fault-injecting HTTP/1.1 proxy on loopback, for the sync tests: each request takes the next
//! fault from a script (then passes through to the real hub). Faults: connection reset mid-body,
//! slow answers, 500, 503 + Retry-After, 429, truncated JSON, hanging past the client's timeout.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Forward unchanged.
    Pass,
    /// Close the connection after reading the request, before any answer.
    Reset,
    /// Forward, then send half of the hub's answer and close (the hub HAS stored the batch).
    CutAnswer,
    /// Forward, then wait this long before answering.
    Slow(Duration),
    /// Answer with this status without forwarding (Retry-After seconds if given).
    Status(u16, Option<u64>),
    /// Forward, answer 200 with the hub's JSON truncated (with a matching Content-Length).
    TruncatedJson,
    /// Read the request and never answer.
    Hang,
}

/// A running proxy in front of `upstream`.
pub struct Proxy {
    pub addr: SocketAddr,
    script: Arc<Mutex<VecDeque<Fault>>>,
    pub seen: Arc<Mutex<Vec<Fault>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// Starts a proxy on 127.0.0.1:0 forwarding to `upstream`.
    pub async fn start(upstream: SocketAddr, script: Vec<Fault>) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (s, n) = (Arc::clone(&script), Arc::clone(&seen));
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let (s, n) = (Arc::clone(&s), Arc::clone(&n));
                tokio::spawn(async move {
                    let _ = serve(conn, upstream, s, n).await;
                });
            }
        });
        Proxy { addr, script, seen, task }
    }

    /// The base URL kiosks should use.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Faults not yet used.
    pub fn remaining(&self) -> usize {
        self.script.lock().unwrap().len()
    }
}

/// Reads one HTTP/1.1 message (headers + Content-Length body) from `conn`.
async fn read_message(conn: &mut TcpStream) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = conn.read(&mut chunk).await?;
                if n == 0 {
                    return Ok(None);
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            buf.truncate(end + 4 + len);
            return Ok(Some(buf));
        }
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Sends `request` to the hub on a fresh connection and returns its whole answer.
async fn forward(upstream: SocketAddr, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut up = TcpStream::connect(upstream).await?;
    // One request per upstream connection: ask the hub to close after answering.
    let text = String::from_utf8_lossy(request);
    let request = if text.to_ascii_lowercase().contains("\r\nconnection:") {
        request.to_vec()
    } else {
        let end = find(request, b"\r\n\r\n").unwrap_or(request.len());
        let mut r = request[..end].to_vec();
        r.extend_from_slice(b"\r\nConnection: close");
        r.extend_from_slice(&request[end..]);
        r
    };
    up.write_all(&request).await?;
    Ok(read_message(&mut up).await?.unwrap_or_default())
}

async fn serve(
    mut conn: TcpStream,
    upstream: SocketAddr,
    script: Arc<Mutex<VecDeque<Fault>>>,
    seen: Arc<Mutex<Vec<Fault>>>,
) -> std::io::Result<()> {
    while let Some(request) = read_message(&mut conn).await? {
        let fault = script.lock().unwrap().pop_front().unwrap_or(Fault::Pass);
        seen.lock().unwrap().push(fault.clone());
        match fault {
            Fault::Pass => {
                let answer = forward(upstream, &request).await?;
                conn.write_all(&answer).await?;
            }
            Fault::Reset => return Ok(()),
            Fault::CutAnswer => {
                let answer = forward(upstream, &request).await?;
                conn.write_all(&answer[..answer.len() * 2 / 3]).await?;
                return Ok(());
            }
            Fault::Slow(d) => {
                let answer = forward(upstream, &request).await?;
                tokio::time::sleep(d).await;
                conn.write_all(&answer).await?;
            }
            Fault::Status(code, retry) => {
                let body = r#"{"error":"injected","message":"fault injected by the test proxy"}"#;
                let retry = retry.map(|s| format!("Retry-After: {s}\r\n")).unwrap_or_default();
                let answer = format!(
                    "HTTP/1.1 {code} Injected\r\nContent-Type: application/json\r\n{retry}Content-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                conn.write_all(answer.as_bytes()).await?;
            }
            Fault::TruncatedJson => {
                let answer = forward(upstream, &request).await?;
                let end = find(&answer, b"\r\n\r\n").map_or(0, |e| e + 4);
                let body = &answer[end..];
                let cut = &body[..body.len() / 2];
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    cut.len()
                );
                conn.write_all(head.as_bytes()).await?;
                conn.write_all(cut).await?;
            }
            Fault::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
        }
    }
    Ok(())
}

/// A loopback port with nothing listening (connection refused).
pub fn refused_addr() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    addr
}
