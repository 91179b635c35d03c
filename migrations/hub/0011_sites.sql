-- Vaccination sites and appointments (issue 33). `hub sites import` loads the sites, the amphoes
-- and tambons each serves and each day's capacity (split into time slots where the site has
-- them); every accepted registration is given one live appointment, allocated in the writer's
-- transaction under the store's write lock, so a day's `taken` never exceeds its `capacity`.

CREATE TABLE sites (
    site_id     TEXT PRIMARY KEY,
    name_th     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    -- Import order: among sites with room on the same day, the earlier one is given first.
    ord         INTEGER NOT NULL,
    -- The campaign's default site (for people whose address no site serves): the one marked by
    -- `hub sites import --default`, else the first imported.
    is_default  INTEGER NOT NULL DEFAULT 0,
    closed_at   INTEGER,
    updated_at  INTEGER NOT NULL
);

-- What a site serves: a whole amphoe (tambon '') or one tambon of it.
CREATE TABLE site_serves (
    site_id TEXT NOT NULL REFERENCES sites(site_id),
    amphoe  TEXT NOT NULL,
    tambon  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (site_id, amphoe, tambon)
) WITHOUT ROWID;
CREATE INDEX site_serves_place ON site_serves (amphoe, tambon);

-- A site's capacity per day and slot (slot '' for a site that does not split its days), and the
-- seats taken: appointments booked, vaccinated or not come (a cancellation or a move gives its
-- seat back). `closed` is set by `hub close-day`.
CREATE TABLE site_days (
    site_id  TEXT NOT NULL REFERENCES sites(site_id),
    day      TEXT NOT NULL,
    slot     TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL,
    taken    INTEGER NOT NULL DEFAULT 0,
    closed   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, day, slot)
) WITHOUT ROWID;

-- One live appointment per submission: where and when, the four-digit code, its state
-- (booked, vaccinated, no_show, cancelled). The person's amphoe and tambon are kept to allocate
-- again when the site closes; `by_default`: no site served the address.
CREATE TABLE appointments (
    submission_id TEXT PRIMARY KEY,
    hub_seq       INTEGER NOT NULL,
    site_id       TEXT NOT NULL,
    day           TEXT NOT NULL,
    slot          TEXT NOT NULL DEFAULT '',
    security_code TEXT NOT NULL,
    state         TEXT NOT NULL,
    amphoe        TEXT NOT NULL,
    tambon        TEXT NOT NULL,
    by_default    INTEGER NOT NULL DEFAULT 0,
    given_at      INTEGER NOT NULL,
    vaccinated_at INTEGER
);
CREATE INDEX appointments_site_day ON appointments (site_id, day, state);

-- The appointment a history row's change left the person with (JSON), for the kiosk's feed.
ALTER TABLE outcome_history ADD COLUMN appointment TEXT;
