//! Getting the bytes to the printer, within [`DEADLINE`] whatever it does: a network printer
//! (`tcp://HOST:9100`, connect and write timeouts, then its paper sensor asked with `DLE EOT 4`
//! and a short wait: one that does not answer is not a fault), a device file (`/dev/usb/lp0`,
//! `COM3`, a Windows share `\\PC\POS58`), a CUPS queue (`cups:QUEUE`, through `lp -o raw`). A
//! Windows printer's name would go through the spooler's API, which needs unsafe calls: not on
//! Windows yet (share the printer and name the share instead). The work runs on its own thread,
//! so a device that hangs costs the caller [`DEADLINE`], not the counter.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::PrintError;
use super::escpos::PAPER_STATUS;

/// How long a print may take before the counter is told the printer does not answer.
pub const DEADLINE: Duration = Duration::from_secs(2);
/// How long a network printer's paper sensor is waited for.
const STATUS_WAIT: Duration = Duration::from_millis(300);

/// Where the printer is (`[printer] device`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Device {
    /// `tcp://HOST:PORT` (the port 9100 when not given).
    Tcp(String),
    /// A device file or a port: `/dev/usb/lp0`, `COM3`, `\\PC\POS58`.
    File(PathBuf),
    /// `cups:QUEUE` (Unix).
    Cups(String),
    /// A Windows printer's name: not supported yet.
    Named(String),
}

impl Device {
    /// The `device` setting read.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("printer device is empty".into());
        }
        if let Some(rest) = s.strip_prefix("tcp://") {
            let rest = rest.trim_end_matches('/');
            if rest.is_empty() {
                return Err(format!("printer device {s:?}: no host after tcp://"));
            }
            let has_port = rest
                .rsplit_once(':')
                .is_some_and(|(_, p)| p.parse::<u16>().is_ok());
            return Ok(Self::Tcp(if has_port {
                rest.to_owned()
            } else {
                format!("{rest}:9100")
            }));
        }
        if let Some(q) = s.strip_prefix("cups:") {
            return if q.is_empty() {
                Err(format!("printer device {s:?}: no queue after cups:"))
            } else {
                Ok(Self::Cups(q.to_owned()))
            };
        }
        let port = |p: &str| {
            let up = p.to_ascii_uppercase();
            (up.starts_with("COM") || up.starts_with("LPT"))
                && up.len() > 3
                && up[3..].bytes().all(|b| b.is_ascii_digit())
        };
        if s.contains('/') || s.contains('\\') || port(s) {
            Ok(Self::File(PathBuf::from(s)))
        } else {
            Ok(Self::Named(s.to_owned()))
        }
    }
}

impl std::fmt::Display for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Tcp(a) => write!(f, "tcp://{a}"),
            Self::File(p) => write!(f, "{}", p.display()),
            Self::Cups(q) => write!(f, "cups:{q}"),
            Self::Named(n) => write!(f, "{n}"),
        }
    }
}

/// What the printer said after the slip went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sent {
    /// The paper sensor said the roll is nearly out.
    pub paper_low: bool,
}

/// Sends `bytes` to `device` and waits at most [`DEADLINE`].
pub fn send(device: &Device, bytes: Vec<u8>) -> Result<Sent, PrintError> {
    let (tx, rx) = mpsc::channel();
    let dev = device.clone();
    let started = Instant::now();
    std::thread::Builder::new()
        .name("printer".into())
        .spawn(move || {
            let _ = tx.send(send_now(&dev, &bytes, started));
        })
        .map_err(|e| PrintError::Io {
            device: device.to_string(),
            message: e.to_string(),
        })?;
    rx.recv_timeout(DEADLINE)
        .unwrap_or_else(|_| Err(PrintError::NoAnswer(device.to_string())))
}

fn send_now(device: &Device, bytes: &[u8], started: Instant) -> Result<Sent, PrintError> {
    match device {
        Device::Tcp(addr) => tcp(addr, bytes, started),
        Device::File(path) => {
            let io = |e: std::io::Error| match e.kind() {
                std::io::ErrorKind::NotFound => PrintError::NotFound(path.display().to_string()),
                std::io::ErrorKind::PermissionDenied => {
                    PrintError::Denied(path.display().to_string())
                }
                _ => PrintError::Io {
                    device: path.display().to_string(),
                    message: e.to_string(),
                },
            };
            // Never created: a missing device is an unplugged printer, not a file to make.
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(io)?;
            f.write_all(bytes).and_then(|()| f.flush()).map_err(io)?;
            Ok(Sent::default())
        }
        Device::Cups(queue) => cups(queue, bytes),
        Device::Named(name) => Err(PrintError::WindowsName(name.clone())),
    }
}

fn tcp(addr: &str, bytes: &[u8], started: Instant) -> Result<Sent, PrintError> {
    let unreachable = |why: String| PrintError::Unreachable {
        addr: addr.to_owned(),
        why,
    };
    let addrs: Vec<_> = addr
        .to_socket_addrs()
        .map_err(|e| unreachable(format!("the name is not known ({e})")))?
        .collect();
    let mut last = None;
    let mut stream = None;
    for a in addrs {
        let left = DEADLINE.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(&a, left) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let mut s = stream.ok_or_else(|| match last {
        Some(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            PrintError::Refused(addr.to_owned())
        }
        Some(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            PrintError::NoAnswer(format!("tcp://{addr}"))
        }
        Some(e) => unreachable(e.to_string()),
        None => PrintError::NoAnswer(format!("tcp://{addr}")),
    })?;
    let io = |e: std::io::Error| PrintError::Io {
        device: format!("tcp://{addr}"),
        message: e.to_string(),
    };
    let _ = s.set_nodelay(true);
    s.set_write_timeout(Some(DEADLINE)).map_err(io)?;
    s.write_all(bytes)
        .and_then(|()| s.write_all(&PAPER_STATUS))
        .map_err(io)?;
    s.set_read_timeout(Some(STATUS_WAIT)).map_err(io)?;
    let mut answer = [0u8; 1];
    // A status byte has bits 1 and 4 set and 0 and 7 clear; no answer in time says nothing.
    match s.read(&mut answer) {
        Ok(1) if answer[0] & 0x93 == 0x12 => {
            if answer[0] & 0x60 != 0 {
                return Err(PrintError::PaperOut);
            }
            Ok(Sent {
                paper_low: answer[0] & 0x0c != 0,
            })
        }
        _ => Ok(Sent::default()),
    }
}

#[cfg(unix)]
fn cups(queue: &str, bytes: &[u8]) -> Result<Sent, PrintError> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("lp")
        .args(["-s", "-d", queue, "-o", "raw"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| PrintError::Cups(format!("lp could not run ({e}): install cups-client")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(bytes)
            .map_err(|e| PrintError::Cups(e.to_string()))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| PrintError::Cups(e.to_string()))?;
    if out.status.success() {
        Ok(Sent::default())
    } else {
        let why = String::from_utf8_lossy(&out.stderr);
        Err(PrintError::Cups(
            why.lines().next().unwrap_or("lp failed").to_owned(),
        ))
    }
}

#[cfg(not(unix))]
fn cups(queue: &str, _bytes: &[u8]) -> Result<Sent, PrintError> {
    Err(PrintError::Cups(format!(
        "cups:{queue} works on Linux and macOS only"
    )))
}
