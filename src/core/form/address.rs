//! The national tambon list (`assets/thai-address.tsv`, embedded) and the address type-ahead: a
//! clerk types part of a tambon and picks a row, which fills amphoe, province and postcode.
//! The campaign's home province is ranked first.

use std::sync::OnceLock;

const TSV: &str = include_str!("../../../assets/thai-address.tsv");

/// One tambon of Thailand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub province: &'static str,
    pub amphoe: &'static str,
    pub tambon: &'static str,
    pub postcode: &'static str,
}

/// All tambons, in file order, with a by-name order for exact lookups.
pub struct Index {
    entries: Vec<Entry>,
    /// Positions in `entries`, sorted by tambon name: every submission's address is checked here
    /// (once per item on the hub), so it is a binary search, not a scan of 7,400 rows.
    by_tambon: Vec<u32>,
}

/// The index, built on first use (about 7,400 rows).
pub fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let entries: Vec<Entry> = TSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut it = line.split('\t');
                Some(Entry {
                    province: it.next()?,
                    amphoe: it.next()?,
                    tambon: it.next()?,
                    postcode: it.next()?.trim(),
                })
            })
            .collect();
        let mut by_tambon: Vec<u32> = (0..entries.len() as u32).collect();
        by_tambon.sort_by_key(|&i| entries[i as usize].tambon);
        Index { entries, by_tambon }
    })
}

impl Index {
    /// How many tambons the list holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True for an empty list (never, for the embedded one).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True when an amphoe of this name is on the list (in any province).
    #[must_use]
    pub fn has_amphoe(&self, amphoe: &str) -> bool {
        self.entries.iter().any(|e| e.amphoe == amphoe)
    }

    /// True when this tambon of this amphoe of this province exists. Empty amphoe or province
    /// match any.
    #[must_use]
    pub fn contains(&self, province: &str, amphoe: &str, tambon: &str) -> bool {
        let start = self
            .by_tambon
            .partition_point(|&i| self.entries[i as usize].tambon < tambon);
        self.by_tambon[start..]
            .iter()
            .map(|&i| &self.entries[i as usize])
            .take_while(|e| e.tambon == tambon)
            .any(|e| {
                (amphoe.is_empty() || e.amphoe == amphoe)
                    && (province.is_empty() || e.province == province)
            })
    }

    /// Every row of the tambon called exactly `tambon`, in the list's order.
    #[must_use]
    pub fn named(&self, tambon: &str) -> Vec<Entry> {
        let start = self
            .by_tambon
            .partition_point(|&i| self.entries[i as usize].tambon < tambon);
        let mut rows: Vec<u32> = self.by_tambon[start..]
            .iter()
            .copied()
            .take_while(|&i| self.entries[i as usize].tambon == tambon)
            .collect();
        rows.sort_unstable();
        rows.into_iter().map(|i| self.entries[i as usize]).collect()
    }

    /// The row of this tambon of this amphoe of this province (all three exact), for its postcode.
    #[must_use]
    pub fn find(&self, province: &str, amphoe: &str, tambon: &str) -> Option<Entry> {
        let start = self
            .by_tambon
            .partition_point(|&i| self.entries[i as usize].tambon < tambon);
        self.by_tambon[start..]
            .iter()
            .map(|&i| self.entries[i as usize])
            .take_while(|e| e.tambon == tambon)
            .find(|e| e.amphoe == amphoe && e.province == province)
    }

    /// Tambons matching `query` (start of the name first, then anywhere in it), the home province
    /// ranked first, at most `limit`.
    #[must_use]
    pub fn search(&self, query: &str, home_province: Option<&str>, limit: usize) -> Vec<Entry> {
        let q = query.trim();
        if q.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, usize, Entry)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let rank = if e.tambon.starts_with(q) {
                    0
                } else if e.tambon.contains(q) {
                    2
                } else {
                    return None;
                };
                let away = u8::from(home_province != Some(e.province));
                Some((rank + away, i, *e))
            })
            .collect();
        hits.sort_by_key(|h| (h.0, h.1));
        hits.into_iter().take(limit).map(|h| h.2).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_complete() {
        assert_eq!(index().len(), 7434);
        let sk = index()
            .entries
            .iter()
            .filter(|e| e.province == "สมุทรสาคร")
            .count();
        assert_eq!(sk, 40);
        assert!(index().contains("สมุทรสาคร", "กระทุ่มแบน", "คลองมะเดื่อ"));
        assert!(!index().contains("กระบี่", "กระทุ่มแบน", "คลองมะเดื่อ"));
        let e = index().find("สมุทรสาคร", "กระทุ่มแบน", "คลองมะเดื่อ");
        assert_eq!(e.map(|e| e.postcode), Some("74110"));
        assert_eq!(index().find("สมุทรสาคร", "", "คลองมะเดื่อ"), None);
    }

    #[test]
    fn the_lookup_agrees_with_a_scan_of_every_row() {
        let ix = index();
        let scan = |province: &str, amphoe: &str, tambon: &str| {
            ix.entries.iter().any(|x| {
                x.tambon == tambon
                    && (amphoe.is_empty() || x.amphoe == amphoe)
                    && (province.is_empty() || x.province == province)
            })
        };
        let n = ix.entries.len();
        for (k, e) in ix.entries.iter().enumerate() {
            assert!(ix.contains(e.province, e.amphoe, e.tambon), "{e:?}");
            assert!(ix.contains("", "", e.tambon), "{e:?}");
            // The amphoe and province of the next row: sometimes the same, mostly not.
            let other = ix.entries[(k + 1) % n];
            assert_eq!(
                ix.contains(e.province, other.amphoe, e.tambon),
                scan(e.province, other.amphoe, e.tambon),
                "{e:?} in {}",
                other.amphoe
            );
            assert_eq!(
                ix.contains(other.province, "", e.tambon),
                scan(other.province, "", e.tambon),
                "{e:?} in {}",
                other.province
            );
        }
        assert!(!ix.contains("", "", "ไม่มีตำบลนี้"));
        assert!(!ix.contains("", "", ""));
    }

    #[test]
    fn the_home_province_comes_first() {
        let hits = index().search("ท่า", Some("สมุทรสาคร"), 50);
        assert!(!hits.is_empty());
        let first_away = hits
            .iter()
            .position(|e| e.province != "สมุทรสาคร")
            .unwrap_or(hits.len());
        assert!(
            first_away > 0,
            "a Samut Sakhon tambon starting with ท่า should lead"
        );
        assert!(
            hits[first_away..]
                .iter()
                .all(|e| e.province != "สมุทรสาคร" || !e.tambon.starts_with("ท่า"))
        );
        assert!(hits.iter().all(|e| e.tambon.contains("ท่า")));
        assert!(index().search("  ", None, 5).is_empty());
        assert_eq!(index().search("คลองมะเดื่อ", None, 5)[0].postcode, "74110");
    }
}
