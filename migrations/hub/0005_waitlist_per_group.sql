-- Waiting-list positions count per target group ("3rd waiting in group 2"): each group takes its
-- next position from the counter `waitlist:{campaign}:{group}` (before, one counter
-- `waitlist:{campaign}` numbered the whole campaign's list). Positions already given are kept as
-- they are, since people were told them: each group's counter starts at the largest position
-- any row of that group holds, so its next person is told a higher number than anyone before
-- them in that group. The campaign-wide counter stays, unused.
--
-- Promotion no longer compares positions across groups but arrival (`hub_seq`, taken in commit
-- order): the head of each group's list is its lowest hub_seq waiting.

DROP INDEX IF EXISTS submissions_waiting;
CREATE INDEX submissions_waiting ON submissions (campaign_id, status, target_group, hub_seq);

INSERT INTO counters (name, value)
    SELECT 'waitlist:' || campaign_id || ':' || target_group, MAX(waitlist_position)
    FROM submissions WHERE waitlist_position IS NOT NULL
    GROUP BY campaign_id, target_group
    ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value);
