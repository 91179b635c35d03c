//! The flood-relief campaign typed at the real kiosk in tmux: chosen by `campaign = …` in the
//! kiosk's `config.toml`, its questions in the file's order with their hints, the account asked
//! of a farmer, every step equal to the kiosk's full redraw, the answers on the review page, and
//! the saved record's answers in the kiosk's export.

use crate::tui_tmux::Tmux;

/// The kiosk on the flood-relief campaign in tmux at 80×24; `None` without tmux.
fn flood_kiosk() -> Option<Tmux> {
    crate::tui_tmux::kiosk_in_tmux("flood", "campaign = \"flood-relief-2564\"\n", &[])
}

#[test]
fn a_farmer_is_registered_for_flood_relief_in_tmux_and_exported_with_the_answers() {
    let Some(t) = flood_kiosk() else { return };
    t.wait_for("F10/^Q");
    t.send("สมใจ\r");
    t.wait_for("F9/^R");
    t.wait_for("จำนวนสมาชิกในครัวเรือน");
    let mut stale = Vec::new();
    t.send("\t1112034563562\t1\tสมชาย\tใจดี\t0812345678\t2\t");
    // On the household size: its hint on the help line.
    t.wait_for("นับทุกคนที่อาศัยอยู่ในบ้าน");
    stale.extend(t.stale_cells("household size"));
    t.send("4\t3\t");
    // Group 2 is asked the account.
    t.wait_for("สำหรับเกษตรกรเท่านั้น");
    t.send("020123456\t12/3\t4\t");
    stale.extend(t.stale_cells("questions answered"));
    t.send("คลองมะเ");
    t.wait_for("กระทุ่มแบน");
    t.send("\r1\t");
    t.keys(&["F9"]);
    t.wait_for("ตรวจทานก่อนบันทึก");
    let review = t.lines().join("\n");
    for shown in ["จำนวนสมาชิกในครัวเรือน", "เสียหายทั้งหมด", "020123456"]
    {
        assert!(
            review.contains(shown),
            "{shown} on the review page:\n{review}"
        );
    }
    stale.extend(t.stale_cells("review"));
    t.keys(&["Enter"]);
    t.wait_for("บันทึกแล้ว");
    assert!(stale.is_empty(), "{}", stale.join("\n"));
    t.keys(&["Enter"]);
    t.keys(&["F10"]);
    t.send("y");

    let csv = t.data_dir().join("handover.csv");
    let out = crate::support::ruamjai(t.data_dir())
        .args(["export", "-o"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cell = |k: &str| row[header.iter().position(|h| *h == k).unwrap()];
    assert_eq!(
        [cell("household_size"), cell("damage"), cell("bank_account")],
        ["4", "total", "020123456"],
        "{text}"
    );
    assert_eq!(cell("target_group"), "2");
}
