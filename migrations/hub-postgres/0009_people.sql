-- People's accounts with roles, and the access log (as migrations/hub/0009_people.sql).
ALTER TABLE kiosks ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE kiosks ADD COLUMN amphoes TEXT NOT NULL DEFAULT '[]';
UPDATE kiosks SET role = 'admin' WHERE is_admin = 1;

CREATE TABLE access_log (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      BIGINT NOT NULL,
    who     TEXT NOT NULL,
    what    TEXT NOT NULL,
    filter  TEXT NOT NULL,
    rows    BIGINT NOT NULL
);
CREATE INDEX access_log_at ON access_log (at);

CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'access_log is append-only'; END $$;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
