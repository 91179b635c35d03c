-- What happens after registration: a record cancelled at the counter after the hub registered it
-- waits in `cancel_pending` until the hub has heard of it (POST /v1/cancellations), and a change
-- the hub made to a record's outcome (GET /v1/outcomes) keeps the state it moved from, for the
-- queue screen ("moved from the waiting list to accepted"). The cursor of those changes is the
-- meta key `outcomes_after`. `acked_at` is when the latest outcome arrived (retention counts
-- from it).
ALTER TABLE registrations ADD COLUMN cancel_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN moved_from TEXT;
CREATE INDEX registrations_cancel_pending ON registrations (submission_id) WHERE cancel_pending = 1;
