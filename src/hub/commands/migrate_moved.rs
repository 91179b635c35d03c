//! What `hub migrate-store` copied, kind by kind, and its report.

use std::fmt::Write as _;

/// Rows of each kind copied (and found already there).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Moved {
    pub kiosks: (u64, u64),
    pub campaigns: (u64, u64),
    pub submissions: (u64, u64),
    pub persons: (u64, u64),
    pub heartbeats: (u64, u64),
    /// Provisional receipt prefixes bound to kiosks.
    pub prefixes: (u64, u64),
    /// Reads of personal data (the access log).
    pub reads: (u64, u64),
    /// Quotas raised by `hub set-quota`.
    pub quotas: (u64, u64),
    /// Outcome changes after the first answer (cancellations, promotions).
    pub history: (u64, u64),
    /// Appointments (with their sites and days).
    pub appointments: (u64, u64),
    /// Doses recorded at the sites' kiosks.
    pub doses: (u64, u64),
    pub counters: u64,
}

impl Moved {
    /// The report, one kind per line: copied, and already there.
    #[must_use]
    pub fn render(&self) -> String {
        let line = |kind: &str, (copied, there): (u64, u64)| {
            format!("{kind:<12} {copied:>8} copied {there:>8} already there\n")
        };
        let mut out = String::new();
        out.push_str(&line("kiosks", self.kiosks));
        out.push_str(&line("campaigns", self.campaigns));
        out.push_str(&line("submissions", self.submissions));
        out.push_str(&line("persons", self.persons));
        out.push_str(&line("heartbeats", self.heartbeats));
        out.push_str(&line("prefixes", self.prefixes));
        out.push_str(&line("reads", self.reads));
        out.push_str(&line("quotas", self.quotas));
        out.push_str(&line("history", self.history));
        out.push_str(&line("appointments", self.appointments));
        out.push_str(&line("doses", self.doses));
        let _ = writeln!(
            out,
            "counters     {:>8} taken the larger of both",
            self.counters
        );
        out
    }
}
