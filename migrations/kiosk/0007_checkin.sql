-- Check-in at a vaccination site (issue 33, part 4): what a site's kiosk keeps to work offline.
--
-- `site_list`: the site's list as last downloaded (`GET /v1/site/list`), replaced whole by the
-- next one. One row per reference: `here` = 1 for the site's own people, whose details (the
-- hub's ListedPerson as JSON, the security code in it) are sealed to the shift's public key in
-- `details` like the queue's on-screen copies (stored with no PIN, read only with a shift open);
-- `here` = 0 for everyone else holding an appointment, kept with no details. The columns beside
-- are plain, to look a person up and say where and when with no PIN: the reference, the keyed
-- hash of the person (`person_hash`, under the list's own key, kept in `kiosk_meta`), the site,
-- the day (ISO), the slot, the state and when the dose was recorded.
CREATE TABLE site_list (
    reference     TEXT PRIMARY KEY,
    person_hash   TEXT NOT NULL,
    here          INTEGER NOT NULL,
    site_id       TEXT NOT NULL,
    site_name_th  TEXT NOT NULL,
    site_name_en  TEXT NOT NULL,
    day           TEXT NOT NULL,
    slot          TEXT,
    state         TEXT NOT NULL,
    vaccinated_at INTEGER,
    details       BLOB
);
CREATE INDEX site_list_person ON site_list (person_hash);

-- `doses`: the doses recorded here, the outbox the sender sends to `POST /v1/doses` (each once:
-- the hub records a `dose_id` once and answers a replay as the first time). `dose` is the wire
-- Dose as JSON; `day` the ISO day it was given on at the kiosk. `sent_at` is set with the hub's
-- answer (`status`, one of `dose_status`, and its `message`): every answer is final, and the
-- security code is taken out of `dose` then (it is needed no more).
CREATE TABLE doses (
    dose_id     TEXT PRIMARY KEY,
    reference   TEXT NOT NULL,
    day         TEXT NOT NULL,
    dose        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    status      TEXT,
    message     TEXT
);
CREATE INDEX doses_reference ON doses (reference);
CREATE INDEX doses_unsent ON doses (created_at) WHERE sent_at IS NULL;

-- `day_settings`: the vaccine lot and the dose number the clerk set for a day.
CREATE TABLE day_settings (
    day         TEXT PRIMARY KEY,
    lot         TEXT NOT NULL,
    dose_number INTEGER NOT NULL
);
