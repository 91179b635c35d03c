//! What a Thai title says about the person: นาย, เด็กชาย, พระภิกษุ and สามเณร are male; นาง,
//! นางสาว, เด็กหญิง and แม่ชี female. The kiosk fills the sex field from the title (the clerk
//! can still change it), and validation warns when the two disagree.

use super::{Sex, Warning};

/// A warning when `sex` is not the one `title` implies.
#[must_use]
pub fn sex_warning(title: &str, sex: Option<Sex>) -> Option<Warning> {
    let implied = sex_of_title(title)?;
    (sex? != implied).then(|| Warning::SexNotTitle {
        title: title.to_owned(),
    })
}

/// The sex a title implies, when it implies one.
#[must_use]
pub fn sex_of_title(title: &str) -> Option<Sex> {
    match title.trim() {
        "นาย" | "เด็กชาย" | "ด.ช." | "พระภิกษุ" | "พระ" | "สามเณร" | "ณ." => {
            Some(Sex::Male)
        }
        "นาง" | "นางสาว" | "น.ส." | "เด็กหญิง" | "ด.ญ." | "แม่ชี" => {
            Some(Sex::Female)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gendered_title_the_issue_names() {
        for t in ["นาย", "เด็กชาย", "พระภิกษุ", "สามเณร"]
        {
            assert_eq!(sex_of_title(t), Some(Sex::Male), "{t}");
        }
        for t in ["นาง", "นางสาว", "เด็กหญิง", "แม่ชี"]
        {
            assert_eq!(sex_of_title(t), Some(Sex::Female), "{t}");
        }
        assert_eq!(sex_of_title("ดร."), None);
        assert_eq!(sex_of_title(""), None);
    }
}
