//! `/admin/audit`: the site administrator searches the audit trail (`model::audit`) by
//! person, referral, dates and event. A plain GET form: it works without JavaScript, and a
//! bad field comes back marked next to it.

use super::error_view;
use crate::api::audit::audit_log;
use crate::error::AppError;
use crate::model::audit::AuditEvent;
use crate::ui::components::form::field_message;
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminAudit() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let entries = Resource::new(
        move || {
            (
                param("person"),
                param("referral"),
                param("from"),
                param("to"),
                param("event"),
            )
        },
        |(person, referral, from, to, event)| audit_log(person, referral, from, to, event),
    );
    let t = use_strings();
    view! {
        <Title text=page_title(t.audit_title) />
        <h1>{t.audit_title}</h1>
        <p>{t.audit_intro}</p>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                let result = entries.await;
                let errors = Signal::stored(match &result {
                    Err(e @ AppError::Validation(_)) => Some(e.clone()),
                    _ => None,
                });
                let found = match result {
                    Ok(list) if list.is_empty() => view! { <p>{t.audit_none}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label=t.audit_title>
                        <table class="report-table">
                            <thead><tr>
                                <th scope="col">{t.audit_when}</th><th scope="col">{t.audit_what}</th>
                                <th scope="col">{t.audit_who}</th><th scope="col">{t.audit_about}</th>
                                <th scope="col">{t.audit_where}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|e| {
                                    let about = [
                                        e.referral.map(|r| format!("referral {r}")),
                                        e.subject.map(|u| format!("account {u}")),
                                        (!e.detail.is_empty()).then(|| e.detail.clone()),
                                    ]
                                    .into_iter()
                                    .flatten()
                                    .collect::<Vec<_>>()
                                    .join(", ");
                                    let who = match e.actor_id {
                                        Some(id) => format!("{} (account {id})", e.actor),
                                        None => e.actor.clone(),
                                    };
                                    view! {
                                        <tr>
                                            <td>{crate::model::time::format_utc(e.at)}</td>
                                            <td>{e.event}</td>
                                            <td>{who}</td>
                                            <td>{about}</td>
                                            <td><code>{e.place}</code></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                    Err(AppError::Validation(_)) => ().into_any(),
                    Err(e) => error_view(e),
                };
                view! { <AuditSearch errors param /> {found} }
            })}
        </Transition>
    }
}

#[component]
fn AuditSearch(
    errors: Signal<Option<AppError>>,
    param: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_strings();
    let field = move |name: &'static str, label: &'static str, kind: &'static str| {
        let message = field_message(errors, name);
        let (id, error_id) = (format!("audit-{name}"), format!("audit-{name}-error"));
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id name=name type=kind value=param(name)
                    aria-invalid=move || message.get().map(|_| "true")
                    aria-describedby=error_id.clone() />
                <p class="field-error" id=error_id aria-live="polite">{move || message.get()}</p>
            </div>
        }
    };
    let event_message = field_message(errors, "event");
    let chosen = param("event");
    view! {
        <form method="get" action="/admin/audit" class="search filters">
            {field("person", t.audit_person, "text")}
            {field("referral", t.audit_referral, "text")}
            {field("from", t.audit_from, "date")}
            {field("to", t.audit_to, "date")}
            <div class="field">
                <label for="audit-event">{t.audit_event}</label>
                <select id="audit-event" name="event" aria-describedby="audit-event-error">
                    <option value="">{t.audit_any_event}</option>
                    {AuditEvent::ALL.into_iter().map(|e| view! {
                        <option value=e.code() selected=chosen == e.code()>{e.code()}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" id="audit-event-error" aria-live="polite">{move || event_message.get()}</p>
            </div>
            <button type="submit">{t.audit_search}</button>
        </form>
    }
}
