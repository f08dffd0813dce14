//! Sign up: name, email, password; errors next to each field.

use crate::api::SignUp as SignUpFn;
use crate::i18n::fill;
use crate::model::Password;
use crate::ui::components::form::{Field, FormAlert, flashed_value, form_error};
use crate::ui::{AccountActions, page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn SignUp() -> impl IntoView {
    let action = expect_context::<AccountActions>().sign_up;
    let error = form_error(action);
    let typed_email = flashed_value::<SignUpFn>("email").unwrap_or_default();
    let typed_name = flashed_value::<SignUpFn>("name").unwrap_or_default();
    let t = use_strings();
    let password_hint = fill(t.password_hint, &[("min", &Password::MIN.to_string())]);
    view! {
        <Title text=page_title(t.sign_up) />
        <h1>{t.sign_up}</h1>
        <ActionForm action attr:class="stack" attr:novalidate=true>
            <FormAlert error />
            <Field label=t.field_name name="name" autocomplete="name" error
                value=typed_name />
            <Field label=t.field_email name="email" kind="email" autocomplete="email" error
                value=typed_email />
            <Field label=t.field_password name="password" kind="password" autocomplete="new-password" error
                hint=password_hint />
            <button type="submit" disabled=move || action.pending().get()>{t.sign_up}</button>
        </ActionForm>
        <p>{t.signup_have_account} " " <A href="/login">{t.log_in}</A></p>
    }
}

/// After sign-up, whether the address was new or not: "check your email".
#[component]
pub fn SignUpSent() -> impl IntoView {
    let t = use_strings();
    view! {
        <Title text=page_title(t.signup_sent_title) />
        <h1>{t.signup_sent_title}</h1>
        <p>{t.signup_sent_body}</p>
        <p>{t.signup_sent_no_mail}</p>
    }
}
