//! Directory imports on /admin: the upload form, the latest imports, and one import's page
//! (a progress line while it runs; then its report).

use super::error_view;
use crate::api::directory_imports::{ImportView, directory_import, recent_directory_imports};
use crate::i18n::{Strings, fill};
use crate::model::time::format_utc;
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The upload form (a plain multipart post: it works without JavaScript) and recent imports.
#[component]
pub fn ImportDirectory() -> impl IntoView {
    let t = use_strings();
    let recent = Resource::new(|| (), |_| recent_directory_imports());
    view! {
        <section aria-labelledby="import-heading">
            <h2 id="import-heading">{t.admin_import_heading}</h2>
            <p>{t.admin_import_intro}</p>
            <form method="post" action="/admin/import" enctype="multipart/form-data" class="stack">
                <div class="field">
                    <label for="feed">{t.admin_import_file}</label>
                    <input id="feed" name="feed" type="file" accept=".zip,.json,.ndjson,.jsonl" required />
                </div>
                <div class="field">
                    <label for="source">{t.admin_import_source}</label>
                    <input id="source" name="source" value="hsds" aria-describedby="source-hint" />
                    <p class="hint" id="source-hint">{t.admin_import_source_hint}</p>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="skip_invalid" name="skip_invalid" />
                    <label for="skip_invalid">{t.admin_import_skip_invalid}</label>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="dry_run" name="dry_run" />
                    <label for="dry_run">{t.admin_import_dry_run}</label>
                </div>
                <button type="submit">{t.admin_import_submit}</button>
            </form>
            <Transition fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match recent.await {
                        Ok(list) if list.is_empty() => ().into_any(),
                        Ok(list) => view! {
                            <h3>{t.admin_import_recent}</h3>
                            <ul>
                                {list.into_iter().map(|i| view! {
                                    <li>
                                        <a href=format!("/admin/imports/{}", i.id)>{started_line(&i, t)}</a>
                                        " " {i.summary.map(|s| summary_line(&s, t))}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

fn started_line(i: &ImportView, t: &'static Strings) -> String {
    fill(
        t.import_line,
        &[
            ("file", &i.file_name),
            ("source", &i.source),
            ("who", &i.started_by),
            ("when", &format_utc(i.started_at)),
        ],
    )
}

fn summary_line(s: &crate::model::directory::plan::ImportSummary, t: &'static Strings) -> String {
    fill(
        t.import_summary,
        &[
            ("created", &s.created.to_string()),
            ("updated", &s.updated.to_string()),
            ("unchanged", &s.unchanged.to_string()),
            ("archived", &s.archived.to_string()),
            ("skipped", &s.skipped.to_string()),
        ],
    )
}

/// `/admin/imports/:id`.
#[component]
pub fn DirectoryImportPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
    });
    let import = Resource::new(move || id.get(), directory_import);
    let t = use_strings();
    view! {
        <Title text=page_title(t.import_title) />
        <p><a href="/admin">{t.import_back}</a></p>
        <h1>{t.import_title}</h1>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match import.await {
                    Ok(i) => report(i, t).into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

fn report(i: ImportView, t: &'static Strings) -> impl IntoView {
    let progress = match (i.finished, i.progress) {
        (true, _) => None,
        (false, Some((_, 0))) => Some(t.import_reading.to_string()),
        (false, Some((done, total))) => Some(fill(
            t.import_writing,
            &[("done", &done.to_string()), ("total", &total.to_string())],
        )),
        (false, None) => Some(t.import_running_elsewhere.to_string()),
    };
    let outcome = match (&i.failure, &i.refused, i.written) {
        (Some(reason), _, _) => Some(fill(t.import_failed, &[("reason", reason)])),
        (None, Some(reason), _) => Some(fill(t.import_not_written, &[("reason", reason)])),
        (None, None, true) => Some(t.import_written.to_string()),
        _ => None,
    };
    let (count, shown) = (i.problem_count, i.problems.len());
    view! {
        <p>{started_line(&i, t)}</p>
        // No self-refreshing page (it would interrupt a screen reader, WCAG 2.2.1): a link
        // to look again, which works without JavaScript.
        {progress.map(|p| view! {
            <p role="status" class="notice">{p}</p>
            <p><a href=format!("/admin/imports/{}", i.id)>{t.import_check_again}</a></p>
        })}
        {i.summary.filter(|_| i.finished).map(|s| view! { <p>{summary_line(&s, t)}</p> })}
        {outcome.map(|o| view! { <p role="status" class="notice">{o}</p> })}
        {(count > 0).then(|| view! {
            <h2>{fill(t.import_problems, &[("count", &count.to_string())])}</h2>
            {(shown < count).then(|| view! { <p>{fill(t.import_problems_more, &[("shown", &shown.to_string())])}</p> })}
            <ol class="problems">
                {i.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ol>
        })}
        {(!i.skipped.is_empty()).then(|| view! {
            <h2>{t.import_skipped}</h2>
            <p class="description">{i.skipped.join("\n")}</p>
        })}
    }
}
