//! One page of exported registrations: a bounded query after a cursor, in `row_seq` order.

use std::fmt::Write as _;

use super::{Entry, Filter, State};
use crate::core::protocol::Outcome;
use crate::hub::decide::hub_reference;
use crate::hub::store::{Db, DbError, Param, Row};

const SELECT: &str = "
    SELECT s.row_seq, s.submission_id, s.reference, s.hub_seq, s.status, s.superseded_by,
           s.waitlist_position, s.outcome, s.registration, s.operator, s.created_at,
           s.received_at, k.name, CASE WHEN k.point = '' THEN k.name ELSE k.point END,
           (SELECT MAX(h.at) FROM outcome_history h WHERE h.submission_id = s.submission_id),
           s.replaces
    FROM submissions s JOIN kiosks k ON k.id = s.kiosk_id";

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

fn entry(r: &Row) -> Result<Entry, DbError> {
    let superseded_by = r.opt_text(5)?;
    let status = r.text(4)?;
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
    let stored = r.text(8)?;
    Ok(Entry {
        row_seq: r.int(0)?,
        // A rejected row keeps a bounded copy, which may not be a registration (or nothing,
        // once corrected): its fields are then left empty.
        registration: serde_json::from_str(&stored).ok(),
        submission_id: r.text(1)?,
        reference: r.text(2)?,
        hub_reference: r.opt_int(3)?.map(hub_reference),
        state: state.as_str(),
        waitlist_position: r.opt_int(6)?.filter(|_| state == State::Waitlisted),
        kiosk: r.text(12)?,
        registration_point: r.text(13)?,
        operator: r.text(9)?,
        created_at: r.int(10)?,
        received_at: r.int(11)?,
        changed_at: r.opt_int(14)?,
        detail: detail(&r.text(7)?),
        replaces: r.opt_text(15)?,
        superseded_by,
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
    let mut sql = SELECT.to_owned();
    sql.push_str(&matching(filter, after, &mut params));
    params.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
    let _ = write!(sql, " ORDER BY s.row_seq LIMIT ?{}", params.len());
    db.query(&sql, &params)?.iter().map(entry).collect()
}

/// How many entries match `filter` (for a progress bar).
pub fn count(db: &mut dyn Db, filter: &Filter) -> Result<u64, DbError> {
    let mut params = Vec::new();
    let sql = format!(
        "SELECT COUNT(*) FROM submissions s JOIN kiosks k ON k.id = s.kiosk_id{}",
        matching(filter, 0, &mut params)
    );
    Ok(u64::try_from(db.query_one(&sql, &params)?.int(0)?).unwrap_or(0))
}
