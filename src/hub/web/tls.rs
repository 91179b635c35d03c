//! The hub's own HTTPS (`hub serve --tls-cert FILE --tls-key FILE`), for a district with no
//! reverse proxy in front: rustls with ring (the provider reqwest already brings, so one TLS
//! stack for kiosk and hub), HTTP/1.1 only, the handshake done in the accept loop (`server`)
//! within the header timeout. And the fingerprint of the certificate kiosks will see (SHA-256 of
//! its DER), which `hub enrol` puts in the code so a kiosk pins it and needs no CA file.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::hub::error::HubError;

/// The certificates (end entity first) in PEM file `path`.
fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, HubError> {
    let bad =
        |why: String| HubError::BadArgument(format!("certificate file {}: {why}", path.display()));
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| bad(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(e.to_string()))?;
    if certs.is_empty() {
        return Err(bad("no PEM certificate in it".into()));
    }
    Ok(certs)
}

/// The SHA-256 of the end-entity certificate (the first) in PEM file `path`.
pub fn cert_sha256(path: &Path) -> Result<[u8; 32], HubError> {
    let certs = certificates(path)?;
    Ok(crate::core::enrolment::cert_sha256(certs[0].as_ref()))
}

/// `hub serve`'s HTTPS flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TlsArgs {
    /// Serve HTTPS with this certificate chain (PEM), for a hub with no proxy in front; set
    /// `tls_cert` in hub.toml to the same file so `hub enrol` pins it.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<std::path::PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
}

impl TlsArgs {
    /// The TLS configuration the flags name; `None` without them (plain HTTP).
    pub fn server_config(&self) -> Result<Option<Arc<rustls::ServerConfig>>, HubError> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => server_config(cert, key).map(Some),
            _ => Ok(None),
        }
    }
}

/// The TLS side of `hub serve` from a certificate chain and its private key (PEM files).
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, HubError> {
    let certs = certificates(cert)?;
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| HubError::BadArgument(format!("--tls-key {}: {e}", key.display())))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(certs, key))
        .map_err(|e| {
            HubError::BadArgument(format!("--tls-cert {} with --tls-key: {e}", cert.display()))
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// What accepts TLS on the hub's connections.
pub type Acceptor = tokio_rustls::TlsAcceptor;

/// The acceptor for `config`.
#[must_use]
pub fn acceptor(config: Arc<rustls::ServerConfig>) -> Acceptor {
    tokio_rustls::TlsAcceptor::from(config)
}
