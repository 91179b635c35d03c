-- The waiting list moves: quotas raised by `hub set-quota`, and the append-only history of every
-- change of a record's outcome after its first answer (a cancellation, a promotion from the
-- waiting list). The history's `seq` comes from the counter `history` (one writer at a time:
-- the writer's transaction, or an admin command's, holds the write lock), so it grows in commit
-- order and is also the cursor of `GET /v1/outcomes`.

CREATE TABLE quotas (
    campaign_id  TEXT NOT NULL,
    -- The group's number; -1 is the campaign's total quota.
    target_group BIGINT NOT NULL,
    quota        BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, target_group)
);

CREATE TABLE outcome_history (
    seq           BIGINT PRIMARY KEY,
    submission_id TEXT NOT NULL,
    kiosk_id      BIGINT NOT NULL,
    -- The record's status after the change (accepted, cancelled), and its outcome as JSON.
    status        TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    -- Who: `kiosk:NAME`, `admin:NAME`, or `hub` (a promotion the hub made).
    actor         TEXT NOT NULL,
    reason        TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX outcome_history_kiosk ON outcome_history (kiosk_id, seq);
CREATE INDEX outcome_history_submission ON outcome_history (submission_id, seq);

CREATE TRIGGER outcome_history_no_update BEFORE UPDATE ON outcome_history
BEGIN SELECT RAISE(ABORT, 'outcome_history is append-only'); END;
CREATE TRIGGER outcome_history_no_delete BEFORE DELETE ON outcome_history
BEGIN SELECT RAISE(ABORT, 'outcome_history is append-only'); END;

-- The head of each group's waiting list, and a registration found by its receipt reference.
CREATE INDEX submissions_waiting ON submissions (campaign_id, status, target_group, waitlist_position);
CREATE INDEX submissions_reference ON submissions (reference);
