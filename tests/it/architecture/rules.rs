//! The arrows that must never exist, as docs/ARCHITECTURE.md lists them: for each part of
//! `src/`, what it must not name.

/// One forbidden arrow: files under `from` (a path prefix inside `src/`) must not name `to`,
/// nor anything inside it. A target is a full path: `crate::core::form` (our own module, not
/// `crate::formatting`), `crate::kiosk::queue::Queue` (the queue's handle; its data types, `State`,
/// `Record`, are fine), `rusqlite::` (an external crate), `std::fs`.
pub struct Rule {
    pub from: &'static str,
    pub to: &'static [&'static str],
    pub why: &'static str,
}

/// The queue's handle type (its data types are fine).
pub const QUEUE_HANDLE: &str = "crate::kiosk::queue::Queue";

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
    "crate::kiosk::sync::SyncHandle",
    "crate::kiosk::sync::spawn",
    "crate::kiosk::sync::engine",
    "crate::kiosk::sync::flush",
    "rusqlite::",
    "reqwest::",
    "tokio::",
    "std::fs",
    "std::net",
    "pcsc::",
    "crate::kiosk::card::watch",
    "crate::kiosk::card::read_once",
];

/// What prints: the screen's state machine and drawing name only the slip's data types.
const PRINTING: [&str; 6] = [
    "crate::kiosk::print::print",
    "crate::kiosk::print::job",
    "crate::kiosk::print::png",
    "crate::kiosk::print::transport",
    "crate::kiosk::print::escpos",
    "crate::kiosk::print::layout",
];

/// The crates only the hub builds with: the kiosk's build (`--no-default-features`) leaves them out.
const HUB_CRATES: [&str; 7] = [
    "axum::",
    "hyper::",
    "hyper_util::",
    "askama::",
    "postgres::",
    "prometheus_client::",
    "rust_xlsxwriter::",
];

/// Decoding JSON: the queue's business for what it stores.
const DECODING: [&str; 3] = [
    "serde_json::from_str",
    "serde_json::from_slice",
    "serde_json::from_value",
];

pub const RULES: &[Rule] = &[
    // The house in three parts: kiosk and hub both use core, never each other.
    Rule {
        from: "core/",
        to: &["crate::kiosk", "crate::hub", "crate::demo"],
        why: "the core is what both sides share: it knows neither",
    },
    Rule {
        from: "core/",
        to: &HUB_CRATES,
        why: "the core builds into the kiosk, which has none of the server's crates",
    },
    Rule {
        from: "kiosk/",
        to: &["crate::hub", "crate::demo"],
        why: "the kiosk part never uses the hub part: it builds without it",
    },
    Rule {
        from: "kiosk/",
        to: &HUB_CRATES,
        why: "the kiosk builds without the server's crates (feature `hub`)",
    },
    Rule {
        from: "hub/",
        to: &["crate::kiosk", "crate::demo"],
        why: "the hub part never uses the kiosk part",
    },
    Rule {
        from: "core/seal/",
        to: &[
            "crate::core::form",
            "crate::core::protocol",
            "crate::kiosk::queue",
            "crate::core::sqlite",
            "crate::kiosk::sync",
            "crate::hub",
            "crate::kiosk::tui",
            "crate::kiosk::cli",
            "crate::kiosk::config",
            "crate::kiosk::card",
            "crate::core::private",
            "crate::core::logging",
            "crate::core::thai",
            "crate::core::toml_error",
            "std::fs",
            "std::net",
            "std::env",
            "tracing::",
        ],
        why: "the sealing code is crypto only: it knows no storage, no screen, no keys' home, and logs nothing",
    },
    Rule {
        from: "core/seal/",
        to: &NO_IO,
        why: "the sealing code does no I/O",
    },
    Rule {
        from: "kiosk/card/",
        to: &[
            "crate::kiosk::tui",
            "crate::kiosk::queue",
            "crate::core::sqlite",
            "crate::kiosk::sync",
            "crate::hub",
            "crate::kiosk::cli",
            "crate::kiosk::config",
            "rusqlite::",
            "reqwest::",
            "axum::",
            "ratatui::",
            "crossterm::",
        ],
        why: "the card reader knows the form and the text core, no screen, storage or network",
    },
    Rule {
        from: "kiosk/card/apdu.rs",
        to: &["pcsc::", "tokio::", "std::fs", "std::net", "tracing::"],
        why: "the applet's commands run over any Transmit and log nothing",
    },
    Rule {
        from: "kiosk/card/decode.rs",
        to: &["pcsc::", "tokio::", "std::fs", "std::net", "tracing::"],
        why: "decoding a card is pure and logs nothing",
    },
    Rule {
        from: "kiosk/card/fill.rs",
        to: &["pcsc::", "tokio::", "std::fs", "std::net", "tracing::"],
        why: "what a card fills is pure and logs nothing",
    },
    Rule {
        from: "hub/",
        to: &["crate::kiosk::card", "pcsc::"],
        why: "the hub reads no cards",
    },
    Rule {
        from: "kiosk/tui/",
        to: &DECODING,
        why: "the queue hands out typed records (Record's registration and outcome)",
    },
    Rule {
        from: "kiosk/sync/engine.rs",
        to: &DECODING,
        why: "the queue hands out typed records (Leased's shipment)",
    },
    Rule {
        from: "kiosk/cli/export.rs",
        to: &DECODING,
        why: "the queue hands out typed records (Record's registration)",
    },
    Rule {
        from: "core/thai/",
        to: &[
            "crate::core::form",
            "crate::kiosk::queue",
            "crate::kiosk::sync",
            "crate::hub",
            "crate::kiosk::tui",
            "crate::kiosk::cli",
            "crate::kiosk::config",
            "crate::core::protocol",
            "crate::core::sqlite",
            "crate::core::private",
            "crate::core::logging",
            "crate::kiosk::card",
            "crate::core::seal",
            "crate::core::toml_error",
        ],
        why: "the text core knows no forms",
    },
    Rule {
        from: "core/thai/",
        to: &NO_IO,
        why: "the text core does no I/O",
    },
    Rule {
        from: "core/form/",
        to: &[
            "crate::kiosk::queue",
            "crate::core::sqlite",
            "crate::kiosk::sync",
            "crate::hub",
            "crate::kiosk::tui",
            "crate::kiosk::cli",
            "crate::kiosk::config",
            "crate::kiosk::card",
        ],
        why: "validation knows no storage",
    },
    Rule {
        from: "core/form/",
        to: &NO_IO,
        why: "validation does no I/O",
    },
    Rule {
        from: "core/protocol/",
        to: &[
            "crate::kiosk::queue",
            "crate::core::sqlite",
            "crate::kiosk::sync",
            "crate::hub",
            "crate::kiosk::tui",
            "crate::kiosk::cli",
            "crate::kiosk::config",
            "crate::kiosk::card",
        ],
        why: "wire types know no storage",
    },
    Rule {
        from: "core/protocol/",
        to: &NO_IO,
        why: "wire types do no I/O",
    },
    Rule {
        from: "kiosk/queue/",
        to: &[
            "crate::kiosk::tui",
            "crate::kiosk::sync",
            "crate::hub",
            "crate::kiosk::cli",
            "ratatui::",
            "crossterm::",
            "reqwest::",
            "axum::",
            "hyper::",
        ],
        why: "storage knows no screens",
    },
    Rule {
        from: "core/sqlite.rs",
        to: &[
            "crate::kiosk::tui",
            "crate::kiosk::sync",
            "crate::hub",
            "crate::kiosk::cli",
            "crate::kiosk::queue",
            "crate::core::form",
        ],
        why: "the SQLite opener serves both sides and knows neither",
    },
    Rule {
        from: "core/sqlite.rs",
        to: &["ratatui::", "crossterm::", "reqwest::", "axum::", "hyper::"],
        why: "storage knows no screens and no network",
    },
    Rule {
        from: "hub/",
        to: &["ratatui::", "crossterm::", "reqwest::"],
        why: "the server knows no terminal and is not a client",
    },
    Rule {
        from: "kiosk/tui/app",
        to: &SCREEN_FORBIDDEN,
        why: "the state machine reaches storage and the network only through effects",
    },
    Rule {
        from: "kiosk/tui/ui",
        to: &SCREEN_FORBIDDEN,
        why: "drawing reaches storage and the network only through effects",
    },
    Rule {
        from: "kiosk/tui/",
        to: &[
            "crate::kiosk::cli",
            "crate::hub",
            "crate::core::sqlite",
            "crate::kiosk::config",
            "rusqlite::",
            "reqwest::",
            "crate::kiosk::queue::Queue::open",
            "crate::kiosk::sync::spawn",
            "crate::kiosk::sync::handle_for",
            "crate::kiosk::card::watch",
            "pcsc::",
        ],
        why: "the kiosk command assembles the screen (cli/kiosk.rs), never the other way round",
    },
    Rule {
        from: "kiosk/tui/words",
        to: &[
            "crate::kiosk::tui::app",
            "crate::kiosk::tui::ui",
            "crate::kiosk::card",
            "crate::kiosk::sync",
            "ratatui::",
            "crossterm::",
            "tokio::",
            "std::fs",
            "std::net",
        ],
        why: "the screen's words are words: no state, no drawing, no I/O",
    },
    Rule {
        from: "kiosk/print/",
        to: &[
            "crate::kiosk::tui",
            "crate::kiosk::sync",
            "crate::kiosk::cli",
            "crate::kiosk::config",
            "crate::kiosk::card",
            "crate::hub",
            "crate::core::sqlite",
            QUEUE_HANDLE,
            "rusqlite::",
            "reqwest::",
            "ratatui::",
            "crossterm::",
            "tokio::",
        ],
        why: "the printer knows the slip's facts as data: no screen, storage, sender or configuration",
    },
    Rule {
        from: "kiosk/tui/app",
        to: &PRINTING,
        why: "the screen prints only through Effect::Print, run by the event loop",
    },
    Rule {
        from: "kiosk/tui/ui",
        to: &PRINTING,
        why: "drawing prints nothing",
    },
    Rule {
        from: "kiosk/sync/",
        to: &[
            "crate::kiosk::tui",
            "crate::hub",
            "crate::kiosk::cli",
            "ratatui::",
            "crossterm::",
            "axum::",
        ],
        why: "the sender knows no screen and no server",
    },
];
