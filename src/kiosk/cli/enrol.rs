//! `ruamjai enrol CODE`: the kiosk set up from one enrolment code (`hub enrol` on the hub). The
//! code is checked here first (a mistyped one is a wrong code before any network); then the hub
//! is asked, at each of its addresses in turn, with its certificate pinned when the code pins
//! one, to trade the code's secret for this kiosk's token; the hub's key it answers with must be
//! the one the code names. Only then is `config.toml` written (`config::enrolled`: `kiosk_id`,
//! the addresses, the token, the hub's key, the certificate pin; 0600, other lines kept), the key
//! pinned in the queue, the counter's PIN asked for when none is set, and a test send made: what
//! was saved before enrolment (under a provisional prefix) goes now, with the references on its
//! receipts. A wrong, used or expired code says which and changes nothing. The start screen of a
//! kiosk with no hub takes the code too ([`enroller`]): the same trade, then the screen's sender.

use std::io::IsTerminal as _;
use std::time::Duration;

use crate::core::enrolment::{
    CodeError, EnrolCode, EnrolProblem, EnrolRequest, base32, hex, key_pin,
};
use crate::core::seal::PublicKey;
use crate::kiosk::config::enrolled::{self, Enrolled};
use crate::kiosk::config::{Config, ConfigError, HubUrls};
use crate::kiosk::queue::QueueError;
use crate::kiosk::sync::client::{HubClient, SendError};
use crate::kiosk::sync::status::host_port;
use crate::kiosk::tui::app::EnrolledAs;
use crate::kiosk::tui::enrolling::{Enroller, Enrolment};

/// Why an enrolment did not happen (nothing was changed), or stopped part way.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    #[error(transparent)]
    Code(#[from] CodeError),
    #[error("wrong code: the hub knows no such code for {0}; check it, or ask for a new one")]
    Wrong(String),
    #[error("this code was used already (a code works once): ask the hub for a new one")]
    Used,
    #[error("{0}: ask the hub for a new code")]
    Expired(String),
    #[error(
        "the hub at {0} answered with a key that is not the one in the code: not the hub that made it? Nothing was changed"
    )]
    KeyMismatch(String),
    #[error("the hub could not be reached, nothing was changed: {0}")]
    Unreachable(String),
    #[error("the hub refused the enrolment: {0}")]
    Refused(String),
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("enrolled and config.toml written, but the queue: {0}")]
    Queue(#[from] QueueError),
    #[error("enrolled and config.toml written, but the test send: {0}")]
    Flush(#[from] super::flush::FlushError),
}

/// How long the test send may take.
const TEST_SEND: Duration = Duration::from_secs(60);

/// `ruamjai enrol CODE`; the exit code (0 enrolled and the hub reached, 1 enrolled but records
/// still pending).
pub fn run(config: &Config, text: &str) -> Result<i32, EnrolError> {
    let rt = super::kiosk::runtime().map_err(EnrolError::Runtime)?;
    let done = rt.block_on(enrol(config, text))?;
    let mut queue = done.config.open_queue()?;
    queue.set_hub_key(&done.key)?;
    if !queue.pin_set() {
        ask_pin(&mut queue)?;
    }
    drop(queue);
    let host = host_port(&done.url);
    let kiosk = &done.config.kiosk_id;
    let sent = rt.block_on(super::flush::run(&done.config, TEST_SEND))?;
    if sent == 0 || sent == 3 {
        println!("enrolled as {kiosk} at {host}, hub reached");
        Ok(0)
    } else {
        println!(
            "enrolled as {kiosk} at {host}; the test send did not finish (see above): ruamjai flush"
        );
        Ok(1)
    }
}

/// A kiosk enrolled: its configuration as written, the address that answered, the hub's key.
struct Done {
    config: Config,
    url: String,
    key: PublicKey,
}

/// What enrols the kiosk from a code on its start screen (`config` is the one it started
/// with): the same trade as `ruamjai enrol`, then the sender for the hub, started at once. The
/// PIN is the start screen's to ask; the sender's first round is the test send.
#[must_use]
pub fn enroller(config: &Config) -> Enroller {
    let config = config.clone();
    Box::new(move |text: String| {
        let config = config.clone();
        Box::pin(async move {
            let done = enrol(&config, &text).await.map_err(|e| problem(&e))?;
            Ok(Enrolment {
                who: EnrolledAs {
                    kiosk_id: done.config.kiosk_id.clone(),
                    point: done.config.point_name.clone(),
                    host: host_port(&done.url).to_owned(),
                },
                hub_key: done.key,
                sender: crate::kiosk::sync::spawn(&done.config),
            })
        })
    })
}

/// The start screen's words for an enrolment that did not happen.
fn problem(e: &EnrolError) -> EnrolProblem {
    match e {
        EnrolError::Code(c) => EnrolProblem::from(c),
        EnrolError::Wrong(_) => EnrolProblem::Wrong,
        EnrolError::Used => EnrolProblem::Used,
        EnrolError::Expired(_) => EnrolProblem::Expired,
        EnrolError::KeyMismatch(_) => EnrolProblem::KeyMismatch,
        EnrolError::Unreachable(why) => EnrolProblem::Unreachable(why.clone()),
        other => EnrolProblem::Other(other.to_string()),
    }
}

/// Trades `text`'s secret at the hub and writes `config.toml`: the kiosk as enrolled.
async fn enrol(config: &Config, text: &str) -> Result<Done, EnrolError> {
    let code = EnrolCode::decode(text)?;
    // A code is spent at the hub: only when what it brings can be written here.
    enrolled::check_writable(&config.config_path)?;
    let (url, answer) = trade(config, &code).await?;
    let key = PublicKey::from_b64(&answer.seal_key.public_key)
        .ok()
        .filter(|k| key_pin(k.as_bytes()) == code.key_pin)
        .ok_or_else(|| EnrolError::KeyMismatch(url.clone()))?;
    let mut urls = code.urls.clone();
    // The address that answered first, the others as the code lists them.
    urls.retain(|u| *u != url);
    urls.insert(0, url.clone());
    let changes = enrolled::write(
        &config.config_path,
        &Enrolled {
            kiosk_id: answer.kiosk_id.clone(),
            point_name: answer.point.clone(),
            hub_urls: urls.clone(),
            hub_token: answer.token.clone(),
            hub_key: key.to_b64(),
            hub_cert_sha256: code.cert_sha256.map(|c| hex(&c)),
        },
    )?;
    tracing::info!(kiosk = %answer.kiosk_id, %url, "enrolled");
    for change in changes.iter().filter(|c| c.before.is_some()) {
        eprintln!(
            "ruamjai: {} in {} was {}",
            change.key,
            config.config_path.display(),
            change.before.as_deref().unwrap_or_default()
        );
    }
    let mut enrolled = config.clone();
    enrolled.kiosk_id.clone_from(&answer.kiosk_id);
    enrolled.point_name.clone_from(&answer.point);
    enrolled.hub_url = HubUrls::new(&urls);
    enrolled.hub_token = Some(answer.token.clone());
    enrolled.hub_key = Some(key);
    enrolled.hub_cert_sha256 = code.cert_sha256;
    Ok(Done {
        config: enrolled,
        url,
        key,
    })
}

/// Asks each of the code's addresses in turn to trade it; the address that answered and its
/// answer.
async fn trade(
    config: &Config,
    code: &EnrolCode,
) -> Result<(String, crate::core::enrolment::EnrolAnswer), EnrolError> {
    let req = EnrolRequest {
        name: code.name.clone(),
        secret: base32(&code.secret),
    };
    let ca_file = config
        .hub_ca_file
        .as_deref()
        .filter(|_| code.cert_sha256.is_none());
    let mut last = String::new();
    for url in &code.urls {
        let client = HubClient::new(url, "", &config.sync, ca_file, code.cert_sha256)
            .map_err(|e| EnrolError::Refused(e.to_string()))?;
        match client.enrol(&req).await {
            Ok(answer) => return Ok((url.clone(), answer)),
            Err(SendError::Permanent { status: 404, .. }) => {
                return Err(EnrolError::Wrong(code.name.clone()));
            }
            Err(SendError::Permanent { status: 409, .. }) => return Err(EnrolError::Used),
            Err(SendError::Permanent {
                status: 410,
                message,
            }) => {
                return Err(EnrolError::Expired(
                    message.trim_end_matches(": ask for a new one").to_owned(),
                ));
            }
            Err(SendError::Permanent { status, message }) => {
                return Err(EnrolError::Refused(format!("{status}: {message}")));
            }
            Err(e) => last = format!("{url}: {e}"),
        }
    }
    Err(EnrolError::Unreachable(last))
}

/// The counter's first PIN, typed twice on the terminal (not shown); without a terminal the
/// first start screen asks for it instead.
fn ask_pin(queue: &mut crate::kiosk::queue::Queue) -> Result<(), EnrolError> {
    if !std::io::stdin().is_terminal() {
        eprintln!("ruamjai: no PIN yet: the first start screen asks for one (or ruamjai pin set)");
        return Ok(());
    }
    for _ in 0..3 {
        let (Ok(first), Ok(again)) = (
            hidden("Choose the counter's PIN: "),
            hidden("Type it again: "),
        ) else {
            break;
        };
        if first != again {
            eprintln!("ruamjai: the two differ; again");
            continue;
        }
        match queue.set_pin(&first) {
            Ok(()) => {
                eprintln!("ruamjai: PIN set; a shift opens with it");
                return Ok(());
            }
            Err(QueueError::Pin(why)) => eprintln!("ruamjai: {why}"),
            Err(e) => return Err(e.into()),
        }
    }
    eprintln!("ruamjai: no PIN set: the first start screen asks for one (or ruamjai pin set)");
    Ok(())
}

/// A line typed on the terminal without echo (a `*` for each character); Esc or Ctrl-C gives up.
fn hidden(prompt: &str) -> std::io::Result<String> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    use std::io::Write as _;
    let mut err = std::io::stderr();
    write!(err, "{prompt}")?;
    err.flush()?;
    crossterm::terminal::enable_raw_mode()?;
    let mut line = String::new();
    let typed = loop {
        let Ok(Event::Key(key)) = read() else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        match key.code {
            KeyCode::Enter => break Ok(line),
            KeyCode::Esc => break Err(std::io::ErrorKind::Interrupted.into()),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                break Err(std::io::ErrorKind::Interrupted.into());
            }
            KeyCode::Backspace if line.pop().is_some() => {
                let _ = write!(err, "\u{8} \u{8}");
            }
            KeyCode::Char(c) => {
                line.push(c);
                let _ = write!(err, "*");
            }
            _ => {}
        }
        let _ = err.flush();
    };
    crossterm::terminal::disable_raw_mode()?;
    writeln!(err)?;
    typed
}
