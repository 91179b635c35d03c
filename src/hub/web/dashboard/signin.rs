//! The dashboard's doors: the sign-in form (`GET /dashboard/signin`), taking an admin token from
//! it (`POST`, from the hub's own page only) into a session (`session`), and sign-out (`POST`).
//! Wrong tokens are limited per browser and for everybody (`throttle`); a right one never is.

use std::sync::Arc;
use std::time::Instant;

use askama::Template;
use axum::Extension;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::page::{LangQuery, MAX_SIGNIN_BYTES, html, see_other, words};
use super::proxy;
use super::state::Dashboard;
use super::text::Text;
use crate::hub::access::sessions as session;
use crate::hub::places::kiosks::{self, Caller};
use crate::hub::web::body::{BodyLimits, read_bytes};
use crate::hub::web::guard;
use crate::hub::web::server::Peer;
use crate::hub::web::state::{Door, Shared};

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInHtml {
    t: &'static Text,
    message: Option<&'static str>,
}

fn signin_page(status: StatusCode, t: &'static Text, message: Option<&'static str>) -> Response {
    html(status, SignInHtml { t, message }.render())
}

/// The sign-in form again, saying that the store cannot be reached (`503`, with when to retry):
/// a page in the chosen language, as the rest of the dashboard.
fn store_down(door: &Door, t: &'static Text) -> Response {
    let mut r = signin_page(StatusCode::SERVICE_UNAVAILABLE, t, Some(t.store_down));
    r.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(door.retry_after_secs),
    );
    r
}

pub(crate) async fn form(Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    signin_page(StatusCode::OK, words(&q, &headers), None)
}

/// What the request came through (`proxy`): its client's address, and whether a trusted proxy
/// forwarded it.
fn via(dashboard: &Dashboard, peer: Option<&Extension<Peer>>, headers: &HeaderMap) -> proxy::Via {
    dashboard
        .opts
        .proxies
        .via(peer.map(|p| p.0.0.ip()), headers)
}

fn forbidden_origin() -> Response {
    (
        StatusCode::FORBIDDEN,
        "This form is posted from the hub's own page only",
    )
        .into_response()
}

/// Why a sign-in's token was not looked at.
enum Refused {
    /// Too many wrong tries from this browser, or from everybody: the seconds to wait.
    Throttled(u64),
    StoreDown,
}

/// The owner of `token`, if any. An admin token in the token list (read at most a second ago)
/// signs in at once, however many wrong tries came before it from anywhere: only the others
/// take a try from `client`'s bucket and everybody's (`throttle`) before the store is asked
/// again, so a flood of guesses from many addresses is slowed and the real admin is not.
async fn owner(
    st: &Arc<Shared>,
    token: &str,
    client: Option<std::net::IpAddr>,
) -> Result<Option<Caller>, Refused> {
    let plausible = !token.is_empty() && token.len() <= 128;
    if plausible {
        let list = guard::active_tokens(st)
            .await
            .map_err(|_| Refused::StoreDown)?;
        if let Some(c) = kiosks::find(&list, token).filter(|c| c.admin) {
            return Ok(Some(c.clone()));
        }
    }
    st.dashboard
        .throttle
        .check(client, Instant::now())
        .map_err(Refused::Throttled)?;
    if !plausible {
        return Ok(None);
    }
    guard::lookup(st, token)
        .await
        .map_err(|_| Refused::StoreDown)
}

pub(crate) async fn signin(
    State(st): State<Arc<Shared>>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let via = via(&st.dashboard, peer.as_ref(), &headers);
    let proxies = &st.dashboard.opts.proxies;
    if !proxies.same_origin(&headers, &via) {
        return forbidden_origin();
    }
    let limits = BodyLimits {
        max_bytes: MAX_SIGNIN_BYTES,
        max_depth: 1,
        timeout: st.door.body_limits.timeout,
    };
    let bytes = match read_bytes(&headers, body, limits).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let (mut token, mut lang) = (String::new(), None);
    for (k, v) in form_urlencoded::parse(&bytes) {
        match &*k {
            "token" => token = v.trim().to_owned(),
            "lang" => lang = Some(v.into_owned()),
            _ => {}
        }
    }
    let t = words(&LangQuery { lang }, &headers);
    let caller = match owner(&st, &token, via.client).await {
        Ok(c) => c,
        Err(Refused::Throttled(secs)) => {
            let mut r = signin_page(StatusCode::TOO_MANY_REQUESTS, t, Some(t.too_many));
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            return r;
        }
        Err(Refused::StoreDown) => return store_down(&st.door, t),
    };
    match caller {
        None => signin_page(StatusCode::UNAUTHORIZED, t, Some(t.unknown_token)),
        Some(c) if !c.admin => signin_page(StatusCode::FORBIDDEN, t, Some(t.not_admin)),
        Some(c) => {
            let hash = kiosks::hash_token(&token);
            let value = match st.dashboard.sessions.create(&st.reads, hash, &c.name).await {
                Ok(v) => v,
                Err(e) => {
                    tracing::warn!("dashboard: no session could be stored: {e}");
                    return store_down(&st.door, t);
                }
            };
            let lifetime = st.dashboard.sessions.lifetime();
            let cookie = session::set_cookie(&value, lifetime, proxies.secure(&via));
            tracing::info!(admin = %c.name, "dashboard: signed in");
            see_other(&format!("/dashboard?lang={}", t.lang), Some(cookie))
        }
    }
}

pub(crate) async fn signout(
    State(st): State<Arc<Shared>>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    let via = via(&st.dashboard, peer.as_ref(), &headers);
    if !st.dashboard.opts.proxies.same_origin(&headers, &via) {
        return forbidden_origin();
    }
    for v in session::cookie_values(&headers) {
        st.dashboard.sessions.end(&st.reads, &v).await;
    }
    see_other("/dashboard/signin", Some(session::clear_cookie()))
}
