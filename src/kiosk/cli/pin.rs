//! `ruamjai pin set | change | reset`: the counter's PIN, which opens the shift (the on-screen
//! copies of the registrations). The PINs are read from standard input, one a line, so they are
//! never on the command line (where `ps` shows them).
//!
//! - `set`: the first PIN (at install): a new shift key, wrapped under it.
//! - `change`: the old PIN, then the new one: the same shift key, wrapped under the new PIN.
//! - `reset`: a forgotten PIN: a new shift key under the new PIN. The on-screen copies sealed to
//!   the old key can no longer be read and are dropped; no registration is lost (each one's hub
//!   copy is kept and sent).

use std::io::BufRead as _;

use crate::kiosk::config::Config;
use crate::kiosk::queue::{Queue, QueueError, now_ms};

/// Why a PIN command did nothing.
#[derive(Debug, thiserror::Error)]
pub enum PinCommandError {
    #[error("give the PIN{plural} on standard input, one a line")]
    Missing { plural: &'static str },
    #[error("cannot read standard input: {0}")]
    Stdin(std::io::Error),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

/// `ruamjai pin …`
#[derive(Debug, Clone, Copy, clap::Subcommand)]
pub enum PinCommand {
    /// Set the counter's first PIN (read from standard input).
    Set,
    /// Change the PIN: the old one, then the new one, each on its own line.
    Change,
    /// A forgotten PIN: a new one (read from standard input). The on-screen copies of the
    /// records saved so far are lost; every registration still goes to the hub.
    Reset,
}

fn read_pins(n: usize) -> Result<Vec<String>, PinCommandError> {
    let mut pins = Vec::with_capacity(n);
    for line in std::io::stdin().lock().lines().take(n) {
        pins.push(
            line.map_err(PinCommandError::Stdin)?
                .trim_end_matches(['\r', '\n'])
                .to_owned(),
        );
    }
    if pins.len() < n {
        return Err(PinCommandError::Missing {
            plural: if n > 1 { "s" } else { "" },
        });
    }
    Ok(pins)
}

/// Runs `ruamjai pin COMMAND`; returns the exit code.
pub fn run(config: &Config, command: PinCommand) -> Result<i32, PinCommandError> {
    let mut queue = Queue::open(&config.queue_path(), &config.kiosk_id)?;
    queue.set_pin_cost(config.pin_try);
    match command {
        PinCommand::Set => {
            let pin = read_pins(1)?.remove(0);
            queue.set_pin(&pin)?;
            eprintln!("ruamjai: PIN set; a shift opens with it");
        }
        PinCommand::Change => {
            let pins = read_pins(2)?;
            queue.change_pin(&pins[0], &pins[1], now_ms())?;
            eprintln!("ruamjai: PIN changed");
        }
        PinCommand::Reset => {
            let pin = read_pins(1)?.remove(0);
            let dropped = queue.reset_pin(&pin)?;
            eprintln!(
                "ruamjai: new PIN set; {dropped} on-screen copies sealed to the old PIN were dropped (their registrations still go to the hub)"
            );
        }
    }
    // A queue from before sealing is sealed as soon as there is a key.
    let report = queue.seal_waiting()?;
    if report.sealed_in_place > 0 {
        eprintln!(
            "ruamjai: {} records sealed in place",
            report.sealed_in_place
        );
    }
    Ok(0)
}
