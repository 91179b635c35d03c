-- Every version of a campaign's form the hub has published (`GET /v1/campaign`): its
-- definition as JSON, kept so a record is checked against the version it was made with however
-- late it arrives. A version is recorded once, when a hub first serves it; the first
-- definition of a version is the one kept.
CREATE TABLE campaign_versions (
    campaign_id     TEXT NOT NULL,
    version         INTEGER NOT NULL,
    definition      TEXT NOT NULL,
    first_published INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, version)
);

-- A record made with a version this hub never published (a newer kiosk's, or one made before
-- its hub recorded versions): stored all the same, this its version, for a report to count.
ALTER TABLE submissions ADD COLUMN unpublished_version INTEGER;
