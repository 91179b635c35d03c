//! The web layer: the accept loop, the guards every request passes, the bodies, the kiosk API,
//! the admin API and the dashboard, all reached through one route table.

pub mod admin;
pub mod body;
pub mod dashboard;
pub mod guard;
pub mod hub;
pub mod kiosk;
pub mod ratelimit;
pub mod read;
pub mod refusals;
pub mod router;
pub mod routes;
pub mod server;
pub mod state;
pub mod tls;
