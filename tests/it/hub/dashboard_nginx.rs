//! The README's reverse-proxy recipe, for real: its nginx `location` block (read from README.md)
//! in a real nginx (`crate::nginx`) in front of two hub processes (the real binary) sharing one
//! PostgreSQL store (`crate::pg`), each with `public_url` and `trusted_proxies` in its
//! `hub.toml`. A real browser (`crate::browser`) signs in through nginx, and every page and
//! refresh is served signed in by both processes; signing out ends the session on both. Then,
//! without nginx, what the two settings decide: the origin a form must come from, the cookie's
//! `Secure`, and whose sign-in tries count, believing `X-Forwarded-*` from trusted proxies only.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Child;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;
use serde_json::{Value, json};

use super::binary::{add_kiosk, serve, signal, wait_exit};
use super::dashboard::browserless;
use crate::browser::Browser;
use crate::nginx::Nginx;
use crate::support::{missing, private_tempdir};

/// The `location / { … }` block of the README's nginx example, as written there.
fn readme_location() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let example = readme
        .split("```nginx")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("an nginx example in the README");
    let start = example.find("location / {").expect("a location / block");
    let mut depth = 0;
    for (i, c) in example[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return example[start..=start + i].to_owned();
                }
            }
            _ => {}
        }
    }
    panic!("the README's location block does not close");
}

/// Hub processes, stopped (SIGTERM, waited for) however the test ends.
pub(super) struct Hubs(pub Vec<Child>);

impl Drop for Hubs {
    fn drop(&mut self) {
        for child in &mut self.0 {
            signal(child, "-TERM");
            wait_exit(child, Duration::from_secs(10));
        }
    }
}

/// `/dashboard/live` fetched `n` times by the open page: each answer's status and the hub
/// process nginx sent it to.
fn fetch_live(b: &mut Browser, n: usize) -> Vec<(u64, String)> {
    let seen = b.eval(&format!(
        "(async () => {{ const out = [];
            for (let i = 0; i < {n}; i++) {{
                const r = await fetch('/dashboard/live?lang=en', {{cache: 'no-store'}});
                out.push([r.status, r.headers.get('x-upstream')]);
            }}
            return out; }})()"
    ));
    seen.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_u64().unwrap(),
                p[1].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Signs in at `public` (nginx) with `admin`, as the room would: the form, typed, submitted.
fn signs_in_through(b: &mut Browser, public: &str, admin: &str) {
    b.goto(&format!("{public}/dashboard?lang=th"));
    assert_eq!(b.eval("location.pathname"), json!("/dashboard/signin"));
    b.eval("document.getElementById('token').focus()");
    b.type_text(admin);
    b.click("button[type=submit]");
    b.wait_for("the dashboard after signing in through nginx", |b| {
        b.peek("location.pathname === '/dashboard' && document.readyState === 'complete'")
            == Some(json!(true))
    });
}

#[test]
fn the_readme_nginx_recipe_signs_in_through_two_hub_processes_in_a_browser() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    if !crate::browser::available() {
        missing("chromium (Debian's package; .ci/run installs it)");
        return;
    }
    let database = cluster.database("nginx");
    let port = crate::nginx::free_port();
    let public = format!("http://127.0.0.1:{port}");
    let dirs = [private_tempdir(), private_tempdir()];
    for d in &dirs {
        std::fs::write(
            d.path().join("hub.toml"),
            format!(
                "database = \"{database}\"\npublic_url = \"{public}\"\n\
                 trusted_proxies = [\"127.0.0.1\"]\n"
            ),
        )
        .unwrap();
    }
    let admin = add_kiosk(dirs[0].path(), "boss", &["--admin"]);
    add_kiosk(dirs[1].path(), "SK01", &[]);
    let (a, a_url) = serve(dirs[0].path(), &[]);
    let (b_child, b_url) = serve(dirs[1].path(), &[]);
    let hubs = Hubs(vec![a, b_child]);
    let upstreams: BTreeSet<String> = [&a_url, &b_url]
        .iter()
        .map(|u| u.trim_start_matches("http://").to_owned())
        .collect();
    let servers = upstreams
        .iter()
        .map(|u| format!("server {u};"))
        .collect::<Vec<_>>()
        .join(" ");
    let http = format!(
        "upstream ruamjai_hub {{ {servers} keepalive 8; }}
    server {{
        listen LISTEN;
        server_name hub.example;
        # Which process answered, for the test only.
        add_header X-Upstream $upstream_addr always;
        {}
    }}",
        readme_location()
    );
    let Some(nginx) = Nginx::start(port, &http) else {
        return;
    };
    let mut b = Browser::start(1280, 900).expect("chromium starts");

    signs_in_through(&mut b, &public, &admin);
    let text = b.text();
    assert!(
        text.contains("ภาพรวมการลงทะเบียน") && text.contains("SK01"),
        "{text}"
    );

    // Every refresh, from either process, is signed in.
    let seen = fetch_live(&mut b, 8);
    assert!(seen.iter().all(|(status, _)| *status == 200), "{seen:?}");
    let answered: BTreeSet<String> = seen.into_iter().map(|(_, u)| u).collect();
    assert_eq!(
        answered, upstreams,
        "both processes served the signed-in page"
    );
    // And so is every whole page.
    for _ in 0..4 {
        b.goto(&format!("{public}/dashboard?lang=en"));
        assert_eq!(b.eval("location.pathname"), json!("/dashboard"));
        assert!(b.text().contains("Registration overview"));
    }
    let log = nginx.access_log();
    let pages: BTreeSet<String> = log
        .lines()
        .filter_map(|l| l.strip_prefix("GET /dashboard 200 "))
        .map(str::to_owned)
        .collect();
    assert_eq!(pages, upstreams, "whole pages from both processes:\n{log}");
    assert!(
        log.contains("POST /dashboard/signin 303"),
        "signed in through nginx:\n{log}"
    );

    // Signing out through nginx ends the session on both processes.
    b.click("nav form button[type=submit]");
    b.wait_for("the sign-in form after signing out", |b| {
        b.peek("location.pathname") == Some(json!("/dashboard/signin"))
    });
    std::thread::sleep(Duration::from_millis(1200));
    let after = fetch_live(&mut b, 4);
    assert!(after.iter().all(|(status, _)| *status == 401), "{after:?}");
    assert_eq!(
        b.eval("document.cookie"),
        Value::String(String::new()),
        "HttpOnly"
    );
    drop(b);
    drop(nginx);
    drop(hubs);
    cluster.drop_database(&database);
}

/// Posts the sign-in form as a browser at `origin` would, through a proxy saying `forwarded`.
async fn post_form(
    url: &str,
    origin: &str,
    forwarded: &[(&'static str, &str)],
    token: &str,
) -> reqwest::Response {
    let mut req = browserless()
        .post(format!("{url}/dashboard/signin"))
        .header("origin", origin)
        .form(&[("token", token), ("lang", "en")]);
    for (name, value) in forwarded {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap()
}

/// A wrong token from the browser at `xff` behind the trusted proxy at `https://hub.example`.
async fn guess(url: &str, xff: &str) -> StatusCode {
    post_form(
        url,
        "https://hub.example",
        &[("x-forwarded-for", xff)],
        "rja_guess",
    )
    .await
    .status()
}

fn is_secure(r: &reqwest::Response) -> bool {
    r.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("; Secure")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_url_and_trusted_proxies_decide_origin_cookie_and_whose_tries_count() {
    // Behind a trusted proxy (this test's own address) at https://hub.example.
    let dir = private_tempdir();
    std::fs::write(
        dir.path().join("hub.toml"),
        "public_url = \"https://hub.example\"\ntrusted_proxies = [\"127.0.0.1\"]\n",
    )
    .unwrap();
    let admin = add_kiosk(dir.path(), "boss", &["--admin"]);
    let (child, url) = serve(dir.path(), &[]);
    let hubs = Hubs(vec![child]);
    let r = post_form(&url, "https://hub.example", &[], &admin).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(is_secure(&r), "the public URL is https");
    let host = url.trim_start_matches("http://");
    let r = post_form(&url, &format!("http://{host}"), &[], &admin).await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "through the proxy, only the public origin"
    );
    // Tries count per browser behind the proxy; what a client writes left of it is not believed.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(guess(&url, "203.0.113.1").await);
    }
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    assert_eq!(guess(&url, "203.0.113.2").await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        guess(&url, "6.6.6.6, 203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    drop(hubs);

    // A hub that trusts no proxy ignores X-Forwarded-* from anyone.
    let plain = private_tempdir();
    let admin = add_kiosk(plain.path(), "boss", &["--admin"]);
    let (child, url) = serve(plain.path(), &[]);
    let hubs = Hubs(vec![child]);
    let origin = url.clone();
    let forged = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-for", "203.0.113.9"),
    ];
    let r = post_form(&url, &origin, &forged, &admin).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!is_secure(&r), "X-Forwarded-Proto from an untrusted peer");
    let mut statuses = Vec::new();
    for n in 0..6 {
        let xff = format!("203.0.113.{}", 10 + n);
        let r = post_form(&url, &origin, &[("x-forwarded-for", &xff)], "rja_guess").await;
        statuses.push(r.status());
    }
    assert_eq!(
        statuses[5],
        StatusCode::TOO_MANY_REQUESTS,
        "one peer, whatever it says it forwards: {statuses:?}"
    );
    drop(hubs);

    // A setting that cannot be read stops the hub before it serves, naming the file.
    let wrong = private_tempdir();
    std::fs::write(
        wrong.path().join("hub.toml"),
        "trusted_proxies = [\"the nginx box\"]\n",
    )
    .unwrap();
    let out = crate::support::ruamjai(wrong.path())
        .args(["hub", "serve", "--listen", "127.0.0.1:0"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("hub.toml") && said.contains("the nginx box"),
        "{said}"
    );
}
