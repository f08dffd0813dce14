//! `/r/:token`: the page an email's status link opens. No login; opening it changes no
//! status, the form does (and asks for the status to be chosen explicitly). A check-in
//! email's answers open it with `?answer=`: the answer is shown, and one tap sends it.

use crate::api::status_link::{AnswerCheckIn, LinkedReferral, UpdateStatusByLink, status_link};
use crate::api::views::SeekerContact;
use crate::i18n::fill;
use crate::model::Role;
use crate::model::follow_up::CheckInAnswer;
use crate::model::time::format_utc;
use crate::ui::components::form::{BackHere, FormAlert, field_message, form_error, form_succeeded};
use crate::ui::components::status::{StatusBadge, StatusOptions};
use crate::ui::{page_title, use_lang, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn StatusLinkPage() -> impl IntoView {
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let answer = use_query_map()
        .with_untracked(|q| q.get("answer"))
        .and_then(|a| a.parse::<CheckInAnswer>().ok());
    let action = ServerAction::<UpdateStatusByLink>::new();
    let check_in = ServerAction::<AnswerCheckIn>::new();
    let error = form_error(action);
    let check_in_error = form_error(check_in);
    let referral = Resource::new(
        move || (action.version().get(), check_in.version().get()),
        {
            let token = token.clone();
            move |_| status_link(token.clone())
        },
    );
    let saved = form_succeeded(action);
    let answered = form_succeeded(check_in);
    let (t, lang) = (use_strings(), use_lang());
    view! {
        <Title text=page_title(t.link_title) />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match referral.await {
                        Ok(r) => view! {
                            {(r.acting_as == Role::Seeker).then_some(answer).flatten().map(|answer| view! {
                                <CheckInForm r=r.clone() token=token.clone() answer action=check_in
                                    error=check_in_error answered />
                            })}
                            <LinkedReferralView r=r.clone() />
                            <p role="status" aria-live="polite" class="notice">
                                {move || saved.get().then_some(t.link_saved)}
                            </p>
                            <LinkStatusForm r token action error />
                        }.into_any(),
                        Err(e) => view! {
                            <h1>{t.link_cannot_use}</h1>
                            <p class="form-alert" role="alert">{e.message(lang)}</p>
                            <p><a class="button" href="/login">{t.log_in}</a></p>
                        }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn LinkedReferralView(r: LinkedReferral) -> impl IntoView {
    let t = use_strings();
    let contact = match r.contact {
        SeekerContact::Shown { email, phone } => Some(view! {
            <dt>{t.card_contact}</dt>
            <dd>
                {email.map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> " " })}
                {phone.map(|p| view! { <a href=format!("tel:{p}")>{p.clone()}</a> })}
            </dd>
        }),
        SeekerContact::Withheld => None,
    };
    view! {
        <h1>{fill(t.link_referral_to, &[("program", &r.program)])}</h1>
        <dl class="facts">
            <dt>{t.card_for}</dt>
            <dd>{r.seeker}</dd>
            <dt>{t.link_status_now}</dt>
            <dd><StatusBadge status=r.status /></dd>
            <dt>{t.link_last_updated}</dt>
            <dd>{format_utc(r.updated_at)}</dd>
            {contact}
            {(!r.comments.is_empty()).then(|| view! { <dt>{t.comments}</dt><dd class="comments">{r.comments.clone()}</dd> })}
        </dl>
    }
}

/// "Did you get help from …?": the answer tapped in the email, sent with one more tap.
#[component]
fn CheckInForm(
    r: LinkedReferral,
    token: String,
    answer: CheckInAnswer,
    action: ServerAction<AnswerCheckIn>,
    error: Signal<Option<crate::error::AppError>>,
    answered: Signal<bool>,
) -> impl IntoView {
    let t = use_strings();
    let label = match answer {
        CheckInAnswer::GotHelp => t.check_in_got_help,
        CheckInAnswer::CouldntGetHelp => t.check_in_couldnt_get_help,
        CheckInAnswer::StillWaiting => t.check_in_still_waiting,
    };
    view! {
        <section class="check-in" aria-labelledby="check-in-title">
            <h1 id="check-in-title">{fill(t.check_in_heading, &[("program", &r.program)])}</h1>
            <p role="status" aria-live="polite" class="notice">
                {move || answered.get().then_some(t.check_in_thanks)}
            </p>
            <ActionForm action attr:class="check-in-form">
                <FormAlert error />
                <BackHere />
                <input type="hidden" name="token" value=token />
                <input type="hidden" name="answer" value=answer.as_str() />
                <p>{fill(t.check_in_you_chose, &[("answer", label)])}</p>
                <button type="submit" disabled=move || action.pending().get() || answered.get()>
                    {t.check_in_send}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn LinkStatusForm(
    r: LinkedReferral,
    token: String,
    action: ServerAction<UpdateStatusByLink>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let status_message = field_message(error, "status");
    let comment_message = field_message(error, "comment");
    let t = use_strings();
    view! {
        <h2>{t.link_change_status}</h2>
        <ActionForm action attr:class="status-form">
            <FormAlert error />
            <BackHere />
            <input type="hidden" name="token" value=token />
            <input type="hidden" name="version" value=r.version />
            <div class="field">
                <label for="link-status">{t.link_new_status}</label>
                <select id="link-status" name="status"
                    aria-describedby=move || status_message.get().map(|_| "link-status-error")>
                    <StatusOptions selected=None any_label=t.link_choose_status />
                </select>
                <p class="field-error" id="link-status-error">{move || status_message.get()}</p>
            </div>
            <div class="field">
                <label for="link-comment">{t.status_comment}</label>
                <textarea id="link-comment" name="comment" rows="3"
                    aria-invalid=move || comment_message.get().map(|_| "true")
                    aria-describedby=move || comment_message.get().map(|_| "link-comment-error")></textarea>
                <p class="field-error" id="link-comment-error">{move || comment_message.get()}</p>
            </div>
            <button type="submit" disabled=move || action.pending().get()>{t.link_save}</button>
        </ActionForm>
    }
}
