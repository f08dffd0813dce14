-- Directory search at county scale (issue 15: p99 ≤ 20 ms at 20,000 services). Words are
-- matched against one lower-cased column (name, organisation and description, written by
-- the app whenever one of them changes) instead of lower() of three columns on every row;
-- results in name order can walk an index and stop after a page; a place matches a ZIP
-- or a city through an index each.
ALTER TABLE programs ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE programs SET search_text = lower(name || ' ' || organization || ' ' || description);
CREATE INDEX programs_by_name ON programs (name, id);
CREATE INDEX programs_by_city ON programs (lower(city));

-- Words are found through an FTS5 trigram index of that column (as People I'm Helping's
-- name search is, migration 0006), kept in step by triggers: a word that matches little
-- or nothing no longer reads every program.
CREATE VIRTUAL TABLE programs_search USING fts5(search_text, tokenize = 'trigram');

INSERT INTO programs_search (rowid, search_text) SELECT id, search_text FROM programs;

CREATE TRIGGER programs_search_insert AFTER INSERT ON programs BEGIN
    INSERT INTO programs_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER programs_search_update AFTER UPDATE OF search_text ON programs BEGIN
    UPDATE programs_search SET search_text = new.search_text WHERE rowid = old.id;
END;

CREATE TRIGGER programs_search_delete AFTER DELETE ON programs BEGIN
    DELETE FROM programs_search WHERE rowid = old.id;
END;
