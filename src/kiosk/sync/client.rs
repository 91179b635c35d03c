//! The HTTP side of sync: a `reqwest` client for one hub address (rustls, optional private CA for
//! provincial networks or the hub's certificate pinned by its SHA-256 (`pinned`), connect and
//! request timeouts) and the classification of every answer
//! before anyone decides to retry: unreachable (another address may answer), transient,
//! wait-as-told, not authorised, too large, or permanent. A network failure is put in words
//! naming its cause and the fix in `cause`.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::backoff::parse_retry_after;
use super::cause::describe;
use crate::core::protocol::{
    API_PREFIX, BatchResponse, CampaignStatus, CancellationBatch, DoseBatch, DoseResponse,
    ErrorBody, Heartbeat, OutcomeChanges, SiteList, SubmissionBatch,
};
use crate::kiosk::config::SyncSettings;

/// Why an exchange with the hub did not give an answer to use.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// This address did not answer: refused, reset, DNS, TLS handshake, timeout, an answer cut
    /// off, or a gateway's 502/503/504 without Retry-After. Retry later, or another address of
    /// the same hub now.
    #[error("{0}")]
    Unreachable(String),
    /// 408, 429 and 5xx without Retry-After, an unparseable answer: the hub answered, but not
    /// usefully; retry later.
    #[error("{0}")]
    Transient(String),
    /// 429 or 503 with Retry-After: wait exactly that long.
    #[error("hub busy ({status}), asked to wait {wait:?}")]
    RetryAfter { status: u16, wait: Duration },
    /// 401/403: the token is wrong or revoked.
    #[error("kiosk not authorised by the hub ({0})")]
    Unauthorized(u16),
    /// 413: the batch is larger than the hub takes.
    #[error("batch too large for the hub")]
    TooLarge,
    /// Any other 4xx: retrying the same request will not help.
    #[error("hub refused the request ({status}): {message}")]
    Permanent { status: u16, message: String },
}

impl SendError {
    /// Whether another address of the hub should be tried at once for the same request: this
    /// one did not answer, or answered 503 (shedding, or its store is out of reach). A 429 is
    /// this kiosk's own rate (slow down, same hub); 401/403 is the token, the same everywhere.
    #[must_use]
    pub fn fails_over(&self) -> bool {
        matches!(
            self,
            SendError::Unreachable(_) | SendError::RetryAfter { status: 503, .. }
        )
    }
}

/// A client for one hub address.
#[derive(Clone, Debug)]
pub struct HubClient {
    http: reqwest::Client,
    base: String,
    token: String,
}

/// The client could not be built (bad URL, unreadable CA file).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ClientError(pub String);

impl HubClient {
    /// A client for `url` with `token`; `ca_file` adds a PEM root (a province's own CA);
    /// `cert_pin` trusts exactly the certificate with that SHA-256 instead (from enrolment).
    pub fn new(
        url: &str,
        token: &str,
        settings: &SyncSettings,
        ca_file: Option<&std::path::Path>,
        cert_pin: Option<[u8; 32]>,
    ) -> Result<Self, ClientError> {
        let secs = |s: f64| Duration::from_secs_f64(s.max(0.1));
        let mut builder = reqwest::Client::builder()
            .connect_timeout(secs(settings.connect_timeout_secs))
            .timeout(secs(settings.request_timeout_secs))
            // The hub closes a connection idle for its header timeout (10 s by default): drop
            // ours first, so a request is not sent down a socket the hub is closing.
            .pool_idle_timeout(Duration::from_secs(5))
            .user_agent(concat!("ruamjai/", env!("CARGO_PKG_VERSION")));
        if let Some(pin) = cert_pin {
            let tls =
                super::pinned::client_config(pin).map_err(|e| ClientError(format!("TLS: {e}")))?;
            builder = builder.use_preconfigured_tls(tls);
        } else if let Some(path) = ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| ClientError(format!("CA file {}: {e}", path.display())))?;
            let cert = reqwest::Certificate::from_pem(&pem)
                .map_err(|e| ClientError(format!("CA file {}: {e}", path.display())))?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder
            .build()
            .map_err(|e| ClientError(format!("HTTP client: {e}")))?;
        let base = url.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ClientError(format!(
                "hub_url {url:?} must start with http:// or https://"
            )));
        }
        Ok(Self {
            http,
            base,
            token: token.to_owned(),
        })
    }

    /// The address this client sends to (as configured, without a trailing `/`).
    #[must_use]
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{API_PREFIX}{path}", self.base)
    }

    /// Sends one batch; the answer is checked to hold one outcome per item, in order.
    pub async fn submit(&self, batch: &SubmissionBatch) -> Result<BatchResponse, SendError> {
        let req = self.http.post(self.url("/submissions")).json(batch);
        let resp: BatchResponse = self.exchange(req).await?;
        let same = resp.outcomes.len() == batch.items.len()
            && resp
                .outcomes
                .iter()
                .zip(&batch.items)
                .all(|(o, i)| o.submission_id == i.submission_id);
        if same {
            Ok(resp)
        } else {
            Err(SendError::Transient(
                "hub answer does not match the batch".into(),
            ))
        }
    }

    /// Tells the hub this kiosk is alive and how much it holds.
    pub async fn heartbeat(&self, hb: &Heartbeat) -> Result<(), SendError> {
        let req = self.http.post(self.url("/heartbeat")).json(hb);
        let _: serde_json::Value = self.exchange(req).await?;
        Ok(())
    }

    /// Tells the hub of records cancelled here; each one's outcome after.
    pub async fn cancel(&self, batch: &CancellationBatch) -> Result<BatchResponse, SendError> {
        let req = self.http.post(self.url("/cancellations")).json(batch);
        self.exchange(req).await
    }

    /// The changes of this kiosk's records' outcomes after cursor `after`.
    pub async fn outcomes(&self, after: u64) -> Result<OutcomeChanges, SendError> {
        let req = self.http.get(self.url(&format!("/outcomes?after={after}")));
        self.exchange(req).await
    }

    /// Trades an enrolment code's secret for this kiosk's token (`POST /v1/enrol`, no token).
    pub async fn enrol(
        &self,
        req: &crate::core::enrolment::EnrolRequest,
    ) -> Result<crate::core::enrolment::EnrolAnswer, SendError> {
        let path = crate::core::enrolment::ENROL_PATH;
        self.exchange(self.http.post(self.url(path)).json(req))
            .await
    }

    /// The site's list for the `days` coming days (a site's kiosk only).
    pub async fn site_list(&self, days: u32) -> Result<SiteList, SendError> {
        let req = self.http.get(self.url(&format!("/site/list?days={days}")));
        self.exchange(req).await
    }

    /// Sends doses recorded here; the answer is checked to hold one result per dose, in order.
    pub async fn doses(&self, batch: &DoseBatch) -> Result<DoseResponse, SendError> {
        let req = self.http.post(self.url("/doses")).json(batch);
        let resp: DoseResponse = self.exchange(req).await?;
        let same = resp.results.len() == batch.doses.len()
            && resp
                .results
                .iter()
                .zip(&batch.doses)
                .all(|(r, d)| r.dose_id == d.dose_id);
        if same {
            Ok(resp)
        } else {
            Err(SendError::Transient(
                "hub answer does not match the doses sent".into(),
            ))
        }
    }

    /// The campaign's remaining quota.
    pub async fn campaign(&self) -> Result<CampaignStatus, SendError> {
        self.exchange(self.http.get(self.url("/campaign"))).await
    }

    async fn exchange<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, SendError> {
        let resp = req
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| SendError::Unreachable(describe(&e)))?;
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let body = resp
            .bytes()
            .await
            .map_err(|e| SendError::Unreachable(format!("answer cut off: {}", describe(&e))))?;
        if status.is_success() {
            return serde_json::from_slice(&body)
                .map_err(|e| SendError::Transient(format!("garbled answer from the hub: {e}")));
        }
        Err(classify(status, retry_after, &body))
    }
}

/// Maps a non-success status to what the sender should do.
#[must_use]
pub fn classify(status: StatusCode, retry_after: Option<Duration>, body: &[u8]) -> SendError {
    let message = serde_json::from_slice::<ErrorBody>(body).map_or_else(
        |_| String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
        |e| e.message,
    );
    let code = status.as_u16();
    match (status, retry_after) {
        (StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE, Some(wait)) => {
            SendError::RetryAfter { status: code, wait }
        }
        (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, _) => SendError::Unauthorized(code),
        (StatusCode::PAYLOAD_TOO_LARGE, _) => SendError::TooLarge,
        (StatusCode::REQUEST_TIMEOUT | StatusCode::TOO_MANY_REQUESTS, _) => {
            SendError::Transient(format!("hub answered {code}"))
        }
        (
            StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT,
            _,
        ) => SendError::Unreachable(format!("hub answered {code}")),
        (s, _) if s.is_server_error() => SendError::Transient(format!("hub answered {code}")),
        _ => SendError::Permanent {
            status: code,
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classified_before_retrying() {
        let wait = Some(Duration::from_secs(7));
        assert_eq!(
            classify(StatusCode::SERVICE_UNAVAILABLE, wait, b""),
            SendError::RetryAfter {
                status: 503,
                wait: Duration::from_secs(7)
            }
        );
        assert!(matches!(
            classify(StatusCode::SERVICE_UNAVAILABLE, None, b""),
            SendError::Unreachable(_)
        ));
        assert!(matches!(
            classify(StatusCode::TOO_MANY_REQUESTS, None, b""),
            SendError::Transient(_)
        ));
        assert!(matches!(
            classify(StatusCode::REQUEST_TIMEOUT, None, b""),
            SendError::Transient(_)
        ));
        assert!(matches!(
            classify(StatusCode::BAD_GATEWAY, None, b""),
            SendError::Unreachable(_)
        ));
        assert!(matches!(
            classify(StatusCode::INTERNAL_SERVER_ERROR, None, b""),
            SendError::Transient(_)
        ));
        assert_eq!(
            classify(StatusCode::UNAUTHORIZED, None, b""),
            SendError::Unauthorized(401)
        );
        assert_eq!(
            classify(StatusCode::FORBIDDEN, None, b""),
            SendError::Unauthorized(403)
        );
        assert_eq!(
            classify(StatusCode::PAYLOAD_TOO_LARGE, None, b""),
            SendError::TooLarge
        );
        let body = br#"{"error":"bad_request","message":"items missing"}"#;
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, None, body),
            SendError::Permanent {
                status: 400,
                message: "items missing".into()
            }
        );
    }

    #[test]
    fn only_an_address_that_does_not_answer_or_sheds_fails_over() {
        let wait = Some(Duration::from_secs(1));
        let moves = |s: StatusCode, w| classify(s, w, b"").fails_over();
        assert!(moves(StatusCode::SERVICE_UNAVAILABLE, wait));
        assert!(moves(StatusCode::SERVICE_UNAVAILABLE, None));
        assert!(moves(StatusCode::BAD_GATEWAY, None));
        assert!(SendError::Unreachable("refused".into()).fails_over());
        for stays in [
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::UNAUTHORIZED,
            StatusCode::FORBIDDEN,
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::BAD_REQUEST,
        ] {
            assert!(!moves(stays, wait) && !moves(stays, None), "{stays}");
        }
    }

    #[test]
    fn a_url_without_a_scheme_is_refused() {
        let s = SyncSettings::default();
        assert!(HubClient::new("hub.local:8080", "t", &s, None, None).is_err());
        assert!(HubClient::new("http://127.0.0.1:1/", "t", &s, None, None).is_ok());
        let missing = std::path::Path::new("/nonexistent/ca.pem");
        let err = HubClient::new("https://hub", "t", &s, Some(missing), None).unwrap_err();
        assert!(err.0.contains("ca.pem"));
    }
}
