//! A forgotten password: ask for a link (the same answer whether or not the address has an
//! account), then set a new one from the link.

use crate::api::accounts::{RequestPasswordReset, ResetPassword, password_reset_usable};
use crate::i18n::{Key, Msg, fill};
use crate::model::Password;
use crate::ui::components::form::{BackHere, Field, FormAlert, form_error, form_succeeded};
use crate::ui::{page_title, use_lang, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = form_error(action);
    let sent = form_succeeded(action);
    let t = use_strings();
    view! {
        <Title text=page_title(t.forgot_title) />
        <h1>{t.forgot_title}</h1>
        <p>{t.forgot_body}</p>
        <ActionForm action attr:class="stack" attr:novalidate=true>
            <FormAlert error />
            <BackHere />
            <Field label=t.field_email name="email" kind="email" autocomplete="email" error />
            <button type="submit" disabled=move || action.pending().get()>{t.forgot_send}</button>
        </ActionForm>
        <p role="status" aria-live="polite">{move || sent.get().then_some(t.forgot_sent)}</p>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = form_error(action);
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let usable = Resource::new(|| (), {
        let token = token.clone();
        move |_| password_reset_usable(token.clone())
    });
    let (t, lang) = (use_strings(), use_lang());
    let hint = fill(t.password_hint, &[("min", &Password::MIN.to_string())]);
    view! {
        <Title text=page_title(t.reset_title) />
        <h1>{t.reset_title}</h1>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let (token, hint) = (token.clone(), hint.clone());
                Suspend::new(async move {
                    match usable.await {
                        Ok(true) => view! {
                            <p>{t.reset_body}</p>
                            <ActionForm action attr:class="stack" attr:novalidate=true>
                                <FormAlert error />
                                <BackHere />
                                <input type="hidden" name="token" value=token />
                                <Field label=t.field_password name="password" kind="password" autocomplete="new-password" error hint />
                                <button type="submit" disabled=move || action.pending().get()>{t.reset_save}</button>
                            </ActionForm>
                        }.into_any(),
                        Ok(false) => view! {
                            <div class="form-alert" role="alert">
                                <p>{Msg::new(Key::err_reset_link).render(lang)}</p>
                            </div>
                            <p><a href="/forgot">{t.forgot_send}</a></p>
                        }.into_any(),
                        Err(e) => view! {
                            <div class="form-alert" role="alert"><p>{e.message(lang)}</p></div>
                        }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}
