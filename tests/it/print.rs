//! The printed slip, end to end with a virtual printer (`print_support`): a registration saved
//! in a real queue, its slip drawn and sent over TCP, the bytes decoded back into the image the
//! printer burns, its QR code read by zbarimg and its text by tesseract (Thai and English), the
//! time from the save to the last byte at the printer and the bytes per slip measured. Also:
//! Thai marks stacked on their base, SARA AM placed, the ID masked, faults said within 2 s.

use std::time::{Duration, Instant};

use ruamjai::core::form::Campaign;
use ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::print::font::{Weight, shape};
use ruamjai::kiosk::print::{self, Device, Mode, PrintError, Printer, Slip, SlipState, Width};
use ruamjai::kiosk::queue::{NewRecord, now_ms};

use crate::print_support::{VirtualPrinter, band_heights, decode, ocr, png, squeeze, zbar};

fn printer(device: &str, width: Width) -> Printer {
    Printer {
        device: Device::parse(device).unwrap(),
        width,
        cut: true,
        mode: Mode::Raster,
        codepage: 21,
        bring: None,
    }
}

/// A registration saved in a real queue, and its slip.
fn saved_slip(dir: &std::path::Path, lang: Lang) -> (Slip, ruamjai::core::form::Registration) {
    let campaign = Campaign::load(DEFAULT_CAMPAIGN, None).unwrap();
    let mut queue = crate::support::open_queue(&dir.join("queue.sqlite3"), "SK01").unwrap();
    let reg = crate::support::registration(&campaign, 7);
    let (_, reference) = queue
        .enqueue(&NewRecord::from_registration(&reg, "สมใจ", None), now_ms())
        .unwrap();
    let mut slip = Slip::new(
        &campaign,
        "รพ.สต.คลองมะเดื่อ",
        lang,
        &reference,
        Some(&reg),
        SlipState::Queued,
        Some(now_ms()),
        None,
    );
    slip.utc_offset_secs = 7 * 3600;
    (slip, reg)
}

#[test]
fn a_saved_registrations_slip_reaches_the_printer_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let vp = VirtualPrinter::start();
    let p = printer(&vp.device(), Width::Mm58);
    // From the save (a committed, fsynced queue record) to the last byte at the printer.
    let started = Instant::now();
    let (slip, reg) = saved_slip(dir.path(), Lang::Th);
    let done = print::print(&p, &slip, now_ms()).unwrap();
    let job = vp
        .job(0, Duration::from_secs(3))
        .expect("the printer got the job");
    let to_last_byte = job.last_byte_at - started;
    eprintln!(
        "print: 58 mm slip, {} bytes, save to last byte {:?} (render {:?}, send {:?}; debug build)",
        job.bytes.len(),
        to_last_byte,
        done.render,
        done.send
    );
    assert!(to_last_byte < Duration::from_secs(2), "{to_last_byte:?}");
    assert_eq!(done.bytes + 3, job.bytes.len(), "the job, then DLE EOT 4");
    // Bands small enough for a small printer's buffer; the whole slip is one image of 384 dots.
    assert!(band_heights(&job.bytes).iter().all(|&h| h <= 64));
    let image = decode(&job.bytes);
    assert_eq!(image.width(), 384);
    assert!(image.height() > 400, "{}", image.height());
    assert!(
        job.bytes
            .ends_with(&[0x1b, 0x64, 4, 0x1d, 0x56, 0x42, 0, 0x10, 0x04, 4])
    );
    let file = png(&image, dir.path(), "slip.png");
    if let Some(read) = zbar(&file) {
        assert_eq!(read, slip.reference, "the QR code holds the reference");
    }
    if let Some(text) = ocr(&file) {
        // OCR is fuzzy: the reference (large Latin type) exactly, the group's number and its
        // Thai words, and the campaign's province from its Thai name.
        let flat: String = text.split_whitespace().collect();
        assert!(
            squeeze(&text).contains(&squeeze(&slip.reference)),
            "reference in {text}"
        );
        assert!(
            flat.contains("ผู้สูงอายุ") && flat.contains("70"),
            "group in {text}"
        );
        assert!(flat.contains("สมุทรสาคร"), "campaign in {text}");
        // The ID number never whole; its last four digits are there.
        assert!(!flat.contains(&reg.id_number), "{text}");
        assert!(!flat.contains(&reg.phone.replace('-', "")) || reg.phone.is_empty());
    }
}

#[test]
fn eighty_mm_slips_are_576_dots_wide() {
    let dir = tempfile::tempdir().unwrap();
    let vp = VirtualPrinter::start();
    let (slip, _) = saved_slip(dir.path(), Lang::En);
    print::print(&printer(&vp.device(), Width::Mm80), &slip, now_ms()).unwrap();
    let job = vp.job(0, Duration::from_secs(3)).unwrap();
    let image = decode(&job.bytes);
    assert_eq!(image.width(), 576);
    eprintln!("print: 80 mm slip, {} bytes", job.bytes.len());
    let file = png(&image, dir.path(), "slip80.png");
    if let Some(read) = zbar(&file) {
        assert_eq!(read, slip.reference);
    }
    if let Some(text) = ocr(&file) {
        assert!(squeeze(&text).contains(&squeeze(&slip.reference)), "{text}");
        assert!(text.contains("70"), "{text}");
    }
}

/// The ink of each glyph of `text`: (cluster, left, top, right, bottom), y down.
fn ink(text: &str) -> Vec<(usize, i64, i64, i64, i64)> {
    shape(text, 48.0, Weight::Regular).unwrap().ink_boxes()
}

#[test]
fn thai_marks_stack_on_their_base() {
    // ที่: THO THAHAN, SARA II above it, MAI EK above that; neither mark advances the pen.
    let boxes = ink("ที่");
    assert_eq!(boxes.len(), 3, "{boxes:?}");
    let (_, l, top, r, _) = boxes[0];
    for &(_, ml, _, mr, mb) in &boxes[1..] {
        assert!(
            ml >= l - 2 && mr <= r + 2,
            "mark within the base's columns: {boxes:?}"
        );
        assert!(mb <= top + 2, "mark above the base: {boxes:?}");
    }
    // The tone mark sits above the vowel, not on it.
    assert!(boxes[2].4 <= boxes[1].2 + 2, "{boxes:?}");
    // Alone after its base, the tone mark does not move right: the line is as wide as ที.
    let w = |t: &str| shape(t, 48.0, Weight::Regular).unwrap().width;
    assert!((w("ที่") - w("ท")).abs() < 1.0);
}

#[test]
fn sara_am_puts_its_circle_over_the_base_and_its_tail_after() {
    // น้ำ: NO NU, MAI THO, SARA AM: the circle (NIKHAHIT) goes over NO NU, under the tone mark,
    // and SARA AA after the base.
    let boxes = ink("น้ำ");
    assert!(boxes.len() >= 4, "SARA AM decomposed: {boxes:?}");
    let base = boxes[0];
    let aa = boxes.iter().max_by_key(|b| b.3).unwrap();
    assert!(aa.1 >= base.3 - 2, "SARA AA after the base: {boxes:?}");
    let above: Vec<_> = boxes.iter().filter(|b| b.4 <= base.2 + 2).collect();
    assert_eq!(above.len(), 2, "the circle and the tone above: {boxes:?}");
    for b in above {
        assert!(
            b.1 >= base.1 - 4 && b.3 <= base.3 + 4,
            "over the base: {boxes:?}"
        );
    }
}

#[test]
fn the_id_is_masked_to_its_last_four_digits() {
    assert_eq!(print::mask_id("1-1120-34563-56-2"), "x-xxxx-xxxx3-56-2");
    assert_eq!(print::mask_id("1112034563562"), "xxxxxxxxx3562");
    assert_eq!(print::mask_id("AB12"), "AB12");
}

#[test]
fn a_refused_or_silent_printer_is_said_within_two_seconds() {
    let slip = Slip::test("", Lang::Th);
    // Nothing listens: refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let t = Instant::now();
    let e = print::print(
        &printer(&format!("tcp://127.0.0.1:{port}"), Width::Mm58),
        &slip,
        0,
    )
    .unwrap_err();
    assert!(matches!(e, PrintError::Refused(_)), "{e}");
    assert!(e.to_string().contains("is it on"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    // A device that never takes the bytes (a FIFO nobody reads: opening it blocks, as a
    // hung USB printer's write does): said at the deadline, not later.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("hung");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let t = Instant::now();
        let e = print::print(&printer(fifo.to_str().unwrap(), Width::Mm58), &slip, 0).unwrap_err();
        let took = t.elapsed();
        assert!(matches!(e, PrintError::NoAnswer(_)), "{e}");
        assert!(e.to_string().contains("within 2 s"), "{e}");
        assert!(
            took >= Duration::from_millis(1900) && took < Duration::from_millis(2600),
            "{took:?}"
        );
        // Let the stuck thread go.
        let _ = std::fs::File::open(&fifo);
    }
    // A slip with an absurdly long field is cut, not a metre of paper or a minute's work.
    let huge = Slip {
        campaign: "ก".repeat(30_000),
        ..Slip::test("", Lang::Th)
    };
    let t = Instant::now();
    print::job(&printer("/dev/null", Width::Mm58), &huge, 0).unwrap();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    // A device file that is not there is an unplugged printer; nothing is created.
    let lp = dir.path().join("lp0");
    let e = print::print(&printer(lp.to_str().unwrap(), Width::Mm58), &slip, 0).unwrap_err();
    assert!(matches!(e, PrintError::NotFound(_)), "{e}");
    assert!(!lp.exists());
    // A Windows printer's name says it is not supported yet.
    let e = print::print(&printer("POS-58", Width::Mm58), &slip, 0).unwrap_err();
    assert!(e.to_string().contains("not supported yet"), "{e}");
}

#[test]
fn a_printer_out_of_paper_says_so() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    // Paper end: bits 5 and 6, with the fixed bits 1 and 4.
    let _vp = VirtualPrinter::on(&addr, Some(0x72));
    let e = print::print(
        &printer(&format!("tcp://{addr}"), Width::Mm58),
        &Slip::test("", Lang::Th),
        0,
    )
    .unwrap_err();
    assert!(matches!(e, PrintError::PaperOut), "{e}");
}

#[test]
fn a_device_file_gets_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let lp = dir.path().join("lp0");
    std::fs::write(&lp, b"").unwrap();
    let p = printer(lp.to_str().unwrap(), Width::Mm58);
    let slip = Slip::test("", Lang::Th);
    print::print(&p, &slip, 0).unwrap();
    assert_eq!(
        std::fs::read(&lp).unwrap(),
        print::job(&p, &slip, 0).unwrap()
    );
}

#[test]
fn the_text_mode_sends_windows_874_after_the_code_page() {
    let p = Printer {
        mode: Mode::Text,
        codepage: 21,
        ..printer("/dev/null", Width::Mm58)
    };
    let bytes = print::job(&p, &Slip::test("", Lang::Th), 0).unwrap();
    assert_eq!(&bytes[..5], &[0x1b, 0x40, 0x1b, 0x74, 21]);
    // ท (U+0E17) is 0xB7 in TIS-620; the QR code still goes as an image.
    assert!(bytes.contains(&0xb7));
    assert!(bytes.windows(3).any(|w| w == [0x1d, 0x76, 0x30]));
}

#[test]
fn the_commands_print_a_test_slip_and_write_a_png() {
    let dir = crate::support::private_tempdir();
    let vp = VirtualPrinter::start();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "kiosk_id = \"SK01\"\npoint_name = \"รพ.สต.คลองมะเดื่อ\"\n[printer]\ndevice = \"{}\"\nwidth = 58\n",
            vp.device()
        ),
    )
    .unwrap();
    crate::support::ruamjai(dir.path())
        .args(["printer", "test"])
        .assert()
        .success()
        .stdout(predicates::str::contains("sent to tcp://"));
    let job = vp.job(0, Duration::from_secs(3)).unwrap();
    let file = png(&decode(&job.bytes), dir.path(), "test.png");
    if let Some(read) = zbar(&file) {
        assert_eq!(read, "TEST-0000-0");
    }
    let out = dir.path().join("out.png");
    crate::support::ruamjai(dir.path())
        .args(["printer", "test", "--png"])
        .arg(&out)
        .assert()
        .success();
    assert!(std::fs::read(&out).unwrap().starts_with(b"\x89PNG"));
    // An unknown reference is an error, said.
    crate::support::ruamjai(dir.path())
        .args(["receipt", "print", "SK01-9999-Z"])
        .env("RUAMJAI_PIN", crate::support::TEST_PIN)
        .assert()
        .failure()
        .stderr(predicates::str::contains("no record SK01-9999-Z"));
}
