-- The dashboard's sign-in sessions, shared by every hub process on the database (as
-- migrations/hub/0007_sessions.sql): the SHA-256 of the cookie's secret, the SHA-256 of the
-- admin token that signed in, the admin's name, and when it was made and ends.
--
-- Self-contained: it names no other table and may run again, so it applies whatever migrations
-- come before it.

CREATE TABLE IF NOT EXISTS dashboard_sessions (
    key_hash   BYTEA PRIMARY KEY,
    admin_hash BYTEA NOT NULL,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS dashboard_sessions_expiry ON dashboard_sessions (expires_at);
CREATE INDEX IF NOT EXISTS dashboard_sessions_admin ON dashboard_sessions (admin_hash);
