//! The audit log (`model::audit`): appended to, searched by a site administrator, and
//! trimmed to its kept period by housekeeping. Never updated (a trigger refuses it).

use super::Store;
use super::error::StoreError;
use crate::model::audit::{AuditEntry, AuditEvent, AuditQuery};
use crate::model::{ReferralId, UserId};

/// One entry, as the search lists it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub event: String,
    pub actor_id: Option<UserId>,
    /// The actor's name and email (an account), or the entry's own label.
    pub actor: String,
    pub referral_id: Option<ReferralId>,
    pub subject_id: Option<UserId>,
    pub place: String,
    pub detail: String,
}

/// Entries per statement: 8 values each, far under either database's limit.
const ENTRIES_PER_INSERT: usize = 500;
/// The most a search answers: the newest first.
pub const AUDIT_PAGE: i64 = 200;

impl Store {
    /// Appends these entries, as of `at`.
    pub async fn record_audit(&self, entries: &[AuditEntry], at: i64) -> Result<(), StoreError> {
        for chunk in entries.chunks(ENTRIES_PER_INSERT) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let list: Vec<String> = (1..=8).map(|k| format!("${}", i * 8 + k)).collect();
                    format!("({})", list.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO audit_log (at, event, actor_id, actor_label, referral_id, subject_id, place, detail) \
                 VALUES {}",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q
                    .bind(at)
                    .bind(e.event.code())
                    .bind(e.actor)
                    .bind(e.actor_label.clone())
                    .bind(e.referral)
                    .bind(e.subject)
                    .bind(e.place.clone())
                    .bind(e.detail.clone());
            }
            q.execute(&self.pool).await?;
        }
        Ok(())
    }

    /// The newest entries (at most `AUDIT_PAGE`) that match: a person as actor or subject,
    /// a referral, local days in the deployment's time zone, an event.
    pub async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditRow>, StoreError> {
        let zone = &self.schedule.zone;
        // Integers the store parsed and an event code from the model: inlined.
        let mut sql = String::from(
            "SELECT a.id, a.at, a.event, a.actor_id, \
             COALESCE(u.name || ' <' || u.email || '>', a.actor_label) AS actor, \
             a.referral_id, a.subject_id, a.place, a.detail \
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE 1 = 1",
        );
        if let Some(p) = query.person {
            sql.push_str(&format!(" AND (a.actor_id = {p} OR a.subject_id = {p})"));
        }
        if let Some(r) = query.referral {
            sql.push_str(&format!(" AND a.referral_id = {r}"));
        }
        if let Some(from) = query.from_day {
            sql.push_str(&format!(" AND a.at >= {}", zone.start_of(from)));
        }
        if let Some(to) = query.to_day {
            sql.push_str(&format!(" AND a.at < {}", zone.start_of(to + 1)));
        }
        if let Some(e) = query.event {
            sql.push_str(&format!(" AND a.event = '{}'", e.code()));
        }
        sql.push_str(&format!(
            " ORDER BY a.at DESC, a.id DESC LIMIT {AUDIT_PAGE}"
        ));
        Ok(sqlx::query_as::<_, AuditRow>(&sql)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Removes entries made before `before` (housekeeping, past the kept period).
    pub async fn trim_audit(&self, before: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM audit_log WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// How many entries of an event there are (tests, `/metrics`).
    pub async fn count_audit(&self, event: AuditEvent) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE event = $1")
                .bind(event.code())
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
