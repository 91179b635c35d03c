//! What an outsider or one rogue kiosk could do to stop the hub for everyone, tried against the
//! real hub on loopback: idle and half-sent sockets, idle keep-alives, slow bodies from one
//! kiosk. Socket counts and waits are bounded (a few hundred sockets, a few seconds).

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{TestHub, batch, client, post, submission};

fn addr(hub: &TestHub) -> String {
    hub.url.trim_start_matches("http://").to_owned()
}

/// True when the hub has closed `s` (end of stream or reset) within `within`.
async fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // An answer (a 503, a 408): keep reading until the close.
            Ok(Ok(_)) => {}
        }
    }
}

async fn health_answers(hub: &TestHub) -> bool {
    let c = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    c.get(format!("{}/v1/health", hub.url))
        .send()
        .await
        .is_ok_and(|r| r.status() == 200)
}

async fn idle_sockets_cannot_stop_the_hub() {
    const CAP: usize = 32;
    const SOCKETS: usize = 200;
    let hub = TestHub::start_with(|o| {
        o.max_connections = CAP;
        o.header_timeout = Duration::from_secs(30);
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..SOCKETS {
        idle.push(TcpStream::connect(addr(&hub)).await.unwrap());
    }
    // Half of them start a request head and stop.
    for s in idle.iter_mut().step_by(2) {
        s.write_all(b"POST /v1/submissions HTTP/1.1\r\nHost: h\r\n")
            .await
            .unwrap();
    }
    assert!(
        health_answers(&hub).await,
        "health must answer past {SOCKETS} idle sockets"
    );
    let token = hub.kiosk("SK01");
    let r = post(
        &client(),
        &format!("{}/v1/submissions", hub.url),
        &token,
        &batch(vec![submission(1, "SK01-0001-A")]),
    )
    .await;
    assert_eq!(r.status(), 200, "a kiosk must be served past idle sockets");
    // The hub holds no more than its cap: the rest were closed to make room.
    let mut still_open = 0;
    for s in &mut idle {
        if !closed_within(s, Duration::from_millis(20)).await {
            still_open += 1;
        }
    }
    assert!(
        still_open <= CAP,
        "{still_open} idle sockets held open past a cap of {CAP}"
    );
    hub.stop().await;
}

async fn slow_headers_and_idle_keep_alives_are_closed_after_the_header_timeout() {
    let hub = TestHub::start_with(|o| o.header_timeout = Duration::from_secs(1)).await;
    // A head sent a line at a time, never finished.
    let mut trickle = TcpStream::connect(addr(&hub)).await.unwrap();
    // A connection that asked once and kept the connection open.
    let mut kept = TcpStream::connect(addr(&hub)).await.unwrap();
    kept.write_all(b"GET /v1/health HTTP/1.1\r\nHost: h\r\n\r\n")
        .await
        .unwrap();
    let mut answer = [0u8; 512];
    let n = kept.read(&mut answer).await.unwrap();
    assert!(answer[..n].starts_with(b"HTTP/1.1 200"));
    let started = Instant::now();
    let mut closed = false;
    for line in 0..20 {
        let sent = trickle
            .write_all(format!("X-Line-{line}: {line}\r\n").as_bytes())
            .await;
        if sent.is_err() || closed_within(&mut trickle, Duration::from_millis(300)).await {
            closed = true;
            break;
        }
    }
    let took = started.elapsed();
    assert!(closed, "a head trickled for {took:?} is still open");
    assert!(took < Duration::from_secs(4), "closed only after {took:?}");
    assert!(
        closed_within(&mut kept, Duration::from_secs(3)).await,
        "an idle keep-alive outlived the header timeout"
    );
    hub.stop().await;
}

/// One POST from `token` that sends its head and one byte of a 100-byte body, then stalls.
async fn stalled_post(hub: &TestHub, token: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr(hub)).await.unwrap();
    let head = format!(
        "POST /v1/submissions HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s
}

async fn a_kiosk_trickling_its_bodies_cannot_starve_another() {
    let hub = TestHub::start_with(|o| {
        o.max_in_flight = 8;
        o.kiosk_max_open = 2;
        o.body_timeout = Duration::from_secs(5);
    })
    .await;
    let rogue = hub.kiosk("SK66");
    let other = hub.kiosk("SK01");
    let mut stalled = Vec::new();
    for _ in 0..12 {
        stalled.push(stalled_post(&hub, &rogue).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Beyond its cap the rogue kiosk is told at once to wait.
    let mut refused = 0;
    for s in &mut stalled {
        let mut buf = [0u8; 512];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(50), s.read(&mut buf)).await
            && buf[..n].starts_with(b"HTTP/1.1 429")
        {
            assert!(String::from_utf8_lossy(&buf[..n]).contains("too_many_open"));
            refused += 1;
        }
    }
    assert_eq!(refused, 10, "12 stalled requests with a cap of 2 open");
    // The other kiosk is served in full meanwhile.
    let url = format!("{}/v1/submissions", hub.url);
    for n in 0..10 {
        let b = batch(vec![submission(n, &format!("SK01-{n:04}-A"))]);
        let r = post(&client(), &url, &other, &b).await;
        assert_eq!(
            r.status(),
            200,
            "another kiosk was refused while one trickled"
        );
    }
    hub.stop().await;
}

/// The real binary under a small open-files limit (`ulimit -n 128`): it keeps its connection cap
/// below the limit, so 300 idle sockets cannot exhaust it and health still answers.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_small_open_files_limit_idle_sockets_cannot_exhaust_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, url) = super::binary::listening(
        std::process::Command::new("sh")
            .arg("-c")
            .arg(r#"ulimit -n 128 && exec "$0" --data-dir "$1" hub serve --listen 127.0.0.1:0"#)
            .arg(env!("CARGO_BIN_EXE_ruamjai"))
            .arg(dir.path())
            .stderr(std::process::Stdio::piped()),
    );
    let addr = url
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("{url:?}"))
        .to_owned();
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(TcpStream::connect(&addr).await.unwrap());
    }
    let c = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    for _ in 0..5 {
        let r = c.get(format!("http://{addr}/v1/health")).send().await;
        assert!(
            r.is_ok_and(|r| r.status() == 200),
            "health failed under the limit"
        );
    }
    drop(idle);
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("open-files limit is 128"), "{said}");
}

on_both_backends!(
    idle_sockets_cannot_stop_the_hub,
    slow_headers_and_idle_keep_alives_are_closed_after_the_header_timeout,
    a_kiosk_trickling_its_bodies_cannot_starve_another,
);
