//! The one integration test binary: the real `ruamjai` binary, real SQLite files in temp
//! directories, the real hub on 127.0.0.1:0. Each area is a module.

mod support;

mod architecture;
mod backup;
mod browser;
mod builds;
mod card;
mod card_app;
mod card_emu;
#[cfg(card_reader)]
mod card_stack;
mod cli_queue;
mod district;
mod failover;
mod faults;
mod fuzz;
mod hub;
mod import_encoding;
mod kill_loop;
mod kiosk_backup;
mod kiosk_export;
mod nginx;
mod outcomes;
mod packaging;
mod pg;
mod pin_cost;
mod print;
mod print_screen;
mod print_support;
mod proxy;
mod sealed;
mod sync;
mod tls;
mod tui_address;
mod tui_app;
mod tui_backend;
mod tui_clerk;
mod tui_clerk_queue;
mod tui_clerks_day;
mod tui_doses;
mod tui_first_start;
mod tui_fit;
mod tui_hub;
mod tui_loop;
mod tui_names;
mod tui_pty;
mod tui_screens;
mod tui_shift;
mod tui_support;
mod tui_thai_layout;
mod tui_tmux;
mod tui_truth;
mod tui_words;
