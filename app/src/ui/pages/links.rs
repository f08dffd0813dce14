//! Pages opened from emailed links. Opening one (GET) changes nothing; the button does.

use crate::api::accounts::VerifyEmail;
use crate::api::claims::VerifyClaim;
use crate::api::groups::AcceptInvitation;
use crate::i18n::fill;
use crate::ui::components::form::{FormAlert, form_error};
use crate::ui::{UserResource, page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn token() -> String {
    use_params_map().with_untracked(|p| p.get("token").unwrap_or_default())
}

#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let error = form_error(action);
    let user = expect_context::<UserResource>();
    let token = token();
    let t = use_strings();
    view! {
        <Title text=page_title(t.invite_title) />
        <h1>{t.invite_heading}</h1>
        <Transition fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(u)) => view! {
                            <p>{fill(t.invite_accept_as, &[("name", &u.name)])}</p>
                            <ActionForm action>
                                <FormAlert error />
                                <input type="hidden" name="token" value=token />
                                <button type="submit">{t.invite_accept}</button>
                            </ActionForm>
                        }.into_any(),
                        _ => view! {
                            <p>{t.invite_log_in_first}</p>
                            <p class="actions"><a class="button" href="/login">{t.log_in}</a> " " <a class="button secondary" href="/signup">{t.sign_up}</a></p>
                        }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
pub fn VerifyClaimPage() -> impl IntoView {
    let action = ServerAction::<VerifyClaim>::new();
    let error = form_error(action);
    let t = use_strings();
    view! {
        <Title text=page_title(t.claim_title) />
        <h1>{t.claim_heading}</h1>
        <p>{t.claim_body}</p>
        <ActionForm action>
            <FormAlert error />
            <input type="hidden" name="token" value=token() />
            <button type="submit">{t.claim_confirm}</button>
        </ActionForm>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let action = ServerAction::<VerifyEmail>::new();
    let error = form_error(action);
    let t = use_strings();
    view! {
        <Title text=page_title(t.confirm_email_heading) />
        <h1>{t.confirm_email_heading}</h1>
        <p>{t.verify_body}</p>
        <ActionForm action>
            <FormAlert error />
            <input type="hidden" name="token" value=token() />
            <button type="submit">{t.verify_confirm}</button>
        </ActionForm>
    }
}
