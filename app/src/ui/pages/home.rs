//! The front page: who you are and where to go next.

use crate::api::accounts::ResendVerification;
use crate::ui::UserResource;
use crate::ui::components::form::{FormAlert, form_error};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let user = expect_context::<UserResource>();
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => {
                        let roles = roles_line(u.groups.len(), u.programs, u.is_site_admin);
                        view! {
                            <h1>{format!("Welcome, {}", u.name)}</h1>
                            {(!u.email_verified).then(|| view! { <ConfirmEmail email=u.email.clone() /> })}
                            <p class="roles">{roles}</p>
                            {(!u.groups.is_empty()).then(|| view! {
                                <p>"Your groups: " {u.groups.join(", ")}</p>
                            })}
                        }.into_any()
                    }
                    Ok(None) => view! {
                        <h1>"Get connected to help"</h1>
                        <p>
                            "Handoff connects people with food, housing, health care and other help, "
                            "and lets everyone follow each referral to the end."
                        </p>
                        <p class="actions">
                            <A href="/login" attr:class="button">"Log in"</A>
                            <A href="/signup" attr:class="button secondary">"Sign up"</A>
                        </p>
                    }.into_any(),
                    Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
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
    let sent = move || resend.value().get().is_some_and(|r| r.is_ok());
    view! {
        <section class="notice-box" aria-labelledby="confirm-email">
            <h2 id="confirm-email">"Confirm your email"</h2>
            <p>{format!("We sent a link to {email}. Open it to see the referrals made for you with this address.")}</p>
            <ActionForm action=resend>
                <FormAlert error />
                <button type="submit" class="secondary" disabled=move || resend.pending().get()>"Send the link again"</button>
            </ActionForm>
            <p role="status" aria-live="polite">{move || sent().then_some("Sent. Check your email.")}</p>
        </section>
    }
}

fn roles_line(groups: usize, programs: usize, admin: bool) -> String {
    let mut roles = vec!["seeker"];
    if groups > 0 {
        roles.push("helper");
    }
    if programs > 0 {
        roles.push("program staff");
    }
    if admin {
        roles.push("site administrator");
    }
    format!("You are signed in as: {}.", roles.join(", "))
}
