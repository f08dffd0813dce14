//! The Reports page's read: the figures of one scope the viewer may report on
//! (`model::report::report_scopes`), narrowed by the page's filters.

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
    pub figures: Figures,
}

/// The figures for `scope` (empty: the first the viewer has), created between `from` and
/// `to` ("YYYY-MM-DD", inclusive), in a category and a status group (codes, or empty).
/// Someone with no reports (a seeker, a group member who is not its admin) is refused.
#[server(endpoint = "report")]
pub async fn report(
    scope: String,
    from: String,
    to: String,
    category: String,
    status_group: String,
) -> Result<ReportPage, AppError> {
    use crate::model::report::{ReportScope, figures};
    use crate::server::clock::now_ms;
    use crate::server::reports::{ReportQuery, resolve};

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
        },
    )
    .await?;
    let (scopes, chosen, filter_errors) = (request.scopes, request.scope, request.filter_errors);
    let rows = state.store.report_rows(chosen, &request.filter).await?;

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
    Ok(ReportPage {
        scopes: labelled,
        scope: chosen.code(),
        filter_errors,
        categories: state.store.categories().await?,
        figures: {
            use crate::model::report::{made_per_period, period_for};
            let mut f = figures(&rows, now_ms());
            let zone = &state.store.schedule().zone;
            let day_of = |ms: i64| zone.local(ms).day;
            let first = rows.iter().map(|r| r.created_at).min();
            let last = rows.iter().map(|r| r.created_at).max();
            if let (Some(first), Some(last)) = (first, last) {
                let period = period_for(day_of(first), day_of(last));
                f.over_time = made_per_period(&rows, period, day_of);
                f.period = Some(period);
            }
            f
        },
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
