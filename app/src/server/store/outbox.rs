//! The email outbox: rows written in the same transaction as the change that causes them.
//! Delivery (the worker, SMTP, retries) reads from here.

use super::Store;
use crate::error::AppError;
use crate::model::{EmailKind, ReferralId};
use crate::server::auth::random_token;
use sqlx::{Any, FromRow, Transaction};

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub recipient_email: String,
    pub language: String,
    pub referral_id: Option<i64>,
    pub payload: String,
    pub state: String,
    pub attempts: i64,
    pub message_id: String,
}

pub fn kind_code(kind: EmailKind) -> &'static str {
    match kind {
        EmailKind::NewReferralForSeeker => "new_referral_for_seeker",
        EmailKind::SelfReferralConfirmation => "self_referral_confirmation",
        EmailKind::NewInboundReferral => "new_inbound_referral",
        EmailKind::StatusUpdate => "status_update",
        EmailKind::GroupInvitation => "group_invitation",
        EmailKind::StaffInvitation => "staff_invitation",
        EmailKind::ClaimVerification => "claim_verification",
    }
}

pub(super) async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    kind: EmailKind,
    recipient: &str,
    language: &str,
    referral: Option<ReferralId>,
    payload: &str,
    now: i64,
) -> Result<(), AppError> {
    // A Message-ID fixed at enqueue time: a resend after a crash is recognisably the same mail.
    let message_id = format!("<{}@handoff>", random_token());
    sqlx::query(
        "INSERT INTO outbox (kind, recipient_email, language, referral_id, payload, state, next_attempt_at, message_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $6)",
    )
    .bind(kind_code(kind))
    .bind(recipient)
    .bind(language)
    .bind(referral)
    .bind(payload)
    .bind(now)
    .bind(message_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Every outbox row, oldest first (for tests and the admin view).
    pub async fn outbox(&self) -> Result<Vec<OutboxRow>, AppError> {
        Ok(sqlx::query_as::<_, OutboxRow>(
            "SELECT id, kind, recipient_email, language, referral_id, payload, state, attempts, message_id \
             FROM outbox ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}
