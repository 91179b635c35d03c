//! The hub behind a reverse proxy (nginx, HAProxy): which `X-Forwarded-*` headers the dashboard
//! believes, and the address a browser sees the hub at. Both come from `hub.toml`:
//!
//! - `trusted_proxies = ["127.0.0.1", "10.0.0.0/24"]`: the peers whose `X-Forwarded-For` and
//!   `X-Forwarded-Proto` are believed. From any other peer those headers are ignored: the peer
//!   is the client, and it spoke plain HTTP to the hub. The client behind a trusted proxy is the
//!   right-most address of `X-Forwarded-For` that is not itself a trusted proxy (what a client
//!   writes to the left of it is not believed).
//! - `public_url = "https://hub.example"`: the origin a browser uses. A form posted through a
//!   trusted proxy must come from that origin (`Origin`); one posted straight to the hub may
//!   still come from the hub's own address (`Host`). The session cookie is `Secure` when the
//!   request came through a trusted proxy and the public URL (without one: the proxy's
//!   `X-Forwarded-Proto`) says `https`.

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderValue, header};

/// The origin browsers use for the hub: `https://hub.example` or `http://host:port`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl {
    https: bool,
    /// The host in lower case, with its port unless it is the scheme's own.
    host: String,
}

impl PublicUrl {
    /// Reads `http(s)://host[:port][/]`; what is wrong, in words.
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        let (https, rest) = if let Some(r) = url.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = url.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(format!(
                "public_url {url:?} must start with https:// (or http://)"
            ));
        };
        let host = rest.strip_suffix('/').unwrap_or(rest).to_ascii_lowercase();
        if host.is_empty()
            || host.contains(['/', '?', '#', '@', ' '])
            || host.ends_with(':')
            || host.starts_with(':')
        {
            return Err(format!(
                "public_url {url:?} must be the scheme and host only, like https://hub.example"
            ));
        }
        let default = if https { ":443" } else { ":80" };
        let host = host.strip_suffix(default).unwrap_or(&host).to_owned();
        Ok(Self { https, host })
    }

    /// As an `Origin` header says it.
    #[must_use]
    pub fn origin(&self) -> String {
        format!(
            "{}://{}",
            if self.https { "https" } else { "http" },
            self.host
        )
    }
}

/// One trusted address, or a range of them (`10.0.0.0/24`, `fd00::/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Range {
    net: IpAddr,
    bits: u8,
}

impl Range {
    fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bad =
            || format!("trusted_proxies: {text:?} is not an address or a range like 10.0.0.0/24");
        let (addr, bits) = match text.split_once('/') {
            Some((a, b)) => (a, Some(b.parse::<u8>().map_err(|_| bad())?)),
            None => (text, None),
        };
        let net: IpAddr = addr.parse().map_err(|_| bad())?;
        let net = net.to_canonical();
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = bits.unwrap_or(max);
        if bits > max {
            return Err(bad());
        }
        Ok(Self { net, bits })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let keep = |len: u32| -> u128 {
            if self.bits == 0 {
                0
            } else {
                u128::MAX << (len - u32::from(self.bits))
            }
        };
        match (self.net, ip.to_canonical()) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = keep(32);
                (u128::from(u32::from(n)) & mask) == (u128::from(u32::from(a)) & mask)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = keep(128);
                (u128::from(n) & mask) == (u128::from(a) & mask)
            }
            _ => false,
        }
    }
}

/// The proxies the hub trusts and the URL browsers use (`hub.toml`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proxies {
    public: Option<PublicUrl>,
    trusted: Vec<Range>,
}

/// What one request came through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Via {
    /// The browser's address: the peer, or the one a trusted proxy forwarded for.
    pub client: Option<IpAddr>,
    /// It came from a trusted proxy.
    pub proxied: bool,
    /// The trusted proxy says the browser spoke HTTPS to it.
    pub https: bool,
}

fn values<'a>(headers: &'a HeaderMap, name: &str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v: &HeaderValue| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
}

impl Proxies {
    /// From `hub.toml`'s `public_url` and `trusted_proxies`; what is wrong, in words.
    pub fn new(public_url: Option<&str>, trusted: &[String]) -> Result<Self, String> {
        Ok(Self {
            public: public_url.map(PublicUrl::parse).transpose()?,
            trusted: trusted
                .iter()
                .map(|t| Range::parse(t))
                .collect::<Result<_, _>>()?,
        })
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|r| r.contains(ip))
    }

    /// What a request from `peer` with `headers` came through.
    #[must_use]
    pub fn via(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Via {
        let peer = peer.map(|p| p.to_canonical());
        let Some(proxy) = peer.filter(|p| self.trusts(*p)) else {
            return Via {
                client: peer,
                proxied: false,
                https: false,
            };
        };
        let chain: Vec<IpAddr> = values(headers, "x-forwarded-for")
            .filter_map(|a| a.parse::<IpAddr>().ok())
            .map(|a| a.to_canonical())
            .collect();
        let client = chain
            .iter()
            .rev()
            .find(|a| !self.trusts(**a))
            .or(chain.first())
            .copied()
            .unwrap_or(proxy);
        let https = values(headers, "x-forwarded-proto")
            .last()
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
        Via {
            client: Some(client),
            proxied: true,
            https,
        }
    }

    /// A form posted from a page of this hub: a browser's `Origin` must be the public URL's,
    /// or, straight to the hub (not through a trusted proxy) or with no public URL set, the
    /// `Host` it asked for. Without an `Origin`, `Sec-Fetch-Site` must not say another site;
    /// requests with neither (not from a browser) carry no cookie of a victim anyway.
    #[must_use]
    pub fn same_origin(&self, headers: &HeaderMap, via: &Via) -> bool {
        let get = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        let Some(origin) = get(header::ORIGIN) else {
            return get(header::HeaderName::from_static("sec-fetch-site"))
                .is_none_or(|s| s == "same-origin" || s == "none");
        };
        if let Some(public) = &self.public {
            if PublicUrl::parse(origin).is_ok_and(|o| o == *public) {
                return true;
            }
            if via.proxied {
                return false;
            }
        }
        let host = get(header::HOST).unwrap_or("");
        let bare = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        !host.is_empty() && bare.is_some_and(|b| b.eq_ignore_ascii_case(host))
    }

    /// Whether the session cookie is `Secure`: the browser spoke HTTPS, as a trusted proxy
    /// tells (its public URL, else its `X-Forwarded-Proto`). The hub itself speaks plain HTTP.
    #[must_use]
    pub fn secure(&self, via: &Via) -> bool {
        via.proxied && self.public.as_ref().map_or(via.https, |p| p.https)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn public_urls_are_an_origin_only() {
        let p = PublicUrl::parse("https://Hub.Example:443/").unwrap();
        assert_eq!(p.origin(), "https://hub.example");
        assert_eq!(
            PublicUrl::parse("http://127.0.0.1:8088").unwrap().origin(),
            "http://127.0.0.1:8088"
        );
        for bad in [
            "hub.example",
            "ftp://x",
            "https://",
            "https://x/dashboard",
            "https://u@x",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_headers_are_believed_from_trusted_proxies_only() {
        let p = Proxies::new(None, &["127.0.0.1".into(), "10.0.0.0/24".into()]).unwrap();
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6, 203.0.113.9"),
            ("x-forwarded-for", "10.0.0.7"),
            ("x-forwarded-proto", "https"),
        ]);
        let via = p.via(Some([127, 0, 0, 1].into()), &h);
        assert_eq!(
            via.client,
            Some([203, 0, 113, 9].into()),
            "not the forged one"
        );
        assert!(via.proxied && via.https && p.secure(&via));
        let direct = p.via(Some([192, 0, 2, 1].into()), &h);
        assert_eq!(direct.client, Some([192, 0, 2, 1].into()));
        assert!(!direct.proxied && !direct.https && !p.secure(&direct));
        let mapped: IpAddr = "::ffff:10.0.0.9".parse().unwrap();
        assert!(p.via(Some(mapped), &HeaderMap::new()).proxied);
        assert!(Proxies::new(None, &["10.0.0.0/33".into()]).is_err());
        assert!(Proxies::new(None, &["hub.example".into()]).is_err());
    }

    #[test]
    fn the_origin_is_the_public_url_through_a_proxy_and_the_host_straight() {
        let p = Proxies::new(Some("https://hub.example"), &["127.0.0.1".into()]).unwrap();
        let proxied = p.via(Some([127, 0, 0, 1].into()), &HeaderMap::new());
        let straight = p.via(Some([192, 0, 2, 1].into()), &HeaderMap::new());
        let form = |origin: &str, host: &str| headers(&[("origin", origin), ("host", host)]);
        assert!(p.same_origin(&form("https://hub.example", "ruamjai_hub"), &proxied));
        assert!(!p.same_origin(&form("http://ruamjai_hub", "ruamjai_hub"), &proxied));
        assert!(!p.same_origin(&form("https://evil.example", "hub.example"), &proxied));
        assert!(p.same_origin(&form("http://10.0.0.11:8080", "10.0.0.11:8080"), &straight));
        assert!(!p.same_origin(&form("http://evil.example", "10.0.0.11:8080"), &straight));
        assert!(p.secure(&proxied) && !p.secure(&straight));
        let none = Proxies::default();
        let v = none.via(
            Some([127, 0, 0, 1].into()),
            &headers(&[("x-forwarded-proto", "https")]),
        );
        assert!(!none.secure(&v), "no proxy is trusted unless named");
        assert!(none.same_origin(&form("http://h:1", "h:1"), &v));
        assert!(none.same_origin(&headers(&[("sec-fetch-site", "same-origin")]), &v));
        assert!(!none.same_origin(&headers(&[("sec-fetch-site", "cross-site")]), &v));
    }
}
