//! The route table: every route the hub serves, declared once — its method and path, who may
//! call it, its label in `/metrics` and its operation in `assets/openapi.yaml`. The router is
//! built from it (`router`), the guard looks up who may call the route it matched (`guard`), and
//! the metrics label each answer by it; a test holds the OpenAPI file to it.

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone: no token, no guard (`/v1/health`; `/v1/enrol`, which checks its code itself).
    Public,
    /// A kiosk's token (an admin's is refused: it cannot act as a kiosk).
    Kiosk,
    /// A check-in kiosk's token: a kiosk enrolled for a vaccination site (`hub add-kiosk NAME
    /// --site ID`); any other kiosk is answered `404 not_a_site_kiosk`.
    Site,
    /// An admin's token.
    Admin,
    /// A token that may read personal data: a reader's (within its amphoes) or an admin's.
    Reader,
    /// A browser: the dashboard checks its own sign-in session, behind none of the API's guards.
    Dashboard,
}

impl Access {
    /// Whether the route passes the API's guards (a bearer token, its limits, a shared slot).
    #[must_use]
    pub fn guarded(self) -> bool {
        matches!(
            self,
            Access::Kiosk | Access::Site | Access::Admin | Access::Reader
        )
    }
}

/// What answers a route (the router maps each to its handler).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handler {
    Health,
    Enrol,
    Submit,
    Lookup,
    Campaign,
    Heartbeat,
    Cancellations,
    Outcomes,
    SiteList,
    Doses,
    Stats,
    Registrations,
    Metrics,
    DashboardPage,
    DashboardLive,
    DashboardExport,
    SigninForm,
    Signin,
    Signout,
    Stylesheet,
    Script,
}

/// One route.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// As axum matches it (`/v1/submissions/{id}`), and as the OpenAPI file names it.
    pub path: &'static str,
    pub access: Access,
    /// The `route` label of its answers in `/metrics`.
    pub label: &'static str,
    /// Its `operationId` in `assets/openapi.yaml`.
    pub operation_id: &'static str,
    pub handler: Handler,
}

const fn route(
    method: &'static str,
    path: &'static str,
    access: Access,
    label: &'static str,
    operation_id: &'static str,
    handler: Handler,
) -> Route {
    Route {
        method,
        path,
        access,
        label,
        operation_id,
        handler,
    }
}

use Access::{Admin, Dashboard, Kiosk, Public, Reader, Site};

/// Every route the hub serves.
pub static ROUTES: &[Route] = &[
    route(
        "GET",
        "/v1/health",
        Public,
        "/v1/health",
        "health",
        Handler::Health,
    ),
    route(
        "POST",
        "/v1/enrol",
        Public,
        "/v1/enrol",
        "enrol",
        Handler::Enrol,
    ),
    route(
        "POST",
        "/v1/submissions",
        Kiosk,
        "/v1/submissions",
        "submit",
        Handler::Submit,
    ),
    route(
        "GET",
        "/v1/submissions/{id}",
        Kiosk,
        "/v1/submissions/{id}",
        "lookupSubmission",
        Handler::Lookup,
    ),
    route(
        "GET",
        "/v1/campaign",
        Kiosk,
        "/v1/campaign",
        "campaign",
        Handler::Campaign,
    ),
    route(
        "POST",
        "/v1/heartbeat",
        Kiosk,
        "/v1/heartbeat",
        "heartbeat",
        Handler::Heartbeat,
    ),
    route(
        "POST",
        "/v1/cancellations",
        Kiosk,
        "/v1/cancellations",
        "cancel",
        Handler::Cancellations,
    ),
    route(
        "GET",
        "/v1/outcomes",
        Kiosk,
        "/v1/outcomes",
        "outcomes",
        Handler::Outcomes,
    ),
    route(
        "GET",
        "/v1/site/list",
        Site,
        "/v1/site/list",
        "siteList",
        Handler::SiteList,
    ),
    route(
        "POST",
        "/v1/doses",
        Site,
        "/v1/doses",
        "doses",
        Handler::Doses,
    ),
    route(
        "GET",
        "/v1/stats",
        Admin,
        "/v1/stats",
        "stats",
        Handler::Stats,
    ),
    route(
        "GET",
        "/v1/registrations",
        Reader,
        "/v1/registrations",
        "registrations",
        Handler::Registrations,
    ),
    route(
        "GET",
        "/metrics",
        Admin,
        "/metrics",
        "metrics",
        Handler::Metrics,
    ),
    route(
        "GET",
        "/dashboard",
        Dashboard,
        "/dashboard",
        "dashboard",
        Handler::DashboardPage,
    ),
    route(
        "GET",
        "/dashboard/live",
        Dashboard,
        "/dashboard/live",
        "dashboardLive",
        Handler::DashboardLive,
    ),
    route(
        "GET",
        "/dashboard/export",
        Dashboard,
        "/dashboard/export",
        "dashboardExport",
        Handler::DashboardExport,
    ),
    route(
        "GET",
        "/dashboard/signin",
        Dashboard,
        "/dashboard/signin",
        "signinForm",
        Handler::SigninForm,
    ),
    route(
        "POST",
        "/dashboard/signin",
        Dashboard,
        "/dashboard/signin",
        "signin",
        Handler::Signin,
    ),
    route(
        "POST",
        "/dashboard/signout",
        Dashboard,
        "/dashboard/signout",
        "signout",
        Handler::Signout,
    ),
    route(
        "GET",
        "/dashboard/dashboard.css",
        Dashboard,
        "/dashboard/dashboard.css",
        "dashboardStylesheet",
        Handler::Stylesheet,
    ),
    route(
        "GET",
        "/dashboard/dashboard.js",
        Dashboard,
        "/dashboard/dashboard.js",
        "dashboardScript",
        Handler::Script,
    ),
];

/// The route matched at `path` (as axum matched it) for `method` (`HEAD` is a `GET`'s).
#[must_use]
pub fn find(method: &str, path: &str) -> Option<&'static Route> {
    let method = if method.eq_ignore_ascii_case("HEAD") {
        "GET"
    } else {
        method
    };
    ROUTES
        .iter()
        .find(|r| r.path == path && r.method.eq_ignore_ascii_case(method))
}
