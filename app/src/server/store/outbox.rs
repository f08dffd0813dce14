//! The email outbox: rows written in the same transaction as the change that causes them,
//! then claimed, sent and marked by the mail worker (`server::mail::worker`).
//!
//! Claiming is a lease: a claimed row's `next_attempt_at` moves a few minutes ahead, so no
//! other worker picks it up while it is being sent. On PostgreSQL, `FOR UPDATE SKIP LOCKED`
//! lets several instances claim side by side without waiting on each other; on SQLite the
//! claim runs under the database's single write lock. If a worker dies between sending and
//! marking, the lease runs out and the row is sent again, with the same Message-ID: at
//! worst one duplicate, never a loss. Each claim writes its own token, and the worker renews
//! a row's lease with it just before sending (`renew_email_lease`): a batch slow enough for
//! its lease to run out skips the rows another worker has claimed since, rather than sending
//! them twice, and records nothing for them.

use super::error::StoreError;
use super::{Backend, Store};
use crate::error::AppError;
use crate::model::email::EmailPayload;
use crate::model::{EmailKind, OutboxId, OutboxState, ReferralId};
use crate::server::clock::now_ms;
use crate::server::tokens::random_token;
use sqlx::{Any, FromRow, Transaction};

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct OutboxRow {
    pub id: OutboxId,
    pub kind: EmailKind,
    pub recipient_email: String,
    pub language: String,
    pub referral_id: Option<ReferralId>,
    pub payload: String,
    pub state: OutboxState,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub message_id: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// `kind IN ('new_referral_for_seeker', …)`: the kinds this version can compose. A row of
/// another kind (queued by a newer version, before a rollback) is left waiting for a
/// version that knows it, instead of failing every batch it would be claimed with.
fn known_kinds() -> String {
    let codes: Vec<String> = EmailKind::ALL
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    format!("kind IN ({})", codes.join(", "))
}

const OUTBOX_COLUMNS: &str = "id, kind, recipient_email, language, referral_id, payload, state, attempts, \
     next_attempt_at, last_error, message_id, created_at, sent_at";

/// What became of one delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryResult {
    Sent,
    /// A transient failure: try again at `next_attempt_at`.
    RetryAt {
        next_attempt_at: i64,
        reason: String,
    },
    /// Refused for good (a 5xx reply, an unusable address): never tried again unless an
    /// administrator asks.
    Failed {
        reason: String,
    },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

pub(super) async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    kind: EmailKind,
    recipient: &str,
    language: &str,
    referral: Option<ReferralId>,
    payload: &EmailPayload,
    now: i64,
) -> Result<(), StoreError> {
    if !payload.fits(kind) {
        return Err(StoreError::inconsistent(format!(
            "a {kind} email with another's payload"
        )));
    }
    // A Message-ID fixed at enqueue time: a resend after a crash is recognisably the same mail.
    let message_id = format!("<{}@handoff>", random_token());
    sqlx::query(
        "INSERT INTO outbox (kind, recipient_email, language, referral_id, payload, state, next_attempt_at, message_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)",
    )
    .bind(kind)
    .bind(recipient)
    .bind(language)
    .bind(referral)
    .bind(payload.to_json())
    .bind(OutboxState::Pending)
    .bind(now)
    .bind(message_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Wakes this instance's mail worker: call after committing a transaction that queued mail.
    pub(super) fn outbox_changed(&self) {
        self.outbox_signal.notify_one();
    }

    /// Resolves when mail may have been queued by this instance since the last call.
    pub async fn outbox_wait(&self) {
        self.outbox_signal.notified().await;
    }

    /// Claims up to `limit` pending rows that are due, leasing them for `lease_ms` under a
    /// new claim token (answered with them).
    pub async fn claim_due_email(
        &self,
        limit: i64,
        lease_ms: i64,
    ) -> Result<(String, Vec<OutboxRow>), StoreError> {
        let now = now_ms();
        let claim = random_token();
        let skip_locked = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let known = known_kinds();
        let sql = format!(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, claim = $5 \
             WHERE id IN (SELECT id FROM outbox WHERE state = $2 AND next_attempt_at <= $3 AND {known} \
             ORDER BY next_attempt_at, id LIMIT $4{skip_locked}) \
             RETURNING {OUTBOX_COLUMNS}"
        );
        let mut rows = sqlx::query_as::<_, OutboxRow>(&sql)
            .bind(now + lease_ms)
            .bind(OutboxState::Pending)
            .bind(now)
            .bind(limit)
            .bind(&claim)
            .fetch_all(&self.pool)
            .await?;
        rows.sort_by_key(|r| r.id);
        Ok((claim, rows))
    }

    /// Leases a claimed row again for `lease_ms` from now, right before it is sent; `false`
    /// when another claim has taken it since (this one's lease ran out) or it is no longer
    /// pending: then it must not be sent.
    pub async fn renew_email_lease(
        &self,
        id: OutboxId,
        claim: &str,
        lease_ms: i64,
    ) -> Result<bool, StoreError> {
        let renewed = sqlx::query(
            "UPDATE outbox SET next_attempt_at = $1 WHERE id = $2 AND claim = $3 AND state = $4",
        )
        .bind(now_ms() + lease_ms)
        .bind(id)
        .bind(claim)
        .bind(OutboxState::Pending)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(renewed == 1)
    }

    /// Records what became of a batch of attempts under `claim`, in one transaction: a
    /// retry or a failure only for rows still under this claim (one claimed by someone else
    /// since is theirs to record); a sending always.
    pub async fn record_deliveries(
        &self,
        claim: &str,
        results: &[(OutboxId, DeliveryResult)],
    ) -> Result<(), StoreError> {
        if results.is_empty() {
            return Ok(());
        }
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        for (id, result) in results {
            let query = match result {
                // Sent is sent, whoever holds the row now: recorded, so it is not sent again.
                DeliveryResult::Sent => sqlx::query(
                    "UPDATE outbox SET state = $1, sent_at = $2, last_error = NULL WHERE id = $3",
                )
                .bind(OutboxState::Sent)
                .bind(now)
                .bind(*id),
                DeliveryResult::RetryAt {
                    next_attempt_at,
                    reason,
                } => sqlx::query(
                    "UPDATE outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3 AND state = $4 AND claim = $5",
                )
                .bind(*next_attempt_at)
                .bind(reason.clone())
                .bind(*id)
                .bind(OutboxState::Pending)
                .bind(claim),
                DeliveryResult::Failed { reason } => sqlx::query(
                    "UPDATE outbox SET state = $1, last_error = $2 WHERE id = $3 AND state = $4 AND claim = $5",
                )
                .bind(OutboxState::Failed)
                .bind(reason.clone())
                .bind(*id)
                .bind(OutboxState::Pending)
                .bind(claim),
            };
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Puts a failed email back in the queue, due now (site administrators only: the API
    /// checks). Answers `NotFound` unless the row exists and has failed.
    pub async fn retry_failed_email(&self, id: OutboxId) -> Result<(), StoreError> {
        let changed = sqlx::query(
            "UPDATE outbox SET state = $1, next_attempt_at = $2 WHERE id = $3 AND state = $4",
        )
        .bind(OutboxState::Pending)
        .bind(now_ms())
        .bind(id)
        .bind(OutboxState::Failed)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::NotFound.into());
        }
        self.outbox_changed();
        Ok(())
    }

    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let rows = sqlx::query_as::<_, (OutboxState, i64)>(
            "SELECT state, COUNT(*) FROM outbox GROUP BY state",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut counts = OutboxCounts::default();
        for (state, n) in rows {
            match state {
                OutboxState::Pending => counts.pending = n,
                OutboxState::Sent => counts.sent = n,
                OutboxState::Failed => counts.failed = n,
            }
        }
        Ok(counts)
    }

    /// The newest rows in one state, newest first.
    pub async fn outbox_in_state(
        &self,
        state: OutboxState,
        limit: i64,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        Ok(sqlx::query_as::<_, OutboxRow>(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE state = $1 AND {} ORDER BY created_at DESC, id DESC LIMIT $2",
            known_kinds()
        ))
        .bind(state)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every outbox row, oldest first (for tests).
    pub async fn outbox(&self) -> Result<Vec<OutboxRow>, StoreError> {
        Ok(sqlx::query_as::<_, OutboxRow>(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE {} ORDER BY id",
            known_kinds()
        ))
        .fetch_all(&self.pool)
        .await?)
    }
}
