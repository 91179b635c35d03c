//! `GET /v1/registrations` for a reader's or an admin's token: the entries of `hub export` as
//! JSON, each with its record's `form_version` and its `answers` by question key
//! ([`Entry::json`](crate::hub::export::rows::Entry::json)), filtered the same way (`state`, `group`, `kiosk`, `since`), a page at a time after the
//! cursor `after` (the `next` of the page before). New registrations always come after every
//! cursor already given out, so paging to the end while kiosks send neither skips nor repeats a
//! row. A reader limited to amphoes gets only the registrations whose address is in them (a
//! page may then hold fewer than `limit`; `more` still says whether to ask again). Each page
//! answered is one row of the access log (`hub audit`).

use std::sync::Arc;

use axum::extract::{RawQuery, State as With};
use axum::{Extension, Json};

use crate::hub::clock::now_ms as now;
use crate::hub::export::page::page;
use crate::hub::export::rows::{Filter, State, parse_since};
use crate::hub::places::kiosks::Caller;
use crate::hub::web::body::ApiError;
use crate::hub::web::read::read;
use crate::hub::web::state::Shared;

/// Entries on a page unless `limit` says fewer; and at most.
const DEFAULT_LIMIT: usize = 500;
const MAX_LIMIT: usize = 1000;

/// The filter, cursor and page size a query string asks for, or what is wrong with it.
fn parse(query: Option<&str>) -> Result<(Filter, i64, usize), String> {
    let (mut filter, mut after, mut limit) = (Filter::default(), 0, DEFAULT_LIMIT);
    for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let number = |what: &str| {
            value
                .parse::<u64>()
                .map_err(|_| format!("{key}={value:?}: {what}"))
        };
        match key.as_ref() {
            "state" => {
                filter.state = Some(<State as clap::ValueEnum>::from_str(&value, false).map_err(|_| {
                    format!(
                        "state={value:?}: one of accepted, waitlisted, duplicate, rejected, cancelled, superseded"
                    )
                })?);
            }
            "group" => {
                filter.group = Some(
                    u8::try_from(number("a target group's number")?)
                        .map_err(|_| format!("group={value:?}: a target group's number"))?,
                );
            }
            "kiosk" => filter.kiosk = Some(value.into_owned()),
            "since" => filter.since_ms = Some(parse_since(&value).map_err(|e| e.to_string())?),
            "after" => {
                after = i64::try_from(number("the `next` of the page before")?).unwrap_or(i64::MAX);
            }
            "limit" => {
                limit = usize::try_from(number("how many on a page")?)
                    .unwrap_or(MAX_LIMIT)
                    .clamp(1, MAX_LIMIT);
            }
            _ => {
                return Err(format!(
                    "unknown parameter {key:?}: give state, group, kiosk, since, after or limit"
                ));
            }
        }
    }
    Ok((filter, after, limit))
}

/// `GET /v1/registrations?state=&group=&kiosk=&since=&after=&limit=`.
pub async fn registrations(
    With(st): With<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    RawQuery(query): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (filter, after, limit) = parse(query.as_deref()).map_err(ApiError::bad_request)?;
    let asked = query.unwrap_or_default();
    let (who, reach) = (caller.name.clone(), caller.reach.clone());
    let (entries, next, more) = read(&st, move |db| {
        // One more than asked says whether another page follows.
        let mut entries = page(db, &filter, after, limit + 1)?;
        let more = entries.len() > limit;
        entries.truncate(limit);
        let next = entries.last().map_or(after, |e| e.row_seq);
        entries.retain(|e| {
            e.registration
                .as_ref()
                .is_some_and(|r| reach.covers(&r.address.amphoe))
                || reach.amphoes.is_empty()
        });
        let rows = entries.len() as u64;
        crate::hub::access::roles::record(db, &who, "GET /v1/registrations", &asked, rows, now())?;
        Ok((entries, next, more))
    })
    .await?;
    Ok(Json(serde_json::json!({
        "registrations": entries.iter().map(crate::hub::export::rows::Entry::json).collect::<Vec<_>>(),
        "next": next,
        "more": more,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_names_its_filter_or_says_what_is_wrong() {
        let (f, after, limit) =
            parse(Some("state=waitlisted&group=3&kiosk=SK01&after=42")).unwrap();
        assert_eq!(f.state, Some(State::Waitlisted));
        assert_eq!(
            (f.group, f.kiosk.as_deref(), after, limit),
            (Some(3), Some("SK01"), 42, 500)
        );
        assert_eq!(parse(Some("limit=100000")).unwrap().2, MAX_LIMIT);
        assert_eq!(parse(None).unwrap(), (Filter::default(), 0, DEFAULT_LIMIT));
        for (q, says) in [
            ("state=paid", "one of accepted"),
            ("group=300", "target group"),
            ("after=-1", "`next`"),
            ("page=2", "unknown parameter"),
            ("since=yesterday", "YYYY-MM-DD"),
        ] {
            let e = parse(Some(q)).unwrap_err();
            assert!(e.contains(says), "{q}: {e}");
        }
    }
}
