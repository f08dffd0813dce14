//! Listings managed in the app: a program's staff and site administrators edit them,
//! anyone suggests a change for an administrator to decide, and administrators read each
//! program's history. Who may change which field is `model::directory::edit`'s rule; every
//! function here checks it on the server.

// The edit and suggest forms post one argument per field, flat, as a browser without
// JavaScript does; the server macro's browser-side stub carries no attribute of the
// function, so the allowance is the module's.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::ProgramId;
use crate::model::directory::edit::{EditKind, FieldChange, ListingField};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A field's value as the form shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValue {
    pub field: ListingField,
    pub value: String,
}

/// What the edit (or suggest) page needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingFormView {
    pub program: ProgramId,
    pub name: String,
    /// Sent back with the form, so an edit over someone else's newer one is refused.
    pub version: i64,
    /// The feed it comes from, if any.
    pub source: Option<String>,
    pub archived: bool,
    pub is_admin: bool,
    /// The fields this viewer may change (or suggest), in form order, with their values.
    pub fields: Vec<FieldValue>,
}

/// One row of a program's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: i64,
    pub kind: EditKind,
    /// The user who made the change (or accepted the suggestion).
    pub by: Option<String>,
    /// The feed that made it.
    pub feed: Option<String>,
    /// For an accepted suggestion: who suggested it; `None` inside `Some` for a visitor
    /// who was not logged in.
    pub suggested_by: Option<Option<String>>,
    pub changes: Vec<FieldChange>,
}

/// A suggestion waiting for an administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionView {
    pub id: i64,
    pub program: ProgramId,
    pub program_name: String,
    /// "Name (email)"; `None` for a visitor who was not logged in.
    pub by: Option<String>,
    pub at: i64,
    pub comment: String,
    /// Each suggested field: its value now (`before`) and the suggested one (`after`).
    pub changes: Vec<FieldChange>,
}

/// The form's values, one per field that was posted (fields not on the form stay as
/// they are).
#[cfg(feature = "ssr")]
macro_rules! posted {
    ($($var:ident => $field:ident),+ $(,)?) => {
        [$((ListingField::$field, $var)),+]
            .into_iter()
            .filter_map(|(f, v)| v.map(|v| (f, v)))
            .collect::<Vec<(ListingField, String)>>()
    };
}

#[cfg(feature = "ssr")]
mod rules {
    use crate::error::{AppError, FormCheck};
    use crate::model::ProgramId;
    use crate::model::directory::Listing;
    use crate::model::directory::edit::{Editor, FormRefusal, ListingField, apply_form};
    use crate::server::AppState;
    use crate::server::store::UserRow;

    /// Who this user is to this program's listing: an administrator, its staff, or neither.
    pub async fn editor_of(
        state: &AppState,
        user: &UserRow,
        program: ProgramId,
    ) -> Result<Option<Editor>, AppError> {
        if user.is_site_admin() {
            return Ok(Some(Editor::SiteAdmin));
        }
        let viewer = crate::api::request::viewer_of(&state.store, user.id).await?;
        Ok(viewer
            .staff_of
            .contains(&program)
            .then_some(Editor::ProgramStaff))
    }

    /// The form's fields for this editor, with the listing's values.
    pub async fn form_for(
        state: &AppState,
        program: ProgramId,
        editor: Editor,
    ) -> Result<super::ListingFormView, AppError> {
        use crate::model::directory::plan::Archived;
        let found = state
            .store
            .editable_listing(program)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(super::ListingFormView {
            program,
            name: found.listing.name.clone(),
            version: found.version,
            source: found.source,
            archived: found.archived != Archived::No,
            is_admin: editor == Editor::SiteAdmin,
            fields: editor
                .fields()
                .into_iter()
                .map(|field| super::FieldValue {
                    field,
                    value: field.form_value(&found.listing),
                })
                .collect(),
        })
    }

    /// The listing with the posted values applied, or the form's errors by field.
    pub fn applied(
        current: &Listing,
        editor: Editor,
        posted: &[(ListingField, String)],
    ) -> Result<Listing, AppError> {
        match apply_form(current, editor, posted) {
            Ok(next) => Ok(next),
            // A field this editor's form never shows: a hand-made post.
            Err(FormRefusal::NotAllowed(_)) => Err(AppError::Forbidden),
            Err(FormRefusal::Invalid(problems)) => {
                let mut form = FormCheck::new();
                for (field, msg) in problems {
                    form.fail(field.as_str(), msg);
                }
                form.finish().map(|()| current.clone())
            }
        }
    }
}

/// The edit form, for the program's staff and site administrators.
#[server(endpoint = "listing_editor")]
pub async fn listing_editor(program: ProgramId) -> Result<ListingFormView, AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    let editor = rules::editor_of(&state, &user, program)
        .await?
        .ok_or(AppError::Forbidden)?;
    rules::form_for(&state, program, editor).await
}

/// The suggestion form, for anyone (logged in or not).
#[server(endpoint = "suggestion_form")]
pub async fn suggestion_form(program: ProgramId) -> Result<ListingFormView, AppError> {
    use crate::model::directory::edit::Editor;
    let state = super::request::state()?;
    rules::form_for(&state, program, Editor::Suggester).await
}

/// Staff of the program, or a site administrator, change its listing.
#[server(endpoint = "save_listing")]
pub async fn save_listing(
    program: ProgramId,
    version: i64,
    name: Option<String>,
    description: Option<String>,
    status: Option<String>,
    url: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    city: Option<String>,
    state_province: Option<String>,
    zip: Option<String>,
    service_area: Option<String>,
    hours: Option<String>,
    languages: Option<String>,
    eligibility: Option<String>,
    categories: Option<String>,
) -> Result<(), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    let editor = rules::editor_of(&state, &user, program)
        .await?
        .ok_or(AppError::Forbidden)?;
    let current = state
        .store
        .editable_listing(program)
        .await?
        .ok_or(AppError::NotFound)?;
    let posted = posted!(
        name => Name, description => Description, status => Status, url => Url, email => Email,
        phone => Phone, address => Address, city => City, state_province => StateProvince,
        zip => Zip, service_area => ServiceArea, hours => Hours, languages => Languages,
        eligibility => Eligibility, categories => Categories,
    );
    let next = rules::applied(&current.listing, editor, &posted)?;
    state
        .store
        .save_listing(program, version, &next, user.id)
        .await?;
    Ok(())
}

/// Staff or an administrator say the listing is still correct.
#[server(endpoint = "mark_listing_reviewed")]
pub async fn mark_listing_reviewed(program: ProgramId) -> Result<(), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    rules::editor_of(&state, &user, program)
        .await?
        .ok_or(AppError::Forbidden)?;
    state.store.mark_listing_reviewed(program, user.id).await?;
    Ok(())
}

/// A site administrator takes a program out of the directory, or lists it again.
#[server(endpoint = "archive_program")]
pub async fn archive_program(program: ProgramId, action: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    let archive = match action.as_str() {
        "archive" => true,
        "restore" => false,
        _ => return Err(AppError::field("action", crate::i18n::Key::err_bad_form)),
    };
    state
        .store
        .set_program_archived(program, archive, user.id)
        .await?;
    Ok(())
}

/// Anyone, logged in or not, proposes a change to a listing.
#[server(endpoint = "suggest_edit")]
pub async fn suggest_edit(
    program: ProgramId,
    comment: String,
    name: Option<String>,
    description: Option<String>,
    status: Option<String>,
    url: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    city: Option<String>,
    state_province: Option<String>,
    zip: Option<String>,
    service_area: Option<String>,
    hours: Option<String>,
    languages: Option<String>,
    eligibility: Option<String>,
    categories: Option<String>,
) -> Result<(), AppError> {
    use super::request::{client_address, signed_in_user, state};
    use crate::error::FormCheck;
    use crate::i18n::Key;
    use crate::model::directory::edit::{self, Editor};
    use crate::server::auth::throttle_per_address;
    let state = state()?;
    let user = signed_in_user(&state).await?;
    let current = state
        .store
        .editable_listing(program)
        .await?
        .ok_or(AppError::NotFound)?;
    let posted = posted!(
        name => Name, description => Description, status => Status, url => Url, email => Email,
        phone => Phone, address => Address, city => City, state_province => StateProvince,
        zip => Zip, service_area => ServiceArea, hours => Hours, languages => Languages,
        eligibility => Eligibility, categories => Categories,
    );
    let mut form = FormCheck::new();
    let comment = form.field("comment", edit::comment(&comment));
    let proposal = rules::applied(&current.listing, Editor::Suggester, &posted);
    let proposal = match proposal {
        Err(AppError::Validation(mut fields)) => {
            if let Err(AppError::Validation(more)) = form.finish() {
                fields.extend(more);
            }
            return Err(AppError::Validation(fields));
        }
        other => other?,
    };
    form.finish()?;
    let comment = comment.expect("checked by the form");
    let fields = edit::changed_fields(&current.listing, &proposal);
    if fields.is_empty() && comment.is_empty() {
        return Err(AppError::field("form", Key::err_suggest_nothing));
    }
    // An open form: each sender gets a few a quarter hour, so the queue cannot be flooded.
    match &user {
        Some(u) => throttle_per_address(&state.store, "suggest", &u.id.to_string(), 10).await?,
        None => throttle_per_address(&state.store, "suggest", &client_address(), 5).await?,
    }
    state
        .store
        .create_suggestion(program, user.map(|u| u.id), &proposal, &fields, &comment)
        .await?;
    Ok(())
}

#[server(endpoint = "pending_suggestions")]
pub async fn pending_suggestions() -> Result<Vec<SuggestionView>, AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    let mut views = Vec::new();
    for row in state.store.pending_suggestions(100).await? {
        let (proposal, fields) = row.parts()?;
        let current = state.store.editable_listing(row.program_id).await?;
        let changes = fields
            .into_iter()
            .map(|f| FieldChange {
                field: f.as_str().to_string(),
                before: current
                    .as_ref()
                    .map(|c| f.display(&c.listing))
                    .unwrap_or_default(),
                after: f.display(&proposal),
            })
            .collect();
        views.push(SuggestionView {
            id: row.id,
            program: row.program_id,
            program_name: row.program_name,
            by: row
                .suggested_by_name
                .map(|n| format!("{n} ({})", row.suggested_by_email.unwrap_or_default())),
            at: row.created_at,
            comment: row.comment,
            changes,
        });
    }
    Ok(views)
}

#[server(endpoint = "decide_suggestion")]
pub async fn decide_suggestion(suggestion: i64, decision: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    use crate::i18n::Key;
    let state = state()?;
    let user = require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    let accept = match decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(AppError::field("decision", Key::err_accept_or_decline)),
    };
    state
        .store
        .decide_suggestion(suggestion, accept, user.id)
        .await?;
    Ok(())
}

/// A program's history, for site administrators.
#[server(endpoint = "listing_history")]
pub async fn listing_history(program: ProgramId) -> Result<Vec<HistoryEntry>, AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    let rows = state.store.program_history(program, 200).await?;
    rows.into_iter()
        .map(|r| {
            let changes: Vec<FieldChange> = serde_json::from_str(&r.changes)
                .map_err(|e| AppError::internal(format!("program history: {e}")))?;
            Ok(HistoryEntry {
                at: r.created_at,
                kind: r.kind,
                by: r.edited_by_name,
                feed: (!r.detail.is_empty()).then_some(r.detail),
                suggested_by: r.suggestion_id.map(|_| r.suggested_by_name),
                changes,
            })
        })
        .collect()
}
