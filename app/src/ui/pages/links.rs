//! Pages opened from emailed links. Opening one (GET) changes nothing; the button does.

use crate::api::accounts::{ReportSignup, VerifyEmail, verification_details};
use crate::api::claims::VerifyClaim;
use crate::api::groups::{AcceptInvitation, invitation_details};
use crate::i18n::fill;
use crate::ui::components::form::{BackHere, Field, FormAlert, form_error, form_succeeded};
use crate::ui::{page_title, use_lang, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn token() -> String {
    use_params_map().with_untracked(|p| p.get("token").unwrap_or_default())
}

/// An invitation names the address it was sent to; only the account holding that address,
/// confirmed, gets the button.
#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let error = form_error(action);
    let token = token();
    let details = Resource::new(|| (), {
        let token = token.clone();
        move |_| invitation_details(token.clone())
    });
    let (t, lang) = (use_strings(), use_lang());
    view! {
        <Title text=page_title(t.invite_title) />
        <h1>{t.invite_heading}</h1>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match details.await {
                        Err(e) => view! {
                            <div class="form-alert" role="alert"><p>{e.message(lang)}</p></div>
                        }.into_any(),
                        Ok(d) => {
                            let for_email = fill(t.invite_for_email, &[("email", &d.invited_email)]);
                            let next = match (d.may_accept, d.signed_in_as) {
                                (true, Some(me)) => view! {
                                    <p>{fill(t.invite_accept_as, &[("name", &me)])}</p>
                                    <ActionForm action>
                                        <FormAlert error />
                                        <BackHere />
                                        <input type="hidden" name="token" value=token />
                                        <button type="submit">{t.invite_accept}</button>
                                    </ActionForm>
                                }.into_any(),
                                (_, Some(me)) => view! {
                                    <p role="alert">{fill(t.invite_wrong_account, &[("email", &me)])}</p>
                                }.into_any(),
                                (_, None) => view! {
                                    <p>{t.invite_log_in_first}</p>
                                    <p class="actions"><a class="button" href="/login">{t.log_in}</a> " " <a class="button secondary" href="/signup">{t.sign_up}</a></p>
                                }.into_any(),
                            };
                            view! { <p>{for_email}</p> {next} }.into_any()
                        }
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
    let t = use_strings();
    view! {
        <Title text=page_title(t.claim_title) />
        <h1>{t.claim_heading}</h1>
        <p>{t.claim_body}</p>
        <ActionForm action>
            <FormAlert error />
            <BackHere />
            <input type="hidden" name="token" value=token() />
            <button type="submit">{t.claim_confirm}</button>
        </ActionForm>
    }
}

/// The email confirmation page names the account it confirms. The account's holder confirms
/// it signed in, or with its password; the address's owner who did not make the account
/// removes it ("This wasn't me").
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let confirm = ServerAction::<VerifyEmail>::new();
    let report = ServerAction::<ReportSignup>::new();
    let error = form_error(confirm);
    let report_error = form_error(report);
    let removed = form_succeeded(report);
    let token = token();
    let details = Resource::new(|| (), {
        let token = token.clone();
        move |_| verification_details(token.clone())
    });
    let (t, lang) = (use_strings(), use_lang());
    view! {
        <Title text=page_title(t.confirm_email_heading) />
        <h1>{t.confirm_email_heading}</h1>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    let details = details.await;
                    if removed.get() {
                        return view! { <p role="status">{t.verify_removed}</p> }.into_any();
                    }
                    let d = match details {
                        Ok(d) => d,
                        Err(e) => return view! {
                            <div class="form-alert" role="alert"><p>{e.message(lang)}</p></div>
                        }.into_any(),
                    };
                    let which = fill(
                        t.verify_for_account,
                        &[("email", &d.account_email), ("name", &d.account_name)],
                    );
                    let (t1, t2, t3) = (token.clone(), token.clone(), token.clone());
                    let how = match (d.is_this_account, &d.signed_in_as) {
                        (true, _) => view! {
                            <p>{t.verify_body}</p>
                            <ActionForm action=confirm>
                                <FormAlert error />
                                <BackHere />
                                <input type="hidden" name="token" value=t1 />
                                <button type="submit">{t.verify_confirm}</button>
                            </ActionForm>
                        }.into_any(),
                        (false, Some(me)) => view! {
                            <p role="alert">{fill(t.verify_other_account, &[("email", me)])}</p>
                        }.into_any(),
                        (false, None) => view! {
                            <ActionForm action=confirm attr:class="stack" attr:novalidate=true>
                                <FormAlert error />
                                <BackHere />
                                <p>{t.verify_enter_password}</p>
                                <input type="hidden" name="token" value=t2 />
                                <Field label=t.field_password name="password" kind="password" autocomplete="current-password" error />
                                <button type="submit">{t.verify_log_in_and_confirm}</button>
                            </ActionForm>
                        }.into_any(),
                    };
                    let not_you = (!d.is_this_account).then(|| view! {
                        <section class="notice-box" aria-labelledby="not-you">
                            <h2 id="not-you">{t.verify_not_you_heading}</h2>
                            <p>{t.verify_not_you}</p>
                            <ActionForm action=report>
                                <FormAlert error=report_error />
                                <BackHere />
                                <input type="hidden" name="token" value=t3 />
                                <button type="submit" class="secondary">{t.verify_remove}</button>
                            </ActionForm>
                        </section>
                    });
                    view! { <p>{which}</p> {how} {not_you} }.into_any()
                })
            }}
        </Transition>
    }
}
