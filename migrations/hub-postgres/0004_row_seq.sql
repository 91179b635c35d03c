-- Data out (as migrations/hub/0004_row_seq.sql): `row_seq` from the counter `row_seq`, taken
-- under the write lock, so it grows in commit order across every hub process and is the cursor
-- of `GET /v1/registrations` and the order of `hub export`. Rows stored before this migration
-- are numbered by the time the hub received them.

ALTER TABLE submissions ADD COLUMN row_seq BIGINT;
UPDATE submissions s SET row_seq = o.n
    FROM (SELECT submission_id, ROW_NUMBER() OVER (ORDER BY received_at, submission_id) AS n
          FROM submissions) o
    WHERE o.submission_id = s.submission_id;
CREATE UNIQUE INDEX submissions_row_seq ON submissions (row_seq);
INSERT INTO counters (name, value)
    SELECT 'row_seq', COALESCE(MAX(row_seq), 0) FROM submissions
    ON CONFLICT (name) DO UPDATE SET value = GREATEST(counters.value, EXCLUDED.value);
