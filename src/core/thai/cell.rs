//! A text cell written to a CSV file that a spreadsheet opens: one that Excel or LibreOffice
//! would run as a formula is made inert. Both exports use it (the kiosk's `ruamjai export` and
//! the hub's `hub export`), so one rule holds for every file a clerk or an officer opens.

/// What a cell may not start with: a formula (`=`, `+`, `-`, `@`) or the tab and carriage
/// return that some spreadsheets skip before reading one (OWASP, "CSV Injection").
const STARTS_A_FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` with a `'` before it when a spreadsheet would run it as a formula; Excel and
/// LibreOffice show such a cell as the text after the `'`. Other cells are returned as they are.
#[must_use]
pub fn inert(cell: String) -> String {
    if cell.starts_with(STARTS_A_FORMULA) {
        format!("'{cell}")
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn a_formula_is_quoted_and_text_is_left_alone() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\r=1"] {
            assert_eq!(inert(cell.to_owned()), format!("'{cell}"));
        }
        for cell in ["", "สมชาย", "1", " =1", "a=b"] {
            assert_eq!(inert(cell.to_owned()), cell);
        }
    }
}
