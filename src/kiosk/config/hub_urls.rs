//! The hub's addresses: `hub_url` is one URL or a list of them, the first preferred (the others
//! are processes of the same hub a kiosk moves to when the first does not answer). From the file
//! a TOML string or array of strings; from `RUAMJAI_HUB_URL` a list separated by commas or white
//! space. Blank entries are dropped, a repeated one is kept once; each is checked when the sender
//! builds its client for it (http:// or https://), not here.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// One or more hub addresses, in the order of preference; never empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct HubUrls(Vec<String>);

impl HubUrls {
    /// The addresses in `items`, trimmed, blanks dropped, repeats kept once; `None` when none is
    /// left (no hub configured).
    pub fn new<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Option<Self> {
        let mut urls: Vec<String> = Vec::new();
        for item in items {
            let url = item.as_ref().trim();
            if !url.is_empty() && !urls.iter().any(|u| u == url) {
                urls.push(url.to_owned());
            }
        }
        (!urls.is_empty()).then_some(Self(urls))
    }

    /// `RUAMJAI_HUB_URL`'s form: addresses separated by commas and/or white space.
    pub fn parse_list(text: &str) -> Option<Self> {
        Self::new(text.split(|c: char| c == ',' || c.is_whitespace()))
    }

    /// The preferred address.
    #[must_use]
    pub fn first(&self) -> &str {
        &self.0[0]
    }

    /// Every address, the preferred first.
    #[must_use]
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// Whether `url` is one of these addresses.
    #[must_use]
    pub fn contains(&self, url: &str) -> bool {
        self.0.iter().any(|u| u == url)
    }
}

impl From<&str> for HubUrls {
    /// One address as given (for code that sets a single hub, e.g. `demo`).
    fn from(url: &str) -> Self {
        Self(vec![url.to_owned()])
    }
}

impl From<String> for HubUrls {
    fn from(url: String) -> Self {
        Self(vec![url])
    }
}

impl fmt::Display for HubUrls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

/// `hub_url` as the file has it: a string or an array of strings (an empty one: no hub).
#[derive(Debug, Default)]
pub(super) struct FileHubUrl(pub Option<HubUrls>);

impl<'de> Deserialize<'de> for FileHubUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OneOrMany;
        impl<'de> Visitor<'de> for OneOrMany {
            type Value = FileHubUrl;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a URL or a list of URLs, e.g. [\"https://hub-a\", \"https://hub-b\"]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FileHubUrl, E> {
                Ok(FileHubUrl(HubUrls::new([v])))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FileHubUrl, A::Error> {
                let mut items: Vec<String> = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(FileHubUrl(HubUrls::new(items)))
            }
        }
        d.deserialize_any(OneOrMany)
    }
}
