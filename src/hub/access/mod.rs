//! Access: who may do what — the token list as last read, people's roles and the access log,
//! the dashboard's sign-in sessions.

pub mod roles;
pub mod sessions;
pub mod tokens;
