//! The dashboard's words in Thai and English, one [`Text`] per language, chosen by `?lang=` or
//! the browser's `Accept-Language` (Thai unless it prefers English).

/// Every label the dashboard's pages show.
#[derive(Debug)]
pub struct Text {
    pub lang: &'static str,
    /// The other language: its code and its own name.
    pub other: &'static str,
    pub other_name: &'static str,
    pub title: &'static str,
    pub updated: &'static str,
    pub lost: &'static str,
    pub stale: &'static str,
    pub signin: &'static str,
    pub token_label: &'static str,
    pub signout: &'static str,
    pub unknown_token: &'static str,
    pub not_admin: &'static str,
    pub too_many: &'static str,
    pub totals: &'static str,
    pub accepted: &'static str,
    pub waitlisted: &'static str,
    pub duplicates: &'static str,
    pub rejected: &'static str,
    pub superseded: &'static str,
    pub conflicts: &'static str,
    pub groups: &'static str,
    pub group: &'static str,
    pub whole_campaign: &'static str,
    pub quota: &'static str,
    pub left: &'static str,
    pub no_quota: &'static str,
    pub points: &'static str,
    pub point: &'static str,
    pub kiosks: &'static str,
    pub kiosk: &'static str,
    pub today: &'static str,
    pub heartbeat: &'static str,
    pub pending: &'static str,
    pub oldest: &'static str,
    pub version: &'static str,
    pub state: &'static str,
    pub never: &'static str,
    pub silent: &'static str,
    pub old_pending: &'static str,
    pub fine: &'static str,
    pub silent_rule: &'static str,
    pub pending_rule: &'static str,
    pub per_hour: &'static str,
    pub hub: &'static str,
    pub database: &'static str,
    pub reachable: &'static str,
    pub unreachable: &'static str,
    pub shed: &'static str,
    pub limited: &'static str,
    pub per_minute: &'static str,
    pub in_flight: &'static str,
    pub writer_queue: &'static str,
    pub hub_version: &'static str,
    pub minutes: &'static str,
    /// After a number: how many minutes ago.
    pub minutes_ago: &'static str,
    pub no_kiosks: &'static str,
}

pub const TH: Text = Text {
    lang: "th",
    other: "en",
    other_name: "English",
    title: "ภาพรวมการลงทะเบียน",
    updated: "ข้อมูล ณ เวลา",
    lost: "ติดต่อศูนย์กลางไม่ได้ ตัวเลขอาจไม่เป็นปัจจุบัน",
    stale: "อ่านฐานข้อมูลไม่ได้ แสดงตัวเลขล่าสุดที่อ่านได้",
    signin: "เข้าสู่ระบบ",
    token_label: "รหัสผู้ดูแล (rja_…)",
    signout: "ออกจากระบบ",
    unknown_token: "ไม่รู้จักรหัสนี้ หรือรหัสถูกยกเลิกแล้ว",
    not_admin: "ต้องใช้รหัสผู้ดูแล (rja_…) ไม่ใช่รหัสเครื่องลงทะเบียน",
    too_many: "ลองหลายครั้งเกินไป กรุณารอสักครู่แล้วลองใหม่",
    totals: "ผลการลงทะเบียนทั้งหมด",
    accepted: "ได้รับสิทธิ์",
    waitlisted: "รอคิว",
    duplicates: "ลงทะเบียนซ้ำ",
    rejected: "ต้องแก้ไข",
    superseded: "ถูกแก้ไขแทน",
    conflicts: "รหัสชนกัน",
    groups: "โควตาตามกลุ่มเป้าหมาย",
    group: "กลุ่ม",
    whole_campaign: "ทั้งโครงการ",
    quota: "โควตา",
    left: "คงเหลือ",
    no_quota: "ไม่จำกัด",
    points: "จุดลงทะเบียน",
    point: "จุดลงทะเบียน",
    kiosks: "เครื่องลงทะเบียน",
    kiosk: "เครื่อง",
    today: "วันนี้",
    heartbeat: "ติดต่อล่าสุด",
    pending: "ค้างส่ง",
    oldest: "ค้างนานสุด",
    version: "รุ่น",
    state: "สถานะ",
    never: "ไม่เคยติดต่อ",
    silent: "เงียบ",
    old_pending: "ค้างส่งนาน",
    fine: "ปกติ",
    silent_rule: "เงียบ = ไม่ติดต่อเกิน",
    pending_rule: "ค้างส่งนาน = เกิน",
    per_hour: "ลงทะเบียนรายชั่วโมง วันนี้",
    hub: "สถานะศูนย์กลาง",
    database: "ฐานข้อมูล",
    reachable: "ติดต่อได้",
    unreachable: "ติดต่อไม่ได้",
    shed: "ปฏิเสธเพราะงานล้น (503)",
    limited: "จำกัดอัตรา (429)",
    per_minute: "ครั้งใน 1 นาที",
    in_flight: "คำขอที่กำลังทำ",
    writer_queue: "งานรอบันทึก",
    hub_version: "รุ่นโปรแกรม",
    minutes: "นาที",
    minutes_ago: "นาทีที่แล้ว",
    no_kiosks: "ยังไม่มีเครื่องลงทะเบียน",
};

pub const EN: Text = Text {
    lang: "en",
    other: "th",
    other_name: "ไทย",
    title: "Registration overview",
    updated: "As of",
    lost: "The hub cannot be reached; these figures may be out of date",
    stale: "The database cannot be read; showing the last figures read",
    signin: "Sign in",
    token_label: "Admin token (rja_…)",
    signout: "Sign out",
    unknown_token: "Unknown or revoked token",
    not_admin: "This needs an admin token (rja_…), not a kiosk's",
    too_many: "Too many tries; wait a moment and try again",
    totals: "All outcomes",
    accepted: "Accepted",
    waitlisted: "Waiting list",
    duplicates: "Duplicates",
    rejected: "Rejected",
    superseded: "Superseded",
    conflicts: "Conflicts",
    groups: "Quota by target group",
    group: "Group",
    whole_campaign: "Whole campaign",
    quota: "Quota",
    left: "Left",
    no_quota: "no limit",
    points: "Registration points",
    point: "Registration point",
    kiosks: "Kiosks",
    kiosk: "Kiosk",
    today: "Today",
    heartbeat: "Last heard",
    pending: "Pending",
    oldest: "Oldest pending",
    version: "Version",
    state: "State",
    never: "never",
    silent: "Silent",
    old_pending: "Old pending",
    fine: "OK",
    silent_rule: "Silent = not heard for over",
    pending_rule: "Old pending = over",
    per_hour: "Registrations per hour, today",
    hub: "Hub",
    database: "Database",
    reachable: "reachable",
    unreachable: "unreachable",
    shed: "Shed, busy (503)",
    limited: "Rate limited (429)",
    per_minute: "in the last minute",
    in_flight: "Requests in progress",
    writer_queue: "Jobs waiting for the writer",
    hub_version: "Program version",
    minutes: "min",
    minutes_ago: "min ago",
    no_kiosks: "No kiosks yet",
};

/// The words for `?lang=` if given, else for the browser's first preference.
#[must_use]
pub fn choose(query: Option<&str>, accept_language: Option<&str>) -> &'static Text {
    match query {
        Some("en") => return &EN,
        Some("th") => return &TH,
        _ => {}
    }
    let first = accept_language
        .and_then(|a| a.split(',').next())
        .map(|l| l.trim().to_ascii_lowercase());
    if first.is_some_and(|l| l.starts_with("en")) {
        &EN
    } else {
        &TH
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_unless_asked_for_english() {
        assert_eq!(choose(None, None).lang, "th");
        assert_eq!(choose(None, Some("en-GB,en;q=0.8")).lang, "en");
        assert_eq!(choose(None, Some("th-TH,en;q=0.5")).lang, "th");
        assert_eq!(choose(Some("en"), Some("th")).lang, "en");
        assert_eq!(choose(Some("xx"), None).lang, "th");
    }
}
