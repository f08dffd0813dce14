-- Directory search at county scale (issue 15: p99 ≤ 20 ms at 20,000 services). Words are
-- matched against one lower-cased column (name, organisation and description, written by
-- the app whenever one of them changes) instead of lower() of three columns on every row;
-- results in name order can walk an index and stop after a page; a place matches a ZIP
-- or a city through an index each.
ALTER TABLE programs ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE programs SET search_text = lower(name || ' ' || organization || ' ' || description);
CREATE INDEX programs_by_name ON programs (name, id);
CREATE INDEX programs_by_city ON programs (lower(city));

-- Words are found through a pg_trgm index of that column (as People I'm Helping's name
-- search is, migration 0006): a word that matches little or nothing no longer reads every
-- program.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX programs_search_trgm ON programs USING gin (search_text gin_trgm_ops);
