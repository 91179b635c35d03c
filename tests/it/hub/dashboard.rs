//! The dashboard's doors over plain HTTP, on a real hub: sign-in by a posted admin token into an
//! `HttpOnly`, `SameSite=Strict` cookie (never a token in a URL), a kiosk token refused, sign-out
//! by `POST` only and from the hub's own page, a session ended by its token's revocation, sign-in
//! tries limited, no personal data on the page; the binary's `hub.toml` `[dashboard]` setting
//! with nothing of a token in `hub.log`; and the sign-in's own page when the store is down.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};

use super::{TestHub, batch, submission, submit};

/// A client that does not follow redirects (the tests read them).
pub fn browserless() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// Posts the sign-in form with `token`.
pub async fn sign_in(c: &reqwest::Client, url: &str, token: &str) -> reqwest::Response {
    c.post(format!("{url}/dashboard/signin"))
        .form(&[("token", token), ("lang", "th")])
        .send()
        .await
        .unwrap()
}

/// The session cookie's `name=value` from a sign-in's answer.
pub fn cookie_of(r: &reqwest::Response) -> String {
    let set = r.headers()[SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

async fn get(c: &reqwest::Client, url: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut req = c.get(url);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    req.send().await.unwrap()
}

async fn signing_in_takes_an_admin_token_into_a_strict_cookie() {
    let hub = TestHub::start().await;
    let kiosk = hub.kiosk("SK01");
    let admin = hub.admin();
    submit(&hub, &kiosk, &batch(vec![submission(1, "SK01-0001")])).await;
    let c = browserless();
    let url = &hub.url;
    let r = get(&c, &format!("{url}/dashboard"), None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        r.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/dashboard/signin")
    );
    let r = get(&c, &format!("{url}/dashboard/live"), None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let signin = get(&c, &format!("{url}/dashboard/signin"), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(signin.contains("method=\"post\"") && signin.contains("type=\"password\""));

    let r = sign_in(&c, url, &kiosk).await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a kiosk token opens nothing"
    );
    assert!(r.headers().get(SET_COOKIE).is_none());
    assert!(r.text().await.unwrap().contains("ต้องใช้รหัสผู้ดูแล"));
    let r = sign_in(&c, url, "rja_0000").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().get(SET_COOKIE).is_none());

    let r = sign_in(&c, url, &admin).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(to.starts_with("/dashboard") && !to.contains("rja_"), "{to}");
    let set = r.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/dashboard", "Max-Age="] {
        assert!(set.contains(part), "{set}");
    }
    assert!(!set.contains(&admin), "the cookie is not the token");
    let cookie = cookie_of(&r);
    let page = get(&c, &format!("{url}{to}"), Some(&cookie)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.headers()["cache-control"], "no-store");
    let body = page.text().await.unwrap();
    assert!(body.contains("ภาพรวมการลงทะเบียน"), "{body}");
    for personal in ["มาลี", "ศรีสุข", &ruamjai_id(1)] {
        assert!(
            !body.contains(personal),
            "personal data on the dashboard: {personal}"
        );
    }
    assert!(!body.contains(&admin) && !body.contains(&kiosk));
    // A cookie that is almost right is no session.
    let flipped = if cookie.ends_with('0') { '1' } else { '0' };
    let wrong = format!("{}{flipped}", &cookie[..cookie.len() - 1]);
    assert_eq!(
        get(&c, &format!("{url}/dashboard/live"), Some(&wrong))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    signs_out_by_post_from_its_own_page(&c, url, &cookie).await;
    hub.stop().await;
}

/// Sign-out changes state: `POST` only, and only from the hub's own page; the session is over.
async fn signs_out_by_post_from_its_own_page(c: &reqwest::Client, url: &str, cookie: &str) {
    let out = format!("{url}/dashboard/signout");
    assert_eq!(
        get(c, &out, Some(cookie)).await.status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
    let r = c
        .post(&out)
        .header("cookie", cookie)
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let live = format!("{url}/dashboard/live");
    assert_eq!(get(c, &live, Some(cookie)).await.status(), StatusCode::OK);
    let host = url.trim_start_matches("http://");
    let r = c
        .post(&out)
        .header("cookie", cookie)
        .header("origin", format!("http://{host}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        r.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        get(c, &live, Some(cookie)).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

/// The ID `support::registration` gives person `n`.
fn ruamjai_id(n: u64) -> String {
    crate::support::thai_id(120_000_000_000 + n)
}

async fn a_revoked_admin_token_ends_its_sessions_within_seconds() {
    let hub = TestHub::start().await;
    let admin = hub.admin();
    let c = browserless();
    let cookie = cookie_of(&sign_in(&c, &hub.url, &admin).await);
    let live = format!("{}/dashboard/live", hub.url);
    assert_eq!(get(&c, &live, Some(&cookie)).await.status(), StatusCode::OK);
    ruamjai::hub::revoke_kiosk(hub.database(), "admin").unwrap();
    // The token list is re-read at least every second; ten seconds is far beyond that.
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let status = get(&c, &live, Some(&cookie)).await.status();
        if status == StatusCode::UNAUTHORIZED {
            break;
        }
        assert_eq!(status, StatusCode::OK);
        assert!(
            Instant::now() < until,
            "the session outlived its revoked token"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A new admin token for the same name does not bring the old session back.
    let _again = hub.admin();
    assert_eq!(
        get(&c, &live, Some(&cookie)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    hub.stop().await;
}

async fn sign_in_tries_are_limited_per_address() {
    let hub = TestHub::start().await;
    let admin = hub.admin();
    let c = browserless();
    let big = "x".repeat(10_000);
    let r = c
        .post(format!("{}/dashboard/signin", hub.url))
        .form(&[("token", big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(sign_in(&c, &hub.url, "rja_guess").await.status());
    }
    assert_eq!(
        &statuses[..4],
        &[StatusCode::UNAUTHORIZED; 4],
        "{statuses:?}"
    );
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    let r = sign_in(&c, &hub.url, "rja_guess").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().get("retry-after").is_some());
    assert!(r.headers().get(SET_COOKIE).is_none());
    // The right token is never throttled: the limit is on wrong ones.
    let r = sign_in(&c, &hub.url, &admin).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers().get(SET_COOKIE).is_some());
    hub.stop().await;
}

/// Behind a trusted proxy, a flood of wrong tokens from a thousand addresses (as a botnet would
/// send them) is refused once everybody's tries are spent, and the real admin still signs in.
async fn a_flood_of_wrong_tokens_from_many_addresses_does_not_lock_out_the_admin() {
    let hub = TestHub::start_with(|o| {
        o.dashboard.proxies =
            ruamjai::hub::web::dashboard::proxy::Proxies::new(None, &["127.0.0.1".into()]).unwrap();
    })
    .await;
    let admin = hub.admin();
    let c = browserless();
    let try_from = |n: u32, token: String| {
        let c = c.clone();
        let url = format!("{}/dashboard/signin", hub.url);
        async move {
            let xff = std::net::Ipv4Addr::from(0xCB00_7100 + n).to_string();
            c.post(url)
                .header("x-forwarded-for", xff)
                .form(&[("token", token.as_str()), ("lang", "en")])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let mut refused = 0;
    for n in 0..1000 {
        let status = try_from(n, format!("rja_guess{n}")).await;
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS,
            "{status}"
        );
        refused += usize::from(status == StatusCode::TOO_MANY_REQUESTS);
    }
    assert!(
        refused > 900,
        "the flood is throttled: {refused} of 1000 refused"
    );
    for n in [5000, 5001] {
        assert_eq!(try_from(n, admin.clone()).await, StatusCode::SEE_OTHER);
    }
    // The flood still waits after the admin's sign-ins. The shared bucket gives one try back
    // every half second, so a sign-in slowed by a busy machine may let one guess through to
    // its 401; the ones after it wait.
    let mut after = Vec::new();
    for n in 5002..5007 {
        after.push(try_from(n, format!("rja_guess{n}")).await);
    }
    let waited = after
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        waited >= 3,
        "and the flood's next guesses still wait: {after:?}"
    );
    hub.stop().await;
}

/// The real binary: `[dashboard]` in `hub.toml` sets the silent mark, and a sign-in (refused and
/// accepted) leaves no token in `hub.log`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_reads_its_dashboard_setting_and_logs_no_token() {
    let dir = crate::support::private_tempdir();
    std::fs::write(
        dir.path().join("hub.toml"),
        "[dashboard]\nsilent_minutes = 7\npending_minutes = 45\n",
    )
    .unwrap();
    let admin = super::binary::add_kiosk(dir.path(), "boss", &["--admin"]);
    let kiosk = super::binary::add_kiosk(dir.path(), "SK01", &[]);
    let (mut child, url) = super::binary::serve(dir.path(), &["--pending-minutes", "50"]);
    let c = browserless();
    assert_eq!(
        sign_in(&c, &url, &kiosk).await.status(),
        StatusCode::FORBIDDEN
    );
    let r = sign_in(&c, &url, &admin).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = get(
        &c,
        &format!("{url}/dashboard?lang=en"),
        Some(&cookie_of(&r)),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(page.contains("not heard for over 7 min"), "{page}");
    assert!(
        page.contains("Old pending = over 50 min"),
        "the flag wins over the file: {page}"
    );
    super::binary::signal(&child, "-TERM");
    super::binary::wait_exit(&mut child, Duration::from_secs(10));
    let log = std::fs::read_to_string(dir.path().join("hub.log")).unwrap();
    assert!(
        log.contains("request refused") && log.contains("/dashboard/signin"),
        "{log}"
    );
    assert!(
        !log.contains(&admin) && !log.contains(&kiosk),
        "a token in hub.log"
    );
    assert!(!log.contains("rja_") && !log.contains("rjk_"), "{log}");
}

/// The real binary with its store gone (the disk holding it went away): the sign-in answers
/// with its own page in the language asked for, saying so, never the API's JSON; and signs in
/// once the store is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_says_the_store_is_down_in_the_chosen_language() {
    let dir = crate::support::private_tempdir();
    let admin = super::binary::add_kiosk(dir.path(), "boss", &["--admin"]);
    let (child, url) = super::binary::serve(dir.path(), &[]);
    let hub = super::dashboard_nginx::Hubs(vec![child]);
    let store = dir.path().join("hub.sqlite3");
    let away = dir.path().join("away.sqlite3");
    std::fs::rename(&store, &away).unwrap();
    let c = browserless();
    for (lang, words) in [
        ("en", "The hub cannot reach its database just now"),
        ("th", "ติดต่อฐานข้อมูลของศูนย์กลางไม่ได้"),
    ] {
        let r = c
            .post(format!("{url}/dashboard/signin"))
            .form(&[("token", admin.as_str()), ("lang", lang)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.headers().get("retry-after").is_some());
        assert!(r.headers().get(SET_COOKIE).is_none());
        let kind = r.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(kind.starts_with("text/html"), "{kind}");
        let body = r.text().await.unwrap();
        assert!(body.contains(words), "{lang}: {body}");
        assert!(body.contains(&format!("<html lang=\"{lang}\">")), "{body}");
        assert!(body.contains("type=\"password\""), "the form, to try again");
        assert!(!body.trim_start().starts_with('{'), "{body}");
    }
    std::fs::rename(&away, &store).unwrap();
    assert_eq!(
        sign_in(&c, &url, &admin).await.status(),
        StatusCode::SEE_OTHER
    );
    drop(hub);
}

on_both_backends!(
    signing_in_takes_an_admin_token_into_a_strict_cookie,
    a_revoked_admin_token_ends_its_sessions_within_seconds,
    sign_in_tries_are_limited_per_address,
    a_flood_of_wrong_tokens_from_many_addresses_does_not_lock_out_the_admin,
);
