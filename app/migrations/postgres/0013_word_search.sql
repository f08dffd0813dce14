-- Directory search by words, not substrings (issue 15: p99 ≤ 20 ms at 20,000 services).
-- A typed word matches the start of a listing's word ("pant" finds "pantry"; "rent" no
-- longer finds "parenting"). The app writes `search_words`, the listing's words made by
-- `model::directory::search::listing_words`, so both backends index the same words; NULL
-- until the app fills it (at start, for rows written before this migration).
-- The trigram index answered a common word ("springfield", in 16 % of programs) in 24 ms;
-- a word's posting list is read in about one.
DROP INDEX programs_search_trgm;
ALTER TABLE programs DROP COLUMN search_text;
ALTER TABLE programs ADD COLUMN search_words TEXT;
ALTER TABLE programs ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', coalesce(search_words, ''))) STORED;
CREATE INDEX programs_search_words ON programs USING gin (search_vector);
