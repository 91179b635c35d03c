-- Waiting-list positions count per target group (as migrations/hub/0005_waitlist_per_group.sql):
-- each group's counter `waitlist:{campaign}:{group}` starts at the largest position any row of
-- that group holds (positions already given stay as people were told them), and the head of
-- each group's list is found by arrival (`hub_seq`), not by position.

DROP INDEX IF EXISTS submissions_waiting;
CREATE INDEX submissions_waiting ON submissions (campaign_id, status, target_group, hub_seq);

INSERT INTO counters (name, value)
    SELECT 'waitlist:' || campaign_id || ':' || target_group, MAX(waitlist_position)
    FROM submissions WHERE waitlist_position IS NOT NULL
    GROUP BY campaign_id, target_group
    ON CONFLICT (name) DO UPDATE SET value = GREATEST(counters.value, EXCLUDED.value);
