-- The hub's store: kiosks and their token hashes, every submission with the outcome it was given,
-- the dedup index of registered people, quota counters and the last heartbeat of each kiosk.

CREATE TABLE kiosks (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    point       TEXT NOT NULL DEFAULT '',
    is_admin    INTEGER NOT NULL DEFAULT 0,
    -- SHA-256 of the bearer token; the token itself is never stored.
    token_hash  BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

-- The campaign definitions the hub has served (JSON), so `hub stats` knows quotas offline.
CREATE TABLE campaigns (
    id          TEXT PRIMARY KEY,
    definition  TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- One row per submission id ever answered (conflicting replays are not rows).
CREATE TABLE submissions (
    submission_id     TEXT PRIMARY KEY,
    kiosk_id          INTEGER NOT NULL REFERENCES kiosks(id),
    -- SHA-256 of the canonical JSON of (registration, replaces, reference).
    content_hash      BLOB NOT NULL,
    reference         TEXT NOT NULL,
    operator          TEXT NOT NULL,
    campaign_id       TEXT NOT NULL,
    person_key        TEXT NOT NULL,
    target_group      INTEGER NOT NULL,
    -- accepted, duplicate, waitlisted, rejected
    status            TEXT NOT NULL,
    -- The protocol::Outcome answered, as JSON; replays get exactly this.
    outcome           TEXT NOT NULL,
    hub_seq           INTEGER UNIQUE,
    waitlist_position INTEGER,
    replaces          TEXT,
    superseded_by     TEXT,
    registration      TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    received_at       INTEGER NOT NULL
);
CREATE INDEX submissions_kiosk ON submissions (kiosk_id, status);
CREATE INDEX submissions_received ON submissions (received_at);

-- Who is registered (accepted or waitlisted, not superseded): the cross-kiosk duplicate check.
CREATE TABLE persons (
    campaign_id   TEXT NOT NULL,
    person_key    TEXT NOT NULL,
    submission_id TEXT NOT NULL REFERENCES submissions(submission_id),
    PRIMARY KEY (campaign_id, person_key)
) WITHOUT ROWID;

-- Live registrations per group, kept in the same transaction as the rows they count.
CREATE TABLE group_counts (
    campaign_id  TEXT NOT NULL,
    target_group INTEGER NOT NULL,
    accepted     INTEGER NOT NULL DEFAULT 0,
    waitlisted   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, target_group)
) WITHOUT ROWID;

-- Monotonic counters: hub reference sequence, waitlist positions, conflicts seen.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE heartbeats (
    kiosk_id                INTEGER PRIMARY KEY REFERENCES kiosks(id),
    reported_id             TEXT NOT NULL,
    pending                 INTEGER NOT NULL,
    oldest_pending_age_secs INTEGER,
    version                 TEXT NOT NULL,
    received_at             INTEGER NOT NULL
);
