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
    use crate::error::FormCheck;
    use crate::i18n::Key;
    use crate::model::StatusGroup;
    use crate::model::report::{ReportScope, figures, report_scopes};
    use crate::model::time::parse_date;
    use crate::server::clock::{DAY_MS, now_ms};
    use crate::server::store::ReportFilter;

    let state = super::request::state()?;
    let user = super::request::require_user(&state).await?;
    let viewer = super::request::viewer_of(&state.store, user.id).await?;
    let admin_of = state.store.groups_administered(user.id).await?;
    let scopes = report_scopes(&viewer.staff_of, &admin_of, user.is_site_admin());
    let chosen = if scope.is_empty() {
        scopes.first().copied()
    } else {
        ReportScope::parse(&scope)
    }
    .filter(|s| scopes.contains(s))
    .ok_or(AppError::Forbidden)?;

    let mut form = FormCheck::new();
    let mut date = |field: &str, value: &str| {
        (!value.trim().is_empty())
            .then(|| form.field(field, parse_date(value).ok_or_else(|| Key::err_date.into())))
            .flatten()
    };
    let from = date("from", &from);
    let until = date("to", &to).map(|d| d + DAY_MS);
    let status_group = match status_group.as_str() {
        "" => None,
        "in_progress" => Some(StatusGroup::InProgress),
        "got_help" => Some(StatusGroup::GotHelp),
        "needs_further_action" => Some(StatusGroup::NeedsFurtherAction),
        _ => form.field("status_group", Err(Key::err_status_choose.into())),
    };
    let filter_errors = form.finish().err();
    let filter = ReportFilter {
        from,
        until,
        category: Some(category),
        status_group,
        ..ReportFilter::default()
    };
    let rows = state.store.report_rows(chosen, &filter).await?;

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
        figures: figures(&rows, now_ms()),
    })
}
