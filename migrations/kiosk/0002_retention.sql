-- Retention: acknowledged records lose their personal data after N days and keep a tombstone.
ALTER TABLE registrations ADD COLUMN purged_at INTEGER;
CREATE INDEX registrations_acked ON registrations (acked_at) WHERE purged_at IS NULL;
CREATE INDEX registrations_reference_search ON registrations (created_at);
