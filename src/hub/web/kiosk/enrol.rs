//! `POST /v1/enrol`: an enrolment code's name and secret traded, once, for the kiosk's new token
//! and the hub's sealing key. No token is needed, so it is limited like the dashboard's sign-in
//! (per address and for everybody, `dashboard::throttle`) before the store is asked.
//!
//! Single use is the store's: one statement marks the code used only where it is still unused
//! and unexpired, in the same transaction that gives the kiosk its new token (which replaces any
//! earlier one). Otherwise the answer says which: `404 wrong_code` (no such code for that name),
//! `409 code_used`, `410 code_expired`, `410 kiosk_revoked` (revoked since the code was made);
//! each changes nothing.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

use axum::{Extension, Json};
use sha2::{Digest, Sha256};

use crate::core::enrolment::{EnrolAnswer, EnrolRequest, from_base32};
use crate::hub::clock::now_ms;
use crate::hub::places::kiosks;
use crate::hub::store::db::{Db, DbError, Param};
use crate::hub::web::body::{ApiError, BodyLimits, read_json};
use crate::hub::web::dashboard::throttle::Throttle;
use crate::hub::web::server::Peer;
use crate::hub::web::state::Shared;

/// An enrolment body is small.
const MAX_ENROL_BYTES: usize = 4 * 1024;

/// What a trade came to.
enum Traded {
    Done { kiosk: String, point: String },
    Wrong,
    Used,
    Expired,
    Revoked,
}

pub async fn enrol(
    State(st): State<Arc<Shared>>,
    Extension(throttle): Extension<Arc<Throttle>>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<EnrolAnswer>, ApiError> {
    let client = peer.map(|p| p.0.0.ip());
    throttle.check(client, Instant::now()).map_err(|wait| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many enrolment tries; wait and try again",
        )
        .retry_after(wait)
    })?;
    let limits = BodyLimits {
        max_bytes: MAX_ENROL_BYTES,
        ..st.door.body_limits
    };
    let req: EnrolRequest = read_json(&headers, body, limits).await?;
    let wrong = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "wrong_code",
            "No such enrolment code for this kiosk: check it, or ask for a new one",
        )
    };
    let secret = from_base32(req.secret.trim())
        .filter(|s| s.len() == 16)
        .ok_or_else(wrong)?;
    let hash: [u8; 32] = Sha256::digest(&secret).into();
    let token =
        kiosks::new_token(false).map_err(|e| ApiError::storage(&e, st.door.retry_after_secs))?;
    let token_hash = kiosks::hash_token(&token);
    let name = req.name.clone();
    let reads = Arc::clone(&st.reads);
    let traded = tokio::task::spawn_blocking(move || {
        reads.with(|db| trade(db, &hash, &name, &token_hash, now_ms()))
    })
    .await
    .map_err(|_| {
        ApiError::storage(
            &crate::hub::error::HubError::WriterStopped,
            st.door.retry_after_secs,
        )
    })?
    .map_err(|e| ApiError::storage(&e, st.door.retry_after_secs))?;
    let who = client.map_or_else(|| "-".to_owned(), |ip| ip.to_string());
    let refused = |status, word, message: &str| {
        tracing::warn!(kiosk = %req.name, peer = %who, "enrolment refused: {word}");
        Err(ApiError::new(status, word, message))
    };
    match traded {
        Traded::Done { kiosk, point } => {
            tracing::info!(%kiosk, peer = %who, "kiosk enrolled");
            Ok(Json(EnrolAnswer {
                kiosk_id: kiosk,
                point,
                token,
                seal_key: st.credentials.keys.published(),
            }))
        }
        Traded::Wrong => {
            tracing::warn!(kiosk = %req.name, peer = %who, "enrolment refused: wrong_code");
            Err(wrong())
        }
        Traded::Used => refused(
            StatusCode::CONFLICT,
            "code_used",
            "This enrolment code was used already (a code works once): ask for a new one",
        ),
        Traded::Expired => refused(
            StatusCode::GONE,
            "code_expired",
            "This enrolment code has expired: ask for a new one",
        ),
        Traded::Revoked => refused(
            StatusCode::GONE,
            "kiosk_revoked",
            "This kiosk was revoked at the hub after the code was made: ask for a new one",
        ),
    }
}

/// Marks the code used and gives the kiosk its new token, in one transaction; or says why not,
/// changing nothing.
fn trade(
    db: &mut dyn Db,
    hash: &[u8; 32],
    name: &str,
    token_hash: &[u8; 32],
    now: i64,
) -> Result<Traded, DbError> {
    db.begin_write()?;
    let done = (|| {
        let used = db.execute(
            "UPDATE enrolments SET used_at = ?3
             WHERE secret_hash = ?1 AND upper(kiosk) = upper(?2)
                 AND used_at IS NULL AND expires_at > ?3",
            &[hash.as_slice().into(), Param::Text(name), now.into()],
        )?;
        if used != 1 {
            return Ok(None);
        }
        let kiosk = db.query_opt(
            "UPDATE kiosks SET token_hash = ?2
             WHERE upper(name) = upper(?1) AND revoked_at IS NULL AND is_admin = 0
             RETURNING name, point",
            &[Param::Text(name), token_hash.as_slice().into()],
        )?;
        kiosk
            .map(|row| {
                Ok(Traded::Done {
                    kiosk: row.text("name")?,
                    point: row.text("point")?,
                })
            })
            .transpose()
            .map(|t| Some(t.unwrap_or(Traded::Revoked)))
    })();
    match done {
        Ok(Some(Traded::Done { kiosk, point })) => {
            db.batch("COMMIT")?;
            Ok(Traded::Done { kiosk, point })
        }
        Ok(other) => {
            db.batch("ROLLBACK")?;
            match other {
                Some(t) => Ok(t),
                None => why_not(db, hash, name, now),
            }
        }
        Err(e) => {
            let _ = db.batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Why a code could not be traded: not there for this name, used, or expired.
fn why_not(db: &mut dyn Db, hash: &[u8; 32], name: &str, now: i64) -> Result<Traded, DbError> {
    let row = db.query_opt(
        "SELECT used_at, expires_at FROM enrolments
         WHERE secret_hash = ?1 AND upper(kiosk) = upper(?2)",
        &[hash.as_slice().into(), Param::Text(name)],
    )?;
    let Some(row) = row else {
        return Ok(Traded::Wrong);
    };
    Ok(if row.opt_int("used_at")?.is_some() {
        Traded::Used
    } else if row.int("expires_at")? <= now {
        Traded::Expired
    } else {
        Traded::Wrong
    })
}
