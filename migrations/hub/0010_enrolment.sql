-- Enrolment codes (`hub enrol NAME`): each one's one-time secret kept only as its SHA-256, the
-- kiosk it enrols (its name as stored in `kiosks`), when it stops working, and when it was used
-- (once: `POST /v1/enrol` sets used_at only where it is still NULL and the code has not expired).
CREATE TABLE enrolments (
    secret_hash BLOB PRIMARY KEY,
    kiosk       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX enrolments_kiosk ON enrolments (kiosk);
