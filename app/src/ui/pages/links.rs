//! Pages opened from emailed links. Opening one (GET) changes nothing; the button does.

use crate::api::accounts::VerifyEmail;
use crate::api::claims::VerifyClaim;
use crate::api::groups::AcceptInvitation;
use crate::ui::UserResource;
use crate::ui::components::form::{FormAlert, form_error};
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
    view! {
        <Title text="Invitation · Handoff" />
        <h1>"You're invited"</h1>
        <Transition fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(u)) => view! {
                            <p>{format!("Accept this invitation as {}?", u.name)}</p>
                            <ActionForm action>
                                <FormAlert error />
                                <input type="hidden" name="token" value=token />
                                <button type="submit">"Accept invitation"</button>
                            </ActionForm>
                        }.into_any(),
                        _ => view! {
                            <p>"Log in or sign up first, then open the link in your email again."</p>
                            <p class="actions"><a class="button" href="/login">"Log in"</a> <a class="button secondary" href="/signup">"Sign up"</a></p>
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
    view! {
        <Title text="Confirm claim · Handoff" />
        <h1>"Confirm who manages this program"</h1>
        <p>"Someone asked to manage this program's listing and its referrals on Handoff. If you know them and agree, confirm below."</p>
        <ActionForm action>
            <FormAlert error />
            <input type="hidden" name="token" value=token() />
            <button type="submit">"Confirm claim"</button>
        </ActionForm>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let action = ServerAction::<VerifyEmail>::new();
    let error = form_error(action);
    view! {
        <Title text="Confirm your email · Handoff" />
        <h1>"Confirm your email"</h1>
        <p>"Confirm that this email address is yours. Then you will see the referrals made for you with it."</p>
        <ActionForm action>
            <FormAlert error />
            <input type="hidden" name="token" value=token() />
            <button type="submit">"Confirm my email"</button>
        </ActionForm>
    }
}
