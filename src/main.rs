//! The `ruamjai` binary: parses the command line and dispatches. Nothing else lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand};
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::cli;
use ruamjai::kiosk::config::{self, Overrides};
use ruamjai::kiosk::queue::State;

/// ruamjai (รวมใจ): the registration counter that keeps going.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Args {
    /// Where the queue, logs and (by default) config.toml live.
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The config file to read.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Language of the screens and messages.
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// The kiosk screen (the default when no command is given).
    Kiosk,
    /// Monitoring check (Nagios convention): one line, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    Status {
        /// Print one JSON object instead of the one line.
        #[arg(long)]
        json: bool,
    },
    /// Queue the rows of a CSV file (paper lists typed into a spreadsheet).
    Import {
        file: PathBuf,
        /// Validate only; save nothing.
        #[arg(long)]
        dry_run: bool,
        /// The name recorded as the operator of the imported rows.
        #[arg(long)]
        operator: Option<String>,
        /// Exit 1 when a row has a warning too (warnings never stop a row from being saved).
        #[arg(long)]
        strict: bool,
    },
    /// Write the queue's records to CSV or JSON lines.
    Export {
        /// Only records in this state.
        #[arg(long, value_parser = parse_state)]
        state: Option<State>,
        #[arg(long, value_enum, default_value = "csv")]
        format: cli::export::Format,
        /// Write to FILE instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Copy the queue into FILE (0600) while the kiosk runs: one consistent moment (SQLite's
    /// online backup), its records sealed as they are (no PIN needed, nothing opened).
    Backup {
        /// The copy to write (replaced only once the new copy is complete).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// The counter's PIN, which opens the shift (read from standard input).
    Pin {
        #[command(subcommand)]
        command: cli::pin::PinCommand,
    },
    /// Set this kiosk up from the enrolment code `ruamjai hub enrol` printed: config.toml
    /// (0600), the hub's key, the PIN if none is set, and a test send.
    Enrol {
        /// The code (RJ1.…), as printed or scanned.
        code: String,
    },
    /// Send everything pending to the hub now (safe from cron while the kiosk runs).
    Flush {
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
    },
    /// Check-in at a vaccination site, on the site's list this kiosk holds (`flush` downloads
    /// it): with REFERENCE, one person's dose recorded from a script (the PIN from `RUAMJAI_PIN`);
    /// exit 0 recorded, 1 could not run, 2 wrong security code, 3 already vaccinated, 4 booked
    /// at another site or on another day, 5 on no list. Without it, the check-in screen.
    Checkin(CheckinArgs),
    /// A hub on a free loopback port and a kiosk pointed at it: registrations end to end.
    #[cfg(feature = "hub")]
    Demo,
    /// The counter's thermal printer: a test slip with Thai and a QR code.
    Printer {
        #[command(subcommand)]
        command: PrinterCommand,
    },
    /// A saved registration's paper slip, printed again.
    Receipt {
        #[command(subcommand)]
        command: ReceiptCommand,
    },
    /// The Thai ID card reader (PC/SC), for a technician.
    Card {
        #[command(subcommand)]
        command: CardCommand,
    },
    /// The central API and its management commands.
    #[cfg(feature = "hub")]
    Hub {
        #[command(subcommand)]
        command: Box<ruamjai::hub::cli::HubCommand>,
    },
    /// Print a shell completion script (install: see the README).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, or write one page per command into DIR.
    Man {
        /// Write ruamjai.1, ruamjai-hub.1, … into this directory (e.g. /usr/local/share/man/man1).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// `ruamjai checkin`'s arguments.
#[derive(clap::Args)]
struct CheckinArgs {
    /// The receipt's reference (its QR code), or the person's ID or passport number.
    reference: Option<String>,
    /// The security code the person gives (four digits on their slip).
    #[arg(long, value_name = "NNNN", requires = "reference")]
    code: Option<String>,
    /// Today's vaccine lot (kept as today's setting).
    #[arg(long, value_name = "LOT")]
    lot: Option<String>,
    /// Today's dose number (1 for a first dose; kept as today's setting).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=20))]
    dose: Option<u8>,
    /// The name recorded as who gave the dose.
    #[arg(long, value_name = "NAME", default_value = "checkin")]
    operator: String,
}

#[derive(Subcommand)]
enum PrinterCommand {
    /// Print a test slip (Thai with stacked marks, the QR code) on the configured printer.
    Test {
        /// Write the slip as a PNG image instead of printing it.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ReceiptCommand {
    /// Print the slip of the record REFERENCE again (its group and ID need the PIN in the
    /// environment, as for export).
    Print {
        reference: String,
        /// Write the slip as a PNG image instead of printing it (to check without paper).
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CardCommand {
    /// Wait for a card in the reader, read it once and print what the reader and card say.
    Read {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// Print the holder's details in full (masked by default).
        #[arg(long)]
        show: bool,
        /// The reader whose name contains NAME (default: the first reader).
        #[arg(long, value_name = "NAME")]
        reader: Option<String>,
        /// Give up after this many seconds without a reader or a card.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
    },
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    match s {
        "th" => Ok(Lang::Th),
        "en" => Ok(Lang::En),
        _ => Err("use th or en".into()),
    }
}

fn parse_state(s: &str) -> Result<State, String> {
    State::parse(s).ok_or_else(|| {
        let all: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
        format!("one of: {}", all.join(", "))
    })
}

/// The command line; a usage error of a monitoring check (`status`, `hub status`) is UNKNOWN
/// (3), as Nagios plugins say it, every other one clap's own exit.
fn parse_args() -> Result<Args, ExitCode> {
    Args::try_parse().map_err(|e| {
        let check = std::env::args().any(|a| a == "status");
        if check && e.use_stderr() {
            let _ = e.print();
            return ExitCode::from(3);
        }
        e.exit()
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(code) => return code,
    };
    // The hub has its own data directory and no kiosk configuration; the generated texts need neither.
    match args.command {
        #[cfg(feature = "hub")]
        Some(Command::Hub { command }) => {
            return exit_code(
                ruamjai::hub::cli::run(*command, args.data_dir).map_err(anyhow::Error::from),
            );
        }
        Some(Command::Completions { shell }) => {
            let written = cli::manual::completions(Args::command(), shell, &mut std::io::stdout());
            return exit_code(said(written.map(|()| 0)));
        }
        Some(Command::Man { dir }) => {
            let written = cli::manual::man(Args::command(), dir.as_deref(), &mut std::io::stdout());
            return exit_code(said(written.map(|pages| {
                if let Some(dir) = &dir {
                    eprintln!("ruamjai: {pages} manual pages in {}", dir.display());
                }
                0
            })));
        }
        _ => {}
    }
    #[cfg(feature = "hub")]
    let flags_lang = args.lang;
    let flags = Overrides {
        data_dir: args.data_dir,
        config: args.config,
        lang: args.lang,
    };
    let config = match kiosk_config(&flags, args.command.as_ref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let result = match args.command {
        Some(Command::Status { json }) => Ok(cli::status::run(&config, json)),
        Some(Command::Import {
            file,
            dry_run,
            operator,
            strict,
        }) => said(cli::import::run(
            &config,
            &file,
            cli::import::Mode { dry_run, strict },
            operator.as_deref(),
        )),
        Some(Command::Export {
            state,
            format,
            output,
        }) => said(cli::export::run(&config, state, format, output.as_deref())),
        Some(Command::Backup { file }) => said(cli::backup::run(&config, &file)),
        Some(Command::Pin { command }) => said(cli::pin::run(&config, command)),
        Some(Command::Enrol { code }) => said(cli::enrol::run(&config, &code)),
        Some(Command::Flush { timeout }) => said(cli::flush::start(
            &config,
            std::time::Duration::from_secs(timeout),
        )),
        // No reference: the check-in screen, assembled as the kiosk's is.
        Some(Command::Checkin(args)) if args.reference.is_none() => {
            said(cli::kiosk::start_checkin(config).map(|()| 0))
        }
        Some(Command::Checkin(args)) => Ok(checkin(&config, &args)),
        #[cfg(feature = "hub")]
        Some(Command::Demo) => said(ruamjai::demo::run(&config.data_dir, flags_lang)),
        Some(Command::Printer {
            command: PrinterCommand::Test { png },
        }) => said(cli::print::test(&config, png.as_deref())),
        Some(Command::Receipt {
            command: ReceiptCommand::Print { reference, png },
        }) => said(cli::print::receipt(&config, &reference, png.as_deref())),
        Some(Command::Card {
            command:
                CardCommand::Read {
                    json,
                    show,
                    reader,
                    timeout,
                },
        }) => Ok(cli::card::read(
            reader.as_deref(),
            std::time::Duration::from_secs(timeout),
            cli::card::Show {
                json,
                unmasked: show,
            },
        )),
        // Dispatched above, before the kiosk configuration is read.
        #[cfg(feature = "hub")]
        Some(Command::Hub { .. }) => Ok(2),
        Some(Command::Completions { .. } | Command::Man { .. }) => Ok(2),
        Some(Command::Kiosk) | None => said(cli::kiosk::start(config).map(|()| 0)),
    };
    exit_code(result)
}

/// The kiosk's configuration, its log started and its warnings said. For a monitoring check
/// (`status`) a configuration that cannot be read, or a data directory that is not there (a
/// typo; a check makes nothing), is UNKNOWN.
fn kiosk_config(flags: &Overrides, command: Option<&Command>) -> Result<config::Config, ExitCode> {
    let status_json = match command {
        Some(Command::Status { json }) => Some(*json),
        _ => None,
    };
    let config = config::load(flags, &|k| std::env::var(k).ok()).map_err(|e| {
        if let Some(json) = status_json {
            return ExitCode::from(cli::status::unknown(&e.to_string(), json));
        }
        eprintln!("ruamjai: {e}");
        ExitCode::from(2)
    })?;
    if let Some(json) = status_json
        && !config.data_dir.is_dir()
    {
        let why = format!(
            "no data directory at {} (check --data-dir or RUAMJAI_DATA_DIR)",
            config.data_dir.display()
        );
        return Err(ExitCode::from(cli::status::unknown(&why, json)));
    }
    let _ = ruamjai::core::logging::init(&config.data_dir, "ruamjai.log");
    for w in &config.warnings {
        tracing::warn!("{w}");
        if status_json.is_none() {
            eprintln!("ruamjai: warning: {w}");
        }
    }
    Ok(config)
}

/// `ruamjai checkin REFERENCE`: one person's dose from a script; the exit code.
fn checkin(config: &config::Config, args: &CheckinArgs) -> i32 {
    cli::checkin::run(
        config,
        &cli::checkin::Request {
            reference: args.reference.as_deref().unwrap_or_default(),
            code: args.code.as_deref(),
            lot: args.lot.as_deref(),
            dose_number: args.dose,
            operator: &args.operator,
        },
    )
}

/// A command's typed error, to be printed with its causes.
fn said<E: Into<anyhow::Error>>(result: Result<i32, E>) -> anyhow::Result<i32> {
    result.map_err(Into::into)
}

fn exit_code(result: anyhow::Result<i32>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("ruamjai: {e:#}");
            ExitCode::from(2)
        }
    }
}
