//! Site administration: pending program claims and the email outbox.

use super::error_view;
use crate::api::claims::{DecideClaim, DisableAccount, pending_claims};
use crate::api::erasure::ErasePerson;
use crate::api::outbox::{OutboxEntry, RetryEmail, outbox_overview};
use crate::i18n::fill;
use crate::model::time::format_utc;
use crate::ui::components::form::{Field, FormAlert, form_error, form_succeeded};
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Admin() -> impl IntoView {
    let decide = ServerAction::<DecideClaim>::new();
    let claims = Resource::new(move || decide.version().get(), |_| pending_claims());
    let error = form_error(decide);
    let t = use_strings();
    view! {
        <Title text=page_title(t.admin_title) />
        <ul class="admin-links">
            <li><a href="/admin/groups">{t.admin_groups_link}</a></li>
            <li><a href="/admin/organizations">{t.admin_directory_link}</a></li>
            <li><a href="/admin/suggestions">{t.admin_suggestions_link}</a></li>
            <li><a href="/admin/exports">{t.exports_title}</a></li>
            <li><a href="/admin/audit">{t.audit_title}</a></li>
        </ul>
        <h1>{t.admin_claims}</h1>
        <FormAlert error />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match claims.await {
                    Ok(list) if list.is_empty() => view! { <p>{t.admin_no_claims}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|c| view! {
                                <li class="card">
                                    <h2>{c.program.clone()}</h2>
                                    <p>{fill(t.admin_claim_line, &[("who", &c.claimant), ("email", &c.claimant_email), ("when", &format_utc(c.created_at))])}</p>
                                    <ActionForm action=decide attr:class="inline">
                                        <input type="hidden" name="claim" value=c.id />
                                        <button type="submit" name="decision" value="approve">{t.admin_approve}</button>
                                        " "
                                        <button type="submit" name="decision" value="reject" class="secondary">{t.admin_reject}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
        <super::admin_imports::ImportDirectory />
        <Outbox />
        <DisableAccountForm />
        <ErasePersonForm />
    }
}

#[component]
fn ErasePersonForm() -> impl IntoView {
    let action = ServerAction::<ErasePerson>::new();
    let error = form_error(action);
    let done = form_succeeded(action);
    let confirm_message = crate::ui::components::form::field_message(error, "confirm");
    let t = use_strings();
    view! {
        <section aria-labelledby="erase-heading">
            <h2 id="erase-heading">{t.admin_erase_heading}</h2>
            <p>{t.admin_erase_body}</p>
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <FormAlert error />
                <Field label=t.admin_erase_person name="person" error />
                <div class="field">
                    <label>
                        <input type="checkbox" name="confirm" id="field-confirm"
                            aria-invalid=move || confirm_message.get().map(|_| "true")
                            aria-describedby="field-confirm-error" />
                        " " {t.admin_erase_confirm}
                    </label>
                    <p class="field-error" id="field-confirm-error" aria-live="polite">{move || confirm_message.get()}</p>
                </div>
                <button type="submit" class="secondary">{t.admin_erase}</button>
            </ActionForm>
            <p role="status" aria-live="polite">{move || done.get().then_some(t.admin_erased)}</p>
        </section>
    }
}

#[component]
fn DisableAccountForm() -> impl IntoView {
    let action = ServerAction::<DisableAccount>::new();
    let error = form_error(action);
    let done = form_succeeded(action);
    let t = use_strings();
    view! {
        <section aria-labelledby="disable-heading">
            <h2 id="disable-heading">{t.admin_disable_heading}</h2>
            <p>{t.admin_disable_body}</p>
            <ActionForm action attr:class="stack" attr:novalidate=true>
                <FormAlert error />
                <Field label=t.field_email name="email" kind="email" error />
                <button type="submit" class="secondary">{t.admin_disable}</button>
            </ActionForm>
            <p role="status" aria-live="polite">{move || done.get().then_some(t.admin_disabled)}</p>
        </section>
    }
}

#[component]
fn Outbox() -> impl IntoView {
    let retry = ServerAction::<RetryEmail>::new();
    let overview = Resource::new(move || retry.version().get(), |_| outbox_overview());
    let error = form_error(retry);
    let t = use_strings();
    view! {
        <h2 id="outbox">{t.admin_outbox}</h2>
        <FormAlert error />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <p class="outbox-counts">
                            {fill(t.admin_outbox_counts, &[
                                ("pending", &o.pending.to_string()),
                                ("sent", &o.sent.to_string()),
                                ("failed", &o.failed.to_string()),
                            ])}
                        </p>
                        <h3>{t.admin_failed}</h3>
                        {if o.failed_emails.is_empty() {
                            view! { <p>{t.admin_no_failed}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards outbox-failed">
                                    {o.failed_emails.into_iter().map(|e| view! {
                                        <li class="card">
                                            <EntrySummary e=e.clone() />
                                            <p class="field-error">{e.last_error.clone().unwrap_or_default()}</p>
                                            <ActionForm action=retry attr:class="inline">
                                                <input type="hidden" name="id" value=e.id />
                                                <button type="submit">{fill(t.admin_retry, &[("id", &e.id.to_string())])}</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h3>{t.admin_waiting}</h3>
                        {if o.pending_emails.is_empty() {
                            view! { <p>{t.admin_none_waiting}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards outbox-pending">
                                    {o.pending_emails.into_iter().map(|e| view! {
                                        <li class="card">
                                            <EntrySummary e=e.clone() />
                                            {e.last_error.clone().map(|err| view! {
                                                <p>{fill(t.admin_last_try, &[("error", &err), ("when", &format_utc(e.next_attempt_at))])}</p>
                                            })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn EntrySummary(e: OutboxEntry) -> impl IntoView {
    let t = use_strings();
    view! {
        <p>
            // The kind's code names the email exactly, for an administrator to look up.
            <strong>{e.kind.replace('_', " ")}</strong>
            {fill(t.admin_email_line, &[
                ("to", &e.recipient),
                ("when", &format_utc(e.created_at)),
                ("attempts", &e.attempts.to_string()),
            ])}
        </p>
    }
}
