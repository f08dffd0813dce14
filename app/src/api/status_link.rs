//! The page behind an email's status link: see one referral's status and change it without
//! logging in. The signed token names the referral and the recipient; whether that
//! recipient may still act is checked again on every request, exactly as for a signed-in
//! user. Opening the page (GET) changes no status: the program's first opening records
//! "seen" once, and a check-in answer is sent by the page's form, never by the link itself
//! (mail scanners follow links).

use super::views::SeekerContact;
use crate::error::AppError;
use crate::model::{ReferralId, Role, Status};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the link's holder sees: enough to decide, nothing more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedReferral {
    pub referral: ReferralId,
    pub version: i64,
    pub program: String,
    /// First name and last initial.
    pub seeker: String,
    pub status: Status,
    pub updated_at: i64,
    pub acting_as: Role,
    /// For the program (so it can reach the seeker), where the rules allow.
    pub contact: SeekerContact,
    pub comments: String,
}

#[server(endpoint = "status_link")]
pub async fn status_link(token: String) -> Result<LinkedReferral, AppError> {
    let state = super::request::state()?;
    let (linked, actor) = link_access::resolve(&state, &token).await?;
    if actor.role == Role::Program {
        state.store.mark_seen(linked.referral, &actor).await?;
    }
    Ok(linked)
}

/// A seeker's answer to a check-in email ("Did you get help?"): Got help and Couldn't get
/// help set that status; Still waiting is recorded in the history. Only the seeker's link
/// answers: the question was theirs.
#[server(endpoint = "answer_check_in")]
pub async fn answer_check_in(token: String, answer: String) -> Result<LinkedReferral, AppError> {
    use super::request::client_address;
    use crate::model::follow_up::CheckInAnswer;
    use crate::server::auth::throttle_per_address;
    use crate::server::store::StatusChange;

    let state = super::request::state()?;
    throttle_per_address(&state.store, "status_link", &client_address(), 60).await?;
    let (linked, actor) = link_access::resolve(&state, &token).await?;
    if actor.role != Role::Seeker {
        return Err(AppError::Forbidden);
    }
    let answer = answer
        .parse::<CheckInAnswer>()
        .map_err(|_| AppError::field("answer", crate::i18n::Key::err_check_in_answer))?;
    match answer.status() {
        // Already there (answered twice, or the program got there first): nothing to do.
        Some(to) if to == linked.status => {}
        Some(to) => {
            state
                .store
                .change_status(
                    &StatusChange {
                        referral: linked.referral,
                        expected_version: linked.version,
                        to,
                        note: None,
                    },
                    &actor,
                )
                .await?;
        }
        None => {
            state
                .store
                .record_still_waiting(linked.referral, &actor)
                .await?
        }
    }
    Ok(link_access::resolve(&state, &token).await?.0)
}

/// Changes the status as the link's holder; recorded in the history under their name.
#[server(endpoint = "update_status_by_link")]
pub async fn update_status_by_link(
    token: String,
    version: i64,
    status: String,
    comment: String,
) -> Result<LinkedReferral, AppError> {
    use super::request::client_address;
    use crate::server::auth::throttle_per_address;
    use crate::server::store::StatusChange;

    let state = super::request::state()?;
    // Links need no session, so they are rate-limited per address like logins.
    throttle_per_address(&state.store, "status_link", &client_address(), 60).await?;
    let (linked, actor) = link_access::resolve(&state, &token).await?;
    let (to, note) = super::session::parse_status_form(&status, &comment)?;
    state
        .store
        .change_status(
            &StatusChange {
                referral: linked.referral,
                expected_version: version,
                to,
                note,
            },
            &actor,
        )
        .await?;
    Ok(link_access::resolve(&state, &token).await?.0)
}

#[cfg(feature = "ssr")]
mod link_access {
    use super::LinkedReferral;
    use crate::api::session::acting_label;
    use crate::api::views::SeekerContact;
    use crate::error::AppError;
    use crate::model::{Relations, Role};
    use crate::server::AppState;
    use crate::server::clock::now_ms;
    use crate::server::mail::{LinkError, LinkHolder, StatusLink};
    use crate::server::store::Actor;

    /// Checks the token and the holder's standing today; answers what they see and who
    /// they act as.
    pub async fn resolve(
        state: &AppState,
        token: &str,
    ) -> Result<(LinkedReferral, Actor), AppError> {
        let link = StatusLink::verify(token, state.config.secret.bytes(), now_ms()).map_err(
            |e| match e {
                LinkError::Invalid => AppError::Refused(crate::i18n::Key::err_link_invalid.into()),
                LinkError::Expired => AppError::Refused(crate::i18n::Key::err_link_expired.into()),
            },
        )?;
        let no_longer = || AppError::Refused(crate::i18n::Key::err_link_moved.into());
        let row = state
            .store
            .referral_row(link.referral)
            .await?
            .ok_or(AppError::NotFound)?;
        let facts = row.facts();
        let seeker =
            crate::model::change::short_name(&format!("{} {}", row.first_name, row.last_name));
        // A seeker's links go with the referral's address; once their account is disabled
        // they stop working too.
        if link.holder == LinkHolder::Seeker
            && let Some(seeker) = row.seeker_user
            && state
                .store
                .user(seeker)
                .await?
                .is_some_and(|u| u.disabled_at.is_some())
        {
            return Err(no_longer());
        }
        let (actor, may_read_contact) = match link.holder {
            LinkHolder::Seeker => (
                Actor {
                    user: row.seeker_user,
                    role: Role::Seeker,
                    label: seeker.clone(),
                },
                false,
            ),
            LinkHolder::Helper(user_id) | LinkHolder::Staff(user_id) => {
                let role = if matches!(link.holder, LinkHolder::Staff(_)) {
                    Role::Program
                } else {
                    Role::Helper
                };
                // A disabled account's links stop working with it.
                let user = state
                    .store
                    .user(user_id)
                    .await?
                    .filter(|u| u.disabled_at.is_none())
                    .ok_or_else(no_longer)?;
                let viewer = crate::api::request::viewer_of(&state.store, user_id).await?;
                let relations = Relations::of(Some(&viewer), &facts);
                if !relations.holds(role) {
                    return Err(no_longer());
                }
                let label = acting_label(&state.store, &user, role, link.referral).await?;
                let contact = relations.may_read_contact_details_as(role, facts.contact_preference);
                (
                    Actor {
                        user: Some(user_id),
                        role,
                        label,
                    },
                    contact,
                )
            }
            LinkHolder::ListedEmail => {
                // Once claimed, the program's staff act for it through their accounts.
                let program = state.store.program(facts.program).await?;
                if program.is_none_or(|p| p.is_claimed()) {
                    return Err(no_longer());
                }
                (
                    Actor {
                        user: None,
                        role: Role::Program,
                        label: crate::model::change::listed_email_label(&row.program_organization),
                    },
                    Relations::listed_email_may_read_contact_details(facts.contact_preference),
                )
            }
        };
        let contact = if may_read_contact {
            // The holder may have no account (the seeker, a listed email): named by role.
            crate::api::audit::contact_shown(
                &state.store,
                actor.user,
                &format!("status link ({:?})", link.holder),
                &[row.id],
                "status link",
            )
            .await?;
            SeekerContact::Shown {
                email: row.contact_email.clone(),
                phone: row.contact_phone.clone(),
            }
        } else {
            SeekerContact::Withheld
        };
        let status = row.status;
        Ok((
            LinkedReferral {
                referral: row.id,
                version: row.version,
                program: row.program_name.clone(),
                seeker,
                status,
                updated_at: row.updated_at,
                acting_as: actor.role,
                contact,
                comments: row.comments.clone(),
            },
            actor,
        ))
    }
}
