-- One receipt reference, one registration (as migrations/hub/0008_reference_unique.sql): at
-- most one live row (not rejected, not superseded by a correction) holds a kiosk's reference.
-- Rows that already shared a live reference stay registered: the first in commit order
-- (`row_seq`) keeps it, each later one is marked with the submission id of the one that kept it
-- (`reference_kept_by`) and is left out of the unique index; they are found by their hub
-- reference (RJ-…).

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
