//! Time as the store keeps it: integer milliseconds since the Unix epoch (the same on
//! SQLite and PostgreSQL, and trivially comparable).

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

pub const MINUTE_MS: i64 = 60 * 1000;
pub const DAY_MS: i64 = 24 * 60 * MINUTE_MS;
