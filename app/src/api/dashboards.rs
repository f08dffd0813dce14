//! The three dashboards' reads: Referrals For Me, People I'm Helping (and a person's
//! profile), Inbound Referrals. Every row passes the access rules before it is returned.

use super::views::ReferralView;
use crate::error::AppError;
use crate::model::{PersonId, ProgramId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Referrals For Me: every referral made for the signed-in seeker, newest first.
#[server(endpoint = "my_referrals")]
pub async fn my_referrals() -> Result<Vec<ReferralView>, AppError> {
    use super::build::referral_views;
    use super::request::{require_user, state};
    use crate::model::Role;
    let state = state()?;
    let user = require_user(&state).await?;
    let viewer = super::request::viewer_of(&state.store, user.id).await?;
    let rows = state.store.referrals_for_seeker(user.id).await?;
    referral_views(&state.store, &viewer, rows, Some(Role::Seeker)).await
}

/// One person on the helper's dashboard, with their referrals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub person_id: PersonId,
    pub name: String,
    pub referrals: Vec<ReferralView>,
}

/// How many referrals (most recently changed first) People I'm Helping shows at once;
/// older ones are found by searching a name or filtering a status.
pub const HELPER_PAGE_SIZE: i64 = 100;

/// People I'm Helping: the people I (and, with Team Navigation, my team) referred.
/// `name` searches first and last names; `status` (a status code or empty) filters.
#[server(endpoint = "helper_people")]
pub async fn helper_people(name: String, status: String) -> Result<Vec<PersonSummary>, AppError> {
    use super::build::referral_views;
    use super::request::{require_user, state};
    use crate::model::Role;
    let state = state()?;
    let user = require_user(&state).await?;
    let filter = StatusFilter::parse(&status).map_err(|m| AppError::field("status", m))?;
    let overdue_now = (filter == StatusFilter::Overdue).then(crate::server::clock::now_ms);
    let viewer = super::request::viewer_of(&state.store, user.id).await?;
    let rows = state
        .store
        .referrals_for_helper(
            user.id,
            None,
            &name,
            filter.status(),
            overdue_now,
            HELPER_PAGE_SIZE,
        )
        .await?;
    let views = referral_views(&state.store, &viewer, rows, Some(Role::Helper)).await?;
    let mut people: Vec<PersonSummary> = Vec::new();
    for view in views {
        match people.iter_mut().find(|p| p.person_id == view.person_id) {
            Some(p) => p.referrals.push(view),
            None => people.push(PersonSummary {
                person_id: view.person_id,
                name: view.seeker_name.clone(),
                referrals: vec![view],
            }),
        }
    }
    Ok(people)
}

/// A person's profile for a helper: every referral of theirs the helper may follow.
#[server(endpoint = "person_profile")]
pub async fn person_profile(person: PersonId) -> Result<PersonSummary, AppError> {
    use super::build::referral_views;
    use super::request::{require_user, state};
    use crate::model::Role;
    let state = state()?;
    let user = require_user(&state).await?;
    let viewer = super::request::viewer_of(&state.store, user.id).await?;
    let rows = state
        .store
        .referrals_for_helper(user.id, Some(person), "", None, None, 500)
        .await?;
    let referrals = referral_views(&state.store, &viewer, rows, Some(Role::Helper)).await?;
    let name = referrals
        .first()
        .map(|r| r.seeker_name.clone())
        .ok_or(AppError::NotFound)?;
    Ok(PersonSummary {
        person_id: person,
        name,
        referrals,
    })
}

/// A dashboard's status filter: any, one status, or overdue ("Not updated" past the
/// response standard).
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    Any,
    Is(crate::model::Status),
    Overdue,
}

#[cfg(feature = "ssr")]
impl StatusFilter {
    /// The filter's form value: empty, a status code, or `overdue`.
    pub fn parse(code: &str) -> Result<StatusFilter, crate::i18n::Msg> {
        match code {
            "" => Ok(StatusFilter::Any),
            crate::ui::components::status::OVERDUE_FILTER => Ok(StatusFilter::Overdue),
            code => code
                .parse()
                .map(StatusFilter::Is)
                .map_err(|_| crate::i18n::Key::err_status_choose.into()),
        }
    }

    fn status(self) -> Option<crate::model::Status> {
        match self {
            StatusFilter::Is(s) => Some(s),
            StatusFilter::Any | StatusFilter::Overdue => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundPage {
    /// Filters that could not be read (a malformed date in an edited link), each with its
    /// field: they are left out of the query and marked on the filter form.
    pub filter_errors: Option<AppError>,
    /// The programs this user is staff of: (id, "name, organisation").
    pub programs: Vec<(ProgramId, String)>,
    pub program_id: ProgramId,
    pub not_updated: i64,
    /// Of those, how many are past the response standard.
    pub overdue: i64,
    pub referrals: Vec<ReferralView>,
    /// Cursor for the next (older) page, if there may be one.
    pub next: Option<String>,
}

pub const INBOUND_PAGE_SIZE: i64 = 50;

/// Inbound Referrals for one of the user's programs (the first if `program` is 0),
/// newest first, filtered by status and creation dates ("YYYY-MM-DD", inclusive).
#[server(endpoint = "inbound")]
pub async fn inbound(
    program: ProgramId,
    status: String,
    from: String,
    to: String,
    before: String,
) -> Result<InboundPage, AppError> {
    use super::build::referral_views;
    use super::request::{require_user, state};
    use crate::error::FormCheck;
    use crate::model::Role;
    use crate::model::time::parse_date;
    use crate::server::clock::DAY_MS;
    use crate::server::store::InboundQuery;

    let state = state()?;
    let user = require_user(&state).await?;
    let programs = state.store.programs_of_staff(user.id).await?;
    let chosen = staff_program(&programs, program)?;

    let mut form = FormCheck::new();
    let filter = form
        .field("status", StatusFilter::parse(&status))
        .unwrap_or(StatusFilter::Any);
    let now = crate::server::clock::now_ms();
    let date = |form: &mut FormCheck, field: &str, value: &str| {
        if value.trim().is_empty() {
            None
        } else {
            form.field(
                field,
                parse_date(value).ok_or_else(|| crate::i18n::Key::err_date.into()),
            )
        }
    };
    let from = date(&mut form, "from", &from);
    let until = date(&mut form, "to", &to).map(|d| d + DAY_MS);
    let before = if before.is_empty() {
        None
    } else {
        let parsed = before
            .split_once('.')
            .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
        form.field(
            "before",
            parsed.ok_or_else(|| crate::i18n::Key::err_page_link.into()),
        )
    };
    // A bad filter does not dead-end the page: it is marked on the form, the others apply.
    let filter_errors = form.finish().err();

    let rows = state
        .store
        .inbound_referrals(&InboundQuery {
            program: chosen,
            status: filter.status(),
            overdue_at_or_before: (filter == StatusFilter::Overdue).then_some(now),
            from,
            until,
            before,
            limit: INBOUND_PAGE_SIZE,
        })
        .await?;
    let next = (rows.len() as i64 == INBOUND_PAGE_SIZE)
        .then(|| rows.last().map(|r| format!("{}.{}", r.created_at, r.id)))
        .flatten();
    let unseen: Vec<_> = rows
        .iter()
        .filter(|r| r.seen_at.is_none())
        .map(|r| r.id)
        .collect();
    let viewer = super::request::viewer_of(&state.store, user.id).await?;
    let referrals = referral_views(&state.store, &viewer, rows, Some(Role::Program)).await?;
    // Shown to the program's staff: seen, once (the seeker and helper see when).
    for id in unseen {
        if referrals.iter().any(|r| r.id == id) {
            let actor = crate::server::store::Actor {
                user: Some(user.id),
                role: Role::Program,
                label: super::session::acting_label(&state.store, &user, Role::Program, id).await?,
            };
            state.store.mark_seen(id, &actor).await?;
        }
    }
    let (not_updated, overdue) = state.store.inbound_counts(chosen, now).await?;
    Ok(InboundPage {
        filter_errors,
        programs: programs
            .into_iter()
            .map(|p| (p.id, format!("{}, {}", p.name, p.organization)))
            .collect(),
        program_id: chosen,
        not_updated,
        overdue,
        referrals,
        next,
    })
}

/// How many referrals to one of the user's programs are still "Not updated", and how many
/// of those are overdue (program 0: the first).
/// Live pages re-read just this count when a status changes.
#[server(endpoint = "inbound_not_updated")]
pub async fn inbound_not_updated(program: ProgramId) -> Result<(i64, i64), AppError> {
    use super::request::{require_user, state};
    let state = state()?;
    let user = require_user(&state).await?;
    let programs = state.store.programs_of_staff(user.id).await?;
    let program = staff_program(&programs, program)?;
    let now = crate::server::clock::now_ms();
    Ok(state.store.inbound_counts(program, now).await?)
}

/// The program asked for (0: the first), if the user is its staff. Otherwise `NotFound`:
/// the same answer as a program with no referrals to show you.
#[cfg(feature = "ssr")]
fn staff_program(
    programs: &[crate::server::store::ProgramRow],
    asked: ProgramId,
) -> Result<ProgramId, AppError> {
    // 0 (the form's default): the first of theirs.
    let chosen = if asked == ProgramId::default() {
        programs.first().map(|p| p.id)
    } else {
        Some(asked)
    };
    chosen
        .filter(|id| programs.iter().any(|p| p.id == *id))
        .ok_or(AppError::NotFound)
}
