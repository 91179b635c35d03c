//! The cells of a sites file that need more than a number: `serves` (amphoe and tambon names
//! checked against the national tambon list, `core::form::address`) and `slots` (a day's
//! capacity split into time slots). Pure.

use crate::core::form::address;

/// At most this many slots a day.
const MAX_SLOTS: usize = 24;

/// A name as written, without the words "อำเภอ"/"ตำบล" (or "อ."/"ต.") a person may put before it.
fn bare<'a>(name: &'a str, words: &[&str]) -> &'a str {
    let name = name.trim();
    words
        .iter()
        .find_map(|w| name.strip_prefix(w))
        .map_or(name, str::trim)
}

/// `serves`: `;`-separated amphoe names (the whole amphoe), tambon names (one tambon, its name
/// alone when no other amphoe has one so named) or `AMPHOE/TAMBON`. Each as
/// `(amphoe, tambon)`, tambon `""` for the whole amphoe; or why not, in words.
pub fn resolve(cell: &str) -> Result<Vec<(String, String)>, String> {
    let index = address::index();
    let mut out: Vec<(String, String)> = Vec::new();
    for entry in cell.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        let place = if let Some((amphoe, tambon)) = entry.split_once('/') {
            let amphoe = bare(amphoe, &["อำเภอ", "อ."]);
            let tambon = bare(tambon, &["ตำบล", "ต."]);
            if !index.contains("", amphoe, tambon) {
                return Err(format!(
                    "\"{entry}\": the national list has no tambon {tambon} in amphoe {amphoe}"
                ));
            }
            (amphoe.to_owned(), tambon.to_owned())
        } else if index.has_amphoe(bare(entry, &["อำเภอ", "อ."])) {
            (bare(entry, &["อำเภอ", "อ."]).to_owned(), String::new())
        } else {
            let tambon = bare(entry, &["ตำบล", "ต."]);
            let mut amphoes: Vec<&str> = index.named(tambon).iter().map(|e| e.amphoe).collect();
            amphoes.dedup();
            match amphoes.as_slice() {
                [] => {
                    return Err(format!(
                        "\"{entry}\" is neither an amphoe nor a tambon on the national list; check the spelling"
                    ));
                }
                [amphoe] => ((*amphoe).to_owned(), tambon.to_owned()),
                many => {
                    let shown: Vec<&str> = many.iter().take(5).copied().collect();
                    return Err(format!(
                        "tambon {tambon} is in {} amphoes ({}…): write AMPHOE/{tambon}",
                        many.len(),
                        shown.join(", ")
                    ));
                }
            }
        };
        if !out.contains(&place) {
            out.push(place);
        }
    }
    if out.is_empty() {
        return Err("name at least one amphoe or tambon the site serves, ';'-separated".into());
    }
    Ok(out)
}

/// Minutes after midnight of `HH:MM`.
fn minutes(t: &str) -> Option<u32> {
    let (h, m) = t.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && t.trim().len() == 5).then_some(h * 60 + m)
}

/// `slots` (`09:00-12:00;13:00-16:00`) with `per_day` split among them, the earlier slots taking
/// what does not divide evenly: `(slot, capacity)`; one `("", per_day)` for an empty cell.
pub fn slots(cell: &str, per_day: i64) -> Result<Vec<(String, i64)>, String> {
    let named: Vec<&str> = cell
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if named.is_empty() {
        return Ok(vec![(String::new(), per_day)]);
    }
    if named.len() > MAX_SLOTS {
        return Err(format!("at most {MAX_SLOTS} slots a day"));
    }
    let mut ranges = Vec::new();
    for s in &named {
        let range = s
            .split_once('-')
            .and_then(|(a, b)| Some((minutes(a)?, minutes(b)?)));
        match range {
            Some((a, b)) if a < b => ranges.push((a, b, (*s).to_owned())),
            _ => {
                return Err(format!(
                    "\"{s}\": a slot is HH:MM-HH:MM, the start before the end, e.g. 09:00-12:00"
                ));
            }
        }
    }
    ranges.sort_unstable();
    if ranges.windows(2).any(|w| w[1].0 < w[0].1) {
        return Err("two slots overlap".into());
    }
    let n = i64::try_from(ranges.len()).unwrap_or(1);
    if per_day < n {
        return Err(format!("per_day {per_day} cannot be split into {n} slots"));
    }
    Ok(ranges
        .into_iter()
        .zip(0..)
        .map(|((_, _, s), i)| {
            let extra = i64::from(i < per_day % n);
            (s.replace(' ', ""), per_day / n + extra)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_splits_into_slots_the_earlier_taking_the_rest() {
        assert_eq!(slots("", 7).unwrap(), vec![(String::new(), 7)]);
        assert_eq!(
            slots("13:00-16:00; 09:00-12:00", 7).unwrap(),
            vec![("09:00-12:00".into(), 4), ("13:00-16:00".into(), 3)]
        );
        assert!(slots("09:00-12:00;11:00-13:00", 7).is_err());
        assert!(slots("9-12", 7).is_err());
        assert!(slots("09:00-12:00;13:00-16:00", 1).is_err());
    }
}
