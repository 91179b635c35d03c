-- Data out (`hub export`, `GET /v1/registrations`): every submission row gets `row_seq`, a number
-- taken from the counter `row_seq` under the write lock as the row is written, so it grows in
-- commit order. Paging by it never skips a row written while a reader pages (a later commit
-- always has higher numbers) and never repeats one (it never changes). Rows stored before this
-- migration are numbered in the order SQLite wrote them.

ALTER TABLE submissions ADD COLUMN row_seq INTEGER;
UPDATE submissions SET row_seq = rowid;
CREATE UNIQUE INDEX submissions_row_seq ON submissions (row_seq);
INSERT INTO counters (name, value)
    SELECT 'row_seq', COALESCE(MAX(row_seq), 0) FROM submissions WHERE true
    ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value);
