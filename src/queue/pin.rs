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
