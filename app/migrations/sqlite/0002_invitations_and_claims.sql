-- Invitations to a group or to a program's staff, and claim verification tokens.
-- Only a token's SHA-256 is stored; the token itself travels in the email link.

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('group', 'program')),
    group_id INTEGER REFERENCES user_groups (id) ON DELETE CASCADE,
    program_id INTEGER REFERENCES programs (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    accepted_at INTEGER,
    accepted_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invitations_group ON invitations (group_id);
CREATE INDEX invitations_program ON invitations (program_id);

ALTER TABLE program_claims ADD COLUMN token_hash TEXT;
CREATE UNIQUE INDEX program_claims_token ON program_claims (token_hash);
