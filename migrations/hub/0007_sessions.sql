-- The dashboard's sign-in sessions, kept in the store so that every hub process on it knows a
-- session another one opened (behind a load balancer, one page view may reach any of them).
-- Only the SHA-256 of the cookie's secret is kept, beside the SHA-256 of the admin token that
-- signed in (its sessions end when that token is revoked) and the admin's name. The hub deletes
-- expired rows as it opens new ones, and keeps at most a few hundred.
--
-- Self-contained: it names no other table and may run again, so it applies whatever migrations
-- come before it.

CREATE TABLE IF NOT EXISTS dashboard_sessions (
    key_hash   BLOB PRIMARY KEY,
    admin_hash BLOB NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dashboard_sessions_expiry ON dashboard_sessions (expires_at);
CREATE INDEX IF NOT EXISTS dashboard_sessions_admin ON dashboard_sessions (admin_hash);
