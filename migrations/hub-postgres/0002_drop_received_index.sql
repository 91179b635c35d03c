-- The SQLite store's 0002 dropped an index on submissions(received_at) that nothing used. This
-- store's 0001 never made it; the migration is here so that both stores number their migrations
-- the same way (a version means the same schema on either).
DROP INDEX IF EXISTS submissions_received;
