//! Claiming a program: a signed-in user asks; the claim is approved by the link sent to the
//! program's listed email, or by a site administrator. Staff may invite more staff.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[server(endpoint = "claim_program")]
pub async fn claim_program(program: i64) -> Result<(), AppError> {
    use super::request::{require_user, state};
    use crate::server::auth::{random_token, token_hash};
    let state = state()?;
    let user = require_user(&state).await?;
    let p = state
        .store
        .program(program)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.is_claimed() {
        return Err(AppError::Conflict(
            crate::i18n::Key::err_already_claimed.into(),
        ));
    }
    if state.store.has_pending_claim(program, user.id).await? {
        return Err(AppError::Conflict(
            crate::i18n::Key::err_claim_already_asked.into(),
        ));
    }
    let token = random_token();
    let payload = serde_json::json!({
        "program": p.name,
        "claimant": user.name,
        "claimant_email": user.email,
        "link": format!("{}/claims/{token}", state.config.public_url),
    });
    state
        .store
        .create_claim(
            program,
            user.id,
            &token_hash(&token),
            p.contact_email.as_deref(),
            &payload,
        )
        .await?;
    Ok(())
}

/// Confirms a claim from the link in the program's listed email. No login needed: holding
/// the link proves access to that mailbox. (GET shows the page; only this POST changes.)
#[server(endpoint = "verify_claim")]
pub async fn verify_claim(token: String) -> Result<(), AppError> {
    use super::request::state;
    use crate::server::auth::token_hash;
    let state = state()?;
    let program = state
        .store
        .approve_claim_by_token(&token_hash(&token))
        .await?;
    leptos_axum::redirect(&format!("/programs/{program}"));
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingClaim {
    pub id: i64,
    pub program_id: i64,
    pub program: String,
    pub claimant: String,
    pub claimant_email: String,
    pub created_at: i64,
}

#[server(endpoint = "pending_claims")]
pub async fn pending_claims() -> Result<Vec<PendingClaim>, AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    Ok(state
        .store
        .pending_claims()
        .await?
        .into_iter()
        .map(|c| PendingClaim {
            id: c.id,
            program_id: c.program_id,
            program: format!("{}, {}", c.program_name, c.organization),
            claimant: c.user_name,
            claimant_email: c.user_email,
            created_at: c.created_at,
        })
        .collect())
}

#[server(endpoint = "decide_claim")]
pub async fn decide_claim(claim: i64, decision: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            return Err(AppError::field(
                "decision",
                crate::i18n::Key::err_approve_or_reject,
            ));
        }
    };
    state
        .store
        .decide_claim(claim, approve, Some(user.id))
        .await?;
    Ok(())
}

/// Staff of a program invite a colleague by email.
#[server(endpoint = "invite_staff")]
pub async fn invite_staff(program: i64, email: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    use crate::server::store::InvitationTarget;
    let state = state()?;
    let user = require_user(&state).await?;
    if !state
        .store
        .viewer(user.id)
        .await?
        .staff_of
        .contains(&program)
    {
        return Err(AppError::Forbidden);
    }
    let p = state
        .store
        .program(program)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = InvitationTarget::Program(program);
    super::groups::send_invitation(&state, target, &email, &user.name, user.id, &p.name).await
}
