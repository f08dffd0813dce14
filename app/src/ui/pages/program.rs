//! A program's public page, with the Connect button; and the "referral sent" page.

use super::error_view;
use crate::api::claims::{ClaimProgram, InviteStaff, RemoveStaff, program_staff};
use crate::api::programs::get_program;
use crate::api::programs::{SetCapacity, SetResponseDays};
use crate::api::views::ProgramDetails;
use crate::i18n::{Strings, fill};
use crate::model::ProgramId;
use crate::model::capacity::Capacity;
use crate::model::directory::ServiceStatus;
use crate::model::time::format_date;
use crate::ui::components::form::{Field, FormAlert, form_error, form_succeeded};
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

pub fn program_id() -> Memo<ProgramId> {
    let params = use_params_map();
    Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|s| s.parse().ok())
                .unwrap_or(ProgramId(0))
        })
    })
}

#[component]
pub fn ProgramPage() -> impl IntoView {
    let id = program_id();
    let claim = ServerAction::<ClaimProgram>::new();
    let invite = ServerAction::<InviteStaff>::new();
    let claim_error = form_error(claim);
    let invite_error = form_error(invite);
    let (claim_done, invite_done) = (form_succeeded(claim), form_succeeded(invite));
    let program = Resource::new(
        move || (id.get(), claim.version().get()),
        |(id, _)| get_program(id),
    );
    let t = use_strings();
    view! {
        // Until (or unless) the program is loaded; see `PersonProfile`.
        <Title text=page_title(t.title_program) />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match program.await {
                    Ok(p) => view! {
                        <Title text=page_title(&p.name) />
                        <h1>{p.name.clone()}</h1>
                        <p class="org">{p.organization.clone()}</p>
                        {listing_notice(&p, t)}
                        <p class="description">{p.description.clone()}</p>
                        {p.takes_referrals.then(|| view! {
                            <p class="actions">
                                <a class="button" href=format!("/programs/{}/connect", p.id)>{t.program_connect}</a>
                            </p>
                        })}
                        <dl class="facts">
                            <dt>{t.program_capacity}</dt>
                            <dd>{t.get(p.capacity.label())} {(!p.capacity_note.is_empty()).then(|| format!("({})", p.capacity_note))}</dd>
                            <dt>{t.program_address}</dt><dd>{address_line(&p)}</dd>
                            <dt>{t.program_serves}</dt><dd>{p.service_area.clone()}</dd>
                            {(!p.eligibility.is_empty()).then(|| view! {
                                <dt>{t.program_eligibility}</dt><dd class="description">{p.eligibility.clone()}</dd>
                            })}
                            <dt>{t.program_hours}</dt><dd>{p.hours.clone()}</dd>
                            {(!p.url.is_empty()).then(|| view! {
                                // The importer keeps only http(s) addresses, so this cannot run script.
                                <dt>{t.program_website}</dt>
                                <dd><a href=p.url.clone() rel="noopener noreferrer nofollow">{p.url.clone()}</a></dd>
                            })}
                            <dt>{t.program_categories}</dt><dd>{p.categories.join(", ")}</dd>
                            <dt>{t.program_languages}</dt><dd>{p.languages.join(", ")}</dd>
                            <dt>{t.phone}</dt><dd>{p.contact_phone.clone().unwrap_or_else(|| "—".into())}</dd>
                            <dt>{t.email}</dt><dd>{p.contact_email.clone().unwrap_or_else(|| "—".into())}</dd>
                        </dl>
                        <p class="note">{fill(t.program_last_reviewed, &[("date", &format_date(p.last_reviewed))])}</p>
                        <p class="actions">
                            {p.i_can_edit.then(|| view! {
                                <a class="button secondary" href=format!("/programs/{}/edit", p.id)>{t.program_edit_link}</a>
                            })}
                            <a href=format!("/programs/{}/suggest", p.id)>{t.program_suggest_link}</a>
                        </p>
                        {(!p.claimed).then(|| view! {
                            <p class="note">{t.program_unclaimed}</p>
                        })}
                        {p.i_can_claim.then(|| view! {
                            <section aria-labelledby="claim-heading">
                                <h2 id="claim-heading">{t.program_work_here}</h2>
                                <p>{t.program_claim_intro}</p>
                                <ActionForm action=claim>
                                    <FormAlert error=claim_error />
                                    <input type="hidden" name="program" value=p.id />
                                    <button type="submit" class="secondary">{t.program_claim}</button>
                                </ActionForm>
                                {move || claim_done.get().then(|| view! {
                                    <p role="status">{t.program_claim_sent}</p>
                                })}
                            </section>
                        })}
                        {p.i_am_staff.then(|| view! { <CapacityForm program=p.id capacity=p.capacity note=p.capacity_note.clone() /> })}
                        {p.response_days.map(|(own, default)| view! { <ResponseDaysForm program=p.id own default /> })}
                        {p.i_am_staff.then(|| view! {
                            <section aria-labelledby="staff-heading">
                                <h2 id="staff-heading">{t.program_invite_heading}</h2>
                                <ActionForm action=invite attr:class="stack">
                                    <FormAlert error=invite_error />
                                    <input type="hidden" name="program" value=p.id />
                                    <Field label=t.program_colleague_email name="email" kind="email" error=invite_error />
                                    <button type="submit">{t.program_invite}</button>
                                </ActionForm>
                                {move || invite_done.get().then(|| view! {
                                    <p role="status">{t.program_invited}</p>
                                })}
                            </section>
                            <StaffList program=p.id />
                        })}
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

/// Staff say whether the program takes referrals now.
#[component]
fn CapacityForm(program: ProgramId, capacity: Capacity, note: String) -> impl IntoView {
    let action = ServerAction::<SetCapacity>::new();
    let error = form_error(action);
    let done = form_succeeded(action);
    let t = use_strings();
    view! {
        <section aria-labelledby="capacity-heading">
            <h2 id="capacity-heading">{t.program_capacity_heading}</h2>
            <ActionForm action=action attr:class="stack">
                <FormAlert error />
                <input type="hidden" name="program" value=program />
                <div class="field">
                    <label for="capacity">{t.program_capacity}</label>
                    <select id="capacity" name="capacity">
                        {Capacity::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=c == capacity>{t.get(c.label())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label=t.program_capacity_note name="capacity_note" value=note error />
                <button type="submit">{t.program_capacity_save}</button>
            </ActionForm>
            {move || done.get().then(|| view! { <p role="status">{t.program_capacity_saved}</p> })}
        </section>
    }
}

/// Staff set how many business days the program has to answer a new referral.
#[component]
fn ResponseDaysForm(program: ProgramId, own: Option<u32>, default: u32) -> impl IntoView {
    let action = ServerAction::<SetResponseDays>::new();
    let error = form_error(action);
    let done = form_succeeded(action);
    let t = use_strings();
    let hint = fill(t.response_days_hint, &[("days", &default.to_string())]);
    view! {
        <section aria-labelledby="response-heading">
            <h2 id="response-heading">{t.response_heading}</h2>
            <ActionForm action=action attr:class="stack">
                <FormAlert error />
                <input type="hidden" name="program" value=program />
                <Field label=t.response_days name="days" value=own.map(|d| d.to_string()).unwrap_or_default()
                    error hint=hint kind="number" />
                <button type="submit">{t.response_save}</button>
            </ActionForm>
            {move || done.get().then(|| view! { <p role="status">{t.response_saved}</p> })}
        </section>
    }
}

/// Why a program takes no referrals, if it does not.
fn listing_notice(p: &ProgramDetails, t: &'static Strings) -> Option<impl IntoView + use<>> {
    let text = if p.archived {
        t.program_archived
    } else if p.status == ServiceStatus::TemporarilyClosed {
        t.program_temporarily_closed
    } else if !p.takes_referrals {
        t.program_not_active
    } else {
        return None;
    };
    Some(view! { <p class="notice" role="note">{text}</p> })
}

/// "12 Main St, Springfield, OR 97477", leaving out the parts a listing lacks.
fn address_line(p: &ProgramDetails) -> String {
    let place = [p.state_province.as_str(), p.zip.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    [p.address.as_str(), p.city.as_str(), place.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The program's staff, each with a button that ends their access (for fellow staff).
#[component]
fn StaffList(program: ProgramId) -> impl IntoView {
    let remove = ServerAction::<RemoveStaff>::new();
    let error = form_error(remove);
    let staff = Resource::new(
        move || remove.version().get(),
        move |_| program_staff(program),
    );
    let t = use_strings();
    view! {
        <section aria-labelledby="staff-list-heading">
            <h2 id="staff-list-heading">{t.program_staff_heading}</h2>
            <FormAlert error />
            <Transition fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match staff.await {
                        Ok(members) => view! {
                            <ul class="members">
                                {members.into_iter().map(|m| {
                                    let label = fill(t.program_remove_staff, &[("name", &m.name)]);
                                    view! {
                                        <li>
                                            {format!("{} ({})", m.name, m.email)} " "
                                            <ActionForm action=remove attr:class="inline">
                                                <input type="hidden" name="program" value=program />
                                                <input type="hidden" name="member" value=m.user_id />
                                                <button type="submit" class="secondary">{label}</button>
                                            </ActionForm>
                                        </li>
                                    }
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

#[component]
pub fn ReferralSent() -> impl IntoView {
    let id = program_id();
    let t = use_strings();
    view! {
        <Title text=page_title(t.sent_title) />
        <h1>{t.sent_title}</h1>
        <p>{t.sent_body}</p>
        <p>{t.sent_follow}</p>
        <p class="actions">
            <a class="button" href="/signup">{t.sign_up}</a>
            <a class="button secondary" href=move || format!("/programs/{}", id.get())>{t.sent_back}</a>
        </p>
    }
}
