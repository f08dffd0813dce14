//! The user interface: one page per route, small shared components.

pub mod components;
mod ids;
pub mod live;
pub mod pages;

use crate::api::accounts::SessionUser;
use crate::api::{LogIn, LogOut, SignUp, current_user};
use crate::error::AppError;
use crate::i18n::{Lang, Strings};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app (server only renders this).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = page_language();
    // Every island acts only for someone signed in (live updates, the cards' forms). For
    // anyone else the page is complete as HTML with plain forms: no JavaScript, no WASM.
    #[cfg(feature = "ssr")]
    let interactive = crate::api::request::has_session_cookie();
    #[cfg(not(feature = "ssr"))]
    let interactive = true;
    // The page's Content-Security-Policy carries the nonce leptos puts on its scripts.
    #[cfg(feature = "ssr")]
    crate::server::security_headers::set_page_policy();
    if !interactive {
        // What `HydrationScripts islands=true` would have said: outside islands, the HTML
        // needs no hydration markers.
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // No icon file: without this the browser asks for /favicon.ico on every first
                // visit, one more round trip on a slow network for a "not found" page.
                <link rel="icon" href="data:," />
                <AutoReload options=options.clone() />
                <Stylesheet options=options.clone() />
                // Islands: only the parts of a page that change in the browser (referral
                // cards, live notices) hydrate; the rest is plain server-rendered HTML with
                // plain forms, and ships no code to the browser.
                {interactive.then(|| view! { <HydrationScripts options islands=true /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet: inlined where the server has the built file (`server::stylesheet`);
/// otherwise a link to it (its name carries its hash, cargo-leptos `hash-files`).
#[component]
fn Stylesheet(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(css) = crate::server::stylesheet::inline_stylesheet(&options) {
        let nonce = leptos::nonce::use_nonce();
        return view! { <style id="leptos" nonce=nonce inner_html=css></style> }.into_any();
    }
    view! { <HashedStylesheet options id="leptos" /> }.into_any()
}

/// The signed-in user, refetched after log in, sign up and log out.
pub type UserResource = Resource<Result<Option<SessionUser>, AppError>>;

/// The account actions, shared so the header and the pages see the same state.
#[derive(Clone, Copy)]
pub struct AccountActions {
    pub log_in: ServerAction<LogIn>,
    pub sign_up: ServerAction<SignUp>,
    pub log_out: ServerAction<LogOut>,
}

/// The page's language: the request's on the server; in the browser, the one the server
/// wrote into `<html lang>`, so hydration finds the very same words.
fn page_language() -> Lang {
    #[cfg(feature = "ssr")]
    {
        crate::api::request::request_lang()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }
}

/// The language of the page being rendered.
pub fn use_lang() -> Lang {
    // Islands hydrate without the page's context: they read `<html lang>`.
    use_context::<Lang>().unwrap_or_else(page_language)
}

/// Every sentence in the page's language: `t.log_in`, `fill(t.home_welcome, …)`.
pub fn use_strings() -> &'static Strings {
    use_lang().strings()
}

/// "Log in · Handoff", escaped for the document: leptos_meta 0.8 writes `<title>`'s text
/// into the page as it is, so a name holding `</title><script>` (a program from a feed, a
/// person a helper typed) would otherwise end the title and run. With islands the title is
/// never set again in the browser, so the escaped text is all that is ever read.
pub fn page_title(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 12);
    for c in name.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out.push_str(" · Handoff");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_cannot_end_the_title_element() {
        assert_eq!(
            super::page_title("</title><script>x</script> & co"),
            "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &amp; co · Handoff"
        );
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(page_language());
    let actions = AccountActions {
        log_in: ServerAction::new(),
        sign_up: ServerAction::new(),
        log_out: ServerAction::new(),
    };
    let user: UserResource = Resource::new(
        move || {
            (
                actions.log_in.version().get(),
                actions.sign_up.version().get(),
                actions.log_out.version().get(),
            )
        },
        |_| current_user(),
    );
    provide_context(actions);
    provide_context(user);
    provide_context(crate::api::forms::page_flash());
    view! {
        <Title text="Handoff" />
        // Every route streams in order: the HTML arrives complete and readable before (or
        // without) any JavaScript, which is what a seeker's slow phone needs.
        <Router>
            <components::header::Header />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let signed_in = matches!(user.await, Ok(Some(_)));
                    view! { <live::LiveIndicator signed_in /> }
                })}
            </Suspense>
            <main id="main">
                // Pages whose title names what they load (a program, a person) render
                // `Async`: the server sends them whole, their own title in the head (WCAG
                // 2.4.2); streamed in order, the head left before the name was known.
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::Home ssr=SsrMode::InOrder />
                    <Route path=path!("/login") view=pages::login::Login ssr=SsrMode::InOrder />
                    <Route path=path!("/signup") view=pages::signup::SignUp ssr=SsrMode::InOrder />
                    <Route path=path!("/signup/sent") view=pages::signup::SignUpSent ssr=SsrMode::InOrder />
                    <Route path=path!("/account") view=pages::account::AccountPage ssr=SsrMode::InOrder />
                    <Route path=path!("/email/:token") view=pages::account::ConfirmEmailChangePage ssr=SsrMode::InOrder />
                    <Route path=path!("/forgot") view=pages::password::ForgotPassword ssr=SsrMode::InOrder />
                    <Route path=path!("/reset/:token") view=pages::password::ResetPasswordPage ssr=SsrMode::InOrder />
                    <Route path=path!("/programs") view=pages::directory::Directory ssr=SsrMode::InOrder />
                    <Route path=path!("/programs/:id") view=pages::program::ProgramPage ssr=SsrMode::Async />
                    <Route path=path!("/programs/:id/connect") view=pages::connect::Connect ssr=SsrMode::Async />
                    <Route path=path!("/programs/:id/edit") view=pages::listing_edit::EditListingPage ssr=SsrMode::Async />
                    <Route path=path!("/programs/:id/suggest") view=pages::listing_edit::SuggestEditPage ssr=SsrMode::Async />
                    <Route path=path!("/programs/:id/sent") view=pages::program::ReferralSent ssr=SsrMode::InOrder />
                    <Route path=path!("/referrals") view=pages::referrals_for_me::ReferralsForMe ssr=SsrMode::InOrder />
                    <Route path=path!("/people") view=pages::people::People ssr=SsrMode::InOrder />
                    <Route path=path!("/people/:id") view=pages::people::PersonProfile ssr=SsrMode::Async />
                    <Route path=path!("/inbound") view=pages::inbound::Inbound ssr=SsrMode::InOrder />
                    <Route path=path!("/reports") view=pages::reports::Reports ssr=SsrMode::InOrder />
                    <Route path=path!("/groups") view=pages::groups::Groups ssr=SsrMode::InOrder />
                    <Route path=path!("/invitations/:token") view=pages::links::AcceptInvitationPage ssr=SsrMode::InOrder />
                    <Route path=path!("/claims/:token") view=pages::links::VerifyClaimPage ssr=SsrMode::InOrder />
                    <Route path=path!("/verify/:token") view=pages::links::VerifyEmailPage ssr=SsrMode::InOrder />
                    <Route path=path!("/r/:token") view=pages::status_link::StatusLinkPage ssr=SsrMode::InOrder />
                    <Route path=path!("/admin") view=pages::admin::Admin ssr=SsrMode::InOrder />
                    <Route path=path!("/admin/groups") view=pages::admin_groups::AdminGroups ssr=SsrMode::InOrder />
                    <Route path=path!("/admin/exports") view=pages::reports::AdminExports ssr=SsrMode::InOrder />
                    <Route path=path!("/admin/audit") view=pages::admin_audit::AdminAudit ssr=SsrMode::InOrder />
                    <Route path=path!("/admin/imports/:id") view=pages::admin_imports::DirectoryImportPage ssr=SsrMode::InOrder />
                    <Route path=path!("/admin/organizations") view=pages::admin_directory::AdminOrganizations ssr=SsrMode::InOrder />
                    <Route path=path!("/admin/organizations/:id") view=pages::admin_directory::AdminOrganizationPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/suggestions") view=pages::admin_directory::AdminSuggestions ssr=SsrMode::InOrder />
                </Routes>
            </main>
        </Router>
    }
}
