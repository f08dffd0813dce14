//! Organisations, for site administrators: find, add, edit and archive them, and add a
//! program to one. Those a feed brought are read-only here (their feed changes them).

use crate::error::AppError;
use crate::model::{OrganizationId, ProgramId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationSummary {
    pub id: OrganizationId,
    pub name: String,
    pub source: Option<String>,
    pub archived: bool,
    pub programs: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationView {
    pub summary: OrganizationSummary,
    pub description: String,
    pub email: String,
    pub url: String,
    /// (id, name, archived), by name.
    pub programs: Vec<(ProgramId, String, bool)>,
}

#[cfg(feature = "ssr")]
async fn require_admin(state: &crate::server::AppState) -> Result<crate::model::UserId, AppError> {
    let user = super::request::require_user(state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    Ok(user.id)
}

#[cfg(feature = "ssr")]
fn summary_of(row: &crate::server::store::OrganizationRow) -> OrganizationSummary {
    OrganizationSummary {
        id: row.id,
        name: row.name.clone(),
        source: row.directory_source.clone(),
        archived: row.archived_at.is_some(),
        programs: row.programs,
    }
}

#[server(endpoint = "find_organizations")]
pub async fn find_organizations(name: String) -> Result<Vec<OrganizationSummary>, AppError> {
    let state = super::request::state()?;
    require_admin(&state).await?;
    let rows = state.store.organizations_named(&name, 50).await?;
    Ok(rows.iter().map(summary_of).collect())
}

#[server(endpoint = "organization_details")]
pub async fn organization_details(id: OrganizationId) -> Result<OrganizationView, AppError> {
    let state = super::request::state()?;
    require_admin(&state).await?;
    let row = state
        .store
        .organization(id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(OrganizationView {
        summary: summary_of(&row),
        programs: state.store.programs_of_organization(id).await?,
        description: row.description,
        email: row.email,
        url: row.url,
    })
}

/// Adds an organisation (`id` 0) or changes one made in the app.
#[server(endpoint = "save_organization")]
pub async fn save_organization(
    id: OrganizationId,
    name: String,
    description: String,
    email: String,
    url: String,
) -> Result<(), AppError> {
    use crate::error::FormCheck;
    use crate::i18n::Key;
    use crate::model::EmailAddress;
    use crate::model::directory::edit::{check_line, check_text, check_url};
    use crate::server::store::NewOrganization;
    let state = super::request::state()?;
    require_admin(&state).await?;
    let mut form = FormCheck::new();
    let name = form.field("name", check_line(&name, true));
    let description = form.field("description", check_text(&description));
    let email = form.field(
        "email",
        if email.trim().is_empty() {
            Ok(String::new())
        } else {
            EmailAddress::parse(&email).map(|e| e.as_str().to_string())
        },
    );
    let url = form.field("url", check_url(&url));
    form.finish()?;
    let org = NewOrganization {
        name: name.expect("checked"),
        description: description.expect("checked"),
        email: email.expect("checked"),
        url: url.expect("checked"),
    };
    if id.0 == 0 {
        let id = state.store.create_organization(&org).await?;
        leptos_axum::redirect(&format!("/admin/organizations/{id}"));
        return Ok(());
    }
    let existing = state
        .store
        .organization(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if existing.directory_source.is_some() {
        return Err(AppError::field("form", Key::err_org_from_feed));
    }
    state.store.update_organization(id, &org).await?;
    Ok(())
}

#[server(endpoint = "archive_organization")]
pub async fn archive_organization(id: OrganizationId, action: String) -> Result<(), AppError> {
    let state = super::request::state()?;
    let by = require_admin(&state).await?;
    let archive = match action.as_str() {
        "archive" => true,
        "restore" => false,
        _ => return Err(AppError::field("action", crate::i18n::Key::err_bad_form)),
    };
    state
        .store
        .set_organization_archived(id, archive, by)
        .await?;
    Ok(())
}

/// Adds a program to an organisation; the administrator fills in the rest on its edit page.
#[server(endpoint = "add_program")]
pub async fn add_program(organization: OrganizationId, name: String) -> Result<(), AppError> {
    use crate::i18n::Key;
    use crate::model::directory::edit::check_line;
    use crate::server::store::NewProgram;
    let state = super::request::state()?;
    let by = require_admin(&state).await?;
    let name = check_line(&name, true).map_err(|m| AppError::field("name", m))?;
    let org = state
        .store
        .organization(organization)
        .await?
        .ok_or(AppError::NotFound)?;
    if org.archived_at.is_some() {
        return Err(AppError::field("form", Key::err_org_archived));
    }
    let id = state
        .store
        .create_program(&NewProgram {
            name,
            organization: org.name,
            organization_id: Some(org.id),
            created_by: Some(by),
            ..NewProgram::default()
        })
        .await?;
    leptos_axum::redirect(&format!("/programs/{id}/edit"));
    Ok(())
}
