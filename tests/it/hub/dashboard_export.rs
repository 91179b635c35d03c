//! The dashboard's download of the export, through the real binary: a signed-in admin's cookie
//! gets the same CSV `hub export` writes, with the same filters; xlsx as a workbook; no cookie,
//! no rows; a filter the command would refuse is refused.

use std::path::Path;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

use super::binary::{add_kiosk, serve, signal, wait_exit};
use super::dashboard::{browserless, cookie_of, sign_in};
use super::{Backend, batch, on, submission};
use crate::support::ruamjai;

/// `hub export ARGS…` on SQLite in `dir`; its standard output.
fn command(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = ruamjai(dir)
        .env("RUAMJAI_HUB_DATABASE", "")
        .args(["hub", "export"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    out.stdout
}

/// GETs `url` with the session `cookie`, if any.
async fn get(c: &reqwest::Client, url: String, cookie: Option<String>) -> reqwest::Response {
    let mut req = c.get(url);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    req.send().await.unwrap()
}

#[test]
fn a_signed_in_admin_downloads_what_hub_export_writes() {
    on(Backend::Sqlite, async {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("hub");
        let sk01 = add_kiosk(&dir, "SK01", &[]);
        let sk02 = add_kiosk(&dir, "SK02", &[]);
        let admin = add_kiosk(&dir, "boss", &["--admin"]);
        let (mut child, url) = serve(&dir, &[]);
        let c = browserless();
        for (token, items) in [
            (
                &sk01,
                vec![submission(801, "SK01-0001"), submission(802, "SK01-0002")],
            ),
            (&sk02, vec![submission(803, "SK02-0001")]),
        ] {
            let r = super::post(&c, &format!("{url}/v1/submissions"), token, &batch(items)).await;
            assert_eq!(r.status(), StatusCode::OK);
        }
        let download = |query: &str, cookie: Option<String>| {
            get(&c, format!("{url}/dashboard/export?{query}"), cookie)
        };

        let r = download("format=csv", None).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(!r.text().await.unwrap().contains("SK01-0001"));

        let cookie = cookie_of(&sign_in(&c, &url, &admin).await);
        let page = get(&c, format!("{url}/dashboard"), Some(cookie.clone())).await;
        let page = page.text().await.unwrap();
        assert!(
            page.contains(r#"action="/dashboard/export""#),
            "the page offers it"
        );
        let r = download(
            "format=csv&state=&group=&kiosk=&since=",
            Some(cookie.clone()),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
        let named = r.headers()[CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            named.starts_with("attachment;") && named.ends_with(".csv\""),
            "{named}"
        );
        let all = r.bytes().await.unwrap();
        assert_eq!(all, command(&dir, &[]), "the command's own file");
        let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(&all[3..])
            .records()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows.len(), 3);

        let r = download("format=csv&kiosk=SK02", Some(cookie.clone())).await;
        let one = r.bytes().await.unwrap();
        assert_eq!(one, command(&dir, &["--kiosk", "SK02"]));
        let mut read = csv::Reader::from_reader(&one[3..]);
        let reference = read
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "reference")
            .unwrap();
        let rows: Vec<csv::StringRecord> = read.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][reference], "SK02-0001");

        let r = download("format=xlsx&state=accepted", Some(cookie.clone())).await;
        assert_eq!(r.status(), StatusCode::OK);
        let named = r.headers()[CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(named.ends_with(".xlsx\""), "{named}");
        let book = r.bytes().await.unwrap();
        assert!(
            book.starts_with(b"PK\x03\x04") && book.len() > 1000,
            "a zip: {}",
            book.len()
        );

        let r = download("format=csv&since=soon", Some(cookie.clone())).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("since"));

        signal(&child, "-TERM");
        assert_eq!(
            wait_exit(&mut child, std::time::Duration::from_secs(10)),
            Some(0)
        );
    });
}
