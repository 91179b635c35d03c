//! STUB
pub fn normalize_text(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("เเ", "แ")
}
pub fn thai_digits_to_ascii(s: &str) -> String {
    s.chars()
        .map(|c| {
            if ('๐'..='๙').contains(&c) {
                char::from(b'0' + (c as u32 - '๐' as u32) as u8)
            } else {
                c
            }
        })
        .collect()
}
