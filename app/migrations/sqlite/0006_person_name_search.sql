-- People I'm Helping's name search (store/listings.rs): an FTS5 trigram index of each
-- person's full name, so a part of a name is found without reading every person in the
-- county. Kept in step with `persons` by triggers. Lowercased as the query is (SQLite's
-- lower() and LIKE fold ASCII only, as before).
CREATE VIRTUAL TABLE persons_name_search USING fts5(full_name, tokenize = 'trigram');

INSERT INTO persons_name_search (rowid, full_name)
    SELECT id, lower(first_name || ' ' || last_name) FROM persons;

CREATE TRIGGER persons_name_search_insert AFTER INSERT ON persons BEGIN
    INSERT INTO persons_name_search (rowid, full_name)
        VALUES (new.id, lower(new.first_name || ' ' || new.last_name));
END;

CREATE TRIGGER persons_name_search_update AFTER UPDATE OF first_name, last_name ON persons BEGIN
    UPDATE persons_name_search SET full_name = lower(new.first_name || ' ' || new.last_name)
        WHERE rowid = old.id;
END;

CREATE TRIGGER persons_name_search_delete AFTER DELETE ON persons BEGIN
    DELETE FROM persons_name_search WHERE rowid = old.id;
END;
