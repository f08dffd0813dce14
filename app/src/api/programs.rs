//! The program directory: search, and one program's public page.

use super::views::{ProgramCard, ProgramDetails};
use crate::error::AppError;
use crate::model::ProgramId;
use leptos::prelude::*;

#[server(endpoint = "search_programs")]
pub async fn search_programs(
    text: String,
    category: String,
    place: String,
) -> Result<Vec<ProgramCard>, AppError> {
    use super::request::state;
    use crate::server::store::ProgramQuery;
    let state = state()?;
    let rows = state
        .store
        .search_programs(&ProgramQuery {
            text,
            category,
            place,
            limit: 50,
        })
        .await?;
    let ids: Vec<ProgramId> = rows.iter().map(|p| p.id).collect();
    let mut categories = state.store.categories_of(&ids).await?;
    Ok(rows
        .into_iter()
        .map(|p| ProgramCard {
            id: p.id,
            temporarily_closed: !p.takes_referrals(),
            capacity: p.capacity,
            categories: categories.remove(&p.id).unwrap_or_default(),
            name: p.name,
            organization: p.organization,
            description: p.description,
            city: p.city,
            zip: p.zip,
        })
        .collect())
}

#[server(endpoint = "categories")]
pub async fn categories() -> Result<Vec<String>, AppError> {
    let state = super::request::state()?;
    Ok(state.store.categories().await?)
}

#[server(endpoint = "get_program")]
pub async fn get_program(id: ProgramId) -> Result<ProgramDetails, AppError> {
    let state = super::request::state()?;
    let p = state.store.program(id).await?.ok_or(AppError::NotFound)?;
    let categories = state.store.program_categories(id).await?;
    let user = super::request::signed_in_user(&state).await?;
    let i_am_staff = match &user {
        Some(u) => super::request::viewer_of(&state.store, u.id)
            .await?
            .staff_of
            .contains(&id),
        None => false,
    };
    let i_can_edit = i_am_staff || user.as_ref().is_some_and(|u| u.is_site_admin());
    let response_days = if i_can_edit {
        Some((
            state.store.response_days(p.id).await?,
            state.store.schedule().rules.respond_days,
        ))
    } else {
        None
    };
    Ok(ProgramDetails {
        response_days,
        id: p.id,
        archived: p.archived_at.is_some(),
        takes_referrals: p.takes_referrals(),
        status: p.service_status,
        last_reviewed: p.updated_at.unwrap_or(p.created_at),
        capacity: p.capacity,
        claimed: p.is_claimed(),
        i_am_staff,
        i_can_edit,
        i_can_claim: user.is_some() && !p.is_claimed(),
        languages: p
            .languages
            .split(',')
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        name: p.name,
        organization: p.organization,
        description: p.description,
        address: p.address,
        city: p.city,
        state_province: p.state_province,
        zip: p.zip,
        service_area: p.service_area,
        categories,
        contact_email: p.contact_email,
        contact_phone: p.contact_phone,
        hours: p.hours,
        url: p.url,
        eligibility: p.eligibility,
        capacity_note: p.capacity_note,
    })
}

/// Program staff (or the site administrator) say whether the program takes referrals now.
#[server(endpoint = "set_capacity")]
pub async fn set_capacity(
    program: ProgramId,
    capacity: String,
    capacity_note: String,
) -> Result<(), AppError> {
    use crate::error::FormCheck;
    use crate::i18n::Key;
    use crate::model::capacity::{Capacity, NOTE_MAX};
    let state = super::request::state()?;
    let user = super::request::require_user(&state).await?;
    let viewer = super::request::viewer_of(&state.store, user.id).await?;
    if !viewer.staff_of.contains(&program) && !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    state
        .store
        .program(program)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut form = FormCheck::new();
    let capacity = form.field(
        "capacity",
        capacity
            .parse::<Capacity>()
            .map_err(|_| Key::err_capacity_choose.into()),
    );
    let note = crate::model::text::check(&capacity_note, crate::model::text::Shape::Line, NOTE_MAX)
        .unwrap_or_else(|problem| {
            let message: crate::i18n::Msg = match problem {
                crate::model::text::TextProblem::TooLong(_) => Key::err_capacity_note_long.into(),
                other => crate::model::fields::text_message(other, false),
            };
            form.fail("capacity_note", message);
            String::new()
        });
    form.finish()?;
    let capacity = capacity.expect("checked by the form");
    state
        .store
        .set_capacity(program, capacity, &note, user.id)
        .await?;
    Ok(())
}

/// Program staff (or the site administrator) set the program's own response standard, in
/// business days (empty: the deployment's). It counts for referrals made from then on.
#[server(endpoint = "set_response_days")]
pub async fn set_response_days(program: ProgramId, days: String) -> Result<(), AppError> {
    use crate::model::follow_up::MOST_RESPONSE_DAYS;
    let state = super::request::state()?;
    let user = super::request::require_user(&state).await?;
    let viewer = super::request::viewer_of(&state.store, user.id).await?;
    if !viewer.staff_of.contains(&program) && !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    state
        .store
        .program(program)
        .await?
        .ok_or(AppError::NotFound)?;
    let days = match days.trim() {
        "" => None,
        typed => Some(
            typed
                .parse::<u32>()
                .ok()
                .filter(|d| (1..=MOST_RESPONSE_DAYS).contains(d))
                .ok_or_else(|| AppError::field("days", crate::i18n::Key::err_response_days))?,
        ),
    };
    state.store.set_response_days(program, days).await?;
    Ok(())
}
