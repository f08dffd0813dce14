//! The site header: the name, the account links or the Log out button, and the language
//! switch.

use crate::i18n::Lang;
use crate::ui::{AccountActions, UserResource, use_lang, use_strings};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn Header() -> impl IntoView {
    let user = expect_context::<UserResource>();
    let actions = expect_context::<AccountActions>();
    let t = use_strings();
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">{t.skip_to_content}</a>
            <A href="/" attr:class="brand">{t.brand}</A>
            <nav aria-label=t.nav_main>
                <A href="/programs">{t.nav_find_help}</A>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        user.await.ok().flatten().map(|u| view! {
                            <A href="/referrals">{t.nav_referrals_for_me}</A>
                            {(!u.groups.is_empty()).then(|| view! { <A href="/people">{t.nav_people}</A> })}
                            {(u.programs > 0).then(|| view! { <A href="/inbound">{t.nav_inbound}</A> })}
                            {(u.programs > 0 || u.is_site_admin || !u.groups.is_empty()).then(|| view! { <A href="/reports">{t.nav_reports}</A> })}
                            <A href="/groups">{t.nav_groups}</A>
                            {u.is_site_admin.then(|| view! { <A href="/admin">{t.nav_admin}</A> })}
                        })
                    })}
                </Transition>
            </nav>
            <nav aria-label=t.nav_account>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! {
                                <A href="/account" attr:class="who">{u.name}</A>
                                <ActionForm action=actions.log_out attr:class="inline">
                                    <button type="submit">{t.log_out}</button>
                                </ActionForm>
                            }.into_any(),
                            _ => view! {
                                <A href="/login">{t.log_in}</A>
                                <A href="/signup">{t.sign_up}</A>
                            }.into_any(),
                        }
                    })}
                </Transition>
                <LanguageSwitch />
            </nav>
        </header>
    }
}

/// Switches to the other language and comes back to this page. A plain form: the whole page
/// is rendered again in the new language, with or without JavaScript.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let t = use_strings();
    let other = match use_lang() {
        Lang::En => Lang::Es,
        Lang::Es => Lang::En,
    };
    let location = use_location();
    let here = move || {
        let (path, search) = (location.pathname.get(), location.search.get());
        match search.trim_start_matches('?') {
            "" => path,
            query => format!("{path}?{query}"),
        }
    };
    view! {
        <form method="post" action="/api/set_language" class="inline lang-switch">
            <input type="hidden" name="lang" value=other.code() />
            <input type="hidden" name="return_to" value=here />
            // The button is written in the language it switches to (WCAG 3.1.2).
            <button type="submit" class="link-button" lang=other.code()
                title=t.language_switch_label>{other.own_name()}</button>
        </form>
    }
}
