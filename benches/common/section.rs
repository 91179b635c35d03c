//! A benchmark's Markdown section put into BENCHMARKS.md (for `--write`): between its own
//! `begin` and `end` marks, replacing what a run before wrote there, or appended at the end.
//! `benches/run` keeps every marked section when it rebuilds the file.

/// Writes `section` (which starts with `begin` and ends with `end` and a newline).
pub fn write(begin: &str, end: &str, section: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/BENCHMARKS.md");
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let new = match (old.find(begin), old.find(end)) {
        (Some(a), Some(b)) => format!("{}{section}{}", &old[..a], &old[b + end.len() + 1..]),
        _ => format!("{}\n\n{section}", old.trim_end()),
    };
    std::fs::write(path, new).expect("write BENCHMARKS.md");
}
