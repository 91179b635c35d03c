//! Overload: with a tiny `max_in_flight` and slow commits, a crowd of concurrent requests gets only
//! 200, 503 or 429, every refusal says when to come back, nothing waits in an unbounded queue, and
//! health keeps answering at once.

use std::time::{Duration, Instant};

use ruamjai::core::protocol::BatchResponse;
use ruamjai::hub;

use super::{TestHub, batch, client, post, post_until_taken, submission};

async fn overload_is_shed_with_retry_after_and_health_still_answers() {
    let hub = TestHub::start_with(|o| {
        o.max_in_flight = 2;
        o.kiosk_rate_per_sec = 2.0;
        o.kiosk_burst = 2.0;
        o.commit_delay = Duration::from_millis(150);
    })
    .await;
    let tokens: Vec<String> = (0..4).map(|i| hub.kiosk(&format!("SK{i:02}"))).collect();
    let c = client();
    let url = format!("{}/v1/submissions", hub.url);
    let started = Instant::now();
    let mut tasks = Vec::new();
    // Six waves of eight at once, 120 ms apart: shed by the semaphore, then by the kiosks' rates.
    for i in 0..48u64 {
        if i % 8 == 0 && i > 0 {
            tokio::time::sleep(Duration::from_millis(120)).await;
        }
        let (c, url, token) = (c.clone(), url.clone(), tokens[(i % 4) as usize].clone());
        tasks.push(tokio::spawn(async move {
            let b = batch(vec![submission(1000 + i, &format!("SK{:02}-{i}", i % 4))]);
            let r = post(&c, &url, &token, &b).await;
            let retry_after = r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
            (r.status().as_u16(), retry_after)
        }));
    }
    // While the crowd is being served, health answers promptly.
    let t = Instant::now();
    let health = c
        .get(format!("{}/v1/health", hub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert!(
        t.elapsed() < Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );

    let mut mix = std::collections::BTreeMap::<u16, u64>::new();
    for task in tasks {
        let (status, retry_after) = task.await.unwrap();
        *mix.entry(status).or_default() += 1;
        assert!([200, 503, 429].contains(&status), "unexpected {status}");
        if status != 200 {
            let secs: u64 = retry_after
                .expect("Retry-After on a refusal")
                .parse()
                .unwrap();
            assert!(secs >= 1);
        }
    }
    eprintln!("overload status mix: {mix:?}");
    assert!(
        mix.get(&503).copied().unwrap_or(0) > 0,
        "some were shed: {mix:?}"
    );
    assert!(
        mix.get(&200).copied().unwrap_or(0) > 0,
        "some got through: {mix:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let dir = hub.stop().await;
    let s = hub::stats(dir.database()).unwrap();
    assert_eq!(s.accepted, mix[&200], "every 200 was stored, nothing else");
}

async fn concurrent_kiosks_never_register_a_person_twice_or_overrun_the_quota() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 5).await;
    let c = client();
    let url = format!("{}/v1/submissions", hub.url);
    let mut tasks = Vec::new();
    // Eight kiosks send the same ten people at the same moment.
    for k in 0..8 {
        let name = format!("SK{k:02}");
        let token = hub.kiosk(&name);
        let (c, url) = (c.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let items = (0..10).map(|n| submission(2000 + n, &format!("{name}-{n}")));
            let b = batch(items.collect());
            // A busy hub may shed the batch: sent again, as a kiosk does (a replay of what was
            // stored answers the same).
            let r = post_until_taken(&c, &url, &token, &b).await;
            assert_eq!(r.status(), 200);
            r.json::<BatchResponse>().await.unwrap().outcomes
        }));
    }
    let mut mix = std::collections::BTreeMap::<&str, u64>::new();
    for t in tasks {
        for o in t.await.unwrap() {
            *mix.entry(o.outcome.state_name()).or_default() += 1;
        }
    }
    assert_eq!(mix.get("accepted"), Some(&5), "{mix:?}");
    assert_eq!(mix.get("waitlisted"), Some(&5), "{mix:?}");
    assert_eq!(mix.get("duplicate"), Some(&70), "{mix:?}");
    hub.stop().await;
}

on_both_backends!(
    overload_is_shed_with_retry_after_and_health_still_answers,
    concurrent_kiosks_never_register_a_person_twice_or_overrun_the_quota,
);
