-- A directory search in a place walks an index that is in name order for that place and
-- stops after a page (issue 15: PostgreSQL p99 was 23 ms, its slowest searches walking the
-- name index past thousands of programs of other towns, since names often begin with their
-- town). A place with a digit is a postal code, any other a city (`PlaceQuery`), compared
-- lower-cased.
DROP INDEX programs_by_city;
CREATE INDEX programs_by_city ON programs (lower(city), name, id);
CREATE INDEX programs_by_postal_code ON programs (lower(zip), name, id);
