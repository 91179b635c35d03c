//! What the hub refuses, and how: 401/403/404 for tokens, 413/400/415 for bodies, 429 for a kiosk
//! over its rate. Every refusal has an `ErrorBody`.

use std::time::Duration;

use ruamjai::core::protocol::{ErrorBody, HubStats, MAX_BATCH_BYTES, MAX_BATCH_ITEMS};
use ruamjai::hub;

use super::{TestHub, batch, client, post, submission, submit};

async fn error_of(r: reqwest::Response, status: u16) -> ErrorBody {
    assert_eq!(r.status(), status);
    r.json::<ErrorBody>().await.expect("an ErrorBody")
}

async fn tokens_are_checked_and_kiosks_see_only_their_own() {
    let hub = TestHub::start().await;
    let a = hub.kiosk("SK01");
    let b = hub.kiosk("SK02");
    let admin = hub.admin();
    let c = client();
    let submissions = format!("{}/v1/submissions", hub.url);
    let one = batch(vec![submission(40, "SK01-0040")]);

    let missing = c.post(&submissions).json(&one).send().await.unwrap();
    assert_eq!(error_of(missing, 401).await.error, "unauthorized");
    let wrong = post(&c, &submissions, "rjk_0000", &one).await;
    assert_eq!(error_of(wrong, 401).await.error, "unauthorized");
    let basic = c
        .post(&submissions)
        .header("authorization", "Basic eDp5")
        .json(&one);
    error_of(basic.send().await.unwrap(), 401).await;

    let out = submit(&hub, &a, &one).await;
    let mine = format!("{}/v1/submissions/{}", hub.url, out[0].submission_id);
    let get = |token: &str| c.get(&mine).bearer_auth(token).send();
    assert_eq!(get(&a).await.unwrap().status(), 200);
    assert_eq!(
        error_of(get(&b).await.unwrap(), 404).await.error,
        "not_found"
    );
    let unknown = format!("{}/v1/submissions/{}", hub.url, uuid::Uuid::now_v7());
    let r = c.get(&unknown).bearer_auth(&a).send().await.unwrap();
    error_of(r, 404).await;

    let stats = format!("{}/v1/stats", hub.url);
    let r = c.get(&stats).bearer_auth(&a).send().await.unwrap();
    assert_eq!(error_of(r, 403).await.error, "forbidden");
    let r = c.get(&stats).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<HubStats>().await.unwrap().accepted, 1);
    // An admin is not a kiosk.
    error_of(post(&c, &submissions, &admin, &one).await, 403).await;

    // Revoked: refused within about a second (the token list is cached that long).
    hub::revoke_kiosk(hub.database(), "SK01").unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = c.get(&mine).bearer_auth(&a).send().await.unwrap();
    assert_eq!(error_of(r, 401).await.error, "unauthorized");
    hub.stop().await;
}

async fn bodies_are_checked_before_they_are_parsed() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let c = client();
    let url = format!("{}/v1/submissions", hub.url);
    let raw = |body: Vec<u8>, content_type: &str| {
        c.post(&url)
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    let huge = format!("{{\"items\":[\"{}\"]}}", "x".repeat(MAX_BATCH_BYTES));
    let r = raw(huge.into_bytes(), "application/json").await.unwrap();
    assert_eq!(error_of(r, 413).await.error, "too_large");

    let many = batch(
        (0..=MAX_BATCH_ITEMS as u64)
            .map(|n| submission(n, "SK01-X"))
            .collect(),
    );
    let r = post(&c, &url, &token, &many).await;
    assert_eq!(error_of(r, 413).await.error, "too_many_items");

    let r = raw(b"{\"items\": [".to_vec(), "application/json")
        .await
        .unwrap();
    assert_eq!(error_of(r, 400).await.error, "bad_request");
    let r = raw(
        b"{\"items\": [], \"extra\": 1}".to_vec(),
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(error_of(r, 400).await.error, "bad_request");

    let deep = format!("{{\"items\":{}{}}}", "[".repeat(64), "]".repeat(64));
    let r = raw(deep.into_bytes(), "application/json").await.unwrap();
    assert_eq!(error_of(r, 400).await.error, "too_deep");

    let r = raw(b"{\"items\": []}".to_vec(), "text/plain")
        .await
        .unwrap();
    assert_eq!(error_of(r, 415).await.error, "unsupported_media_type");
    let r = raw(
        b"{\"items\": []}".to_vec(),
        "application/json; charset=utf-8",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);

    let r = c
        .get(format!("{}/v1/nothing", hub.url))
        .send()
        .await
        .unwrap();
    error_of(r, 404).await;
    let r = c.delete(&url).bearer_auth(&token).send().await.unwrap();
    error_of(r, 405).await;
    // None of it was stored.
    let dir = hub.stop().await;
    let s = hub::stats(dir.database()).unwrap();
    assert_eq!(s.accepted + s.rejected + s.duplicates, 0);
}

async fn a_kiosk_over_its_rate_gets_429_with_retry_after() {
    let hub = TestHub::start_with(|o| {
        o.kiosk_rate_per_sec = 0.5;
        o.kiosk_burst = 2.0;
    })
    .await;
    let a = hub.kiosk("SK01");
    let b = hub.kiosk("SK02");
    let c = client();
    let url = format!("{}/v1/campaign", hub.url);
    for _ in 0..2 {
        assert_eq!(
            c.get(&url).bearer_auth(&a).send().await.unwrap().status(),
            200
        );
    }
    let r = c.get(&url).bearer_auth(&a).send().await.unwrap();
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert_eq!(error_of(r, 429).await.error, "rate_limited");
    // Each kiosk has its own bucket.
    assert_eq!(
        c.get(&url).bearer_auth(&b).send().await.unwrap().status(),
        200
    );
    hub.stop().await;
}

async fn a_body_that_trickles_in_gets_408_and_holds_no_shared_slot() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let hub = TestHub::start_with(|o| {
        o.max_in_flight = 1;
        o.body_timeout = Duration::from_millis(300);
    })
    .await;
    let token = hub.kiosk("SK01");
    let addr = hub.url.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /v1/submissions HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"items\": ["
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    // The body is read before the request takes the hub's one slot: others are served meanwhile.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let r = client()
        .get(format!("{}/v1/campaign", hub.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut answer = vec![0u8; 512];
    let n = tokio::time::timeout(Duration::from_secs(5), slow.read(&mut answer))
        .await
        .expect("answered in time")
        .unwrap();
    let text = String::from_utf8_lossy(&answer[..n]);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    let r = client()
        .get(format!("{}/v1/campaign", hub.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    hub.stop().await;
}

on_both_backends!(
    tokens_are_checked_and_kiosks_see_only_their_own,
    bodies_are_checked_before_they_are_parsed,
    a_kiosk_over_its_rate_gets_429_with_retry_after,
    a_body_that_trickles_in_gets_408_and_holds_no_shared_slot,
);
