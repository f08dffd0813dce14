//! Server side helpers shared by the server functions: who the user is to a referral, and
//! how they are named in its history.

use super::build::referral_views;
use super::views::ReferralView;
use crate::error::{AppError, FormCheck};
use crate::model::{NoteText, ReferralId, Relations, Role, Status, Viewer};
use crate::server::Store;
use crate::server::store::{ReferralListRow, UserRow};

pub fn parse_role(code: &str) -> Option<Role> {
    code.parse().ok()
}

/// The viewer and their relations to a referral, or `NotFound` when they have none: a
/// referral someone may not see is indistinguishable from one that does not exist.
pub async fn visible_referral(
    store: &Store,
    user: &UserRow,
    id: ReferralId,
) -> Result<(Viewer, Relations), AppError> {
    let facts = store.referral_facts(id).await?.ok_or(AppError::NotFound)?;
    let viewer = super::request::viewer_of(store, user.id).await?;
    let relations = Relations::of(Some(&viewer), &facts);
    if !relations.may_see() {
        return Err(AppError::NotFound);
    }
    Ok((viewer, relations))
}

pub async fn view_of(
    store: &Store,
    viewer: &Viewer,
    id: ReferralId,
    role: Option<Role>,
) -> Result<ReferralView, AppError> {
    let row = store.referral_row(id).await?.ok_or(AppError::NotFound)?;
    referral_views(store, viewer, vec![row], role)
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// The referral's row, when the user may see it, with what they may see and their
/// relations to it: one read serves the access check, the history label and the view.
pub async fn visible_row(
    store: &Store,
    user: &UserRow,
    id: ReferralId,
) -> Result<(Viewer, Relations, ReferralListRow), AppError> {
    let row = store.referral_row(id).await?.ok_or(AppError::NotFound)?;
    let viewer = super::request::viewer_of(store, user.id).await?;
    let relations = Relations::of(Some(&viewer), &row.facts());
    if !relations.may_see() {
        return Err(AppError::NotFound);
    }
    Ok((viewer, relations, row))
}

/// The view of a row the user may see, as they act on it.
pub async fn view_of_row(
    store: &Store,
    viewer: &Viewer,
    row: ReferralListRow,
    role: Role,
) -> Result<ReferralView, AppError> {
    referral_views(store, viewer, vec![row], Some(role))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// How the user is named in this referral's history (`model::change::actor_label`).
pub fn label_from(user: &UserRow, role: Role, row: &ReferralListRow) -> String {
    crate::model::change::actor_label(
        &user.name,
        role,
        row.group_name.as_deref(),
        &row.program_organization,
    )
}

/// The same label, for a referral not read yet.
pub async fn acting_label(
    store: &Store,
    user: &UserRow,
    role: Role,
    referral: ReferralId,
) -> Result<String, AppError> {
    let row = store
        .referral_row(referral)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(label_from(user, role, &row))
}

/// A status form's fields: the new status and the optional comment that travels with it.
/// Every bad field is reported at once, next to its field.
pub fn parse_status_form(
    status: &str,
    comment: &str,
) -> Result<(Status, Option<NoteText>), AppError> {
    let mut form = FormCheck::new();
    let to = form.field(
        "status",
        status
            .parse::<Status>()
            .map_err(|_| crate::i18n::Key::err_status_choose.into()),
    );
    let note = if comment.trim().is_empty() {
        None
    } else {
        form.field("comment", NoteText::parse(comment))
    };
    form.finish()?;
    Ok((to.ok_or(AppError::Internal)?, note))
}
