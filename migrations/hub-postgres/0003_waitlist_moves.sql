-- The waiting list moves (as migrations/hub/0003_waitlist_moves.sql): quotas raised by
-- `hub set-quota`, and the append-only history of every change of a record's outcome. The
-- history's `seq` comes from the counter `history`, taken under the write lock, so it grows in
-- commit order across every hub process and is also the cursor of `GET /v1/outcomes`.

CREATE TABLE quotas (
    campaign_id  TEXT NOT NULL,
    target_group BIGINT NOT NULL,
    quota        BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, target_group)
);

CREATE TABLE outcome_history (
    seq           BIGINT PRIMARY KEY,
    submission_id TEXT NOT NULL,
    kiosk_id      BIGINT NOT NULL,
    status        TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    actor         TEXT NOT NULL,
    reason        TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX outcome_history_kiosk ON outcome_history (kiosk_id, seq);
CREATE INDEX outcome_history_submission ON outcome_history (submission_id, seq);

CREATE FUNCTION outcome_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'outcome_history is append-only'; END $$;
CREATE TRIGGER outcome_history_append_only BEFORE UPDATE OR DELETE ON outcome_history
FOR EACH ROW EXECUTE FUNCTION outcome_history_append_only();

CREATE INDEX submissions_waiting ON submissions (campaign_id, status, target_group, waitlist_position);
CREATE INDEX submissions_reference ON submissions (reference);
