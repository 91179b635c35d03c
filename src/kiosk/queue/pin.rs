//! A PIN as the clerk typed it or `RUAMJAI_PIN` gave it, on its way to the queue that opens
//! the shift with it (`shift`): never printed, zeroed when dropped.

/// A PIN as typed: printed as `***`, its bytes zeroed when it is dropped.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    #[must_use]
    pub fn new(pin: impl Into<String>) -> Self {
        Self(pin.into())
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(***)")
    }
}

impl Drop for Pin {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.fill(0);
        std::hint::black_box(&bytes);
    }
}

/// The fewest characters of a PIN the clerk chooses at the kiosk's first start.
pub const MIN_CHOSEN_PIN_CHARS: usize = 6;

/// Why a PIN chosen at the kiosk is too easy to guess ([`weakness`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Weakness {
    #[error("a PIN chosen here has at least {MIN_CHOSEN_PIN_CHARS} characters")]
    Short,
    #[error("a PIN of one key pressed again and again (such as 000000) is guessed first")]
    OneKey,
    #[error("a PIN that counts up or down (such as 123456) is guessed first")]
    Run,
    #[error("a PIN that repeats a short group (such as 121212) is guessed first")]
    Repeated,
}

/// Why `pin` is too weak to be chosen as the counter's PIN, or `None`: at least
/// [`MIN_CHOSEN_PIN_CHARS`] characters, not one key repeated, not a run up or down (`123456`,
/// `987654`), not a short group repeated (`121212`, `123123`).
#[must_use]
pub fn weakness(pin: &str) -> Option<Weakness> {
    let chars: Vec<char> = pin.chars().collect();
    if chars.len() < MIN_CHOSEN_PIN_CHARS {
        return Some(Weakness::Short);
    }
    let repeats_every = |p: usize| (p..chars.len()).all(|i| chars[i] == chars[i - p]);
    if repeats_every(1) {
        return Some(Weakness::OneKey);
    }
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0])))
        .collect();
    if steps.iter().all(|&s| s == 1) || steps.iter().all(|&s| s == -1) {
        return Some(Weakness::Run);
    }
    if (2..=chars.len() / 2).any(repeats_every) {
        return Some(Weakness::Repeated);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{Weakness, weakness};

    #[test]
    fn a_chosen_pin_is_long_enough_and_not_the_first_guess() {
        for (pin, why) in [
            ("2468", Weakness::Short),
            ("13579", Weakness::Short),
            ("000000", Weakness::OneKey),
            ("111111", Weakness::OneKey),
            ("123456", Weakness::Run),
            ("012345", Weakness::Run),
            ("987654", Weakness::Run),
            ("121212", Weakness::Repeated),
            ("123123", Weakness::Repeated),
            ("1231231", Weakness::Repeated),
        ] {
            assert_eq!(weakness(pin), Some(why), "{pin}");
        }
        for pin in ["135792", "240913", "1234567890x", "ลำไย2569"] {
            assert_eq!(weakness(pin), None, "{pin}");
        }
    }
}
