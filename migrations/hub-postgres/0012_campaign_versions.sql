-- Every version of a campaign's form the hub has published (as
-- migrations/hub/0012_campaign_versions.sql).
CREATE TABLE campaign_versions (
    campaign_id     TEXT NOT NULL,
    version         BIGINT NOT NULL,
    definition      TEXT NOT NULL,
    first_published BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, version)
);

-- A record made with a version this hub never published (a newer kiosk's, or one made before
-- its hub recorded versions): stored all the same, this its version, for a report to count.
ALTER TABLE submissions ADD COLUMN unpublished_version BIGINT;
