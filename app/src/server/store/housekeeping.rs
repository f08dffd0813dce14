//! Housekeeping (issue 18, item 5): what no longer serves anyone is removed on a schedule
//! (`schedule::jobs::Job::Housekeeping`, under the jobs' lease: one instance at a time):
//! sessions past their end, throttle records past their window, links spent or expired a
//! week ago, what sent emails said (their record, who and when, stays), audit entries
//! past their kept period, and (with `HANDOFF_RETENTION_DAYS`) the people whose every
//! referral closed longer ago than that (`erasure`).

use super::Store;
use super::error::StoreError;
use crate::model::OutboxState;
use crate::server::clock::DAY_MS;

/// A used or expired link is kept this long after it stopped working, so its page can
/// still say "expired or already used" to someone who clicks it late.
pub const SPENT_LINKS_KEPT_MS: i64 = 7 * DAY_MS;
/// A sent email's contents (names, program, the link's seed) are kept this long, for
/// questions about a delivery; then only who it went to, its kind and when remain.
pub const SENT_CONTENTS_KEPT_MS: i64 = 7 * DAY_MS;

/// How many of each were removed by one sweep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub throttle_records: u64,
    pub links: u64,
    pub email_contents: u64,
    /// Audit entries past their kept period (`HANDOFF_AUDIT_DAYS`).
    pub audit_entries: u64,
    /// Persons erased, every referral of theirs closed longer than `HANDOFF_RETENTION_DAYS`.
    pub persons_erased: u64,
}

impl Swept {
    pub fn total(&self) -> usize {
        (self.sessions
            + self.throttle_records
            + self.links
            + self.email_contents
            + self.audit_entries
            + self.persons_erased) as usize
    }
}

/// The tables of one-time links: each has `expires_at` and `used_at`.
const LINK_TABLES: [&str; 3] = ["email_verifications", "password_resets", "email_changes"];

impl Store {
    /// Removes, as of `now`, what no longer serves anyone. `throttle_window_ms`: how far
    /// back a throttle counts (`auth::THROTTLE_WINDOW_MS`).
    pub async fn sweep(&self, now: i64, throttle_window_ms: i64) -> Result<Swept, StoreError> {
        let mut swept = Swept {
            sessions: sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected(),
            throttle_records: sqlx::query("DELETE FROM login_failures WHERE at < $1")
                .bind(now - throttle_window_ms)
                .execute(&self.pool)
                .await?
                .rows_affected(),
            ..Swept::default()
        };
        let spent = now - SPENT_LINKS_KEPT_MS;
        for table in LINK_TABLES {
            swept.links += sqlx::query(&format!(
                "DELETE FROM {table} WHERE expires_at < $1 OR used_at < $1"
            ))
            .bind(spent)
            .execute(&self.pool)
            .await?
            .rows_affected();
        }
        // An invitation nobody accepted; an accepted one stays, the record of who joined.
        swept.links +=
            sqlx::query("DELETE FROM invitations WHERE accepted_at IS NULL AND expires_at < $1")
                .bind(spent)
                .execute(&self.pool)
                .await?
                .rows_affected();
        swept.email_contents = sqlx::query(
            "UPDATE outbox SET payload = '' WHERE state = $1 AND sent_at < $2 AND payload <> ''",
        )
        .bind(OutboxState::Sent)
        .bind(now - SENT_CONTENTS_KEPT_MS)
        .execute(&self.pool)
        .await?
        .rows_affected();
        swept.audit_entries = self.trim_audit(now - self.audit_kept_ms).await?;
        if let Some(kept) = self.retention_ms {
            // A batch a run: a first run on a large database catches up hour by hour.
            for person in self.persons_past_retention(now - kept, 500).await? {
                if self
                    .erase_person(person, None, "retention period", now)
                    .await?
                    .is_some()
                {
                    swept.persons_erased += 1;
                }
            }
        }
        Ok(swept)
    }
}
