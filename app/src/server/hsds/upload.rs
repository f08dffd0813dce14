//! An import uploaded on /admin: `POST /admin/import` (a plain multipart form, so it works
//! without JavaScript) takes the file, records the import and runs it in the background;
//! the browser goes to `/admin/imports/{id}`, which shows a progress line (and a link to
//! look again) until the report is there.

use super::{ImportOptions, ImportReport, read_bytes};
use crate::server::AppState;
use crate::server::clock::now_ms;
use crate::server::identity::RequestIdentity;
use crate::server::store::Progress;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The largest upload taken (a county's directory as a .zip is a few megabytes).
pub const UPLOAD_MAX: usize = 64 * 1024 * 1024;
/// How long its upload may take: 64 MB at about 1 Mbit/s (the import itself runs after).
pub const UPLOAD_TIME: std::time::Duration = std::time::Duration::from_secs(15 * 60);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/import", post(upload))
        .layer(DefaultBodyLimit::max(UPLOAD_MAX))
}

/// Where each import running on this instance is: reading, or `done` of `total` written.
#[derive(Default, Debug)]
pub struct RunningImports(Mutex<HashMap<i64, (usize, usize)>>);

impl RunningImports {
    pub fn progress(&self, id: i64) -> Option<(usize, usize)> {
        self.0.lock().ok()?.get(&id).copied()
    }

    fn set(&self, id: i64, done: usize, total: usize) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(id, (done, total));
        }
    }

    fn end(&self, id: i64) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(&id);
        }
    }
}

struct Tracker {
    imports: Arc<RunningImports>,
    id: i64,
}

impl Progress for Tracker {
    fn written(&self, done: usize, total: usize) {
        self.imports.set(self.id, done, total);
    }
}

/// What the form sent.
#[derive(Default)]
struct Upload {
    file_name: String,
    bytes: Vec<u8>,
    source: String,
    skip_invalid: bool,
    dry_run: bool,
}

/// The form's fields; an upload over [`UPLOAD_MAX`] answers 413.
async fn read_form(mut form: Multipart) -> Result<Upload, (StatusCode, String)> {
    let failed = |e: axum::extract::multipart::MultipartError| (e.status(), e.body_text());
    let mut upload = Upload::default();
    while let Some(field) = form.next_field().await.map_err(failed)? {
        match field.name().unwrap_or("") {
            "feed" => {
                upload.file_name = field.file_name().unwrap_or("").to_string();
                upload.bytes = field.bytes().await.map_err(failed)?.to_vec();
            }
            "source" => upload.source = field.text().await.map_err(failed)?,
            "skip_invalid" => upload.skip_invalid = true,
            "dry_run" => upload.dry_run = true,
            _ => {}
        }
    }
    Ok(upload)
}

/// A feed's name: letters, digits, `-`, `_` and `.`, 1 to 100 of them.
pub fn check_source(source: &str) -> Result<String, &'static str> {
    let s = source.trim();
    let s = if s.is_empty() {
        super::DEFAULT_SOURCE
    } else {
        s
    };
    if s.len() > 100
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err("use letters, digits, '-', '_' or '.', at most 100");
    }
    Ok(s.to_string())
}

async fn upload(
    State(state): State<AppState>,
    Extension(RequestIdentity(identity)): Extension<RequestIdentity>,
    form: Multipart,
) -> Response {
    let admin = match identity {
        Ok(Some(i)) if i.user.is_site_admin() => i.user.id,
        Ok(_) => {
            return (
                StatusCode::FORBIDDEN,
                "Only a site administrator may import a directory.",
            )
                .into_response();
        }
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let form = match read_form(form).await {
        Ok(f) => f,
        Err((status, reason)) => {
            return (status, format!("The upload failed: {reason}")).into_response();
        }
    };
    let source = check_source(&form.source);
    let options = ImportOptions {
        source: source.clone().unwrap_or_default(),
        skip_invalid: form.skip_invalid,
        dry_run: form.dry_run,
    };
    let file_name = if form.file_name.is_empty() {
        "(no file)".to_string()
    } else {
        form.file_name.clone()
    };
    let now = now_ms();
    let id = match state
        .store
        .start_directory_import(admin, &file_name, &options, now)
        .await
    {
        Ok(id) => id,
        Err(e) => return failed(e),
    };
    tracing::info!(import = id, file = %file_name, source = %options.source, "directory import started");
    // Problems with the form itself are the report's first (and only) problems.
    let refusal = match (&source, form.bytes.is_empty()) {
        (Err(reason), _) => Some(("source", *reason)),
        (_, true) => Some(("feed", "choose a file: a .zip package or HSDS JSON")),
        _ => None,
    };
    if let Some((field, reason)) = refusal {
        let report = ImportReport {
            problems: vec![crate::model::directory::Problem {
                place: crate::model::directory::Place::File {
                    file: "the form".into(),
                },
                field: field.into(),
                reason: reason.into(),
            }],
            skipped: vec![],
            summary: Default::default(),
            written: false,
            refused: Some("the form is not complete".into()),
        };
        let json = serde_json::to_string(&report).unwrap_or_default();
        if let Err(e) = state
            .store
            .finish_directory_import(id, Some(&json), None, now)
            .await
        {
            return failed(e);
        }
    } else {
        state.imports.set(id, 0, 0);
        tokio::spawn(run(state.clone(), id, form.file_name, form.bytes, options));
    }
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/admin/imports/{id}"))],
    )
        .into_response()
}

fn failed(e: impl std::fmt::Display) -> Response {
    tracing::error!("directory import: {e}");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "The import could not be started. Try again.",
    )
        .into_response()
}

/// Reads and imports the upload, then records the report (or the failure).
async fn run(state: AppState, id: i64, name: String, bytes: Vec<u8>, options: ImportOptions) {
    let reading = tokio::task::spawn_blocking(move || read_bytes(&name, bytes)).await;
    let tracker = Tracker {
        imports: state.imports.clone(),
        id,
    };
    let outcome = match reading {
        Ok(reading) => super::import(&state.store, reading, &options, now_ms(), &tracker)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(format!("reading the file failed: {e}")),
    };
    let (report, failure) = match &outcome {
        Ok(report) => (serde_json::to_string(report).ok(), None),
        Err(e) => {
            tracing::error!(import = id, "directory import failed: {e}");
            (
                None,
                Some("the database refused the import; nothing was written"),
            )
        }
    };
    if let Ok(report) = &outcome {
        tracing::info!(import = id, summary = %report.summary, written = report.written, "directory import finished");
    }
    if let Err(e) = state
        .store
        .finish_directory_import(id, report.as_deref(), failure, now_ms())
        .await
    {
        tracing::error!(import = id, "recording the import's report failed: {e}");
    }
    state.imports.end(id);
}
