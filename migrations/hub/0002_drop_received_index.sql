-- Nothing looks submissions up by received_at (the per-day counts of `hub stats` read the whole
-- table), and every submission paid for keeping this index up to date.
DROP INDEX IF EXISTS submissions_received;
