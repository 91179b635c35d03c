//! Places and kiosks: the registration points, the kiosks (and admins) on the token list.

pub mod kiosks;
