//! Log in. One message for an unknown email and a wrong password.

use crate::api::LogIn;
use crate::ui::AccountActions;
use crate::ui::components::form::{Field, FormAlert, flashed_value, form_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn Login() -> impl IntoView {
    let action = expect_context::<AccountActions>().log_in;
    let error = form_error(action);
    let typed_email = flashed_value::<LogIn>("email").unwrap_or_default();
    view! {
        <Title text="Log in · Handoff" />
        <h1>"Log in"</h1>
        <ActionForm action attr:class="stack" attr:novalidate=true>
            <FormAlert error />
            <Field label="Email" name="email" kind="email" autocomplete="email" error
                value=typed_email />
            <Field label="Password" name="password" kind="password" autocomplete="current-password" error />
            <button type="submit" disabled=move || action.pending().get()>"Log in"</button>
        </ActionForm>
        <p>"New here? " <A href="/signup">"Sign up"</A></p>
    }
}
