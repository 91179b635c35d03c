//! A network failure in words IT staff can act on: the cause read off the error's whole chain
//! (rustls, the resolver and the OS name it in their messages) and the fix: the certificate
//! (pinned, unknown issuer, expired, wrong name), the name (DNS), the port (refused).

/// A failed request in words: its cause named, with the fix where one is known.
pub(super) fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "hub did not answer in time".into();
    }
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain = format!("{chain}: {s}");
        source = s.source();
    }
    let host = e
        .url()
        .and_then(|u| u.host_str())
        .unwrap_or("the hub")
        .to_owned();
    name_the_cause(&chain, &host).unwrap_or_else(|| {
        if e.is_connect() {
            format!("cannot connect to the hub ({chain})")
        } else {
            chain
        }
    })
}

/// What IT staff should look at, read off an error's whole chain of causes (rustls, the resolver
/// and the OS name them in their messages): the certificate, the name, the port.
fn name_the_cause(chain: &str, host: &str) -> Option<String> {
    let said = |words: &[&str]| words.iter().any(|w| chain.contains(w));
    if said(&[super::pinned::MISMATCH]) {
        return Some(format!(
            "the certificate of {host} is not the one this kiosk was enrolled with \
             (hub_cert_sha256 in config.toml): if the hub's certificate was renewed, enrol this \
             kiosk again with a new code; otherwise this is not your hub"
        ));
    }
    if said(&["UnknownIssuer", "unknown issuer", "UnknownCA"]) {
        return Some(format!(
            "the certificate of {host} is not signed by an authority this kiosk trusts: put the \
             province's CA certificate (PEM) in hub_ca_file"
        ));
    }
    if said(&["Expired", "expired", "NotValidYet"]) {
        return Some(format!(
            "the certificate of {host} has expired or is not valid yet: renew it at the hub, or \
             set this kiosk's date and time if they are wrong"
        ));
    }
    if said(&[
        "NotValidForName",
        "not valid for name",
        "CertNotValidForName",
    ]) {
        return Some(format!(
            "the certificate of the hub is not for the name {host}: put the name on the \
             certificate in hub_url"
        ));
    }
    if said(&["invalid peer certificate", "certificate"]) && said(&["tls", "TLS", "peer"]) {
        return Some(format!(
            "the certificate of {host} was refused ({chain}): check it, and hub_ca_file"
        ));
    }
    if said(&[
        "dns error",
        "failed to lookup address",
        "Name or service not known",
        "No such host",
    ]) {
        return Some(format!(
            "the hub's name {host} cannot be found (DNS): check hub_url and this network's DNS"
        ));
    }
    if said(&[
        "Connection refused",
        "connection refused",
        "os error 111",
        "os error 10061",
    ]) {
        return Some(format!(
            "{host} refused the connection: the hub is not running on that port, or a firewall \
             refuses it; check hub_url's port and `ruamjai hub serve` there"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_failures_name_their_cause_and_the_fix() {
        let tls = "error sending request for url (https://hub/v1/campaign): client error (Connect): \
                   invalid peer certificate: UnknownIssuer";
        let cases = [
            (tls, "hub_ca_file"),
            ("invalid peer certificate: Expired", "expired"),
            (
                "invalid peer certificate: NotValidForName",
                "not for the name hub",
            ),
            (
                "client error (Connect): dns error: failed to lookup address information",
                "DNS",
            ),
            (
                "tcp connect error: Connection refused (os error 111)",
                "refused the connection",
            ),
        ];
        for (chain, fix) in cases {
            let said = name_the_cause(chain, "hub").unwrap_or_default();
            assert!(said.contains(fix), "{chain} → {said}");
        }
        assert_eq!(name_the_cause("connection reset by peer", "hub"), None);
    }
}
