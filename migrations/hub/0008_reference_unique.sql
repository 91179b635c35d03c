-- One receipt reference, one registration: at most one live row holds a kiosk's reference. Live
-- is what `hub cancel REFERENCE` looks at: every row but the rejected ones (never registered)
-- and those a kiosk's correction superseded (the correction may carry the same reference).
-- Accepted, waitlisted, duplicate and cancelled rows keep their reference for good, so a
-- reference cancelled is not given again either.
--
-- A store may already hold a reference on two live rows (a kiosk that sent one reference under
-- two submission ids, before the hub refused that). Nothing is deleted and nobody loses a
-- place: the first of them in commit order (`row_seq`) keeps the reference; each later one is
-- marked with the submission id of the one that kept it (`reference_kept_by`) and is left out of
-- the unique index. Those registrations stay as they are, found by their hub reference (RJ-…);
-- `hub cancel` given the shared receipt reference names them all and asks for the hub's.

ALTER TABLE submissions ADD COLUMN reference_kept_by TEXT;
UPDATE submissions SET reference_kept_by = (
        SELECT e.submission_id FROM submissions e
        WHERE e.reference = submissions.reference AND e.status <> 'rejected'
          AND e.superseded_by IS NULL
        ORDER BY e.row_seq LIMIT 1)
    WHERE status <> 'rejected' AND superseded_by IS NULL
      AND EXISTS (SELECT 1 FROM submissions e
                  WHERE e.reference = submissions.reference AND e.status <> 'rejected'
                    AND e.superseded_by IS NULL AND e.row_seq < submissions.row_seq);
CREATE UNIQUE INDEX submissions_live_reference ON submissions (reference)
    WHERE status <> 'rejected' AND superseded_by IS NULL AND reference_kept_by IS NULL;
