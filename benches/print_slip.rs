//! The printed slip (issue 34), its own main: `cargo bench --bench print_slip` (release). Not a
//! test: CI times nothing.
//!
//! - Drawing and encoding one slip (shaping, rasterising, `GS v 0` bands), 58 and 80 mm, beside
//!   the same lines as plain ESC/POS text (Windows-874) with the QR as an image.
//! - From the save (a registration committed to a sealing queue, `synchronous=FULL`) to the last
//!   byte at a printer on loopback (a TCP listener, as in `tests/it/print_support.rs`).
//! - Bytes per slip, beside the raw bitmap's bytes and the PNG of it.
//!
//! Prints a Markdown table on stdout.

use std::io::Read as _;
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ruamjai::core::form::{
    Campaign, Context, FieldKey, FormInput, campaign::DEFAULT_CAMPAIGN, validate,
};
use ruamjai::core::thai::Lang;
use ruamjai::core::thai::date::ThaiDate;
use ruamjai::kiosk::print::{self, Device, Mode, Printer, Slip, SlipState, Width};
use ruamjai::kiosk::queue::{NewRecord, Queue, now_ms};

const ROUNDS: usize = 30;

fn registration(campaign: &Campaign) -> ruamjai::core::form::Registration {
    let mut f = FormInput::default();
    for (k, v) in [
        (FieldKey::IdType, "thai_id"),
        (FieldKey::IdNumber, "1112034563562"),
        (FieldKey::Title, "นาง"),
        (FieldKey::FirstName, "มาลี"),
        (FieldKey::LastName, "ศรีสุข"),
        (FieldKey::BirthDate, "01/02/2480"),
        (FieldKey::Sex, "female"),
        (FieldKey::Tambon, "คลองมะเดื่อ"),
        (FieldKey::Amphoe, "กระทุ่มแบน"),
        (FieldKey::Province, "สมุทรสาคร"),
        (FieldKey::Postcode, "74110"),
        (FieldKey::TargetGroup, "3"),
        (FieldKey::Consent, "yes"),
    ] {
        f.set(k, v);
    }
    let today = ThaiDate {
        day: Some(25),
        month: Some(11),
        year_be: 2569,
    };
    validate(campaign, &f, Context { today })
        .registration
        .expect("a valid registration")
}

fn spread(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    format!(
        "{:.1} / {:.1} / {:.1}",
        v[0],
        v[v.len() / 2],
        v[v.len() - 1]
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A printer on loopback: each connection's last byte time, sent back when it closes.
fn virtual_printer() -> (String, mpsc::Receiver<(usize, Instant)>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let (mut n, mut last) = (0, Instant::now());
            let mut buf = [0u8; 16 * 1024];
            while let Ok(k) = conn.read(&mut buf) {
                if k == 0 {
                    break;
                }
                n += k;
                last = Instant::now();
            }
            let _ = tx.send((n, last));
        }
    });
    (addr, rx)
}

fn main() {
    let campaign = Campaign::load(DEFAULT_CAMPAIGN, None).expect("campaign");
    let reg = registration(&campaign);
    let slip = |reference: &str| {
        Slip::new(
            &campaign,
            "รพ.สต.คลองมะเดื่อ",
            Lang::Th,
            reference,
            Some(&reg),
            SlipState::Queued,
            Some(now_ms()),
            None,
        )
    };
    let printer = |device: Device, width: Width, mode: Mode| Printer {
        device,
        width,
        cut: true,
        mode,
        codepage: 21,
        bring: None,
    };
    println!("| figure | 58 mm | 80 mm |\n|---|---|---|");
    let one = slip("SK01-0001-Q");
    let row = |name: &str, f: &dyn Fn(Width) -> String| {
        println!("| {name} | {} | {} |", f(Width::Mm58), f(Width::Mm80));
    };
    let time = |width: Width, mode: Mode| {
        let p = printer(Device::File("/dev/null".into()), width, mode);
        let runs: Vec<f64> = (0..ROUNDS)
            .map(|_| {
                let t = Instant::now();
                print::job(&p, &one, 0).expect("job");
                ms(t.elapsed())
            })
            .collect();
        spread(runs)
    };
    row("draw + encode, raster (ms, min / median / max)", &|w| {
        time(w, Mode::Raster)
    });
    row("the same lines as ESC/POS text, QR as image (ms)", &|w| {
        time(w, Mode::Text)
    });
    let bytes = |width: Width, mode: Mode| {
        let p = printer(Device::File("/dev/null".into()), width, mode);
        print::job(&p, &one, 0).expect("job").len()
    };
    row("bytes per slip, raster", &|w| {
        bytes(w, Mode::Raster).to_string()
    });
    row("bytes per slip, text mode", &|w| {
        bytes(w, Mode::Text).to_string()
    });
    row("raw bitmap (width/8 × rows, bytes)", &|w| {
        let c = print::layout::render(&one, w.dots(), 0).expect("render");
        format!(
            "{} ({} rows, {:.0} mm of paper)",
            c.rows().len(),
            c.height(),
            c.height() as f64 / 8.0
        )
    });
    row("the same slip as PNG (bytes)", &|w| {
        print::png(&one, w, 0).expect("png").len().to_string()
    });
    // Save to last byte at the printer.
    let dir =
        tempfile::tempdir_in(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
            .expect("dir");
    let mut queue = Queue::open(&dir.path().join("queue.sqlite3"), "SK01").expect("queue");
    queue
        .set_hub_key(
            &ruamjai::core::seal::SecretKey::generate()
                .expect("key")
                .public(),
        )
        .expect("hub key");
    queue.set_pin("bench-pin").expect("pin");
    let mut save_to_paper = |width: Width| {
        let (addr, got) = virtual_printer();
        let p = printer(Device::Tcp(addr), width, Mode::Raster);
        let runs: Vec<f64> = (0..10)
            .map(|_| {
                let t = Instant::now();
                let (_, reference) = queue
                    .enqueue(&NewRecord::from_registration(&reg, "bench", None), now_ms())
                    .expect("enqueue");
                print::print(&p, &slip(&reference), now_ms()).expect("print");
                let (_, last) = got.recv().expect("the job");
                ms(last - t)
            })
            .collect();
        spread(runs)
    };
    println!(
        "| save → last byte at a printer on loopback (ms) | {} | {} |",
        save_to_paper(Width::Mm58),
        save_to_paper(Width::Mm80)
    );
}
