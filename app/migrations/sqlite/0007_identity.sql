-- Identity (issue 12): claims expire; sessions keep when they were last used (the idle
-- timeout for helpers, staff and administrators); accounts can be disabled; password
-- resets and email changes are single-use links of their own. Only token hashes are kept.

ALTER TABLE program_claims ADD COLUMN expires_at INTEGER;
UPDATE program_claims SET expires_at = created_at + 604800000;

ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER;
UPDATE sessions SET last_seen_at = created_at;

ALTER TABLE users ADD COLUMN disabled_at INTEGER;

CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX password_resets_user ON password_resets (user_id);

CREATE TABLE email_changes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX email_changes_user ON email_changes (user_id);
