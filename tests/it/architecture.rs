//! The map in `docs/ARCHITECTURE.md` stays true: every `crate::` path and external crate named in
//! `src/` (comments left out) is checked against the arrows that must never exist.

use std::path::{Path, PathBuf};

mod rules;

use rules::{QUEUE_HANDLE, RULES};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (line comments and doc comments).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| l.split_once("//").map_or(l, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `code` imports or names the queue handle: `queue::Queue`, or `Queue` in a
/// `queue::{…}` list.
fn names_queue_handle(code: &str) -> bool {
    let word = |s: &str| {
        s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|w| w == "Queue")
    };
    code.match_indices("queue::").any(|(at, m)| {
        let rest = &code[at + m.len()..];
        match rest.strip_prefix('{') {
            Some(list) => word(&list[..list.find('}').unwrap_or(list.len())]),
            None => rest
                .strip_prefix("Queue")
                .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')),
        }
    })
}

/// Whether `code` names `what` (a `crate::x` module, not `crate::xy`).
fn names(code: &str, what: &str) -> bool {
    if what == QUEUE_HANDLE {
        return names_queue_handle(code);
    }
    code.match_indices(what).any(|(at, _)| {
        let next = code[at + what.len()..].chars().next();
        !(what.starts_with("crate::") && next.is_some_and(|c| c.is_alphanumeric() || c == '_'))
    })
}

/// Every arrow in `src/` that a rule forbids: (file, named, why).
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = code(&std::fs::read_to_string(&file).unwrap());
        for rule in RULES.iter().filter(|r| rel.starts_with(r.from)) {
            for what in rule.to {
                if names(&text, what) {
                    found.push(format!("src/{rel} names {what}: {}", rule.why));
                }
            }
        }
    }
    found
}

#[test]
fn no_forbidden_arrow_exists_in_src() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "docs/ARCHITECTURE.md is no longer true:\n{}",
        found.join("\n")
    );
}

/// Typed errors in the library, `anyhow` only in `main.rs`, where the binary prints them.
#[test]
fn anyhow_is_named_only_where_the_binary_prints_errors() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let found: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("main.rs"))
        .filter(|f| code(&std::fs::read_to_string(f).unwrap()).contains("anyhow"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(found.is_empty(), "anyhow beyond main.rs: {found:?}");
}

#[test]
fn the_check_sees_a_forbidden_arrow_and_ignores_comments() {
    let tmp = tempfile::tempdir().unwrap();
    let thai = tmp.path().join("thai");
    std::fs::create_dir_all(&thai).unwrap();
    std::fs::write(thai.join("a.rs"), "use crate::form::Campaign;\n").unwrap();
    std::fs::write(
        thai.join("b.rs"),
        "//! See [`crate::form`].\nuse crate::thai::x;\n",
    )
    .unwrap();
    std::fs::write(thai.join("c.rs"), "use crate::formatting;\n").unwrap();
    let hub = tmp.path().join("hub");
    std::fs::create_dir_all(&hub).unwrap();
    std::fs::write(
        hub.join("d.rs"),
        "fn f() { let _ = reqwest::Client::new(); }\n",
    )
    .unwrap();
    let found = violations(tmp.path());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains("src/thai/a.rs names crate::form") || found[1].contains("src/thai/a.rs")
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("src/hub/d.rs names reqwest::"))
    );
}

#[test]
fn the_map_names_every_top_level_module() {
    let map =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ARCHITECTURE.md"))
            .unwrap();
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for module in lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';'))
    {
        let file = format!("`{module}.rs`");
        let dir = format!("`{module}/`");
        assert!(
            map.contains(&file) || map.contains(&dir),
            "docs/ARCHITECTURE.md lacks {module}"
        );
    }
}
