//! The Reports page's request, read once for the page and for its CSV exports: which scope
//! (of those the person may report on) and which filters.

use crate::error::{AppError, FormCheck};
use crate::i18n::Key;
use crate::model::StatusGroup;
use crate::model::report::{ReportScope, report_scopes};
use crate::model::time::parse_date;
use crate::server::clock::DAY_MS;
use crate::server::store::{ReportFilter, Store, UserRow};

/// What a report request asks for, once checked.
pub struct ReportRequest {
    /// Every scope this person may report on, in the order offered.
    pub scopes: Vec<ReportScope>,
    pub scope: ReportScope,
    pub filter: ReportFilter,
    /// Filters that could not be read, each with its field: left out, the rest apply.
    pub filter_errors: Option<AppError>,
}

/// The form's values as posted or in the URL (codes and "YYYY-MM-DD" dates, or empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub status_group: String,
}

/// Checks a report request for `user`: `Forbidden` for someone with no reports or a scope
/// that is not theirs (the model's rule), whatever the page showed them.
pub async fn resolve(
    store: &Store,
    user: &UserRow,
    q: &ReportQuery,
) -> Result<ReportRequest, AppError> {
    let viewer = store.viewer(user.id).await?;
    let admin_of = store.groups_administered(user.id).await?;
    let scopes = report_scopes(&viewer.staff_of, &admin_of, user.is_site_admin());
    let scope = if q.scope.is_empty() {
        scopes.first().copied()
    } else {
        ReportScope::parse(&q.scope)
    }
    .filter(|s| scopes.contains(s))
    .ok_or(AppError::Forbidden)?;
    let mut form = FormCheck::new();
    let mut date = |field: &str, value: &str| {
        (!value.trim().is_empty())
            .then(|| form.field(field, parse_date(value).ok_or_else(|| Key::err_date.into())))
            .flatten()
    };
    let from = date("from", &q.from);
    let until = date("to", &q.to).map(|d| d + DAY_MS);
    let status_group = match q.status_group.as_str() {
        "" => None,
        "in_progress" => Some(StatusGroup::InProgress),
        "got_help" => Some(StatusGroup::GotHelp),
        "needs_further_action" => Some(StatusGroup::NeedsFurtherAction),
        _ => form.field("status_group", Err(Key::err_status_choose.into())),
    };
    let filter_errors = form.finish().err();
    Ok(ReportRequest {
        scopes,
        scope,
        filter: ReportFilter {
            from,
            until,
            category: Some(q.category.clone()),
            status_group,
            ..ReportFilter::default()
        },
        filter_errors,
    })
}
