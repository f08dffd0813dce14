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
    Ok(ProgramDetails {
        id: p.id,
        archived: p.archived_at.is_some(),
        takes_referrals: p.takes_referrals(),
        status: p.service_status,
        last_reviewed: p.updated_at.unwrap_or(p.created_at),
        claimed: p.is_claimed(),
        i_am_staff,
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
    })
}
