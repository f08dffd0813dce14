-- Erasing a person (issue 18, item 5): the history stays append-only, except that an erasure
-- may blank an entry's text and a seeker's own name on it; nothing else about an entry can
-- change (what happened, when, by which account, stays for the record and the reports).
DROP TRIGGER referral_history_append_only;
CREATE TRIGGER referral_history_append_only BEFORE UPDATE ON referral_history
WHEN NOT (
    NEW.id = OLD.id AND NEW.referral_id = OLD.referral_id AND NEW.kind = OLD.kind
    AND NEW.actor_user_id IS OLD.actor_user_id AND NEW.actor_role IS OLD.actor_role
    AND NEW.from_status IS OLD.from_status AND NEW.to_status IS OLD.to_status
    AND NEW.at = OLD.at AND NEW.body IS NULL
    AND (NEW.actor_label = OLD.actor_label OR NEW.actor_label = 'erased')
)
BEGIN
    SELECT RAISE(ABORT, 'referral_history is append-only: only an erasure may blank it');
END;

-- Who was erased, when and by whom (never what was erased).
CREATE TABLE erasures (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL,
    erased_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    referrals INTEGER NOT NULL,
    at INTEGER NOT NULL
);
