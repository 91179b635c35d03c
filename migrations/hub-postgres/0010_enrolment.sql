-- Enrolment codes (as migrations/hub/0010_enrolment.sql).
CREATE TABLE enrolments (
    secret_hash BYTEA PRIMARY KEY,
    kiosk       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX enrolments_kiosk ON enrolments (kiosk);
