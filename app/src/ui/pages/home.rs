//! The front page: who you are and where to go next.

use crate::api::accounts::ResendVerification;
use crate::i18n::{Strings, fill};
use crate::ui::components::form::{FormAlert, form_error, form_succeeded};
use crate::ui::{UserResource, page_title, use_lang, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let user = expect_context::<UserResource>();
    let (t, lang) = (use_strings(), use_lang());
    view! {
        <Title text=page_title(t.home_title) />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => {
                        let roles = roles_line(t, u.groups.len(), u.programs, u.is_site_admin);
                        view! {
                            <h1>{fill(t.home_welcome, &[("name", &u.name)])}</h1>
                            {(!u.email_verified).then(|| view! { <ConfirmEmail email=u.email.clone() /> })}
                            <p class="roles">{roles}</p>
                            {(!u.groups.is_empty()).then(|| view! {
                                <p>{fill(t.home_your_groups, &[("groups", &u.groups.join(", "))])}</p>
                            })}
                        }.into_any()
                    }
                    Ok(None) => view! {
                        <h1>{t.home_title}</h1>
                        <p>{t.home_intro}</p>
                        <p class="actions">
                            <A href="/login" attr:class="button">{t.log_in}</A>
                            <A href="/signup" attr:class="button secondary">{t.sign_up}</A>
                        </p>
                    }.into_any(),
                    Err(e) => view! { <p role="alert">{e.message(lang)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Until the email is confirmed, say so, and offer the link again.
#[component]
fn ConfirmEmail(email: String) -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let error = form_error(resend);
    let sent = form_succeeded(resend);
    let t = use_strings();
    view! {
        <section class="notice-box" aria-labelledby="confirm-email">
            <h2 id="confirm-email">{t.confirm_email_heading}</h2>
            <p>{fill(t.confirm_email_sent_to, &[("email", &email)])}</p>
            <ActionForm action=resend>
                <FormAlert error />
                <button type="submit" class="secondary" disabled=move || resend.pending().get()>{t.confirm_email_resend}</button>
            </ActionForm>
            <p role="status" aria-live="polite">{move || sent.get().then_some(t.confirm_email_resent)}</p>
        </section>
    }
}

fn roles_line(t: &Strings, groups: usize, programs: usize, admin: bool) -> String {
    let mut roles = vec![t.role_seeker];
    if groups > 0 {
        roles.push(t.role_helper);
    }
    if programs > 0 {
        roles.push(t.role_program);
    }
    if admin {
        roles.push(t.role_admin);
    }
    fill(t.home_roles, &[("roles", &roles.join(", "))])
}
