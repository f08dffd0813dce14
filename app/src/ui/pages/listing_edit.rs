//! A program's listing edited by its staff or a site administrator (`/programs/:id/edit`),
//! and an edit suggested by anyone (`/programs/:id/suggest`). Administrators also see the
//! listing's history and may archive it. Both forms work without JavaScript.

use super::error_view;
use super::program::program_id;
use crate::api::listings::{
    ArchiveProgram, FieldValue, HistoryEntry, ListingFormView, MarkListingReviewed, SaveListing,
    SuggestEdit, listing_editor, listing_history, suggestion_form,
};
use crate::error::AppError;
use crate::i18n::{Strings, fill};
use crate::model::capacity::Capacity;
use crate::model::directory::ServiceStatus;
use crate::model::directory::edit::{FieldChange, ListingField, Shape};
use crate::model::time::format_utc;
use crate::ui::components::form::{
    Field, FormAlert, TextArea, flashed_value, form_error, form_succeeded,
};
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn EditListingPage() -> impl IntoView {
    let id = program_id();
    let save = ServerAction::<SaveListing>::new();
    let reviewed = ServerAction::<MarkListingReviewed>::new();
    let archive = ServerAction::<ArchiveProgram>::new();
    let editor = Resource::new(
        move || {
            (
                id.get(),
                save.version().get(),
                reviewed.version().get(),
                archive.version().get(),
            )
        },
        |(id, ..)| listing_editor(id),
    );
    let error = form_error(save);
    let saved = form_succeeded(save);
    let t = use_strings();
    view! {
        <Title text=page_title(t.edit_title) />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Ok(e) => {
                        let fields = with_flashed::<SaveListing>(e.fields.clone());
                        view! {
                        <h1>{t.edit_title}": "{e.name.clone()}</h1>
                        <p><a href=format!("/programs/{}", e.program)>{t.edit_back}</a></p>
                        {(!e.is_admin).then(|| view! { <p>{t.edit_intro_staff}</p> })}
                        {e.source.clone().map(|s| view! {
                            <p class="note">{fill(t.edit_from_feed, &[("source", &s)])}</p>
                        })}
                        <ActionForm action=save attr:class="stack" attr:novalidate=true>
                            <FormAlert error />
                            <input type="hidden" name="program" value=e.program />
                            <input type="hidden" name="version" value=e.version />
                            <ListingFields fields error />
                            <button type="submit">{t.edit_save}</button>
                        </ActionForm>
                        <p role="status" aria-live="polite">{move || saved.get().then_some(t.edit_saved)}</p>
                        <Reviewed program=e.program action=reviewed />
                        {e.is_admin.then(|| view! {
                            <Archive program=e.program archived=e.archived action=archive />
                            <History program=e.program />
                        })}
                    }.into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn SuggestEditPage() -> impl IntoView {
    let id = program_id();
    let suggest = ServerAction::<SuggestEdit>::new();
    let form = Resource::new(move || id.get(), suggestion_form);
    let error = form_error(suggest);
    let sent = form_succeeded(suggest);
    let t = use_strings();
    view! {
        <Title text=page_title(t.suggest_title) />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(e) => {
                        let (name, program) = (e.name.clone(), e.program);
                        view! {
                            <h1>{t.suggest_title}": "{name}</h1>
                            <p><a href=format!("/programs/{program}")>{t.edit_back}</a></p>
                            <p>{t.suggest_intro}</p>
                            {move || if sent.get() {
                                view! { <p role="status">{t.suggest_sent}</p> }.into_any()
                            } else {
                                suggestion_form_view(&e, suggest, error, t).into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

fn suggestion_form_view(
    e: &ListingFormView,
    suggest: ServerAction<SuggestEdit>,
    error: Signal<Option<AppError>>,
    t: &'static Strings,
) -> impl IntoView + use<> {
    let comment = flashed_value::<SuggestEdit>("comment");
    let fields = with_flashed::<SuggestEdit>(e.fields.clone());
    let program = e.program;
    view! {
        <ActionForm action=suggest attr:class="stack" attr:novalidate=true>
            <FormAlert error />
            <input type="hidden" name="program" value=program />
            <TextArea label=t.suggest_comment name="comment" value=comment.unwrap_or_default() error rows=3 />
            <ListingFields fields error />
            <button type="submit">{t.suggest_send}</button>
        </ActionForm>
    }
}

/// After a post without JavaScript bounced back, the values typed instead of the stored.
fn with_flashed<F: ServerFn>(fields: Vec<FieldValue>) -> Vec<FieldValue> {
    fields
        .into_iter()
        .map(|f| FieldValue {
            value: flashed_value::<F>(f.field.as_str()).unwrap_or(f.value),
            field: f.field,
        })
        .collect()
}

/// A listing's fields as form inputs, each named by its field's code.
#[component]
fn ListingFields(fields: Vec<FieldValue>, error: Signal<Option<AppError>>) -> impl IntoView {
    let t = use_strings();
    fields
        .into_iter()
        .map(|FieldValue { field, value }| {
            let (label, name) = (t.get(field.label()), field.as_str());
            match field.shape() {
                Shape::Line => {
                    let kind = match field {
                        ListingField::Email => "email",
                        ListingField::Phone => "tel",
                        ListingField::Url => "url",
                        _ => "text",
                    };
                    view! { <Field label name kind value error /> }.into_any()
                }
                Shape::Text => view! { <TextArea label name value error /> }.into_any(),
                Shape::List => view! {
                    <TextArea label name value error hint=t.listing_list_hint rows=3 />
                }
                .into_any(),
                Shape::Status => view! {
                    <div class="field">
                        <label for="field-status">{label}</label>
                        <select id="field-status" name="status">
                            {ServiceStatus::ALL.into_iter().map(|s| view! {
                                <option value=s.as_str() selected=s.as_str() == value>{t.get(s.label())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }
                .into_any(),
            }
        })
        .collect_view()
}

#[component]
fn Reviewed(
    program: crate::model::ProgramId,
    action: ServerAction<MarkListingReviewed>,
) -> impl IntoView {
    let error = form_error(action);
    let done = form_succeeded(action);
    let t = use_strings();
    view! {
        <section aria-labelledby="reviewed-heading">
            <h2 id="reviewed-heading">{t.edit_reviewed_heading}</h2>
            <p>{t.edit_reviewed_body}</p>
            <ActionForm action attr:class="inline">
                <FormAlert error />
                <input type="hidden" name="program" value=program />
                <button type="submit" class="secondary">{t.edit_mark_reviewed}</button>
            </ActionForm>
            <p role="status" aria-live="polite">{move || done.get().then_some(t.edit_marked_reviewed)}</p>
        </section>
    }
}

#[component]
fn Archive(
    program: crate::model::ProgramId,
    archived: bool,
    action: ServerAction<ArchiveProgram>,
) -> impl IntoView {
    let error = form_error(action);
    let t = use_strings();
    let (value, label) = if archived {
        ("restore", t.edit_restore)
    } else {
        ("archive", t.edit_archive)
    };
    view! {
        <section aria-labelledby="archive-heading">
            <h2 id="archive-heading">{t.edit_archive_heading}</h2>
            {archived.then(|| view! { <p class="notice" role="note">{t.program_archived}</p> })}
            <p>{t.edit_archive_body}</p>
            <ActionForm action attr:class="inline">
                <FormAlert error />
                <input type="hidden" name="program" value=program />
                <button type="submit" name="action" value=value class="secondary">{label}</button>
            </ActionForm>
        </section>
    }
}

/// The listing's history, newest first (site administrators only; the server checks).
#[component]
fn History(program: crate::model::ProgramId) -> impl IntoView {
    let history = Resource::new(move || program, listing_history);
    let t = use_strings();
    view! {
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">{t.history_heading}</h2>
            <Transition fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(list) if list.is_empty() => view! { <p>{t.history_empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <ol class="history listing-history">
                                {list.into_iter().map(|e| history_item(e, t)).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

fn history_item(e: HistoryEntry, t: &'static Strings) -> impl IntoView {
    let mut who = Vec::new();
    if let Some(by) = &e.by {
        who.push(fill(t.history_by, &[("who", by)]));
    }
    if let Some(feed) = &e.feed {
        who.push(fill(t.history_by_feed, &[("source", feed)]));
    }
    if let Some(suggester) = &e.suggested_by {
        let name = suggester.as_deref().unwrap_or(t.someone_anonymous);
        who.push(fill(t.history_suggested_by, &[("who", name)]));
    }
    view! {
        <li>
            <p>
                <strong>{t.get(e.kind.label())}</strong>" "{who.join(", ")}" · "
                <time>{format_utc(e.at)}</time>
            </p>
            {(!e.changes.is_empty()).then(|| view! {
                <ul>{e.changes.iter().map(|c| view! { <li>{change_line(c, t)}</li> }).collect_view()}</ul>
            })}
        </li>
    }
}

/// "Hours: “Mon 9–5” → “Tue 10–12”", with codes shown as their words.
pub fn change_line(c: &FieldChange, t: &'static Strings) -> String {
    let label = match c.field.as_str() {
        "capacity" => t.program_capacity,
        "capacity_note" => t.program_capacity_note,
        code => code
            .parse::<ListingField>()
            .map_or(code, |f| t.get(f.label())),
    };
    let word = |v: &str| -> String {
        if v.is_empty() {
            return t.value_empty.to_string();
        }
        let coded = match c.field.as_str() {
            "status" => v.parse::<ServiceStatus>().ok().map(|s| t.get(s.label())),
            "capacity" => v.parse::<Capacity>().ok().map(|s| t.get(s.label())),
            _ => None,
        };
        coded.map_or_else(|| v.to_string(), str::to_string)
    };
    fill(
        t.history_change,
        &[
            ("field", label),
            ("before", &word(&c.before)),
            ("after", &word(&c.after)),
        ],
    )
}
