//! Accounts: sign up, log in, log out, and who is signed in.

use crate::error::AppError;
use crate::model::UserId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the browser may know about the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub is_site_admin: bool,
    /// Referrals made for this email appear only once it is confirmed.
    pub email_verified: bool,
    /// Names of the groups the user helps with.
    pub groups: Vec<String>,
    /// How many programs the user is staff of.
    pub programs: usize,
}

#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    use super::request::{signed_in_user, state};
    let state = state()?;
    let Some(user) = signed_in_user(&state).await? else {
        return Ok(None);
    };
    let groups = super::request::group_names_of(&state, user.id).await?;
    let viewer = super::request::viewer_of(&state.store, user.id).await?;
    Ok(Some(SessionUser {
        id: user.id,
        is_site_admin: user.is_site_admin(),
        email_verified: user.email_verified(),
        name: user.name,
        email: user.email,
        groups,
        programs: viewer.staff_of.len(),
    }))
}

/// Signs up. The answer is the same whether or not the address already has an account
/// ("check your email"), so sign-up cannot be used to learn who uses Handoff: a new address
/// gets its confirmation link, a taken one an email telling its owner. Nobody is signed in
/// here; the confirmation link does that, for whoever proves they hold the account.
#[server(endpoint = "sign_up")]
pub async fn sign_up(name: String, email: String, password: String) -> Result<(), AppError> {
    use super::request::{client_address, request_lang, state};
    use crate::error::FormCheck;
    use crate::model::{EmailAddress, Language, Password, PersonName};
    use crate::server::auth::{hash_password, throttle_per_address, within_limit};
    use crate::server::mail::one_time::NewOneTimeLink;
    use crate::server::store::NewUser;

    let state = state()?;
    // 60 in 15 minutes from one address: a class signing up together in a library lab
    // (one address for all) gets through; a script making accounts by the thousand does not.
    throttle_per_address(&state.store, "signup", &client_address(), 60).await?;
    let mut form = FormCheck::new();
    let name = form.field("name", PersonName::parse(&name));
    let email = form.field("email", EmailAddress::parse(&email));
    let password = form.field("password", Password::parse(&password));
    form.finish()?;
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(AppError::internal("FormCheck passed with a missing field"));
    };
    // Hashed in both cases, so the answer takes as long for a taken address.
    let password_hash = hash_password(&password).await?;
    let key = state.config.secret.bytes();
    let existing = state.store.user_by_email(&email).await?;
    let created = match existing {
        Some(_) => None,
        None => {
            let link = NewOneTimeLink::new(key, "verify");
            let payload = account_payload(&name.first_name_last_initial(), &email, &link);
            let new = NewUser {
                name,
                email: email.clone(),
                // The language the sign-up page was in: emails follow it.
                language: Language::parse(request_lang().code()).map_err(AppError::internal)?,
                password_hash,
                email_verified: false,
                is_site_admin: false,
            };
            match state
                .store
                .create_user_to_verify(&new, &link.token_hash, &payload)
                .await
                .map_err(AppError::from)
            {
                Ok(id) => Some(id),
                // Taken between the look-up and the insert: the same as taken before.
                Err(AppError::Validation(_)) => None,
                Err(e) => return Err(e),
            }
        }
    };
    if created.is_none() {
        // Tell the owner, at most 3 times in 15 minutes, so nobody can flood their inbox.
        if let Some(owner) = state.store.user_by_email(&email).await?
            && owner.disabled_at.is_none()
            && within_limit(&state.store, &format!("account_exists:{email}"), 3).await?
        {
            let link = NewOneTimeLink::new(key, "reset");
            let payload = account_payload(&short_name(&owner.name), &email, &link);
            state
                .store
                .notify_existing_account(&owner, &link.token_hash, &payload)
                .await?;
        }
    }
    leptos_axum::redirect("/signup/sent");
    Ok(())
}

/// The payload of an account email: who it greets, the address, the link's seed.
#[cfg(feature = "ssr")]
fn account_payload(
    name: &str,
    email: &crate::model::EmailAddress,
    link: &crate::server::mail::one_time::NewOneTimeLink,
) -> crate::model::email::EmailPayload {
    crate::model::email::EmailPayload::Account(crate::model::email::AccountPayload {
        name: name.to_string(),
        email: email.as_str().to_string(),
        link: link.link.clone().into(),
    })
}

/// "Ana P." for an email's greeting.
#[cfg(feature = "ssr")]
fn short_name(name: &str) -> String {
    crate::model::change::short_name(name)
}

#[server(endpoint = "log_in")]
pub async fn log_in(email: String, password: String) -> Result<(), AppError> {
    use super::request::{client_address, session_token, set_cookie, state};
    use crate::model::EmailAddress;
    use crate::server::auth::{check_login, session_cookie, start_session, token_hash};

    let state = state()?;
    let email = EmailAddress::parse(&email).map_err(|m| AppError::field("email", m))?;
    if password.is_empty() {
        return Err(AppError::field(
            "password",
            crate::i18n::Key::err_password_missing,
        ));
    }
    use crate::model::audit::{AuditEntry, AuditEvent};
    let now = crate::server::clock::now_ms();
    let user = match check_login(&state.store, &email, password, &client_address()).await {
        Ok(user) => user,
        Err(e) => {
            // Which account was tried (if it exists) and from where; never what was typed.
            let subject = state.store.user_by_email(&email).await?.map(|u| u.id);
            let entry = AuditEntry {
                subject,
                actor_label: client_address(),
                detail: match e {
                    AppError::Throttled { .. } => "throttled",
                    AppError::InvalidCredentials => "wrong email or password",
                    _ => "refused",
                }
                .into(),
                ..AuditEntry::new(AuditEvent::LogInFailed, None, "/api/log_in")
            };
            state.store.record_audit(&[entry], now).await?;
            return Err(e);
        }
    };
    state
        .store
        .record_audit(
            &[AuditEntry::new(
                AuditEvent::LoggedIn,
                Some(user),
                "/api/log_in",
            )],
            now,
        )
        .await?;
    // The account's language follows the person to this browser.
    if let Some(lang) = state
        .store
        .user(user)
        .await?
        .and_then(|u| crate::i18n::Lang::from_tag(&u.language))
    {
        set_cookie(&crate::server::language::language_cookie(
            lang,
            state.config.secure_cookies(),
        ));
    }
    // A new session id at every login: a token planted before login is worthless after.
    if let Some(old) = session_token() {
        state.store.delete_session(&token_hash(&old)).await?;
    }
    // Persons made for this email by helpers become this seeker's, once the email is verified.
    state.store.link_persons_to_verified_user(user).await?;
    let token = start_session(&state.store, user).await?;
    set_cookie(&session_cookie(&token, state.config.secure_cookies()));
    leptos_axum::redirect("/");
    Ok(())
}

/// Mails a new confirmation link to the signed-in user's address (at most 5 in 15 minutes).
#[server(endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    use super::request::{require_user, state};
    use crate::model::EmailAddress;
    use crate::server::auth::throttle_per_address;
    use crate::server::mail::one_time::NewOneTimeLink;

    let state = state()?;
    let user = require_user(&state).await?;
    if user.email_verified() {
        return Err(AppError::Conflict(
            crate::i18n::Key::err_already_confirmed.into(),
        ));
    }
    throttle_per_address(&state.store, "resend_verification", &user.id.to_string(), 5).await?;
    let link = NewOneTimeLink::new(state.config.secret.bytes(), "verify");
    let email = EmailAddress::parse(&user.email).map_err(AppError::internal)?;
    let payload = account_payload(&short_name(&user.name), &email, &link);
    state
        .store
        .resend_verification(&user, &link.token_hash, &payload)
        .await
        .map_err(AppError::from)
}

/// What the confirmation page shows: which account the link confirms, and whether the
/// person opening it is signed in to that account, to another one, or to none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationInfo {
    pub account_name: String,
    pub account_email: String,
    /// The signed-in user's email, when someone is signed in.
    pub signed_in_as: Option<String>,
    /// Whether that signed-in user is the account the link confirms.
    pub is_this_account: bool,
}

#[server(endpoint = "verification_details")]
pub async fn verification_details(token: String) -> Result<VerificationInfo, AppError> {
    use super::request::{signed_in_user, state};
    use crate::server::auth::token_hash;
    let state = state()?;
    let account = state
        .store
        .verification_account(&token_hash(&token))
        .await?
        .ok_or_else(|| AppError::Conflict(crate::i18n::Key::err_verify_link.into()))?;
    let me = signed_in_user(&state).await?;
    Ok(VerificationInfo {
        is_this_account: me.as_ref().is_some_and(|u| u.id == account.id),
        signed_in_as: me.map(|u| u.email),
        account_name: account.name,
        account_email: account.email,
    })
}

/// Uses the link from the confirmation email. Only the account's holder can: signed in to
/// that account, or giving its password here (which signs them in). Holding the link proves
/// the mailbox; the session or password proves the account; persons made for the address
/// are linked only when both are the same person.
#[server(endpoint = "verify_email")]
pub async fn verify_email(
    token: String,
    #[server(default)] password: Option<String>,
) -> Result<(), AppError> {
    use super::request::{client_address, session_token, set_cookie, signed_in_user, state};
    use crate::model::EmailAddress;
    use crate::server::auth::{check_login, session_cookie, start_session, token_hash};

    let state = state()?;
    let hash = token_hash(&token);
    let account = state
        .store
        .verification_account(&hash)
        .await?
        .ok_or_else(|| AppError::Conflict(crate::i18n::Key::err_verify_link.into()))?;
    match signed_in_user(&state).await? {
        Some(me) if me.id == account.id => {}
        Some(_) => {
            return Err(AppError::Conflict(
                crate::i18n::Key::err_link_other_account.into(),
            ));
        }
        None => {
            let password = password.unwrap_or_default();
            if password.is_empty() {
                return Err(AppError::field(
                    "password",
                    crate::i18n::Key::err_password_missing,
                ));
            }
            let email = EmailAddress::parse(&account.email).map_err(AppError::internal)?;
            let user = check_login(&state.store, &email, password, &client_address()).await?;
            if user != account.id {
                return Err(AppError::InvalidCredentials);
            }
            if let Some(old) = session_token() {
                state.store.delete_session(&token_hash(&old)).await?;
            }
            let session = start_session(&state.store, user).await?;
            set_cookie(&session_cookie(&session, state.config.secure_cookies()));
        }
    }
    state.store.verify_email(&hash, account.id).await?;
    leptos_axum::redirect("/referrals");
    Ok(())
}

/// "This wasn't me": the holder of the address removes the unconfirmed account someone made
/// with it. Holding the link is enough: it went only to that address.
#[server(endpoint = "report_signup")]
pub async fn report_signup(token: String) -> Result<(), AppError> {
    use super::request::state;
    use crate::server::auth::token_hash;
    let state = state()?;
    let removed = match state
        .store
        .remove_unconfirmed_account(&token_hash(&token))
        .await
        .map_err(AppError::from)
    {
        Err(AppError::NotFound) => {
            return Err(AppError::Conflict(crate::i18n::Key::err_verify_link.into()));
        }
        other => other?,
    };
    tracing::warn!(
        user = %removed,
        "unconfirmed account removed by the address's owner"
    );
    super::request::access_changed(&state, removed).await?;
    Ok(())
}

/// Asks for a password-reset link. The answer is the same whether or not the address has an
/// account; at most 3 links an address and 10 requests a client in 15 minutes.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use super::request::{client_address, state};
    use crate::model::EmailAddress;
    use crate::server::auth::{throttle_per_address, within_limit};
    use crate::server::mail::one_time::NewOneTimeLink;

    let state = state()?;
    let email = EmailAddress::parse(&email).map_err(|m| AppError::field("email", m))?;
    throttle_per_address(&state.store, "password_reset", &client_address(), 10).await?;
    if let Some(user) = state.store.user_by_email(&email).await?
        && user.disabled_at.is_none()
        && within_limit(&state.store, &format!("password_reset:{email}"), 3).await?
    {
        let link = NewOneTimeLink::new(state.config.secret.bytes(), "reset");
        let payload = account_payload(&short_name(&user.name), &email, &link);
        state
            .store
            .create_password_reset(&user, &link.token_hash, &payload)
            .await?;
    }
    Ok(())
}

/// Whether a password-reset link can still be used.
#[server(endpoint = "password_reset_usable")]
pub async fn password_reset_usable(token: String) -> Result<bool, AppError> {
    use super::request::state;
    use crate::server::auth::token_hash;
    state()?
        .store
        .password_reset_usable(&token_hash(&token))
        .await
        .map_err(AppError::from)
}

/// Sets a new password from a reset link: single use; every session of the account ends
/// (an attacker signed in elsewhere is out), and this browser is signed in afresh.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use super::request::{session_token, set_cookie, state};
    use crate::model::Password;
    use crate::server::auth::{hash_password, session_cookie, start_session, token_hash};

    let state = state()?;
    let password = Password::parse(&password).map_err(|m| AppError::field("password", m))?;
    let hash = hash_password(&password).await?;
    let notice = super::account::account_notice(&state);
    let user = match state
        .store
        .reset_password(&token_hash(&token), &hash, &notice)
        .await
        .map_err(AppError::from)
    {
        Err(AppError::NotFound) => {
            return Err(AppError::Conflict(crate::i18n::Key::err_reset_link.into()));
        }
        other => other?,
    };
    super::request::access_changed(&state, user).await?;
    if let Some(old) = session_token() {
        state.store.delete_session(&token_hash(&old)).await?;
    }
    let session = start_session(&state.store, user).await?;
    set_cookie(&session_cookie(&session, state.config.secure_cookies()));
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    use super::request::{session_token, set_cookie, state};
    use crate::server::auth::{expired_session_cookie, token_hash};
    use crate::server::clock::now_ms;

    let state = state()?;
    if let Some(token) = session_token() {
        let hash = token_hash(&token);
        let user = state.store.session_user(&hash, now_ms()).await?;
        state.store.delete_session(&hash).await?;
        // This session's live streams end now, not at their next periodic check.
        if let Some(user) = user {
            super::request::access_changed(&state, user.id).await?;
        }
    }
    set_cookie(&expired_session_cookie(state.config.secure_cookies()));
    leptos_axum::redirect("/");
    Ok(())
}
