//! The Reports page's request, read once for the page and for its CSV exports: which scope
//! (of those the person may report on) and which filters; and its figures, computed once
//! for both.

use crate::error::{AppError, FormCheck};
use crate::i18n::Key;
use crate::model::calendar::parse_day;
use crate::model::report::figures::{program_totals, top_lists};
use crate::model::report::{Figures, ReportScope, TopRow, figures, report_scopes};
use crate::model::{GroupId, ProgramId, StatusGroup, UserId};
use crate::server::store::{ReportFilter, Store, StoreError, UserRow};

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
    /// Ids, or empty.
    #[serde(default)]
    pub program: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub helper: String,
}

impl ReportQuery {
    /// The query as a URL's, for a link or an export's record (empty values left out).
    pub fn encoded(&self, scope: ReportScope) -> String {
        let pairs: Vec<(&str, String)> = [
            ("scope", scope.code()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("category", self.category.clone()),
            ("status_group", self.status_group.clone()),
            ("program", self.program.clone()),
            ("group", self.group.clone()),
            ("helper", self.helper.clone()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
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
    let date = |form: &mut FormCheck, field: &str, value: &str| {
        (!value.trim().is_empty())
            .then(|| {
                form.field(
                    field,
                    parse_day(value.trim()).ok_or_else(|| Key::err_date.into()),
                )
            })
            .flatten()
    };
    let from_day = date(&mut form, "from", &q.from);
    let to_day = date(&mut form, "to", &q.to);
    let status_group = match q.status_group.as_str() {
        "" => None,
        "in_progress" => Some(StatusGroup::InProgress),
        "got_help" => Some(StatusGroup::GotHelp),
        "needs_further_action" => Some(StatusGroup::NeedsFurtherAction),
        _ => form.field("status_group", Err(Key::err_status_choose.into())),
    };
    // Ids narrow the scope (the store ANDs them with it): one that is not a number is
    // named on its field; one of something outside the scope simply counts nothing.
    let id = |form: &mut FormCheck, field: &str, value: &str| {
        (!value.trim().is_empty())
            .then(|| {
                form.field(
                    field,
                    value
                        .trim()
                        .parse::<i64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| Key::err_report_choice.into()),
                )
            })
            .flatten()
    };
    let program = id(&mut form, "program", &q.program).map(ProgramId);
    let group = id(&mut form, "group", &q.group).map(GroupId);
    let helper = id(&mut form, "helper", &q.helper).map(UserId);
    let filter_errors = form.finish().err();
    Ok(ReportRequest {
        scopes,
        scope,
        filter: ReportFilter {
            from_day,
            to_day,
            category: Some(q.category.clone()),
            status_group,
            program,
            group,
            helper,
        },
        filter_errors,
    })
}

/// Every figure of a report as of `now`, with the top lists for a network's or a group's,
/// and the programs it counted (the program filter's choices).
pub async fn compute(
    store: &Store,
    scope: ReportScope,
    filter: &ReportFilter,
    now: i64,
) -> Result<(Figures, Vec<(ProgramId, String)>), StoreError> {
    let with_top = !matches!(scope, ReportScope::Program(_));
    let today = store.schedule().zone.local(now).day;
    let sums = store.report_sums(scope, filter, with_top, today).await?;
    let mut f = figures(&sums);
    if !with_top {
        return Ok((f, Vec::new()));
    }
    let totals = program_totals(&sums.programs);
    let ids: Vec<ProgramId> = totals.iter().map(|t| t.0).collect();
    let names: std::collections::HashMap<ProgramId, String> =
        store.program_names(&ids).await?.into_iter().collect();
    let rows: Vec<TopRow> = totals
        .iter()
        .map(|(p, received, closed, got_help)| TopRow {
            name: names.get(p).cloned().unwrap_or_else(|| format!("#{p}")),
            program: Some(*p),
            received: *received,
            closed: *closed,
            got_help: *got_help,
        })
        .collect();
    let mut counted: Vec<(ProgramId, String)> = rows
        .iter()
        .map(|r| (r.program.unwrap_or_default(), r.name.clone()))
        .collect();
    counted.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let categories: Vec<(ProgramId, String)> = store
        .categories_of(&ids)
        .await?
        .into_iter()
        .flat_map(|(p, list)| list.into_iter().map(move |c| (p, c)))
        .collect();
    f.top = Some(top_lists(rows, &categories));
    Ok((f, counted))
}
