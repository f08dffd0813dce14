//! Sign up: name, email, password; errors next to each field.

use crate::api::SignUp as SignUpFn;
use crate::model::Password;
use crate::ui::AccountActions;
use crate::ui::components::form::{Field, FormAlert, flashed_value, form_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn SignUp() -> impl IntoView {
    let action = expect_context::<AccountActions>().sign_up;
    let error = form_error(action);
    let typed_email = flashed_value::<SignUpFn>("email").unwrap_or_default();
    let typed_name = flashed_value::<SignUpFn>("name").unwrap_or_default();
    let password_hint: &'static str = const_format_hint();
    view! {
        <Title text="Sign up · Handoff" />
        <h1>"Sign up"</h1>
        <ActionForm action attr:class="stack" attr:novalidate=true>
            <FormAlert error />
            <Field label="Name" name="name" autocomplete="name" error
                value=typed_name />
            <Field label="Email" name="email" kind="email" autocomplete="email" error
                value=typed_email />
            <Field label="Password" name="password" kind="password" autocomplete="new-password" error
                hint=password_hint />
            <button type="submit" disabled=move || action.pending().get()>"Sign up"</button>
        </ActionForm>
        <p>"Have an account? " <A href="/login">"Log in"</A></p>
    }
}

fn const_format_hint() -> &'static str {
    // Kept in step with `Password::MIN` by the assertion below.
    const HINT: &str = "At least 10 characters.";
    debug_assert!(HINT.contains(&Password::MIN.to_string()));
    HINT
}
