//! `ruamjai hub campaign check FILE`: validates a campaign file and prints its form as a kiosk
//! will draw it, in Thai then English at 80 columns, so whoever writes a campaign sees it before
//! any kiosk does. Exit 0 for a good file; 2 with the line and the reason for a bad one.

use std::path::PathBuf;

use clap::Subcommand;

use crate::core::form::Campaign;
use crate::core::form::preview::form_text;
use crate::core::thai::Lang;

/// The width the form is drawn at: a kiosk's smallest terminal.
const WIDTH: usize = 80;

/// `ruamjai hub campaign …`
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Check a campaign file and print its form as a kiosk draws it (exit 2 when it is bad).
    Check {
        /// The campaign file (TOML).
        file: PathBuf,
    },
}

/// Runs a `hub campaign` command; returns the exit code.
#[must_use]
pub fn run(command: &CampaignCommand) -> i32 {
    let CampaignCommand::Check { file } = command;
    let name = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("ruamjai: campaign file {name} cannot be read: {e}");
            return 2;
        }
    };
    match Campaign::from_toml(&name, &text) {
        Ok(c) => {
            print!("{}", form_text(&c, Lang::Th, WIDTH));
            println!();
            print!("{}", form_text(&c, Lang::En, WIDTH));
            let questions = c.questions().count();
            eprintln!(
                "ruamjai: {name} is good: campaign {}, form version {}, {} fields ({questions} its own questions)",
                c.id,
                c.version,
                c.fields.len()
            );
            0
        }
        Err(e) => {
            eprintln!("ruamjai: {e}");
            2
        }
    }
}
