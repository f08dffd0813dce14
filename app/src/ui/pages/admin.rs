//! Site administration: pending program claims and the email outbox.

use super::error_view;
use crate::api::claims::{DecideClaim, pending_claims};
use crate::api::outbox::{OutboxEntry, RetryEmail, outbox_overview};
use crate::model::time::format_utc;
use crate::ui::components::form::{FormAlert, form_error};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Admin() -> impl IntoView {
    let decide = ServerAction::<DecideClaim>::new();
    let claims = Resource::new(move || decide.version().get(), |_| pending_claims());
    let error = form_error(decide);
    view! {
        <Title text="Administration · Handoff" />
        <h1>"Pending claims"</h1>
        <FormAlert error />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match claims.await {
                    Ok(list) if list.is_empty() => view! { <p>"No claims are waiting."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|c| view! {
                                <li class="card">
                                    <h2>{c.program.clone()}</h2>
                                    <p>{format!("{} ({}) asked on {}", c.claimant, c.claimant_email, format_utc(c.created_at))}</p>
                                    <ActionForm action=decide attr:class="inline">
                                        <input type="hidden" name="claim" value=c.id />
                                        <button type="submit" name="decision" value="approve">"Approve"</button>
                                        " "
                                        <button type="submit" name="decision" value="reject" class="secondary">"Reject"</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
        <Outbox />
    }
}

#[component]
fn Outbox() -> impl IntoView {
    let retry = ServerAction::<RetryEmail>::new();
    let overview = Resource::new(move || retry.version().get(), |_| outbox_overview());
    let error = form_error(retry);
    view! {
        <h2 id="outbox">"Email outbox"</h2>
        <FormAlert error />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <p class="outbox-counts">
                            {format!("{} waiting · {} sent · {} failed", o.pending, o.sent, o.failed)}
                        </p>
                        <h3>"Failed"</h3>
                        {if o.failed_emails.is_empty() {
                            view! { <p>"No failed emails."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards outbox-failed">
                                    {o.failed_emails.into_iter().map(|e| view! {
                                        <li class="card">
                                            <EntrySummary e=e.clone() />
                                            <p class="field-error">{e.last_error.clone().unwrap_or_default()}</p>
                                            <ActionForm action=retry attr:class="inline">
                                                <input type="hidden" name="id" value=e.id />
                                                <button type="submit">{format!("Retry email {}", e.id)}</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h3>"Waiting"</h3>
                        {if o.pending_emails.is_empty() {
                            view! { <p>"Nothing is waiting."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards outbox-pending">
                                    {o.pending_emails.into_iter().map(|e| view! {
                                        <li class="card">
                                            <EntrySummary e=e.clone() />
                                            {e.last_error.clone().map(|err| view! {
                                                <p>{format!("Last try failed: {err}. Next try {}.", format_utc(e.next_attempt_at))}</p>
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
    view! {
        <p>
            <strong>{e.kind.replace('_', " ")}</strong>
            {format!(" to {} · queued {} · {} tries", e.recipient, format_utc(e.created_at), e.attempts)}
        </p>
    }
}
