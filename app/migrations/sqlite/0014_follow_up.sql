-- The loop closes on time (issue 16): seen by the program, deadlines from the response
-- standard, escalation, seeker check-ins, consent withdrawal, and scheduled jobs.

-- Instants (epoch ms) computed by the app when a referral is made, from the program's
-- response standard in business days in the deployment's time zone (model::follow_up);
-- NULL for referrals made before this migration until the scheduler fills them.
ALTER TABLE referrals ADD COLUMN overdue_at INTEGER;
ALTER TABLE referrals ADD COLUMN escalate_at INTEGER;
ALTER TABLE referrals ADD COLUMN escalated_at INTEGER;
-- The first time the program's staff opened it.
ALTER TABLE referrals ADD COLUMN seen_at INTEGER;
-- While set, the program sees the referral as if "don't reach out" had been chosen.
ALTER TABLE referrals ADD COLUMN consent_withdrawn_at INTEGER;
-- When its status last changed (an Eligible referral's check-in counts from there).
ALTER TABLE referrals ADD COLUMN status_changed_at INTEGER;
UPDATE referrals SET status_changed_at = updated_at;

-- Overdue badges, counts and reminders read still-"Not updated" referrals by deadline.
CREATE INDEX referrals_overdue ON referrals (program_id, overdue_at) WHERE status = 'not_updated';
CREATE INDEX referrals_to_escalate ON referrals (escalate_at)
    WHERE status = 'not_updated' AND escalated_at IS NULL;
CREATE INDEX referrals_unscheduled ON referrals (id) WHERE overdue_at IS NULL;
-- Open referrals of seekers who may be emailed, oldest first, for check-ins.
CREATE INDEX referrals_open_by_age ON referrals (created_at)
    WHERE status IN ('not_updated', 'needs_client_action', 'pending', 'referred_elsewhere', 'eligible')
      AND contact_preference = 'email' AND consent_withdrawn_at IS NULL;

-- A program's own response standard; NULL: the deployment's.
ALTER TABLE programs ADD COLUMN response_days INTEGER
    CHECK (response_days IS NULL OR response_days BETWEEN 1 AND 30);

-- SQLite cannot change a CHECK: the history table is rebuilt with the new kinds.
CREATE TABLE referral_history_new (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('created', 'status', 'note', 'seen',
        'consent_withdrawn', 'consent_given', 'still_waiting')),
    actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_role TEXT CHECK (actor_role IN ('seeker', 'helper', 'program')),
    actor_label TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    body TEXT,
    at INTEGER NOT NULL
);
INSERT INTO referral_history_new SELECT id, referral_id, kind, actor_user_id, actor_role,
    actor_label, from_status, to_status, body, at FROM referral_history;
DROP TABLE referral_history;
ALTER TABLE referral_history_new RENAME TO referral_history;
CREATE INDEX referral_history_referral ON referral_history (referral_id, id);
CREATE TRIGGER referral_history_append_only BEFORE UPDATE ON referral_history
BEGIN
    SELECT RAISE(ABORT, 'referral_history is append-only');
END;

-- One row per check-in sent: a step is never sent twice, however many instances run.
CREATE TABLE check_ins (
    referral_id INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    step TEXT NOT NULL CHECK (step IN ('open', 'eligible', 'early')),
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (referral_id, step)
);

-- One row per reminder sent: one a day per recipient (`user:<id>` or `program:<id>` for
-- an unclaimed program's listed email), `day` a local date as days since 1970-01-01.
CREATE TABLE reminders_sent (
    recipient TEXT NOT NULL,
    day INTEGER NOT NULL,
    referrals INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (recipient, day)
);

-- Scheduled jobs: whichever instance holds a job's lease runs it (server::schedule).
CREATE TABLE scheduled_jobs (
    job TEXT PRIMARY KEY,
    leased_until INTEGER NOT NULL DEFAULT 0,
    holder TEXT,
    last_finished_at INTEGER
);
