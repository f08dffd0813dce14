-- The audit trail (issue 18, item 3): security-relevant events, appended and never changed
-- (model::audit). Entries older than HANDOFF_AUDIT_DAYS are removed by housekeeping; no
-- entry holds contact details or free text.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    event TEXT NOT NULL,
    actor_id INTEGER,
    actor_label TEXT NOT NULL,
    referral_id INTEGER,
    subject_id INTEGER,
    place TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
CREATE INDEX audit_log_subject ON audit_log (subject_id, at);
CREATE INDEX audit_log_referral ON audit_log (referral_id, at);
-- Append-only: an entry cannot be changed, by the app or by a mistaken statement.
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
