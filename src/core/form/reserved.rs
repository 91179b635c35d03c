//! The names a campaign's question may not take as its key: the columns the exports write after
//! the form's own (the hub's `hub export` and `GET /v1/registrations`, the kiosk's `export`), and
//! the names a record and the API carry beside the answers. A question by one of them would give a
//! file two columns of one name, and an import could not tell them apart.
//!
//! Core cannot see the exports' column lists (they belong to the hub and to the kiosk), so the
//! names are listed here and a test on each side checks that every column it writes is in
//! [`RESERVED_KEYS`] (`tests/it/reserved_keys.rs`): a new column cannot be forgotten here.

/// The reserved names, in no particular order.
pub const RESERVED_KEYS: &[&str] = &[
    // Both exports.
    "submission_id",
    "reference",
    "state",
    "created_at",
    "operator",
    "site_id",
    "appointment_date",
    "appointment_slot",
    "vaccinated_at",
    // The hub's export.
    "hub_reference",
    "waitlist_position",
    "kiosk",
    "registration_point",
    "received_at",
    "changed_at",
    "detail",
    "replaces",
    "superseded_by",
    // The kiosk's export.
    "kiosk_id",
    "server_reference",
    "security_code",
    // A record's and the API's own names.
    "status",
    "form_version",
    "answers",
];

/// True when `key` is a name a question may not take.
#[must_use]
pub fn is_reserved(key: &str) -> bool {
    RESERVED_KEYS.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reserved_name_once_and_none_a_built_in_field() {
        let mut seen = std::collections::BTreeSet::new();
        for k in RESERVED_KEYS {
            assert!(seen.insert(*k), "{k} listed twice");
            assert!(
                super::super::FieldKey::parse(k).is_none(),
                "{k} is built in"
            );
            assert!(
                super::super::question::is_key(k),
                "{k} could not be a key anyway"
            );
        }
        assert!(is_reserved("status") && !is_reserved("damage"));
    }
}
