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
