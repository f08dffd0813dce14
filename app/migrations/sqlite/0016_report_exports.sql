-- Every report export (issue 17): who, when, what (figures or rows, with contact details
-- or not), with which filters, and how many rows it held. Site administrators list them.
CREATE TABLE report_exports (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    what TEXT NOT NULL CHECK (what IN ('figures', 'rows', 'rows_with_contact')),
    filters TEXT NOT NULL,
    rows INTEGER,
    at INTEGER NOT NULL
);
CREATE INDEX report_exports_at ON report_exports (at);
