//! Erasing a person (issue 18, item 5): their name, contact details and every free text
//! about them (the referrals' comments, notes and status comments, emails' contents) removed
//! everywhere, in one transaction, while what happened stays (statuses, dates, who acted):
//! the reports count the same. Run by a site administrator, or by housekeeping once every
//! referral of a person has been closed longer than the retention period.

use super::Store;
use super::error::StoreError;
use crate::model::{OutboxState, PersonId, Status, UserId};

/// What an erasure name-blanks a person to.
pub const ERASED_NAME: &str = "Erased";
/// The history's label for what an erased seeker did.
pub const ERASED_LABEL: &str = "erased";

impl Store {
    /// Erases a person; answers how many referrals of theirs were blanked, or `None` when
    /// there is no such person. `by`: the site administrator (none: the retention job).
    pub async fn erase_person(
        &self,
        person: PersonId,
        by: Option<UserId>,
        reason: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let email: Option<Option<String>> =
            sqlx::query_scalar("SELECT email FROM persons WHERE id = $1")
                .bind(person)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(email) = email else {
            return Ok(None);
        };
        let referrals: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM referrals WHERE person_id = $1")
                .bind(person)
                .fetch_all(&mut *tx)
                .await?;
        sqlx::query(
            "UPDATE persons SET first_name = $1, last_name = '', email = NULL, phone = NULL WHERE id = $2",
        )
        .bind(ERASED_NAME)
        .bind(person)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE referrals SET contact_email = NULL, contact_phone = NULL, comments = '' WHERE person_id = $1",
        )
        .bind(person)
        .execute(&mut *tx)
        .await?;
        // Ids the store read itself: inlined.
        if !referrals.is_empty() {
            let ids: Vec<String> = referrals.iter().map(i64::to_string).collect();
            let ids = ids.join(", ");
            sqlx::query(&format!(
                "UPDATE referral_history SET body = NULL, \
                 actor_label = CASE WHEN actor_role = 'seeker' THEN '{ERASED_LABEL}' ELSE actor_label END \
                 WHERE referral_id IN ({ids}) AND (body IS NOT NULL OR actor_role = 'seeker')"
            ))
            .execute(&mut *tx)
            .await?;
            // Nothing more goes out about them; what went out keeps only its record.
            sqlx::query(&format!(
                "DELETE FROM outbox WHERE referral_id IN ({ids}) AND state = $1"
            ))
            .bind(OutboxState::Pending)
            .execute(&mut *tx)
            .await?;
            sqlx::query(&format!(
                "UPDATE outbox SET payload = '' WHERE referral_id IN ({ids})"
            ))
            .execute(&mut *tx)
            .await?;
        }
        if let Some(email) = email {
            sqlx::query(
                "UPDATE outbox SET recipient_email = $1, payload = '' WHERE recipient_email = $2",
            )
            .bind(ERASED_LABEL)
            .bind(email)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO erasures (person_id, erased_by, reason, referrals, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(person)
        .bind(by)
        .bind(reason)
        .bind(referrals.len() as i64)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(referrals.len() as i64))
    }

    /// Persons every referral of whom reached a final status before `closed_before` (and
    /// who are not erased yet): what the retention period lets go.
    pub async fn persons_past_retention(
        &self,
        closed_before: i64,
        limit: i64,
    ) -> Result<Vec<PersonId>, StoreError> {
        let open: Vec<String> = Status::ALL
            .into_iter()
            .filter(|s| s.group() == crate::model::StatusGroup::InProgress)
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        Ok(sqlx::query_scalar(&format!(
            "SELECT p.id FROM persons p WHERE NOT EXISTS (SELECT 1 FROM erasures e WHERE e.person_id = p.id) \
             AND EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = p.id) \
             AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = p.id \
                 AND (r.status IN ({}) OR r.status_changed_at >= $1)) \
             ORDER BY p.id LIMIT $2",
            open.join(", ")
        ))
        .bind(closed_before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
