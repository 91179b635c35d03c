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
