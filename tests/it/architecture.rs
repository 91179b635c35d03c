//! The map in `docs/ARCHITECTURE.md` stays true: every `crate::` path and external crate named in
//! `src/` (comments left out) is checked against the arrows that must never exist.

use std::path::{Path, PathBuf};

/// One forbidden arrow: files under `from` (a path prefix inside `src/`) must not name `to`.
struct Rule {
    from: &'static str,
    to: &'static [&'static str],
    why: &'static str,
}

/// Storage, network and terminal crates: what the shared core never names.
const NO_IO: [&str; 7] = [
    "rusqlite::",
    "reqwest::",
    "axum::",
    "hyper::",
    "ratatui::",
    "crossterm::",
    "tokio::",
];

/// What the screen's state machine and drawing must not name.
const SCREEN_FORBIDDEN: [&str; 13] = [
    QUEUE_HANDLE,
    "SyncHandle",
    "sync::spawn",
    "sync::engine",
    "sync::flush",
    "rusqlite::",
    "reqwest::",
    "tokio::",
    "std::fs",
    "std::net",
    "pcsc::",
    "card::watch",
    "card::read_once",
];

const RULES: &[Rule] = &[
    Rule {
        from: "card/",
        to: &[
            "crate::tui",
            "crate::queue",
            "crate::sqlite",
            "crate::sync",
            "crate::hub",
            "crate::cli",
            "crate::config",
            "rusqlite::",
            "reqwest::",
            "axum::",
            "ratatui::",
            "crossterm::",
        ],
        why: "the card reader knows the form and the text core, no screen, storage or network",
    },
    Rule {
        from: "card/apdu.rs",
        to: &["pcsc::", "tokio::", "std::fs", "std::net", "tracing::"],
        why: "the applet's commands run over any Transmit and log nothing",
    },
    Rule {
        from: "card/decode.rs",
        to: &["pcsc::", "tokio::", "std::fs", "std::net", "tracing::"],
        why: "decoding a card is pure and logs nothing",
    },
    Rule {
        from: "card/fill.rs",
        to: &["pcsc::", "tokio::", "std::fs", "std::net", "tracing::"],
        why: "what a card fills is pure and logs nothing",
    },
    Rule {
        from: "hub/",
        to: &["crate::card", "pcsc::"],
        why: "the hub reads no cards",
    },
    Rule {
        from: "tui/",
        to: &["serde_json::from_str"],
        why: "the queue hands out typed records (Record::registration, Record::outcome)",
    },
    Rule {
        from: "sync/engine.rs",
        to: &["serde_json::from_str"],
        why: "the queue hands out typed records (Leased::registration)",
    },
    Rule {
        from: "cli/export.rs",
        to: &["serde_json::from_str"],
        why: "the queue hands out typed records (Record::registration)",
    },
    Rule {
        from: "thai/",
        to: &[
            "crate::form",
            "crate::queue",
            "crate::sync",
            "crate::hub",
            "crate::tui",
            "crate::cli",
            "crate::config",
            "crate::protocol",
            "crate::sqlite",
            "crate::private",
            "crate::logging",
            "crate::card",
        ],
        why: "the text core knows no forms",
    },
    Rule {
        from: "thai/",
        to: &NO_IO,
        why: "the text core does no I/O",
    },
    Rule {
        from: "form/",
        to: &[
            "crate::queue",
            "crate::sqlite",
            "crate::sync",
            "crate::hub",
            "crate::tui",
            "crate::cli",
            "crate::config",
            "crate::card",
        ],
        why: "validation knows no storage",
    },
    Rule {
        from: "form/",
        to: &NO_IO,
        why: "validation does no I/O",
    },
    Rule {
        from: "protocol.rs",
        to: &[
            "crate::queue",
            "crate::sqlite",
            "crate::sync",
            "crate::hub",
            "crate::tui",
            "crate::cli",
        ],
        why: "wire types know no storage",
    },
    Rule {
        from: "queue/",
        to: &[
            "crate::tui",
            "crate::sync",
            "crate::hub",
            "crate::cli",
            "ratatui::",
            "crossterm::",
            "reqwest::",
            "axum::",
            "hyper::",
        ],
        why: "storage knows no screens",
    },
    Rule {
        from: "sqlite.rs",
        to: &[
            "crate::tui",
            "crate::sync",
            "crate::hub",
            "crate::cli",
            "crate::queue",
            "crate::form",
        ],
        why: "the SQLite opener serves both sides and knows neither",
    },
    Rule {
        from: "hub/",
        to: &[
            "crate::tui",
            "crate::sync",
            "crate::queue",
            "crate::cli",
            "crate::config",
            "ratatui::",
            "crossterm::",
            "reqwest::",
        ],
        why: "the server knows no terminal and is not a client",
    },
    Rule {
        from: "tui/app",
        to: &SCREEN_FORBIDDEN,
        why: "the state machine reaches storage and the network only through effects",
    },
    Rule {
        from: "tui/ui",
        to: &SCREEN_FORBIDDEN,
        why: "drawing reaches storage and the network only through effects",
    },
    Rule {
        from: "tui/",
        to: &[
            "crate::cli",
            "crate::hub",
            "crate::sqlite",
            "crate::config",
            "rusqlite::",
            "reqwest::",
            "Queue::open",
            "sync::spawn",
            "handle_for",
            "card::watch",
            "pcsc::",
        ],
        why: "the kiosk command assembles the screen (cli/kiosk.rs), never the other way round",
    },
    Rule {
        from: "tui/words",
        to: &[
            "crate::tui::app",
            "crate::tui::ui",
            "crate::card",
            "crate::sync",
            "ratatui::",
            "crossterm::",
            "tokio::",
            "std::fs",
            "std::net",
        ],
        why: "the screen's words are words: no state, no drawing, no I/O",
    },
    Rule {
        from: "sync/",
        to: &[
            "crate::tui",
            "crate::hub",
            "crate::cli",
            "ratatui::",
            "crossterm::",
            "axum::",
        ],
        why: "the sender knows no screen and no server",
    },
];

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

/// Stands for the queue's handle type `queue::Queue` (its data types, `State`, `Record`, are fine).
const QUEUE_HANDLE: &str = "queue::Queue";

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

/// Typed errors in the library, `anyhow` only in `main.rs`, where the binary prints them. The
/// hub's commands (`hub/`) are left out until they are moved over.
#[test]
fn anyhow_is_named_only_where_the_binary_prints_errors() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let found: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("main.rs") && !f.starts_with(src.join("hub")))
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
