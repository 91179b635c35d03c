//! Test-only access to the real-name fixture, and the three entries of it that are not clean.

/// 3,000 real Thai names, one a line (the `PyThaiNLP` corpus, CC BY-SA 4.0).
pub(crate) const NAMES: &str = include_str!("../../../tests/fixtures/thai-names-sample.txt");

/// The fixture entries that are typos of THAI.md §4's kinds, each with its corrected form.
/// Written by code point, since the two forms of each pair look the same on screen.
pub(crate) const TYPOS: [(&str, &str); 3] = [
    // หลัักคำ: MAI HAN-AKAT twice → หลักคำ
    (
        "\u{0E2B}\u{0E25}\u{0E31}\u{0E31}\u{0E01}\u{0E04}\u{0E33}",
        "\u{0E2B}\u{0E25}\u{0E31}\u{0E01}\u{0E04}\u{0E33}",
    ),
    // อ่อนรู้ที่ with MAI THO typed before SARA UU
    (
        "\u{0E2D}\u{0E48}\u{0E2D}\u{0E19}\u{0E23}\u{0E49}\u{0E39}\u{0E17}\u{0E35}\u{0E48}",
        "\u{0E2D}\u{0E48}\u{0E2D}\u{0E19}\u{0E23}\u{0E39}\u{0E49}\u{0E17}\u{0E35}\u{0E48}",
    ),
    // เอกพงษ์พันธ์ุ: THANTHAKHAT typed before SARA U → เอกพงษ์พันธุ์
    (
        "\u{0E40}\u{0E2D}\u{0E01}\u{0E1E}\u{0E07}\u{0E29}\u{0E4C}\u{0E1E}\u{0E31}\u{0E19}\u{0E18}\u{0E4C}\u{0E38}",
        "\u{0E40}\u{0E2D}\u{0E01}\u{0E1E}\u{0E07}\u{0E29}\u{0E4C}\u{0E1E}\u{0E31}\u{0E19}\u{0E18}\u{0E38}\u{0E4C}",
    ),
];

/// The fixture's names.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    NAMES.lines().filter(|l| !l.trim().is_empty())
}

/// Whether `name` is one of the known typos.
pub(crate) fn is_typo(name: &str) -> bool {
    TYPOS.iter().any(|(typo, _)| *typo == name)
}
