-- Handoff schema, SQLite flavour. Keep in step with ../postgres/0001_foundation.sql:
-- same tables, columns and indexes; only the types and id generation differ.
-- Timestamps are integer milliseconds since the Unix epoch; flags are 0/1 integers.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    email_verified INTEGER NOT NULL DEFAULT 0,
    phone TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    password_hash TEXT NOT NULL,
    is_site_admin INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    throttle_key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (throttle_key, at);

CREATE TABLE user_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    team_navigation INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE programs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    organization TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    zip TEXT NOT NULL DEFAULT '',
    service_area TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT 'en',
    contact_email TEXT,
    contact_phone TEXT,
    hours TEXT NOT NULL DEFAULT '',
    claimed_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX programs_zip ON programs (zip);
CREATE INDEX programs_city ON programs (city);

CREATE TABLE program_categories (
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    PRIMARY KEY (program_id, category)
);
CREATE INDEX program_categories_category ON program_categories (category, program_id);

CREATE TABLE program_staff (
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (program_id, user_id)
);
CREATE INDEX program_staff_user ON program_staff (user_id);

CREATE TABLE program_claims (
    id INTEGER PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    created_at INTEGER NOT NULL,
    decided_at INTEGER,
    decided_by INTEGER REFERENCES users (id)
);
CREATE INDEX program_claims_state ON program_claims (state, created_at);

-- A seeker profile. `user_id` links it to an account with the same verified email.
CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX persons_email ON persons (email);
CREATE INDEX persons_user ON persons (user_id);
CREATE INDEX persons_created_by ON persons (created_by);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    program_id INTEGER NOT NULL REFERENCES programs (id),
    referrer_id INTEGER REFERENCES users (id),
    referrer_group_id INTEGER REFERENCES user_groups (id),
    status TEXT NOT NULL CHECK (status IN ('not_updated', 'needs_client_action', 'pending',
        'referred_elsewhere', 'eligible', 'got_help', 'couldnt_contact', 'not_eligible',
        'no_capacity', 'couldnt_get_help', 'no_longer_interested')),
    contact_preference TEXT NOT NULL
        CHECK (contact_preference IN ('email', 'text', 'phone', 'dont_reach_out')),
    contact_email TEXT,
    contact_phone TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    comments TEXT NOT NULL DEFAULT '',
    -- Bumped by every status change: an update that names an older version is stale.
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX referrals_program ON referrals (program_id, created_at, id);
CREATE INDEX referrals_referrer ON referrals (referrer_id, created_at, id);
CREATE INDEX referrals_group ON referrals (referrer_group_id, created_at, id);
CREATE INDEX referrals_person ON referrals (person_id);

-- Append-only: every creation, status change and note, with who did it and when.
-- `actor_label` freezes "first name, last initial, organisation" as it was at the time.
CREATE TABLE referral_history (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('created', 'status', 'note')),
    actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_role TEXT CHECK (actor_role IN ('seeker', 'helper', 'program')),
    actor_label TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    body TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX referral_history_referral ON referral_history (referral_id, id);

CREATE TRIGGER referral_history_append_only BEFORE UPDATE ON referral_history
BEGIN
    SELECT RAISE(ABORT, 'referral_history is append-only');
END;

-- Emails written in the same transaction as the change that causes them.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient_email TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'en',
    referral_id INTEGER REFERENCES referrals (id) ON DELETE CASCADE,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    message_id TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
