-- People I'm Helping's name search: `lower(first_name || ' ' || last_name) LIKE '%…%'`
-- (store/listings.rs). A trigram index answers a part of a name without reading every
-- person in the county. pg_trgm ships with PostgreSQL and is a trusted extension (13+):
-- the database's owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX persons_full_name_trgm
    ON persons USING gin ((lower(first_name || ' ' || last_name)) gin_trgm_ops);
