//! A program's public page, with the Connect button; and the "referral sent" page.

use super::error_view;
use crate::api::claims::{ClaimProgram, InviteStaff};
use crate::api::programs::get_program;
use crate::ui::components::form::{Field, FormAlert, form_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

pub fn program_id() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse().ok()).unwrap_or(0)))
}

#[component]
pub fn ProgramPage() -> impl IntoView {
    let id = program_id();
    let claim = ServerAction::<ClaimProgram>::new();
    let invite = ServerAction::<InviteStaff>::new();
    let claim_error = form_error(claim);
    let invite_error = form_error(invite);
    let program = Resource::new(
        move || (id.get(), claim.version().get()),
        |(id, _)| get_program(id),
    );
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match program.await {
                    Ok(p) => view! {
                        <Title text=format!("{} · Handoff", p.name) />
                        <h1>{p.name.clone()}</h1>
                        <p class="org">{p.organization.clone()}</p>
                        <p>{p.description.clone()}</p>
                        <p class="actions">
                            <a class="button" href=format!("/programs/{}/connect", p.id)>"Connect"</a>
                        </p>
                        <dl class="facts">
                            <dt>"Address"</dt><dd>{format!("{}, {} {}", p.address, p.city, p.zip)}</dd>
                            <dt>"Serves"</dt><dd>{p.service_area.clone()}</dd>
                            <dt>"Hours"</dt><dd>{p.hours.clone()}</dd>
                            <dt>"Categories"</dt><dd>{p.categories.join(", ")}</dd>
                            <dt>"Languages"</dt><dd>{p.languages.join(", ")}</dd>
                            <dt>"Phone"</dt><dd>{p.contact_phone.clone().unwrap_or_else(|| "—".into())}</dd>
                            <dt>"Email"</dt><dd>{p.contact_email.clone().unwrap_or_else(|| "—".into())}</dd>
                        </dl>
                        {(!p.claimed).then(|| view! {
                            <p class="note">"This listing is not yet managed by the program. Referrals are sent to its listed email."</p>
                        })}
                        {p.i_can_claim.then(|| view! {
                            <section aria-labelledby="claim-heading">
                                <h2 id="claim-heading">"Work here?"</h2>
                                <p>"Claim this program to manage its referrals. We email its listed address to confirm, or a site administrator approves."</p>
                                <ActionForm action=claim>
                                    <FormAlert error=claim_error />
                                    <input type="hidden" name="program" value=p.id />
                                    <button type="submit" class="secondary">"Claim this program"</button>
                                </ActionForm>
                                {move || (claim.value().get().is_some_and(|r| r.is_ok())).then(|| view! {
                                    <p role="status">"Thanks. We sent a confirmation link to the program's listed email."</p>
                                })}
                            </section>
                        })}
                        {p.i_am_staff.then(|| view! {
                            <section aria-labelledby="staff-heading">
                                <h2 id="staff-heading">"Invite a colleague"</h2>
                                <ActionForm action=invite attr:class="stack">
                                    <FormAlert error=invite_error />
                                    <input type="hidden" name="program" value=p.id />
                                    <Field label="Colleague's email" name="email" kind="email" error=invite_error />
                                    <button type="submit">"Invite to staff"</button>
                                </ActionForm>
                                {move || (invite.value().get().is_some_and(|r| r.is_ok())).then(|| view! {
                                    <p role="status">"Invitation sent."</p>
                                })}
                            </section>
                        })}
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn ReferralSent() -> impl IntoView {
    let id = program_id();
    view! {
        <Title text="Referral sent · Handoff" />
        <h1>"Referral sent"</h1>
        <p>"The program has your referral. They will reach out the way you asked."</p>
        <p>"Want to follow it? Sign up with the same email to see its status any time."</p>
        <p class="actions">
            <a class="button" href="/signup">"Sign up"</a>
            <a class="button secondary" href=move || format!("/programs/{}", id.get())>"Back to the program"</a>
        </p>
    }
}
