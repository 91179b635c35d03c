//! One page of exported registrations: a bounded query after a cursor, in `row_seq` order.

use std::fmt::Write as _;

use super::rows::{Entry, Filter, State};
use crate::core::protocol::Outcome;
use crate::hub::intake::decide::seen::hub_reference;
use crate::hub::store::db::{Db, DbError, Param, Row};
use crate::hub::store::submission::Named;

/// What a page reads: each column's expression and the name it is read by.
const COLUMNS: &[(&str, &str)] = &[
    ("s.row_seq", "row_seq"),
    ("s.submission_id", "submission_id"),
    ("s.reference", "reference"),
    ("s.hub_seq", "hub_seq"),
    ("s.status", "status"),
    ("s.superseded_by", "superseded_by"),
    ("s.waitlist_position", "waitlist_position"),
    ("s.outcome", "outcome"),
    ("s.registration", "registration"),
    ("s.operator", "operator"),
    ("s.created_at", "created_at"),
    ("s.received_at", "received_at"),
    ("k.name", "kiosk"),
    (
        "CASE WHEN k.point = '' THEN k.name ELSE k.point END",
        "registration_point",
    ),
    (
        "(SELECT MAX(h.at) FROM outcome_history h WHERE h.submission_id = s.submission_id)",
        "changed_at",
    ),
    ("s.replaces", "replaces"),
    ("a.site_id", "site_id"),
    ("a.day", "appointment_date"),
    ("a.slot", "appointment_slot"),
    ("a.vaccinated_at", "vaccinated_at"),
];

/// The names of [`COLUMNS`], in order.
static NAMES: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| COLUMNS.iter().map(|(_, name)| *name).collect());

/// `SELECT … FROM submissions s JOIN kiosks k` of [`COLUMNS`].
static SELECT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let exprs: Vec<&str> = COLUMNS.iter().map(|(expr, _)| *expr).collect();
    format!(
        "SELECT {} FROM submissions s JOIN kiosks k ON k.id = s.kiosk_id
         LEFT JOIN appointments a ON a.submission_id = s.submission_id
             AND a.state <> 'cancelled'",
        exprs.join(", ")
    )
});

/// What a stored outcome says beside the state.
fn detail(outcome: &str) -> String {
    match serde_json::from_str::<Outcome>(outcome) {
        Ok(Outcome::Rejected { field, reason }) => format!("{field}: {reason}"),
        Ok(Outcome::Duplicate {
            first_reference,
            first_kiosk,
            first_registration_point,
        }) => format!(
            "already registered as {first_reference} at {first_registration_point} (kiosk {first_kiosk})"
        ),
        Ok(Outcome::Cancelled { reason, .. }) => reason,
        Ok(Outcome::Conflict { message }) => message,
        _ => String::new(),
    }
}

fn entry(row: &Row) -> Result<Entry, DbError> {
    let r = Named::new(row, &NAMES);
    let superseded_by = r.opt_text("superseded_by")?;
    let status = r.text("status")?;
    let state = if superseded_by.is_some() {
        State::Superseded
    } else {
        match status.as_str() {
            "accepted" => State::Accepted,
            "waitlisted" => State::Waitlisted,
            "duplicate" => State::Duplicate,
            "cancelled" => State::Cancelled,
            _ => State::Rejected,
        }
    };
    let stored = r.text("registration")?;
    Ok(Entry {
        row_seq: r.int("row_seq")?,
        // A rejected row keeps a bounded copy, which may not be a registration (or nothing,
        // once corrected): its fields are then left empty.
        registration: serde_json::from_str(&stored).ok(),
        submission_id: r.text("submission_id")?,
        reference: r.text("reference")?,
        hub_reference: r.opt_int("hub_seq")?.map(hub_reference),
        state: state.as_str(),
        waitlist_position: r
            .opt_int("waitlist_position")?
            .filter(|_| state == State::Waitlisted),
        kiosk: r.text("kiosk")?,
        registration_point: r.text("registration_point")?,
        operator: r.text("operator")?,
        created_at: r.int("created_at")?,
        received_at: r.int("received_at")?,
        changed_at: r.opt_int("changed_at")?,
        detail: detail(&r.text("outcome")?),
        replaces: r.opt_text("replaces")?,
        superseded_by,
        site_id: r.opt_text("site_id")?,
        appointment_date: r.opt_text("appointment_date")?,
        appointment_slot: r.opt_text("appointment_slot")?.filter(|s| !s.is_empty()),
        vaccinated_at: r.opt_int("vaccinated_at")?,
    })
}

/// Adds `AND clause`, its `#` numbered as the parameter `value` it takes.
fn and<'a>(sql: &mut String, params: &mut Vec<Param<'a>>, clause: &str, value: Param<'a>) {
    params.push(value);
    sql.push_str(" AND ");
    sql.push_str(&clause.replace('#', &format!("?{}", params.len())));
}

/// ` WHERE …` for `filter` after cursor `after`, its parameters pushed onto `params`.
fn matching<'a>(filter: &'a Filter, after: i64, params: &mut Vec<Param<'a>>) -> String {
    let mut sql = String::from(" WHERE s.row_seq > ?1");
    params.push(Param::Int(after));
    match filter.state {
        None => {}
        Some(State::Superseded) => sql.push_str(" AND s.superseded_by IS NOT NULL"),
        Some(state) => and(
            &mut sql,
            params,
            "s.status = # AND s.superseded_by IS NULL",
            Param::Text(state.as_str()),
        ),
    }
    if let Some(g) = filter.group {
        and(&mut sql, params, "s.target_group = #", Param::Int(g.into()));
    }
    if let Some(k) = &filter.kiosk {
        and(&mut sql, params, "upper(k.name) = upper(#)", Param::Text(k));
    }
    if let Some(t) = filter.since_ms {
        and(&mut sql, params, "s.received_at >= #", Param::Int(t));
    }
    sql
}

/// At most `limit` entries matching `filter` after cursor `after` (a `row_seq`; 0 for the
/// first page), in commit order. The last entry's `row_seq` is the next page's cursor.
pub fn page(
    db: &mut dyn Db,
    filter: &Filter,
    after: i64,
    limit: usize,
) -> Result<Vec<Entry>, DbError> {
    let mut params = Vec::new();
    let mut sql = SELECT.clone();
    sql.push_str(&matching(filter, after, &mut params));
    params.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
    let _ = write!(sql, " ORDER BY s.row_seq LIMIT ?{}", params.len());
    db.query(&sql, &params)?.iter().map(entry).collect()
}

/// How many entries match `filter` (for a progress bar).
pub fn count(db: &mut dyn Db, filter: &Filter) -> Result<u64, DbError> {
    let mut params = Vec::new();
    let sql = format!(
        "SELECT COUNT(*) AS n FROM submissions s JOIN kiosks k ON k.id = s.kiosk_id{}",
        matching(filter, 0, &mut params)
    );
    Ok(u64::try_from(db.query_one(&sql, &params)?.int("n")?).unwrap_or(0))
}

/// The keys of the campaigns' own questions: the columns an export adds after the hub's. Per
/// campaign (by id), the questions of the form in force in its order, then those only an older
/// version asked (newest version first), so a record made with an older form keeps its answers
/// in the file; each key once. Read from the definitions the hub stored (`campaigns`,
/// `campaign_versions`); one it cannot read is passed over.
pub fn questions(db: &mut dyn Db) -> Result<Vec<&'static str>, DbError> {
    let mut keys: Vec<&'static str> = Vec::new();
    let mut add = |definition: &str| {
        if let Ok(campaign) = serde_json::from_str::<crate::core::form::Campaign>(definition) {
            for q in campaign.questions() {
                let key = q.key.as_str();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
    };
    for row in db.query("SELECT id, definition FROM campaigns ORDER BY id", &[])? {
        add(&row.text("definition")?);
        let id = row.text("id")?;
        for old in db.query(
            "SELECT definition FROM campaign_versions WHERE campaign_id = ?1
             ORDER BY version DESC",
            &[id.as_str().into()],
        )? {
            add(&old.text("definition")?);
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use crate::core::form::Campaign;
    use crate::hub::intake::versions::publish;

    /// The flood file as version `version`, with `extra` added as its last question.
    fn flood(version: u32, extra: &str) -> Campaign {
        let text = crate::core::form::campaign::EMBEDDED
            .iter()
            .find(|(n, _)| *n == "flood-relief-2564.toml")
            .map(|(_, t)| *t)
            .unwrap_or_default()
            .replacen("version = 1\n", &format!("version = {version}\n"), 1);
        Campaign::from_toml("flood.toml", &format!("{text}\n{extra}")).unwrap()
    }

    #[test]
    fn the_form_in_force_gives_the_order_and_an_older_version_s_question_follows() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = crate::hub::store::Database::Sqlite {
            data_dir: dir.path().to_path_buf(),
        }
        .connect(false)
        .unwrap();
        let pets =
            "[[fields]]\nkey = \"pets\"\nth = \"สัตว์เลี้ยง\"\nen = \"Pets\"\ntype = \"number\"\n";
        for (at, c) in [(1, flood(1, pets)), (2, flood(2, ""))] {
            let json = serde_json::to_string(&c).unwrap();
            publish(db.as_mut(), &c, &json, at).unwrap();
        }
        assert_eq!(
            super::questions(db.as_mut()).unwrap(),
            ["household_size", "damage", "bank_account", "pets"]
        );
    }
}
