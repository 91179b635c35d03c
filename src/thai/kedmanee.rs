//! STUB (until the thai branch has it): the Kedmanee layout on a US keyboard (THAI.md §5).

const UNSHIFTED: &str =
    "`_1ๅ2/3-4ภ5ถ6ุ7ึ8ค9ต0จ-ข=ชqๆwไeำrพtะyัuีiรoนpย[บ]ล\\ฃaฟsหdกfดgเh้j่kาlส;ว'งzผxปcแvอbิnืmท,ม.ใ/ฝ";
const SHIFTED: &str =
    "~%!+@๑#๒$๓%๔^ู&฿*๕(๖)๗_๘+๙Q๐W\"EฎRฑTธYํU๊IณOฯPญ{ฐ},|ฅAฤSฆDฏFโGฌH็J๋KษLศ:ซ\".Z(X)CฉVฮBฺN์M?<ฒ>ฬ?ฦ";

/// The Thai character the Kedmanee layout puts on US key `c`, if any.
pub fn to_thai(c: char) -> Option<char> {
    for table in [UNSHIFTED, SHIFTED] {
        let v: Vec<char> = table.chars().collect();
        for pair in v.chunks(2) {
            if pair[0] == c {
                return Some(pair[1]);
            }
        }
    }
    None
}

/// Maps every key of `s`; keys with no Thai character stay as they are.
pub fn map_str(s: &str) -> String {
    s.chars().map(|c| to_thai(c).unwrap_or(c)).collect()
}
