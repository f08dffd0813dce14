-- Account email verification: a single-use link mailed at sign-up. Verifying links the
-- persons helpers created for that email to the account (SPEC: accounts).
CREATE TABLE email_verifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX email_verifications_user ON email_verifications (user_id);

-- The admin view lists recent failures and the backlog, newest first.
CREATE INDEX outbox_state_created ON outbox (state, created_at);
