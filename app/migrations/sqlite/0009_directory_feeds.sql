-- The directory loaded from Open Referral HSDS feeds (issue 15). A program imported from a
-- feed is keyed by (directory_source, hsds_id): a second import of the same file finds it
-- again, a newer one updates it in place, and one that leaves the feed is archived (never
-- deleted: its referrals, claims and staff stay). Programs made in the app have no source.

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    directory_source TEXT,
    hsds_id TEXT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX organizations_by_feed ON organizations (directory_source, hsds_id);

-- programs.organization stays the organisation's name as shown (copied from organizations
-- when a program has one), so listings and dashboards need no extra join.
ALTER TABLE programs ADD COLUMN organization_id INTEGER REFERENCES organizations (id);
ALTER TABLE programs ADD COLUMN directory_source TEXT;
ALTER TABLE programs ADD COLUMN hsds_id TEXT;
-- HSDS service status: active, inactive, defunct or temporarily closed.
ALTER TABLE programs ADD COLUMN service_status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE programs ADD COLUMN url TEXT NOT NULL DEFAULT '';
ALTER TABLE programs ADD COLUMN state_province TEXT NOT NULL DEFAULT '';
ALTER TABLE programs ADD COLUMN eligibility TEXT NOT NULL DEFAULT '';
ALTER TABLE programs ADD COLUMN archived_at INTEGER;
-- When the listing's content last changed (import or edit): the public "last reviewed".
ALTER TABLE programs ADD COLUMN updated_at INTEGER;
CREATE UNIQUE INDEX programs_by_feed ON programs (directory_source, hsds_id);
CREATE INDEX programs_of_organization ON programs (organization_id);

-- Every program has its organisation as a row: those made before feeds existed get one per
-- distinct organisation name.
INSERT INTO organizations (name, created_at, updated_at)
    SELECT organization, MIN(created_at), MIN(created_at) FROM programs GROUP BY organization;
UPDATE programs SET organization_id = (
    SELECT o.id FROM organizations o
    WHERE o.directory_source IS NULL AND o.name = programs.organization
);

-- Imports started from /admin (an upload): who, what, and the report once done.
CREATE TABLE directory_imports (
    id INTEGER PRIMARY KEY,
    started_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    file_name TEXT NOT NULL,
    source TEXT NOT NULL,
    skip_invalid INTEGER NOT NULL DEFAULT 0,
    dry_run INTEGER NOT NULL DEFAULT 0,
    -- The import's report as JSON, once it is done.
    report TEXT,
    -- Set when the import itself failed (the database), not the feed.
    failure TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX directory_imports_started ON directory_imports (started_at);

-- Whether the program takes referrals now, as its staff say (Gravity SDOH IG capacity):
-- accepting, waitlist, assessment_first or not_accepting, with an optional note.
ALTER TABLE programs ADD COLUMN capacity TEXT NOT NULL DEFAULT 'accepting';
ALTER TABLE programs ADD COLUMN capacity_note TEXT NOT NULL DEFAULT '';
