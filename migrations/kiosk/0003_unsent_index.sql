-- The oldest unsent record (status line, `ruamjai status`) without scanning a large queue.
CREATE INDEX registrations_unsent ON registrations (created_at)
    WHERE state IN ('pending', 'sending');
