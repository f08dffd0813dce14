//! The site header: the name, and the account links or the Log out button.

use crate::ui::{AccountActions, UserResource};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    let user = expect_context::<UserResource>();
    let actions = expect_context::<AccountActions>();
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <A href="/" attr:class="brand">"Handoff"</A>
            <nav aria-label="Main">
                <A href="/programs">"Find help"</A>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        user.await.ok().flatten().map(|u| view! {
                            <A href="/referrals">"Referrals For Me"</A>
                            {(!u.groups.is_empty()).then(|| view! { <A href="/people">"People I'm Helping"</A> })}
                            {(u.programs > 0).then(|| view! { <A href="/inbound">"Inbound Referrals"</A> })}
                            <A href="/groups">"Groups"</A>
                            {u.is_site_admin.then(|| view! { <A href="/admin">"Admin"</A> })}
                        })
                    })}
                </Transition>
            </nav>
            <nav aria-label="Account">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! {
                                <span class="who">{u.name}</span>
                                <ActionForm action=actions.log_out attr:class="inline">
                                    <button type="submit">"Log out"</button>
                                </ActionForm>
                            }.into_any(),
                            _ => view! {
                                <A href="/login">"Log in"</A>
                                <A href="/signup">"Sign up"</A>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </nav>
        </header>
    }
}
