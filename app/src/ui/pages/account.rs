//! Your account: name, phone and language; a new email; a new password; log out everywhere.
//! Plain forms, each with its errors next to its fields and its own "Saved".

use crate::api::account::{
    ChangePassword, ConfirmEmailChange, LogOutEverywhere, RequestEmailChange, UpdateProfile,
    account_settings,
};
use crate::i18n::{Lang, fill};
use crate::model::Password;
use crate::ui::components::form::{Field, FormAlert, form_error, form_succeeded};
use crate::ui::pages::error_view;
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let profile = ServerAction::<UpdateProfile>::new();
    let email = ServerAction::<RequestEmailChange>::new();
    let password = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<LogOutEverywhere>::new();
    let (profile_error, email_error, password_error) =
        (form_error(profile), form_error(email), form_error(password));
    let (profile_saved, email_sent, password_saved) = (
        form_succeeded(profile),
        form_succeeded(email),
        form_succeeded(password),
    );
    let settings = Resource::new(move || profile.version().get(), |_| account_settings());
    let t = use_strings();
    let hint = fill(t.password_hint, &[("min", &Password::MIN.to_string())]);
    view! {
        <Title text=page_title(t.account_title) />
        <h1>{t.account_title}</h1>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let hint = hint.clone();
                Suspend::new(async move {
                    let s = match settings.await {
                        Ok(s) => s,
                        Err(e) => return error_view(e),
                    };
                    view! {
                        <section aria-labelledby="profile">
                            <h2 id="profile">{t.account_profile}</h2>
                            <ActionForm action=profile attr:class="stack" attr:novalidate=true>
                                <FormAlert error=profile_error />
                                <Field label=t.field_name name="name" autocomplete="name" error=profile_error value=s.name.clone() />
                                <Field label=t.account_phone name="phone" kind="tel" autocomplete="tel" error=profile_error value=s.phone.clone() />
                                <div class="field">
                                    <label for="field-language">{t.account_language}</label>
                                    <select id="field-language" name="language">
                                        {[Lang::En, Lang::Es].into_iter().map(|l| {
                                            let selected = s.language == l.code();
                                            view! { <option value=l.code() lang=l.code() selected=selected>{l.own_name()}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit">{t.account_save}</button>
                            </ActionForm>
                            <p role="status" aria-live="polite">{move || profile_saved.get().then_some(t.account_saved)}</p>
                        </section>
                        <section aria-labelledby="email">
                            <h2 id="email">{t.field_email}</h2>
                            <p>{fill(t.account_email_now, &[("email", &s.email)])}</p>
                            <ActionForm action=email attr:class="stack" attr:novalidate=true>
                                <FormAlert error=email_error />
                                <Field label=t.account_new_email name="email" kind="email" autocomplete="email" error=email_error />
                                <Field label=t.account_current_password name="current" id="email-current" kind="password" autocomplete="current-password" error=email_error />
                                <button type="submit">{t.account_email_send}</button>
                            </ActionForm>
                            <p role="status" aria-live="polite">{move || email_sent.get().then_some(t.account_email_sent)}</p>
                        </section>
                        <section aria-labelledby="password">
                            <h2 id="password">{t.field_password}</h2>
                            <ActionForm action=password attr:class="stack" attr:novalidate=true>
                                <FormAlert error=password_error />
                                <Field label=t.account_current_password name="current" id="password-current" kind="password" autocomplete="current-password" error=password_error />
                                <Field label=t.account_new_password name="password" kind="password" autocomplete="new-password" error=password_error hint=hint />
                                <button type="submit">{t.account_password_save}</button>
                            </ActionForm>
                            <p role="status" aria-live="polite">{move || password_saved.get().then_some(t.account_password_saved)}</p>
                        </section>
                        <section aria-labelledby="everywhere">
                            <h2 id="everywhere">{t.account_everywhere}</h2>
                            <p>{t.account_everywhere_body}</p>
                            <ActionForm action=everywhere>
                                <button type="submit" class="secondary">{t.account_everywhere}</button>
                            </ActionForm>
                        </section>
                    }.into_any()
                })
            }}
        </Transition>
    }
}

/// The link sent to a new address: confirmed by the signed-in account that asked for it.
#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmailChange>::new();
    let error = form_error(action);
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let t = use_strings();
    view! {
        <Title text=page_title(t.email_change_action) />
        <h1>{t.email_change_action}</h1>
        <p>{t.account_email_confirm_body}</p>
        <ActionForm action>
            <FormAlert error />
            <input type="hidden" name="token" value=token />
            <button type="submit">{t.email_change_action}</button>
        </ActionForm>
    }
}
