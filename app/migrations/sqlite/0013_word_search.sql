-- Directory search by words, not substrings (issue 15: p99 ≤ 20 ms at 20,000 services).
-- A typed word matches the start of a listing's word ("pant" finds "pantry"; "rent" no
-- longer finds "parenting"). The app writes `search_words`, the listing's words made by
-- `model::directory::search::listing_words`, so both backends index the same words; NULL
-- until the app fills it (at start, for rows written before this migration).
-- FTS5's trigram index answered a common word ("springfield", in 16 % of programs) in
-- 9 ms before any row was read; its word index (unicode61) in 2.
DROP TRIGGER programs_search_insert;
DROP TRIGGER programs_search_update;
DROP TRIGGER programs_search_delete;
DROP TABLE programs_search;
ALTER TABLE programs DROP COLUMN search_text;
ALTER TABLE programs ADD COLUMN search_words TEXT;

CREATE VIRTUAL TABLE programs_words USING fts5(
    search_words, tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER programs_words_insert AFTER INSERT ON programs BEGIN
    INSERT INTO programs_words (rowid, search_words) VALUES (new.id, new.search_words);
END;

CREATE TRIGGER programs_words_update AFTER UPDATE OF search_words ON programs BEGIN
    UPDATE programs_words SET search_words = new.search_words WHERE rowid = old.id;
END;

CREATE TRIGGER programs_words_delete AFTER DELETE ON programs BEGIN
    DELETE FROM programs_words WHERE rowid = old.id;
END;

INSERT INTO programs_words (rowid, search_words) SELECT id, search_words FROM programs;
