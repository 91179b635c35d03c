-- Check-in at a vaccination site (issue 33, part 4).
--
-- A check-in kiosk is a kiosk enrolled for one site (`hub add-kiosk NAME --site ID`, `hub enrol
-- NAME --site ID`): it downloads that site's list (`GET /v1/site/list`) and sends the doses it
-- records there (`POST /v1/doses`). NULL for a registration kiosk and a person's account.
ALTER TABLE kiosks ADD COLUMN site_id TEXT;

-- Every dose a site's kiosk sent, once per `dose_id` (made by the kiosk, UUID v4), with the
-- answer it was given (`recorded`, `already_vaccinated`, `wrong_code`, `other_site`, `unknown`):
-- a dose sent again is answered from here, and a dose refused (a day closed before the kiosk
-- synced) is still on record with its lot and time. `submission_id` is the registration it was
-- checked against, with its campaign and person (NULL when none had the reference); a recorded
-- dose set that registration's appointment `vaccinated` in the same transaction.
CREATE TABLE doses (
    dose_id       TEXT PRIMARY KEY,
    kiosk_id      INTEGER NOT NULL REFERENCES kiosks(id),
    reference     TEXT NOT NULL,
    submission_id TEXT,
    campaign_id   TEXT,
    person_key    TEXT,
    site_id       TEXT NOT NULL,
    lot           TEXT NOT NULL,
    dose_number   INTEGER NOT NULL,
    given_at      INTEGER NOT NULL,
    operator      TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    status        TEXT NOT NULL,
    -- The protocol::DoseResult answered, as JSON; a replay gets exactly this.
    answer        TEXT NOT NULL
);
-- One recorded dose per person and dose number, whichever registration it was recorded
-- against (a corrected record, a person registered again): the hub refuses a second.
CREATE UNIQUE INDEX doses_person ON doses (campaign_id, person_key, dose_number)
    WHERE status = 'recorded';
