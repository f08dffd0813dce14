//! Claiming a program: a signed-in user asks; the claim is approved by the link sent to the
//! program's listed email, or by a site administrator. Staff may invite more staff.

use crate::error::AppError;
use crate::model::{ClaimId, ProgramId, UserId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[server(endpoint = "claim_program")]
pub async fn claim_program(program: ProgramId) -> Result<(), AppError> {
    use super::request::{require_confirmed_user, state};
    use crate::server::auth::throttle_per_address;
    use crate::server::mail::one_time::NewOneTimeLink;
    let state = state()?;
    // A claim mails the program's listed address: only confirmed accounts, 5 in 15 minutes.
    let user = require_confirmed_user(&state).await?;
    throttle_per_address(&state.store, "claim", &user.id.to_string(), 5).await?;
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
    let link = NewOneTimeLink::new(state.config.secret.bytes(), "claims");
    let payload = crate::model::email::EmailPayload::Claim(crate::model::email::ClaimPayload {
        program: p.name.clone(),
        claimant: user.name.clone(),
        claimant_email: user.email.clone(),
        link: link.link.into(),
    });
    state
        .store
        .create_claim(
            program,
            user.id,
            &link.token_hash,
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
    pub id: ClaimId,
    pub program_id: ProgramId,
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
pub async fn decide_claim(claim: ClaimId, decision: String) -> Result<(), AppError> {
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
pub async fn invite_staff(program: ProgramId, email: String) -> Result<(), AppError> {
    use super::request::{require_confirmed_user, state};
    use crate::server::store::InvitationTarget;
    let state = state()?;
    let user = require_confirmed_user(&state).await?;
    if !super::request::viewer_of(&state.store, user.id)
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

/// Staff of the program and site administrators manage its staff.
#[cfg(feature = "ssr")]
async fn require_staff_or_site_admin(
    state: &crate::server::AppState,
    user: &crate::server::store::UserRow,
    program: ProgramId,
) -> Result<(), AppError> {
    let is_staff = super::request::viewer_of(&state.store, user.id)
        .await?
        .staff_of
        .contains(&program);
    if is_staff || user.is_site_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Ends a staff member's access to a program: by a fellow staff member or a site
/// administrator. Their open dashboards stop hearing of the program's referrals at once.
#[server(endpoint = "remove_staff")]
pub async fn remove_staff(program: ProgramId, member: UserId) -> Result<(), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    require_staff_or_site_admin(&state, &user, program).await?;
    if !super::request::viewer_of(&state.store, member)
        .await?
        .staff_of
        .contains(&program)
    {
        return Err(AppError::NotFound);
    }
    state.store.remove_program_staff(program, member).await?;
    super::request::access_changed(&state, member).await?;
    Ok(())
}

/// One staff member as the program page lists them for their colleagues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
}

/// A program's staff, for its staff and site administrators.
#[server(endpoint = "program_staff")]
pub async fn program_staff(program: ProgramId) -> Result<Vec<StaffMember>, AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    require_staff_or_site_admin(&state, &user, program).await?;
    Ok(state
        .store
        .program_staff_members(program)
        .await?
        .into_iter()
        .map(|(user_id, name, email)| StaffMember {
            user_id,
            name,
            email,
        })
        .collect())
}

/// A site administrator disables an account: it cannot log in, its sessions and open
/// streams end at once, and its emailed links stop working.
#[server(endpoint = "disable_account")]
pub async fn disable_account(email: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    use crate::model::EmailAddress;
    let state = state()?;
    let admin = require_user(&state).await?;
    if !admin.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    let email = EmailAddress::parse(&email).map_err(|m| AppError::field("email", m))?;
    let target = state
        .store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| AppError::field("email", crate::i18n::Key::err_no_such_account))?;
    if target.id == admin.id {
        return Err(AppError::field(
            "email",
            crate::i18n::Key::err_cannot_disable_self,
        ));
    }
    state.store.disable_account(target.id).await?;
    tracing::warn!(
        admin = %admin.id,
        user = %target.id,
        "account disabled by a site administrator"
    );
    super::request::access_changed(&state, target.id).await?;
    Ok(())
}
