//! Log in. One message for an unknown email and a wrong password.

use crate::api::LogIn;
use crate::ui::components::form::{Field, FormAlert, flashed_value, form_error};
use crate::ui::{AccountActions, page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn Login() -> impl IntoView {
    let action = expect_context::<AccountActions>().log_in;
    let error = form_error(action);
    let typed_email = flashed_value::<LogIn>("email").unwrap_or_default();
    let t = use_strings();
    view! {
        <Title text=page_title(t.log_in) />
        <h1>{t.log_in}</h1>
        <ActionForm action attr:class="stack" attr:novalidate=true>
            <FormAlert error />
            <Field label=t.field_email name="email" kind="email" autocomplete="email" error
                value=typed_email />
            <Field label=t.field_password name="password" kind="password" autocomplete="current-password" error />
            <button type="submit" disabled=move || action.pending().get()>{t.log_in}</button>
        </ActionForm>
        <p><A href="/forgot">{t.login_forgot}</A></p>
        <p>{t.login_new_here} " " <A href="/signup">{t.sign_up}</A></p>
    }
}
