//! The queue's side of the event loop: each effect that reads or writes the queue (open or
//! close the shift, save, look up, list, cancel, count), run against the queue the loop was given,
//! its answer the next message. A few milliseconds each: a local SQLite commit at most. The
//! check-in screen's work (the site's list, a dose) is in `checkin`.

mod checkin;

use super::app::{Effect, Msg, RecordRow};
use crate::kiosk::queue::{ListFilter, PinError, Queue, QueueError, Record, now_ms};

/// Runs one effect against the queue; the answer, if any, is the next message.
pub fn run_effect(queue: &mut Queue, fx: Effect, wake: &dyn Fn()) -> Option<Msg> {
    match fx {
        Effect::OpenShift(pin) => {
            let opened = match queue.open_shift(pin.as_str(), now_ms()) {
                Ok(()) => {
                    // Records saved before the hub's key was known get their hub copy now.
                    if let Err(e) = queue.seal_waiting() {
                        tracing::warn!("sealing the waiting records: {e}");
                    }
                    tracing::info!("shift opened with the PIN");
                    Ok(())
                }
                Err(QueueError::Pin(e)) => {
                    tracing::warn!("PIN refused: {e}");
                    Err(e)
                }
                Err(e) => Err(PinError::Broken(e.to_string())),
            };
            Some(Msg::ShiftOpened(opened))
        }
        Effect::ChoosePin(pin) => {
            let chosen = match queue.choose_pin(pin.as_str()) {
                Ok(()) => {
                    // Records saved before, if any, and the shift's key now exists: seal them.
                    if let Err(e) = queue.seal_waiting() {
                        tracing::warn!("sealing the waiting records: {e}");
                    }
                    tracing::info!("the counter's first PIN was chosen; shift opened");
                    Ok(())
                }
                Err(QueueError::Pin(e)) => Err(e),
                Err(e) => Err(PinError::Broken(e.to_string())),
            };
            Some(Msg::ShiftOpened(chosen))
        }
        Effect::CloseShift => {
            queue.close_shift();
            tracing::info!("shift closed");
            None
        }
        Effect::Enqueue(save) => {
            let result = queue.enqueue(&save.record(), now_ms());
            match &result {
                Ok((_, reference)) => tracing::info!(%reference, "registration saved"),
                Err(e) => tracing::error!("registration not saved: {e}"),
            }
            Some(Msg::Enqueued(
                result
                    .map(|(id, reference)| save.saved(id, reference))
                    .map_err(|e| e.to_string()),
            ))
        }
        Effect::LookupPerson {
            campaign_id,
            id_key,
        } => {
            let record = queue
                .find_person(&campaign_id, &id_key)
                .unwrap_or_else(|e| {
                    tracing::warn!("duplicate check failed: {e}");
                    None
                })
                .map(|r| RecordRow::from_record(&r));
            Some(Msg::PersonFound { id_key, record })
        }
        Effect::ListQueue { searches } => Some(Msg::Listed(
            list_any(queue, &searches).map_err(|e| e.to_string()),
        )),
        Effect::Cancel { id } => Some(Msg::Cancelled(
            queue
                .cancel(id, super::words::queue::CANCELLED_AT_KIOSK)
                .map_err(|e| e.to_string()),
        )),
        Effect::GetRecord { id } => queue
            .get(id)
            .ok()
            .flatten()
            .map(|r| Msg::RecordState(RecordRow::from_record(&r))),
        Effect::RefreshStats => {
            // The sender may have learnt the hub's key: what waited for it is sealed for the hub.
            match queue.seal_for_hub_key() {
                Ok(r) if r.sealed_for_hub > 0 => {
                    tracing::info!("{} records sealed for the hub's key", r.sealed_for_hub);
                    // They can go now.
                    wake();
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("sealing the waiting records: {e}"),
            }
            queue.stats().ok().map(|s| Msg::Stats {
                unsent: s.unsent,
                last_sync_ok_at: s.last_sync_ok_at,
            })
        }
        Effect::Checkin(work) => Some(Msg::Checkin(checkin::run(queue, work))),
        Effect::WakeSync => {
            wake();
            None
        }
        // A slip and an enrolment go off this thread, through `process_with`'s caller.
        Effect::Redraw | Effect::Quit | Effect::Print(_) | Effect::Enrol(_) => None,
    }
}

/// The records any of `searches` finds (every record for none), newest first, each once.
fn list_any(queue: &Queue, searches: &[String]) -> Result<Vec<RecordRow>, QueueError> {
    let mut found: Vec<(Record, u64)> = Vec::new();
    let all = [None];
    let some: Vec<Option<String>> = searches.iter().cloned().map(Some).collect();
    for search in if searches.is_empty() {
        &all[..]
    } else {
        &some[..]
    } {
        let filter = ListFilter {
            search: search.clone(),
            newest_first: true,
            limit: Some(500),
            ..ListFilter::default()
        };
        for (r, seq) in queue.list(&filter)? {
            if !found.iter().any(|(_, s)| *s == seq) {
                found.push((r, seq));
            }
        }
    }
    found.sort_by_key(|(_, seq)| std::cmp::Reverse(*seq));
    found.truncate(500);
    Ok(found
        .iter()
        .map(|(r, _)| RecordRow::from_record(r))
        .collect())
}
