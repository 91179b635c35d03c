//! `GET /dashboard`: the province's view of registration day in a browser, served by the hub.
//!
//! - Behind an admin token: `/dashboard/signin` takes it in a posted form (never in a URL) and
//!   opens a session (`session`, kept in the store so every hub process on it knows it) whose
//!   cookie is `HttpOnly`, `SameSite=Strict`; wrong tokens are limited per browser and overall
//!   (`throttle`), a right one never; a kiosk token is refused; the session ends at sign-out (a `POST`), at expiry,
//!   and within about a second of its admin token's revocation. Behind a reverse proxy, what it
//!   says is believed from `trusted_proxies` only, and forms come from `public_url` (`proxy`).
//! - The page is rendered on the server from askama templates in `assets/dashboard/` (checked
//!   when the hub is compiled): totals, each group's quota as bars, registration points and
//!   kiosks worst first, the hours of the day as an SVG chart (`chart`), the latest
//!   cancellations with who and why, the vaccination sites per day (`sites`), how many chose
//!   each answer of the form's choice questions (`choices`), the hub's own state (`view`), in
//!   Thai or English (`text`).
//!   One stylesheet and one small script, both served here; nothing is fetched from elsewhere.
//! - It updates itself: the script fetches `/dashboard/live` (the same part of the page) every
//!   `refresh`. Every page shares one snapshot of the store, read at most once per `refresh`
//!   (`snapshot::Cache`), so ten open dashboards cost the store what one does.
//! - No person's name, ID, phone or registration is read for it (answers are counted by the store).
//!
//! These routes pass none of the API's guards (no bearer token, no shared slot): a page view is a
//! cookie check (one small read of the store a second at most) and, at most once per `refresh`,
//! one read.

mod chart;
mod choices;
pub mod download;
pub mod page;
pub mod proxy;
pub mod signin;
mod sites;
mod snapshot;
pub mod state;
mod text;
pub mod throttle;
mod view;
