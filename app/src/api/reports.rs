//! The Reports page's read: the figures of one scope the viewer may report on
//! (`model::report::report_scopes`), narrowed by the page's filters, with the filters'
//! choices.

// The page's form fields are the server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::report::Figures;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPage {
    /// What the viewer may report on: (form value, label), in the order offered.
    pub scopes: Vec<(String, String)>,
    /// The one shown.
    pub scope: String,
    /// Filters that could not be read, each with its field (the rest apply).
    pub filter_errors: Option<AppError>,
    pub categories: Vec<String>,
    /// The program, group and helper filters' choices (id, name); empty where the scope
    /// offers none: programs for a network's or group's report, groups for the network's,
    /// helpers for a group's (or the network's narrowed to a group).
    pub programs: Vec<(i64, String)>,
    pub groups: Vec<(i64, String)>,
    pub helpers: Vec<(i64, String)>,
    pub figures: Figures,
}

/// The figures for `scope` (empty: the first the viewer has), made between `from` and `to`
/// ("YYYY-MM-DD", inclusive), in a category and a status group (codes, or empty), to a
/// program, by a group's members or by one helper (ids, or empty). Someone with no reports
/// (a seeker, a group member who is not its admin) is refused.
#[server(endpoint = "report")]
pub async fn report(
    scope: String,
    from: String,
    to: String,
    category: String,
    status_group: String,
    program: String,
    group: String,
    helper: String,
) -> Result<ReportPage, AppError> {
    use crate::model::report::ReportScope;
    use crate::server::clock::now_ms;
    use crate::server::reports::{ReportQuery, compute, resolve};

    let state = super::request::state()?;
    let user = super::request::require_user(&state).await?;
    let request = resolve(
        &state.store,
        &user,
        &ReportQuery {
            scope,
            from,
            to,
            category,
            status_group,
            program,
            group,
            helper,
        },
    )
    .await?;
    let (scopes, chosen, filter_errors) = (request.scopes, request.scope, request.filter_errors);
    let (figures, counted) = compute(&state.store, chosen, &request.filter, now_ms()).await?;

    let mut labelled = Vec::new();
    let t = super::request::request_lang().strings();
    for s in &scopes {
        let label = match s {
            ReportScope::Program(p) => match state.store.program(*p).await? {
                Some(p) => format!("{}, {}", p.name, p.organization),
                None => continue,
            },
            ReportScope::Group(g) => match state.store.group(*g).await? {
                Some(g) => crate::i18n::fill(t.report_scope_group, &[("group", &g.name)]),
                None => continue,
            },
            ReportScope::All => t.report_scope_all.to_string(),
        };
        labelled.push((s.code(), label));
    }
    let groups = match chosen {
        ReportScope::All => state
            .store
            .all_groups()
            .await?
            .into_iter()
            .map(|g| (g.id.0, g.name))
            .collect(),
        _ => Vec::new(),
    };
    let helpers_of = match chosen {
        ReportScope::Group(g) => Some(g),
        ReportScope::All => request.filter.group,
        ReportScope::Program(_) => None,
    };
    let helpers = match helpers_of {
        Some(g) => state
            .store
            .members(g)
            .await?
            .into_iter()
            .map(|m| (m.user_id.0, m.name))
            .collect(),
        None => Vec::new(),
    };
    Ok(ReportPage {
        scopes: labelled,
        scope: chosen.code(),
        filter_errors,
        categories: state.store.categories().await?,
        programs: counted.into_iter().map(|(p, name)| (p.0, name)).collect(),
        groups,
        helpers,
        figures,
    })
}

/// The most recent report exports (who, when, what, which filters, how many rows): for the
/// site administrator only.
#[server(endpoint = "report_exports")]
pub async fn report_exports() -> Result<Vec<crate::api::views::ExportView>, AppError> {
    let state = super::request::state()?;
    let user = super::request::require_user(&state).await?;
    if !user.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    Ok(state
        .store
        .report_exports(500)
        .await?
        .into_iter()
        .map(|e| crate::api::views::ExportView {
            who: format!("{} <{}>", e.user_name, e.user_email),
            what: e.what,
            filters: e.filters,
            rows: e.rows,
            at: e.at,
        })
        .collect())
}
