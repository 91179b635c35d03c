//! The arrows that must never exist, as docs/ARCHITECTURE.md lists them: for each part of
//! `src/`, what it must not name.

/// One forbidden arrow: files under `from` (a path prefix inside `src/`) must not name `to`,
/// nor anything inside it. A target is a full path: `crate::form` (our own module, not
/// `crate::formatting`), `crate::queue::Queue` (the queue's handle; its data types, `State`,
/// `Record`, are fine), `rusqlite::` (an external crate), `std::fs`.
pub struct Rule {
    pub from: &'static str,
    pub to: &'static [&'static str],
    pub why: &'static str,
}

/// The queue's handle type (its data types are fine).
pub const QUEUE_HANDLE: &str = "crate::queue::Queue";

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
    "crate::sync::SyncHandle",
    "crate::sync::spawn",
    "crate::sync::engine",
    "crate::sync::flush",
    "rusqlite::",
    "reqwest::",
    "tokio::",
    "std::fs",
    "std::net",
    "pcsc::",
    "crate::card::watch",
    "crate::card::read_once",
];

/// Decoding JSON: the queue's business for what it stores.
const DECODING: [&str; 3] = [
    "serde_json::from_str",
    "serde_json::from_slice",
    "serde_json::from_value",
];

pub const RULES: &[Rule] = &[
    Rule {
        from: "seal/",
        to: &[
            "crate::form",
            "crate::protocol",
            "crate::queue",
            "crate::sqlite",
            "crate::sync",
            "crate::hub",
            "crate::tui",
            "crate::cli",
            "crate::config",
            "crate::card",
            "crate::private",
            "crate::logging",
            "crate::thai",
            "crate::toml_error",
            "std::fs",
            "std::net",
            "std::env",
            "tracing::",
        ],
        why: "the sealing code is crypto only: it knows no storage, no screen, no keys' home, and logs nothing",
    },
    Rule {
        from: "seal/",
        to: &NO_IO,
        why: "the sealing code does no I/O",
    },
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
        to: &DECODING,
        why: "the queue hands out typed records (Record's registration and outcome)",
    },
    Rule {
        from: "sync/engine.rs",
        to: &DECODING,
        why: "the queue hands out typed records (Leased's shipment)",
    },
    Rule {
        from: "cli/export.rs",
        to: &DECODING,
        why: "the queue hands out typed records (Record's registration)",
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
            "crate::seal",
            "crate::toml_error",
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
            "crate::config",
            "crate::card",
        ],
        why: "wire types know no storage",
    },
    Rule {
        from: "protocol.rs",
        to: &NO_IO,
        why: "wire types do no I/O",
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
        from: "sqlite.rs",
        to: &["ratatui::", "crossterm::", "reqwest::", "axum::", "hyper::"],
        why: "storage knows no screens and no network",
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
            "crate::queue::Queue::open",
            "crate::sync::spawn",
            "crate::sync::handle_for",
            "crate::card::watch",
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
