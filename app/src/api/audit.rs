//! The audit trail in the API (`model::audit`): what server functions record themselves
//! (contact details shown, logins; `server::audit` records refusals, administrators'
//! actions and account changes for every request), and the site administrator's search.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One entry as the search page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: i64,
    pub event: String,
    /// The account's name and email, or who acted without one ("status link (seeker)").
    pub actor: String,
    pub actor_id: Option<i64>,
    pub referral: Option<i64>,
    pub subject: Option<i64>,
    pub place: String,
    pub detail: String,
}

/// The request's path: where something was shown or done.
#[cfg(feature = "ssr")]
pub fn request_place() -> String {
    use_context::<axum::http::request::Parts>()
        .map(|p| p.uri.path().to_string())
        .unwrap_or_default()
}

/// Records that these referrals' contact details were shown, to `actor` (an account) or
/// to someone without one (`label`), at `place`.
#[cfg(feature = "ssr")]
pub async fn contact_shown(
    store: &crate::server::Store,
    actor: Option<crate::model::UserId>,
    label: &str,
    referrals: &[crate::model::ReferralId],
    place: &str,
) -> Result<(), AppError> {
    use crate::model::audit::{AuditEntry, AuditEvent};
    if referrals.is_empty() {
        return Ok(());
    }
    let entries: Vec<AuditEntry> = referrals
        .iter()
        .map(|r| AuditEntry {
            referral: Some(*r),
            actor_label: label.to_string(),
            ..AuditEntry::new(AuditEvent::ContactShown, actor, place)
        })
        .collect();
    store
        .record_audit(&entries, crate::server::clock::now_ms())
        .await?;
    Ok(())
}

/// The newest entries matching the search (site administrators only). Each field is
/// checked; a bad one is an error next to it.
#[server(endpoint = "audit_log")]
pub async fn audit_log(
    person: String,
    referral: String,
    from: String,
    to: String,
    event: String,
) -> Result<Vec<AuditLine>, AppError> {
    use crate::i18n::Key;
    let state = super::request::state()?;
    let user = super::request::require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    let query = crate::model::audit::parse_query(&person, &referral, &from, &to, &event).map_err(
        |field| {
            let message = match field {
                "from" | "to" => Key::err_date,
                "event" => Key::err_audit_event,
                _ => Key::err_audit_number,
            };
            AppError::field(field, message)
        },
    )?;
    Ok(state
        .store
        .audit_entries(&query)
        .await?
        .into_iter()
        .map(|r| AuditLine {
            at: r.at,
            event: r.event,
            actor: r.actor,
            actor_id: r.actor_id.map(|u| u.0),
            referral: r.referral_id.map(|id| id.0),
            subject: r.subject_id.map(|u| u.0),
            place: r.place,
            detail: r.detail,
        })
        .collect())
}
