//! A virtual thermal printer for the slip tests: a TCP listener on loopback that records each
//! job's bytes and when its last byte arrived (optionally answering the paper sensor's
//! `DLE EOT 4` as a printer out of paper would), and a decoder of the `GS v 0` bands it received
//! back into an image; zbarimg and tesseract read that image as a person would read the paper.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ruamjai::kiosk::print::Canvas;

/// One job as the printer received it.
#[derive(Clone, Debug)]
pub struct Job {
    pub bytes: Vec<u8>,
    /// When the last byte arrived.
    pub last_byte_at: Instant,
}

/// A printer listening on 127.0.0.1.
#[derive(Clone)]
pub struct VirtualPrinter {
    pub addr: String,
    jobs: Arc<Mutex<Vec<Job>>>,
}

impl VirtualPrinter {
    /// A printer with paper, on a free port.
    pub fn start() -> Self {
        Self::listen(TcpListener::bind("127.0.0.1:0").unwrap(), None)
    }

    /// A printer on `addr` (one that was down comes up), answering the paper sensor with
    /// `status` when given.
    pub fn on(addr: &str, status: Option<u8>) -> Self {
        Self::listen(TcpListener::bind(addr).unwrap(), status)
    }

    fn listen(listener: TcpListener, status: Option<u8>) -> Self {
        let addr = listener.local_addr().unwrap().to_string();
        let jobs = Arc::new(Mutex::new(Vec::new()));
        let recorded = jobs.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let recorded = recorded.clone();
                std::thread::spawn(move || record(conn, status, &recorded));
            }
        });
        Self { addr, jobs }
    }

    /// `device` for `[printer]`.
    pub fn device(&self) -> String {
        format!("tcp://{}", self.addr)
    }

    /// The `n`th job (from 0), once it is complete (the client closed), within `wait`.
    pub fn job(&self, n: usize, wait: Duration) -> Option<Job> {
        let until = Instant::now() + wait;
        loop {
            if let Some(j) = self.jobs.lock().unwrap().get(n) {
                return Some(j.clone());
            }
            if Instant::now() > until {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn count(&self) -> usize {
        self.jobs.lock().unwrap().len()
    }
}

fn record(mut conn: TcpStream, status: Option<u8>, jobs: &Mutex<Vec<Job>>) {
    let mut bytes = Vec::new();
    let mut last_byte_at = Instant::now();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                last_byte_at = Instant::now();
                bytes.extend_from_slice(&buf[..n]);
                if let Some(s) = status
                    && bytes.ends_with(&[0x10, 0x04, 4])
                {
                    let _ = conn.write_all(&[s]);
                }
            }
        }
    }
    jobs.lock().unwrap().push(Job {
        bytes,
        last_byte_at,
    });
}

/// The raster images in an ESC/POS job, one under the other (the commands around them, and any
/// text, skipped): what the printer's head burns.
pub fn decode(bytes: &[u8]) -> Canvas {
    let mut rows = Vec::new();
    let mut bpr = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i..] {
            [0x1d, 0x76, 0x30, _, xl, xh, yl, yh, ..] => {
                let w = usize::from(u16::from_le_bytes([xl, xh]));
                let h = usize::from(u16::from_le_bytes([yl, yh]));
                assert!(bpr == 0 || bpr == w, "bands of one width");
                bpr = w;
                rows.extend_from_slice(&bytes[i + 8..i + 8 + w * h]);
                i += 8 + w * h;
            }
            [0x1b, 0x40, ..] => i += 2,
            [0x1b, 0x64 | 0x74, _, ..] | [0x1d, 0x21, _, ..] | [0x10, 0x04, _, ..] => i += 3,
            [0x1d, 0x56, 0x41 | 0x42, _, ..] => i += 4,
            _ => i += 1,
        }
    }
    Canvas::from_rows(bpr, rows)
}

/// The bands' heights in a job.
pub fn band_heights(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 8 <= bytes.len() {
        if bytes[i..i + 3] == [0x1d, 0x76, 0x30] {
            let w = usize::from(u16::from_le_bytes([bytes[i + 4], bytes[i + 5]]));
            let h = usize::from(u16::from_le_bytes([bytes[i + 6], bytes[i + 7]]));
            out.push(h);
            i += 8 + w * h;
        } else {
            i += 1;
        }
    }
    out
}

/// What zbarimg reads in the image (`None`: zbarimg is not installed, said loudly).
pub fn zbar(png: &Path) -> Option<String> {
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(png)
        .output();
    if let Ok(o) = out {
        Some(String::from_utf8_lossy(&o.stdout).trim().to_owned())
    } else {
        crate::support::missing("zbarimg (zbar-tools)");
        None
    }
}

/// What tesseract reads in the image, Thai and English (`None`: not installed, said loudly).
pub fn ocr(png: &Path) -> Option<String> {
    let langs = Command::new("tesseract").arg("--list-langs").output();
    let has_thai = langs.is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .any(|l| l == "tha")
    });
    if !has_thai {
        crate::support::missing("tesseract with Thai (tesseract-ocr, tesseract-ocr-tha)");
        return None;
    }
    let out = Command::new("tesseract")
        .arg(png)
        .args(["-", "-l", "tha+eng"])
        .output()
        .unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Writes `canvas` as a PNG into `dir`.
pub fn png(canvas: &Canvas, dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, ruamjai::kiosk::print::canvas_png(canvas).unwrap()).unwrap();
    path
}

/// Letters and digits only, upper case: a reference as OCR may space it.
pub fn squeeze(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}
