//! Loading an Open Referral HSDS feed into the directory: find what a path (or an upload)
//! holds, read it with the model's readers (`model::directory`), plan against what the
//! database holds from the same source, and write the plan in one transaction.
//!
//! A feed is a Tabular Data Package (a folder, or a .zip, with `datapackage.json` naming
//! its CSV files) or HSDS JSON (`.json`, `.ndjson`, `.jsonl`).

pub mod api;
mod package;
pub mod upload;

use crate::model::directory::plan::{ImportSummary, plan_import};
use crate::model::directory::{Place, Problem, Reading, json};
use crate::server::Store;
use crate::server::store::{Progress, StoreError};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// How to import.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The feed's name: programs are matched by (source, HSDS id), so every import of one
    /// feed must use the same source, and two feeds different ones.
    pub source: String,
    /// Write what is valid and list what was skipped, instead of writing nothing.
    pub skip_invalid: bool,
    /// Check and plan, write nothing.
    pub dry_run: bool,
}

/// The name used when none is given: a deployment with one feed never needs to think of it.
pub const DEFAULT_SOURCE: &str = "hsds";

/// What an import found and did.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportReport {
    pub problems: Vec<Problem>,
    /// HSDS ids of the services left out because of a problem.
    pub skipped: Vec<String>,
    pub summary: ImportSummary,
    pub written: bool,
    /// Why nothing was written, when nothing was.
    pub refused: Option<String>,
}

/// Reads a feed from a path: a package folder, its `datapackage.json`, a .zip, or JSON.
pub fn read_path(path: &Path) -> Reading {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    if path.is_dir() {
        return package::read(&mut package::Folder::new(path));
    }
    if name == "datapackage.json" {
        let folder = path.parent().unwrap_or(Path::new("."));
        return package::read(&mut package::Folder::new(folder));
    }
    match std::fs::read(path) {
        Ok(bytes) => read_bytes(&name, bytes),
        Err(e) => file_problem(&path.display().to_string(), format!("cannot be read: {e}")),
    }
}

/// Reads an uploaded feed: a .zip package or JSON, told apart by name (or content).
pub fn read_bytes(name: &str, bytes: Vec<u8>) -> Reading {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".zip") || bytes.starts_with(b"PK\x03\x04") {
        return match package::Zip::new(bytes) {
            Ok(mut zip) => package::read(&mut zip),
            Err(reason) => file_problem(name, reason),
        };
    }
    match String::from_utf8(bytes) {
        Ok(text) => json::read(name, text.trim_start_matches('\u{feff}')),
        Err(_) => file_problem(name, "is neither a .zip package nor UTF-8 JSON".into()),
    }
}

fn file_problem(file: &str, reason: String) -> Reading {
    Reading {
        problems: vec![Problem {
            place: Place::File {
                file: file.to_string(),
            },
            field: String::new(),
            reason,
        }],
        incomplete: true,
        ..Reading::default()
    }
}

/// Plans and (unless refused or a dry run) writes a reading. Nothing is written when the
/// feed has a problem (unless `skip_invalid`), when a whole file could not be read (the
/// feed is incomplete: what it lacks would be archived), or when it lists no services at
/// all but the database holds some from this source (an empty export is a mistake far more
/// often than a county closing every program).
pub async fn import(
    store: &Store,
    reading: Reading,
    options: &ImportOptions,
    now: i64,
    progress: &dyn Progress,
) -> Result<ImportReport, StoreError> {
    let existing = store.feed_listings(&options.source).await?;
    let Reading {
        listings,
        problems,
        invalid_services,
        incomplete,
    } = reading;
    let read_any = !listings.is_empty() || !invalid_services.is_empty();
    let plan = plan_import(&existing, listings, &invalid_services);
    let mut report = ImportReport {
        summary: plan.summary(invalid_services.len()),
        skipped: invalid_services.into_iter().collect(),
        written: false,
        refused: None,
        problems,
    };
    report.refused = if incomplete {
        Some("a file of the feed could not be read".into())
    } else if !report.problems.is_empty() && !options.skip_invalid {
        Some("the feed has problems (--skip-invalid writes the rest)".into())
    } else if !read_any && !existing.is_empty() {
        Some(format!(
            "the feed lists no services, and {} programs came from source {:?}: \
             refusing to archive them all",
            existing.len(),
            options.source
        ))
    } else if options.dry_run {
        Some("dry run".into())
    } else {
        None
    };
    if report.refused.is_none() {
        store
            .apply_import(&options.source, &plan, now, progress)
            .await?;
        report.written = true;
    }
    Ok(report)
}
