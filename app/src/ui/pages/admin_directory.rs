//! The site administrator's directory: organisations (find, add, edit, archive, add a
//! program) and the queue of suggested edits.

use super::error_view;
use crate::api::listings::{DecideSuggestion, SuggestionView, pending_suggestions};
use crate::api::organizations::{
    AddProgram, ArchiveOrganization, OrganizationView, SaveOrganization, find_organizations,
    organization_details,
};
use crate::i18n::{Strings, fill};
use crate::model::OrganizationId;
use crate::model::directory::edit::ListingField;
use crate::model::time::format_utc;
use crate::ui::components::form::{Field, FormAlert, TextArea, form_error, form_succeeded};
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn AdminOrganizations() -> impl IntoView {
    let query = use_query_map();
    let name = Memo::new(move |_| query.with(|q| q.get("name").unwrap_or_default()));
    let found = Resource::new(move || name.get(), find_organizations);
    let create = ServerAction::<SaveOrganization>::new();
    let error = form_error(create);
    let t = use_strings();
    view! {
        <Title text=page_title(t.admin_orgs_title) />
        <h1>{t.admin_orgs_title}</h1>
        <form method="get" action="/admin/organizations" class="inline" role="search">
            <label for="org-name">{t.admin_orgs_search}</label>" "
            <input id="org-name" name="name" type="search" value=move || name.get() />" "
            <button type="submit">{t.admin_orgs_find}</button>
        </form>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(list) if list.is_empty() => view! { <p>{t.admin_orgs_none}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="organizations">
                            {list.into_iter().map(|o| view! {
                                <li>
                                    <a href=format!("/admin/organizations/{}", o.id)>{o.name.clone()}</a>
                                    " · "{fill(t.admin_org_programs_count, &[("count", &o.programs.to_string())])}
                                    {o.source.clone().map(|s| view! { " · "{fill(t.admin_org_from_feed, &[("source", &s)])} })}
                                    {o.archived.then(|| view! { " · "<span class="badge">{t.admin_org_archived}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
        <section aria-labelledby="new-org-heading">
            <h2 id="new-org-heading">{t.admin_org_new_heading}</h2>
            <ActionForm action=create attr:class="stack" attr:novalidate=true>
                <FormAlert error />
                <input type="hidden" name="id" value="0" />
                <OrganizationFields details=None error />
                <button type="submit">{t.admin_org_create}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn OrganizationFields(
    details: Option<OrganizationView>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let t = use_strings();
    let (name, description, email, url) = details.map_or_else(Default::default, |d| {
        (d.summary.name, d.description, d.email, d.url)
    });
    view! {
        <Field label=t.org_name name="name" value=name error />
        <TextArea label=t.org_description name="description" value=description error />
        <Field label=t.email name="email" kind="email" value=email error />
        <Field label=t.program_website name="url" kind="url" value=url error />
    }
}

#[component]
pub fn AdminOrganizationPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|s| s.parse().ok())
                .unwrap_or(OrganizationId(0))
        })
    });
    let save = ServerAction::<SaveOrganization>::new();
    let archive = ServerAction::<ArchiveOrganization>::new();
    let add = ServerAction::<AddProgram>::new();
    let details = Resource::new(
        move || (id.get(), save.version().get(), archive.version().get()),
        |(id, ..)| organization_details(id),
    );
    let (save_error, archive_error, add_error) =
        (form_error(save), form_error(archive), form_error(add));
    let saved = form_succeeded(save);
    let t = use_strings();
    view! {
        <Title text=page_title(t.admin_orgs_title) />
        <p><a href="/admin/organizations">{t.admin_orgs_title}</a></p>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(d) => {
                        let o = d.summary.clone();
                        let for_form = d.clone();
                        view! {
                            <Title text=page_title(&o.name) />
                            <h1>{o.name.clone()}</h1>
                            <section aria-labelledby="org-details-heading">
                                <h2 id="org-details-heading">{t.admin_org_details}</h2>
                                {match o.source.clone() {
                                    Some(source) => view! {
                                        <p class="note">{fill(t.admin_org_feed_note, &[("source", &source)])}</p>
                                    }.into_any(),
                                    None => view! {
                                        <ActionForm action=save attr:class="stack" attr:novalidate=true>
                                            <FormAlert error=save_error />
                                            <input type="hidden" name="id" value=o.id />
                                            <OrganizationFields details=Some(for_form) error=save_error />
                                            <button type="submit">{t.admin_org_save}</button>
                                        </ActionForm>
                                        <p role="status" aria-live="polite">{move || saved.get().then_some(t.admin_org_saved)}</p>
                                    }.into_any(),
                                }}
                            </section>
                            <section aria-labelledby="org-programs-heading">
                                <h2 id="org-programs-heading">{t.admin_org_programs_heading}</h2>
                                {if d.programs.is_empty() {
                                    view! { <p>{t.admin_org_no_programs}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul>
                                            {d.programs.iter().map(|(id, name, archived)| view! {
                                                <li>
                                                    <a href=format!("/programs/{id}/edit")>{name.clone()}</a>
                                                    {archived.then(|| view! { " · "<span class="badge">{t.admin_org_archived}</span> })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                {(!o.archived).then(|| view! {
                                    <h3>{t.admin_org_add_program}</h3>
                                    <ActionForm action=add attr:class="stack" attr:novalidate=true>
                                        <FormAlert error=add_error />
                                        <input type="hidden" name="organization" value=o.id />
                                        <Field label=t.listing_name name="name" error=add_error />
                                        <button type="submit">{t.admin_program_create}</button>
                                    </ActionForm>
                                })}
                            </section>
                            <section aria-labelledby="org-archive-heading">
                                <h2 id="org-archive-heading">{t.edit_archive_heading}</h2>
                                <p>{t.admin_org_archive_body}</p>
                                <ActionForm action=archive attr:class="inline">
                                    <FormAlert error=archive_error />
                                    <input type="hidden" name="id" value=o.id />
                                    {if o.archived {
                                        view! { <button type="submit" name="action" value="restore" class="secondary">{t.admin_org_restore}</button> }.into_any()
                                    } else {
                                        view! { <button type="submit" name="action" value="archive" class="secondary">{t.admin_org_archive}</button> }.into_any()
                                    }}
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AdminSuggestions() -> impl IntoView {
    let decide = ServerAction::<DecideSuggestion>::new();
    let queue = Resource::new(move || decide.version().get(), |_| pending_suggestions());
    let error = form_error(decide);
    let t = use_strings();
    view! {
        <Title text=page_title(t.admin_suggestions_title) />
        <h1>{t.admin_suggestions_title}</h1>
        <FormAlert error />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(list) if list.is_empty() => view! { <p>{t.admin_no_suggestions}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards suggestions">
                            {list.into_iter().map(|s| suggestion_card(s, decide, t)).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

fn suggestion_card(
    s: SuggestionView,
    decide: ServerAction<DecideSuggestion>,
    t: &'static Strings,
) -> impl IntoView {
    let who =
        s.by.clone()
            .unwrap_or_else(|| t.someone_anonymous.to_string());
    let label = |code: &str| {
        code.parse::<ListingField>()
            .map_or_else(|_| code.to_string(), |f| t.get(f.label()).to_string())
    };
    let shown = |v: &str| {
        if v.is_empty() {
            t.value_empty.to_string()
        } else {
            v.to_string()
        }
    };
    view! {
        <li class="card">
            <h2><a href=format!("/programs/{}", s.program)>{s.program_name.clone()}</a></h2>
            <p>{fill(t.admin_suggestion_line, &[("who", &who), ("when", &format_utc(s.at))])}</p>
            {(!s.comment.is_empty()).then(|| view! { <p class="description">{s.comment.clone()}</p> })}
            {(!s.changes.is_empty()).then(|| view! {
                <table>
                    <thead><tr>
                        <th scope="col">{t.admin_suggestion_field}</th>
                        <th scope="col">{t.admin_suggestion_now}</th>
                        <th scope="col">{t.admin_suggestion_proposed}</th>
                    </tr></thead>
                    <tbody>
                        {s.changes.iter().map(|c| view! {
                            <tr>
                                <th scope="row">{label(&c.field)}</th>
                                <td class="description">{shown(&c.before)}</td>
                                <td class="description">{shown(&c.after)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <ActionForm action=decide attr:class="inline">
                <input type="hidden" name="suggestion" value=s.id />
                <button type="submit" name="decision" value="accept">{t.admin_accept}</button>
                " "
                <button type="submit" name="decision" value="decline" class="secondary">{t.admin_decline}</button>
            </ActionForm>
        </li>
    }
}
