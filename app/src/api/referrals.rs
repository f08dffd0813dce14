//! Referrals: change a status, add a note, read one referral.

use super::views::ReferralView;
use crate::error::AppError;
use crate::model::ReferralId;
use leptos::prelude::*;

/// Changes a referral's status. `version` is the one the user saw (a stale change is
/// refused with the current state shown); `acting_as` is the dashboard it came from.
#[server(endpoint = "update_status")]
pub async fn update_status(
    referral: ReferralId,
    version: i64,
    status: String,
    comment: String,
    acting_as: String,
) -> Result<ReferralView, AppError> {
    use super::request::{require_user, state};
    use super::session::{label_from, parse_role, parse_status_form, view_of_row, visible_row};
    use crate::server::store::{Actor, ReferralListRow, StatusChange};

    let state = state()?;
    let user = require_user(&state).await?;
    let (viewer, relations, row) = visible_row(&state.store, &user, referral).await?;
    let role = relations
        .acting_role(parse_role(&acting_as))
        .ok_or(AppError::Forbidden)?;

    let (to, note) = parse_status_form(&status, &comment)?;

    let actor = Actor {
        user: Some(user.id),
        role,
        label: label_from(&user, role, &row),
    };
    let after = state
        .store
        .change_status(
            &StatusChange {
                referral,
                expected_version: version,
                to,
                note,
            },
            &actor,
        )
        .await?;
    // The row read before, as the change left it: no second read.
    let row = ReferralListRow {
        status: after.status,
        version: after.version,
        updated_at: after.updated_at,
        ..row
    };
    view_of_row(&state.store, &viewer, row, role).await
}

/// Adds a note to a referral (helpers and program staff only).
#[server(endpoint = "add_note")]
pub async fn add_note(referral: ReferralId, note: String) -> Result<ReferralView, AppError> {
    use super::request::{require_user, state};
    use super::session::{acting_label, visible_referral};
    use crate::model::NoteText;
    use crate::server::store::Actor;

    let state = state()?;
    let user = require_user(&state).await?;
    let (viewer, relations) = visible_referral(&state.store, &user, referral).await?;
    if !relations.may_add_note() {
        return Err(AppError::Forbidden);
    }
    let text = NoteText::parse(&note).map_err(|m| AppError::field("note", m))?;
    let role = relations.acting_role(None).ok_or(AppError::NotFound)?;
    let actor = Actor {
        user: Some(user.id),
        role,
        label: acting_label(&state.store, &user, role, referral).await?,
    };
    state.store.add_note(referral, &text, &actor).await?;
    super::session::view_of(&state.store, &viewer, referral, Some(role)).await
}

/// Withdraws the seeker's consent to share contact details with the program, or gives it
/// again (`model::change::change_consent` decides who may: the seeker either way, a helper
/// only to record a withdrawal). `acting_as` is the dashboard it came from.
#[server(endpoint = "change_consent")]
pub async fn change_consent(
    referral: ReferralId,
    withdraw: bool,
    acting_as: String,
) -> Result<ReferralView, AppError> {
    use super::request::{require_user, state};
    use super::session::{label_from, parse_role, view_of, visible_row};
    use crate::server::store::Actor;

    let state = state()?;
    let user = require_user(&state).await?;
    let (viewer, relations, row) = visible_row(&state.store, &user, referral).await?;
    let role = relations
        .acting_role(parse_role(&acting_as))
        .ok_or(AppError::Forbidden)?;
    let actor = Actor {
        user: Some(user.id),
        role,
        label: label_from(&user, role, &row),
    };
    state
        .store
        .change_consent(referral, withdraw, &actor)
        .await?;
    view_of(&state.store, &viewer, referral, Some(role)).await
}

/// One referral, as this user may see it.
#[server(endpoint = "referral")]
pub async fn referral(id: ReferralId) -> Result<ReferralView, AppError> {
    use super::request::{require_user, state};
    use super::session::visible_referral;
    let state = state()?;
    let user = require_user(&state).await?;
    let (viewer, _) = visible_referral(&state.store, &user, id).await?;
    super::session::view_of(&state.store, &viewer, id, None).await
}
