//! The Connect form: refer yourself or (as a helper) someone else to a program.

use super::error_view;
use super::program::program_id;
use crate::api::connect::{SendReferral, connect_choices};
use crate::api::programs::get_program;
use crate::error::AppError;
use crate::model::ContactPreference;
use crate::ui::components::form::{Field, FormAlert, flashed_value, form_error};
use leptos::prelude::*;
use leptos_meta::Title;

/// Languages offered first; any BCP 47 tag is accepted by the server.
const LANGUAGES: [(&str, &str); 8] = [
    ("en", "English"),
    ("es", "Español (Spanish)"),
    ("vi", "Tiếng Việt (Vietnamese)"),
    ("zh", "中文 (Chinese)"),
    ("ar", "العربية (Arabic)"),
    ("fr", "Français (French)"),
    ("pt", "Português (Portuguese)"),
    ("so", "Soomaali (Somali)"),
];

fn message(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.get().and_then(|e| e.message_for(field)))
}

#[component]
fn FieldMessage(id: &'static str, message: Signal<Option<String>>) -> impl IntoView {
    view! { <p class="field-error" id=id>{move || message.get()}</p> }
}

#[component]
pub fn Connect() -> impl IntoView {
    let id = program_id();
    let program = Resource::new(move || id.get(), get_program);
    let choices = Resource::new(|| (), |_| connect_choices());
    let action = ServerAction::<SendReferral>::new();
    let error = form_error(action);
    let kept = |field: &str| flashed_value::<SendReferral>(field).unwrap_or_default();
    let (first, last, email, phone, comments) = (
        kept("first_name"),
        kept("last_name"),
        kept("email"),
        kept("phone"),
        kept("comments"),
    );
    let (kept_way, kept_language, kept_whom) =
        (kept("best_way"), kept("language"), kept("for_whom"));

    let way_msg = message(error, "best_way");
    let lang_msg = message(error, "language");
    let comments_msg = message(error, "comments");
    let consent_msg = message(error, "consent");
    let whom_msg = message(error, "for_whom");
    let group_msg = message(error, "group");

    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let (first, last, email, phone, comments) = (first.clone(), last.clone(), email.clone(), phone.clone(), comments.clone());
                let (kept_way, kept_language, kept_whom) = (kept_way.clone(), kept_language.clone(), kept_whom.clone());
                Suspend::new(async move {
                let (p, c) = match (program.await, choices.await) {
                    (Ok(p), Ok(c)) => (p, c),
                    (Err(e), _) | (_, Err(e)) => return error_view(e),
                };
                view! {
                    <Title text=format!("Connect to {} · Handoff", p.name) />
                    <h1>{format!("Connect to {}", p.name)}</h1>
                    <p class="org">{p.organization.clone()}</p>
                    <ActionForm action attr:class="stack" attr:novalidate=true>
                        <FormAlert error />
                        <input type="hidden" name="program" value=p.id />
                        {if c.is_helper {
                            view! {
                                <div class="field">
                                    <label for="for_whom">"Who is this referral for?"</label>
                                    <select id="for_whom" name="for_whom">
                                        <option value="new" selected=kept_whom.is_empty() || kept_whom == "new">"Someone new"</option>
                                        <option value="me" selected=kept_whom == "me">"Myself"</option>
                                        {c.people.iter().map(|(pid, name)| {
                                            let selected = kept_whom == pid.to_string();
                                            view! { <option value=pid.to_string() selected=selected>{name.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                    <FieldMessage id="for_whom-error" message=whom_msg />
                                </div>
                                {(c.groups.len() > 1).then(|| view! {
                                    <div class="field">
                                        <label for="group">"Referring for group"</label>
                                        <p class="hint" id="group-hint">"Team-mates in this group can follow the referral if its Team Navigation is on."</p>
                                        <select id="group" name="group" aria-describedby="group-hint group-error">
                                            <option value="">"Choose a group"</option>
                                            {c.groups.iter().map(|(gid, name)| view! { <option value=gid.to_string()>{name.clone()}</option> }).collect_view()}
                                        </select>
                                        <FieldMessage id="group-error" message=group_msg />
                                    </div>
                                })}
                            }.into_any()
                        } else {
                            view! { <input type="hidden" name="for_whom" value="me" /> }.into_any()
                        }}
                        <Field label="First name" name="first_name" autocomplete="given-name" error value=first />
                        <Field label="Last name" name="last_name" autocomplete="family-name" error value=last />
                        <Field label="Email" name="email" kind="email" autocomplete="email" error value=email />
                        <Field label="Phone" name="phone" kind="tel" autocomplete="tel" error value=phone />
                        <div class="field">
                            <label for="best_way">"Best way to reach"</label>
                            <select id="best_way" name="best_way" aria-describedby="best_way-error">
                                {ContactPreference::ALL.into_iter().map(|w| {
                                    let selected = kept_way == w.code();
                                    view! { <option value=w.code() selected=selected>{w.label()}</option> }
                                }).collect_view()}
                            </select>
                            <FieldMessage id="best_way-error" message=way_msg />
                        </div>
                        <div class="field">
                            <label for="language">"Preferred language"</label>
                            <select id="language" name="language" aria-describedby="language-error">
                                {LANGUAGES.into_iter().map(|(code, name)| {
                                    let selected = kept_language == code;
                                    view! { <option value=code selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                            <FieldMessage id="language-error" message=lang_msg />
                        </div>
                        <div class="field">
                            <label for="comments">"Comments"</label>
                            <p class="hint" id="comments-hint">"Anything the program should know. Optional."</p>
                            <textarea id="comments" name="comments" rows="3" aria-describedby="comments-hint comments-error"
                                aria-invalid=move || comments_msg.get().map(|_| "true")>{comments}</textarea>
                            <FieldMessage id="comments-error" message=comments_msg />
                        </div>
                        <div class="field checkbox">
                            <input type="checkbox" id="consent" name="consent" aria-describedby="consent-error"
                                aria-invalid=move || consent_msg.get().map(|_| "true") />
                            <label for="consent">"The person agrees to this referral and to sharing these details with the program."</label>
                            <FieldMessage id="consent-error" message=consent_msg />
                        </div>
                        <button type="submit" disabled=move || action.pending().get()>"Send referral"</button>
                    </ActionForm>
                    {(!c.signed_in).then(|| view! {
                        <p>"Have an account? " <a href="/login">"Log in"</a> " to follow this referral."</p>
                    })}
                }.into_any()
            })}}
        </Transition>
    }
}
