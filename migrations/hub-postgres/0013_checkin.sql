-- Check-in at a vaccination site (as migrations/hub/0013_checkin.sql).
ALTER TABLE kiosks ADD COLUMN site_id TEXT;

CREATE TABLE doses (
    dose_id       TEXT PRIMARY KEY,
    kiosk_id      BIGINT NOT NULL REFERENCES kiosks(id),
    reference     TEXT NOT NULL,
    submission_id TEXT,
    campaign_id   TEXT,
    person_key    TEXT,
    site_id       TEXT NOT NULL,
    lot           TEXT NOT NULL,
    dose_number   BIGINT NOT NULL,
    given_at      BIGINT NOT NULL,
    operator      TEXT NOT NULL,
    received_at   BIGINT NOT NULL,
    status        TEXT NOT NULL,
    -- The protocol::DoseResult answered, as JSON; a replay gets exactly this.
    answer        TEXT NOT NULL
);
-- One recorded dose per person and dose number, whichever registration it was recorded
-- against (a corrected record, a person registered again): the hub refuses a second.
CREATE UNIQUE INDEX doses_person ON doses (campaign_id, person_key, dose_number)
    WHERE status = 'recorded';
