//! The Connect form: refer yourself or (as a helper) someone else to a program.

use super::error_view;
use super::program::program_id;
use crate::api::connect::{SendReferral, connect_choices};
use crate::api::programs::get_program;
use crate::i18n::fill;
use crate::model::ContactPreference;
use crate::model::capacity::Capacity;
use crate::ui::components::form::{Field, FormAlert, field_message, flashed_value, form_error};
use crate::ui::{page_title, use_lang, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;

/// Languages offered first, each in its own words (the way people look for their own
/// language); any BCP 47 tag is accepted by the server.
const LANGUAGES: [(&str, &str); 8] = [
    ("en", "English"),
    ("es", "Español"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
    ("ar", "العربية"),
    ("fr", "Français"),
    ("pt", "Português"),
    ("so", "Soomaali"),
];

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

    let way_msg = field_message(error, "best_way");
    let lang_msg = field_message(error, "language");
    let comments_msg = field_message(error, "comments");
    let consent_msg = field_message(error, "consent");
    let waitlist_msg = field_message(error, "waitlist_ok");
    let whom_msg = field_message(error, "for_whom");
    let group_msg = field_message(error, "group");
    let (t, lang) = (use_strings(), use_lang());
    // The page's own language comes first when nothing was chosen yet.
    let kept_language = if kept_language.is_empty() {
        lang.code().to_string()
    } else {
        kept_language
    };

    view! {
        // Until (or unless) the program is loaded; see `PersonProfile`.
        <Title text=page_title(t.title_connect) />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let (first, last, email, phone, comments) = (first.clone(), last.clone(), email.clone(), phone.clone(), comments.clone());
                let (kept_way, kept_language, kept_whom) = (kept_way.clone(), kept_language.clone(), kept_whom.clone());
                Suspend::new(async move {
                let (p, c) = match (program.await, choices.await) {
                    (Ok(p), Ok(c)) => (p, c),
                    (Err(e), _) | (_, Err(e)) => return error_view(e),
                };
                let heading = fill(t.connect_title, &[("program", &p.name)]);
                if !p.takes_referrals || p.capacity == Capacity::NotAccepting {
                    // Said before anyone fills in the form; the server refuses it as well.
                    let why = if p.takes_referrals { t.err_not_accepting } else { t.err_program_not_taking };
                    return view! {
                        <Title text=page_title(&heading) />
                        <h1>{heading}</h1>
                        <p class="notice" role="note">{why}</p>
                        <p><a href=format!("/programs/{}", p.id)>{t.sent_back}</a></p>
                    }.into_any();
                }
                view! {
                    <Title text=page_title(&heading) />
                    <h1>{heading}</h1>
                    <p class="org">{p.organization.clone()}</p>
                    {(p.capacity == Capacity::Waitlist).then(|| view! {
                        <p class="notice" role="note">{t.connect_waitlist} {(!p.capacity_note.is_empty()).then(|| p.capacity_note.clone())}</p>
                    })}
                    {(p.capacity == Capacity::AssessmentFirst).then(|| view! {
                        <p class="notice" role="note">{t.connect_assessment_first} {(!p.capacity_note.is_empty()).then(|| p.capacity_note.clone())}</p>
                    })}
                    <ActionForm action attr:class="stack" attr:novalidate=true>
                        <FormAlert error />
                        <input type="hidden" name="program" value=p.id />
                        {if c.is_helper {
                            view! {
                                <div class="field">
                                    <label for="for_whom">{t.connect_for_whom}</label>
                                    <select id="for_whom" name="for_whom">
                                        <option value="new" selected=kept_whom.is_empty() || kept_whom == "new">{t.connect_someone_new}</option>
                                        <option value="me" selected=kept_whom == "me">{t.connect_myself}</option>
                                        {c.people.iter().map(|(pid, name)| {
                                            let selected = kept_whom == pid.to_string();
                                            view! { <option value=pid.to_string() selected=selected>{name.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                    <FieldMessage id="for_whom-error" message=whom_msg />
                                </div>
                                {(c.groups.len() > 1).then(|| view! {
                                    <div class="field">
                                        <label for="group">{t.connect_group}</label>
                                        <p class="hint" id="group-hint">{t.connect_group_hint}</p>
                                        <select id="group" name="group" aria-describedby="group-hint group-error">
                                            <option value="">{t.connect_choose_group}</option>
                                            {c.groups.iter().map(|(gid, name)| view! { <option value=gid.to_string()>{name.clone()}</option> }).collect_view()}
                                        </select>
                                        <FieldMessage id="group-error" message=group_msg />
                                    </div>
                                })}
                            }.into_any()
                        } else {
                            view! { <input type="hidden" name="for_whom" value="me" /> }.into_any()
                        }}
                        <Field label=t.connect_first_name name="first_name" autocomplete="given-name" error value=first />
                        <Field label=t.connect_last_name name="last_name" autocomplete="family-name" error value=last />
                        <Field label=t.email name="email" kind="email" autocomplete="email" error value=email />
                        <Field label=t.phone name="phone" kind="tel" autocomplete="tel" error value=phone />
                        <div class="field">
                            <label for="best_way">{t.connect_best_way}</label>
                            <select id="best_way" name="best_way" aria-describedby="best_way-error">
                                {ContactPreference::ALL.into_iter().map(|w| {
                                    let selected = kept_way == w.as_str();
                                    view! { <option value=w.as_str() selected=selected>{w.label(lang)}</option> }
                                }).collect_view()}
                            </select>
                            <FieldMessage id="best_way-error" message=way_msg />
                        </div>
                        <div class="field">
                            <label for="language">{t.connect_language}</label>
                            <select id="language" name="language" aria-describedby="language-error">
                                {LANGUAGES.into_iter().map(|(code, name)| {
                                    let selected = kept_language == code;
                                    view! { <option value=code lang=code selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                            <FieldMessage id="language-error" message=lang_msg />
                        </div>
                        <div class="field">
                            <label for="comments">{t.comments}</label>
                            <p class="hint" id="comments-hint">{t.connect_comments_hint}</p>
                            <textarea id="comments" name="comments" rows="3" aria-describedby="comments-hint comments-error"
                                aria-invalid=move || comments_msg.get().map(|_| "true")>{comments}</textarea>
                            <FieldMessage id="comments-error" message=comments_msg />
                        </div>
                        <div class="field checkbox">
                            <input type="checkbox" id="consent" name="consent" aria-describedby="consent-error"
                                aria-invalid=move || consent_msg.get().map(|_| "true") />
                            <label for="consent">{t.connect_consent}</label>
                            <FieldMessage id="consent-error" message=consent_msg />
                        </div>
                        {(p.capacity == Capacity::Waitlist).then(|| view! {
                            <div class="field checkbox">
                                <input type="checkbox" id="waitlist_ok" name="waitlist_ok" aria-describedby="waitlist_ok-error"
                                    aria-invalid=move || waitlist_msg.get().map(|_| "true") />
                                <label for="waitlist_ok">{t.connect_waitlist_ok}</label>
                                <FieldMessage id="waitlist_ok-error" message=waitlist_msg />
                            </div>
                        })}
                        <button type="submit" disabled=move || action.pending().get()>{t.connect_send}</button>
                    </ActionForm>
                    {(!c.signed_in).then(|| view! {
                        <p>{t.signup_have_account} " " <a href="/login">{t.log_in}</a> " " {t.connect_log_in_to_follow}</p>
                    })}
                }.into_any()
            })}}
        </Transition>
    }
}
