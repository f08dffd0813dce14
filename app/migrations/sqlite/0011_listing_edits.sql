-- Programs managed in the app (issue 15, item 3): edits by site administrators and by a
-- program's own staff, suggestions from anyone waiting for an administrator, and every
-- change to a listing kept in the program's history.

-- Counts every write to a listing's content, so an edit made from a stale form is refused
-- instead of silently undoing someone else's.
ALTER TABLE programs ADD COLUMN listing_version INTEGER NOT NULL DEFAULT 0;
-- The feed's last version of an imported listing (JSON): a newer feed changes only the
-- fields it changed since, so edits made in the app survive re-imports. A table of its own:
-- read by imports only, it would widen every row of \`programs\` that searches scan.
CREATE TABLE program_feed_versions (
    program_id INTEGER PRIMARY KEY REFERENCES programs (id),
    listing TEXT NOT NULL
);
-- Who archived a program: 'feed' (it left its feed, and comes back when listed again) or
-- 'admin' (it stays archived whatever the feed says, until an administrator restores it).
ALTER TABLE programs ADD COLUMN archived_by TEXT;
UPDATE programs SET archived_by = 'feed' WHERE archived_at IS NOT NULL;

ALTER TABLE organizations ADD COLUMN archived_at INTEGER;
CREATE INDEX organizations_by_name ON organizations (name, id);

-- One row per change to a listing: who (a user, or a feed named in `detail`), when, what
-- kind, and each field's value before and after (JSON list of {field, before, after}).
CREATE TABLE program_edits (
    id INTEGER PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    kind TEXT NOT NULL,
    edited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    suggestion_id INTEGER,
    detail TEXT NOT NULL DEFAULT '',
    changes TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL
);
CREATE INDEX program_edits_of_program ON program_edits (program_id, id);

-- A change anyone proposed, until an administrator accepts or declines it. `proposal` is
-- the whole listing as suggested (JSON); `fields` names the fields that differ from the
-- listing as it was then, and only those are taken when it is accepted.
CREATE TABLE listing_suggestions (
    id INTEGER PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    suggested_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    proposal TEXT NOT NULL,
    fields TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending',
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX listing_suggestions_by_state ON listing_suggestions (state, id);
