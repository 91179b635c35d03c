//! Running a district: what the hub decides, the kiosks show and the operations room sees agree
//! where the parts meet (kiosk names, the quota in force, idle kiosks, why a send failed, the
//! checks, the metrics).

mod checks;
mod day;
mod names;
mod quota;

/// The `<tr data-group="KEY">` row of the dashboard's live part, its cells' text.
pub(super) fn dashboard_row(html: &str, key: &str) -> String {
    let start = html
        .find(&format!("data-group=\"{key}\""))
        .unwrap_or_else(|| panic!("no row {key} in {html}"));
    let end = html[start..].find("</tr>").unwrap() + start;
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The dashboard's live part as the signed-in `admin` sees it at `url`, once the row of `key`
/// ends with `want` (the dashboard reads the store at most every few seconds), or after 15 s.
pub(super) async fn dashboard_live_once(url: &str, admin: &str, key: &str, want: &str) -> String {
    use std::time::{Duration, Instant};
    let c = crate::hub::dashboard::browserless();
    let signed_in = crate::hub::dashboard::sign_in(&c, url, admin).await;
    let cookie = crate::hub::dashboard::cookie_of(&signed_in);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let html = c
            .get(format!("{url}/dashboard/live"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if dashboard_row(&html, key).ends_with(want) || Instant::now() > deadline {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
