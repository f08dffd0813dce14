//! The outbox, for site administrators: what is waiting, what was sent, what failed and
//! why, and a retry for failures (after, say, a typo in an address is fixed at the source).

use crate::error::AppError;
use crate::model::OutboxId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: OutboxId,
    pub kind: String,
    pub recipient: String,
    pub attempts: i64,
    pub created_at: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxSummary {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    /// Newest first, at most `OUTBOX_LIST_LIMIT` each.
    pub failed_emails: Vec<OutboxEntry>,
    pub pending_emails: Vec<OutboxEntry>,
}

pub const OUTBOX_LIST_LIMIT: i64 = 50;

#[server(endpoint = "outbox_overview")]
pub async fn outbox_overview() -> Result<OutboxSummary, AppError> {
    use super::request::{require_user, state};
    use crate::model::OutboxState;
    let state = state()?;
    let user = require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    let entries = |rows: Vec<crate::server::store::OutboxRow>| {
        rows.into_iter()
            .map(|r| OutboxEntry {
                id: r.id,
                kind: r.kind.to_string(),
                // Who a referral email went to is the seeker's (or a worker's) contact
                // detail: the administrator sees enough to tell emails apart, no more
                // (mail servers quote the address in their refusals, too).
                last_error: match (&r.referral_id, r.last_error) {
                    (Some(_), Some(e)) => Some(e.replace(
                        &r.recipient_email,
                        &crate::model::contact::masked_email(&r.recipient_email),
                    )),
                    (_, e) => e,
                },
                recipient: if r.referral_id.is_some() {
                    crate::model::contact::masked_email(&r.recipient_email)
                } else {
                    r.recipient_email
                },
                attempts: r.attempts,
                created_at: r.created_at,
                next_attempt_at: r.next_attempt_at,
            })
            .collect::<Vec<_>>()
    };
    let counts = state.store.outbox_counts().await?;
    Ok(OutboxSummary {
        pending: counts.pending,
        sent: counts.sent,
        failed: counts.failed,
        failed_emails: entries(
            state
                .store
                .outbox_in_state(OutboxState::Failed, OUTBOX_LIST_LIMIT)
                .await?,
        ),
        pending_emails: entries(
            state
                .store
                .outbox_in_state(OutboxState::Pending, OUTBOX_LIST_LIMIT)
                .await?,
        ),
    })
}

/// Queues a failed email again, due now.
#[server(endpoint = "retry_email")]
pub async fn retry_email(id: OutboxId) -> Result<(), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    match state
        .store
        .retry_failed_email(id)
        .await
        .map_err(AppError::from)
    {
        Err(AppError::NotFound) => Err(AppError::Conflict(
            crate::i18n::Key::err_outbox_not_failed.into(),
        )),
        other => other,
    }
}
