-- The kiosk's outbox: one row per registration taken at this counter.
-- Times are Unix milliseconds (UTC). Personal data lives only in id_key, search_text and payload.
CREATE TABLE registrations (
    submission_id    TEXT PRIMARY KEY,           -- UUIDv7, the idempotency key at the hub
    reference        TEXT NOT NULL UNIQUE,       -- human code, e.g. SK01-0001-7Q
    seq              INTEGER NOT NULL,
    campaign_id      TEXT NOT NULL,
    kiosk_id         TEXT NOT NULL,
    operator         TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    id_key           TEXT,                       -- normalised national ID / passport (duplicate check)
    search_text      TEXT,                       -- normalised names and ID for the queue screen's search
    payload          TEXT,                       -- the normalised registration as JSON
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'sending', 'accepted', 'duplicate',
                                      'waitlisted', 'rejected', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    server_reference TEXT,
    outcome          TEXT,                       -- the hub's answer for this record, JSON
    acked_at         INTEGER,
    lease_owner      TEXT,
    lease_until      INTEGER,
    replaces         TEXT REFERENCES registrations (submission_id)
);

CREATE UNIQUE INDEX registrations_seq ON registrations (seq);
CREATE INDEX registrations_person ON registrations (campaign_id, id_key);
CREATE INDEX registrations_due ON registrations (state, next_attempt_at);

-- Small facts about this queue: the next reference sequence, the last sync.
CREATE TABLE kiosk_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
