-- Personal data sealed at rest (issue 18). A record's registration is kept only as
-- `hub_sealed`, the SealedBox JSON (key id, base64) sealed to the hub's public key that the
-- sender ships as it is, and `shift_sealed`, the on-screen copy (registration and search text)
-- sealed to the shift's public key, readable only while a shift is open. `payload` and
-- `search_text` stay NULL for such a record, and `id_key` holds a keyed hash (HMAC-SHA-256) of
-- the ID number, not the number. A record from before keeps its clear columns until it is sealed
-- in place (`Queue::seal_waiting`, one transaction).
ALTER TABLE registrations ADD COLUMN hub_sealed TEXT;
ALTER TABLE registrations ADD COLUMN shift_sealed BLOB;
CREATE INDEX registrations_unsealed ON registrations (seq)
    WHERE payload IS NOT NULL OR (hub_sealed IS NULL AND shift_sealed IS NOT NULL);
