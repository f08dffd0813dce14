//! Directory imports an administrator uploaded on /admin (`server::hsds::upload` runs them):
//! where one has got, and its report.

use crate::error::AppError;
use crate::model::directory::plan::ImportSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The most problems one page lists (the count says how many there were in all).
pub const PROBLEMS_SHOWN: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub file_name: String,
    pub source: String,
    pub started_by: String,
    pub started_at: i64,
    pub skip_invalid: bool,
    pub dry_run: bool,
    pub finished: bool,
    /// While it runs on the instance answering: listings written of all.
    pub progress: Option<(usize, usize)>,
    pub summary: Option<ImportSummary>,
    pub written: bool,
    /// Why nothing was written, when nothing was.
    pub refused: Option<String>,
    pub problems: Vec<String>,
    pub problem_count: usize,
    pub skipped: Vec<String>,
    pub failure: Option<String>,
}

#[cfg(feature = "ssr")]
fn view_of(
    row: crate::server::store::ImportRow,
    state: &crate::server::AppState,
    problems: usize,
) -> ImportView {
    let report: Option<crate::server::hsds::ImportReport> = row
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    ImportView {
        id: row.id,
        progress: state.imports.progress(row.id),
        finished: row.finished_at.is_some(),
        summary: report.as_ref().map(|r| r.summary),
        written: report.as_ref().is_some_and(|r| r.written),
        refused: report.as_ref().and_then(|r| r.refused.clone()),
        problem_count: report.as_ref().map_or(0, |r| r.problems.len()),
        problems: report
            .as_ref()
            .map(|r| {
                r.problems
                    .iter()
                    .take(problems)
                    .map(|p| p.to_string())
                    .collect()
            })
            .unwrap_or_default(),
        skipped: report.map(|r| r.skipped).unwrap_or_default(),
        failure: row.failure,
        file_name: row.file_name,
        source: row.source,
        started_by: row.started_by_name.unwrap_or_default(),
        started_at: row.started_at,
        skip_invalid: row.skip_invalid != 0,
        dry_run: row.dry_run != 0,
    }
}

#[cfg(feature = "ssr")]
async fn require_site_admin(state: &crate::server::AppState) -> Result<(), AppError> {
    let user = super::request::require_user(state).await?;
    if user.is_site_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[server(endpoint = "directory_import")]
pub async fn directory_import(id: i64) -> Result<ImportView, AppError> {
    let state = super::request::state()?;
    require_site_admin(&state).await?;
    let row = state
        .store
        .directory_imports(Some(id), 1)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    Ok(view_of(row, &state, PROBLEMS_SHOWN))
}

#[server(endpoint = "recent_directory_imports")]
pub async fn recent_directory_imports() -> Result<Vec<ImportView>, AppError> {
    let state = super::request::state()?;
    require_site_admin(&state).await?;
    let rows = state.store.directory_imports(None, 10).await?;
    Ok(rows.into_iter().map(|r| view_of(r, &state, 0)).collect())
}
