//! A clerk's day at the counter, scripted in a real terminal (tmux) against the real binary:
//! the regression net for the kiosk as a clerk meets it (issues 20 and 28). Thai names on the
//! Kedmanee layout, digits in a house number and a card number with that layout on, a tambon
//! typed in full and one several tambons share, the group detail that names what it needs, the
//! review's arrows, a receipt with no hub, the Esc dialog's safe default, the queue search typed
//! in the wrong layout (the kiosk's or the system's) and as the screen shows IDs and names, a
//! correction left with Esc, the queue in Thai, Ctrl-C on the queue screen asking first, and a
//! window made too small. After each step the screen equals its full redraw.

use crate::tui_tmux::Tmux;

/// Waits for `what` on screen (failing with the screen when it does not come).
fn shows(t: &Tmux, what: &str) {
    t.wait_for(what);
}

/// Checks `what` is not on screen, waiting a moment for the kiosk to draw what it was sent.
fn lacks(t: &Tmux, what: &str, step: &str) {
    let start = std::time::Instant::now();
    while t.screen().contains(what) && start.elapsed() < std::time::Duration::from_secs(3) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let screen = t.screen();
    assert!(
        !screen.contains(what),
        "{step}: {what:?} is on screen:\n{screen}"
    );
}

#[test]
fn a_clerks_day_at_the_counter() {
    let Some(t) = Tmux::start(None) else { return };
    let mut stale = Vec::new();
    registers_a_person(&t, &mut stale);
    at_the_queue(&t, &mut stale);
    assert!(
        t.log().contains("registration saved"),
        "the day saved a registration:\n{}",
        t.log()
    );
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

/// The first person of the shift, typed with the TH layout on, to the receipt; `stale` gets
/// the cells that differ from a full redraw after each step.
fn registers_a_person(t: &Tmux, stale: &mut Vec<String>) {
    // The footer: only the screen draws it (a warning printed before the screen says "ruamjai").
    t.wait_for("F10/^Q");
    t.send("สมใจ\r");
    shows(t, "F9/^R");
    // Labels whole at 80×24, and the corner says more fields follow.
    shows(t, "วันเกิด (วว/ดด/ปปปป พ.ศ.) *");
    shows(t, "↓ อีก 3 ช่องด้านล่าง");
    shows(t, "Esc กลับหน้าเริ่มกะ");
    stale.extend(t.stale_cells("form"));

    // The TH layout on for the whole entry: names through Kedmanee, digits stay digits.
    t.keys(&["F3"]);
    shows(t, "แป้น TH");
    t.send("\t1112034563562\t1\t");
    t.send("l,=kp\t.0fu\t"); // สมชาย ใจดี
    shows(t, "สมชาย");
    shows(t, "ใจดี");
    t.send("05072490\t1\t0812345678\t12/3\t4\t\t\t");
    shows(t, "12/3");
    lacks(t, "ๅ/ฝ-", "house number with the TH layout");
    stale.extend(t.stale_cells("house number"));
    // A tambon typed in full that names one tambon fills the address at once (issue 28).
    t.send("ท่าจีน");
    shows(t, "74000");
    shows(t, "เมืองสมุทรสาคร");
    stale.extend(t.stale_cells("tambon typed in full"));
    // A name three tambons share offers them (the home province first); the pick goes on to
    // the next empty field, the group.
    t.keys(&["C-u"]);
    t.send("มหาชัย");
    shows(t, "ไทรงาม");
    t.keys(&["Enter"]);
    lacks(t, "ไทรงาม", "the list closed by the pick");
    t.send("1"); // group 1: persons with disabilities
    shows(t, "เลขบัตรคนพิการ *");
    t.send("\t12345");
    shows(t, "12345");
    lacks(t, "ๅ/-ภถ", "card number with the TH layout");
    // The person does not consent yet: the error and the whole purpose are on screen.
    t.send("\t2\t");
    t.keys(&["F9"]);
    shows(t, "! ต้องได้รับความยินยอมก่อนบันทึก");
    shows(t, "และจะลบข้อมูลเมื่อสิ้นสุดโครงการ");
    stale.extend(t.stale_cells("consent missing"));
    t.send("1");

    // Review: ↓ ↓ Enter edits the ID number, it does not save.
    t.keys(&["F9"]);
    shows(t, "ตรวจทานก่อนบันทึก");
    t.keys(&["Down", "Down", "Enter"]);
    shows(t, "ลงทะเบียนผู้รับบริการ");
    shows(t, "▶ เลขประจำตัว");
    t.keys(&["F9"]);
    shows(t, "ตรวจทานก่อนบันทึก");
    stale.extend(t.stale_cells("review"));
    t.keys(&["Enter"]);
    shows(t, "บันทึกแล้ว");
    // No hub is set up: the receipt says so instead of promising to send.
    shows(t, "ยังไม่ได้ตั้งค่าศูนย์");
    lacks(t, "ส่งไปศูนย์เมื่อเชื่อมต่อได้", "receipt with no hub");
    stale.extend(t.stale_cells("receipt"));
    t.keys(&["Enter"]);
}

/// The next person started and left, then the queue: search, correction, cancel, and a window
/// made too small.
fn at_the_queue(t: &Tmux, stale: &mut Vec<String>) {
    // Esc on a typed form asks; Enter by habit keeps the typing.
    t.send("\t5");
    t.keys(&["Escape"]);
    shows(t, "Enter หรือ Esc = ไม่ทิ้ง");
    stale.extend(t.stale_cells("discard asked"));
    t.keys(&["Enter"]);
    lacks(t, "Enter หรือ Esc = ไม่ทิ้ง", "discard declined by Enter");
    let row = t.lines().into_iter().find(|l| l.contains("▶ เลขประจำตัว"));
    assert!(row.is_some_and(|r| r.contains(" 5 ")), "{}", t.screen());

    // The form's error count does not follow the clerk to the queue.
    t.keys(&["F9"]);
    shows(t, "ยังมีข้อผิดพลาด");
    t.keys(&["F4"]);
    shows(t, "รายการในคิวของจุดนี้");
    lacks(t, "ยังมีข้อผิดพลาด", "queue after a failed review");
    // The reference's number typed with the TH layout still on.
    t.send("0001");
    shows(t, "จจจๅ");
    shows(t, "นายสมชาย ใจดี");
    stale.extend(t.stale_cells("queue search"));

    // Open the record: the typed form is discarded only by Y; Esc with nothing changed goes
    // back to the queue.
    t.keys(&["Enter"]);
    shows(t, "Y = ทิ้งข้อมูล");
    t.send("y");
    shows(t, "แก้ไขรายการ");
    shows(t, "Esc กลับคิว");
    t.keys(&["Escape"]);
    shows(t, "รายการในคิวของจุดนี้");
    stale.extend(t.stale_cells("back to the queue"));

    // The ID as the screen shows it and the name with its title, in the EN layout.
    // And the ID typed with the system's Thai layout on (issue 28): the number row's letters.
    t.keys(&["F3"]);
    let thai_keys = ruamjai::core::thai::kedmanee::map_str("1112034563562");
    for typed in ["1-1120-34563-56-2", "นายสมชาย", &thai_keys] {
        t.keys(&["C-u"]);
        t.send(typed);
        shows(t, &format!("เลขอ้างอิง): {typed}"));
        shows(t, "นายสมชาย ใจดี");
        lacks(t, "ไม่พบรายการ", typed);
    }
    stale.extend(t.stale_cells("queue search as shown"));

    // Cancel it: the reason is said in Thai.
    t.keys(&["Delete"]);
    shows(t, "ยกเลิกรายการ");
    t.keys(&["Enter"]);
    shows(t, "ยกเลิกที่จุดบริการ");
    lacks(t, "cancelled at the kiosk", "Thai queue screen");
    stale.extend(t.stale_cells("cancelled"));

    // Ctrl-C on the queue screen asks (the shift is going on); Enter by habit stays.
    t.keys(&["C-c"]);
    shows(t, "Y = ออกจากโปรแกรม");
    stale.extend(t.stale_cells("quit asked on the queue"));
    t.keys(&["Enter"]);
    lacks(t, "Y = ออกจากโปรแกรม", "quit declined by Enter");
    shows(t, "รายการในคิวของจุดนี้");

    // Too small a window: keys wait, nothing lands unseen.
    t.resize(70, 20);
    shows(t, "Please make the window at least 80×24");
    t.send("99");
    t.resize(80, 24);
    shows(t, "รายการในคิวของจุดนี้");
    shows(t, "นายสมชาย");
    lacks(t, "นายสมชาย99", "keys typed while the window was too small");
    stale.extend(t.stale_cells("window back to 80×24"));
}
