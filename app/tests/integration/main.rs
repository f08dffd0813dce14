//! Integration tests against a real database (SQLite or PostgreSQL, per HANDOFF_TEST_DATABASE),
//! a real SMTP server where mail is involved, and the real router.
//!
//! One test binary, not one per file: each binary links every dependency, and on a CI
//! machine with little disk and two cores that cost minutes and gigabytes.

mod audit;
mod authz;
mod directory;
mod erasure;
mod follow_up;
mod hardening;
mod http;
mod listing_edits;
mod live;
mod mail;
mod operator;
mod queries;
mod reports;
mod store;
mod support;
mod teams;
