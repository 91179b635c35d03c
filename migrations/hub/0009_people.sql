-- People's accounts with roles, and the access log.
--
-- A token that is not a kiosk's (is_admin = 1) belongs to a person with a role: `viewer` (the
-- dashboard and counts), `reader` (personal data, limited to the amphoes in `amphoes` — a
-- JSON array of names — when it holds any) or `admin` (everything). The admin tokens from before
-- roles stay admins.
ALTER TABLE kiosks ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE kiosks ADD COLUMN amphoes TEXT NOT NULL DEFAULT '[]';
UPDATE kiosks SET role = 'admin' WHERE is_admin = 1;

-- Every read of personal data: who (the account, or the login name of a command run on the
-- hub's host), when, what (the route or command), with what filter, how many rows. Append-only.
CREATE TABLE access_log (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    who     TEXT NOT NULL,
    what    TEXT NOT NULL,
    filter  TEXT NOT NULL,
    rows    INTEGER NOT NULL
);
CREATE INDEX access_log_at ON access_log (at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
