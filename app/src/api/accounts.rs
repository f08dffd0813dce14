//! Accounts: sign up, log in, log out, and who is signed in.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the browser may know about the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
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
    let groups = state.store.memberships(user.id).await?;
    let viewer = state.store.viewer(user.id).await?;
    Ok(Some(SessionUser {
        id: user.id,
        is_site_admin: user.is_site_admin(),
        email_verified: user.email_verified != 0,
        name: user.name,
        email: user.email,
        groups: groups.into_iter().map(|(g, _)| g.name).collect(),
        programs: viewer.staff_of.len(),
    }))
}

#[server(endpoint = "sign_up")]
pub async fn sign_up(name: String, email: String, password: String) -> Result<(), AppError> {
    use super::request::{client_address, request_lang, session_token, set_cookie, state};
    use crate::error::FormCheck;
    use crate::model::{EmailAddress, Language, Password, PersonName};
    use crate::server::auth::{
        hash_password, random_token, session_cookie, start_session, throttle_per_address,
        token_hash,
    };
    use crate::server::store::NewUser;

    let state = state()?;
    throttle_per_address(&state.store, "signup", &client_address(), 20).await?;
    let mut form = FormCheck::new();
    let name = form.field("name", PersonName::parse(&name));
    let email = form.field("email", EmailAddress::parse(&email));
    let password = form.field("password", Password::parse(&password));
    form.finish()?;
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(AppError::internal("FormCheck passed with a missing field"));
    };
    let password_hash = hash_password(&password).await?;
    // The account works at once; referrals made for this email appear once it is verified
    // (otherwise anyone could sign up with a seeker's address and read their referrals).
    let verification = random_token();
    let payload = serde_json::json!({
        "name": name.first_name_last_initial(),
        "link": format!("{}/verify/{verification}", state.config.public_url),
    });
    let user = state
        .store
        .create_user_to_verify(
            &NewUser {
                name,
                email,
                // The language the sign-up page was in: emails follow it.
                language: Language::parse(request_lang().code()).map_err(AppError::internal)?,
                password_hash,
                email_verified: false,
                is_site_admin: false,
            },
            &token_hash(&verification),
            &payload,
        )
        .await?;
    if let Some(old) = session_token() {
        state.store.delete_session(&token_hash(&old)).await?;
    }
    let token = start_session(&state.store, user).await?;
    set_cookie(&session_cookie(&token, state.config.secure_cookies()));
    leptos_axum::redirect("/");
    Ok(())
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
    let user = check_login(&state.store, &email, password, &client_address()).await?;
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
    use crate::server::auth::{random_token, throttle_per_address, token_hash};

    let state = state()?;
    let user = require_user(&state).await?;
    if user.email_verified != 0 {
        return Err(AppError::Conflict(
            crate::i18n::Key::err_already_confirmed.into(),
        ));
    }
    throttle_per_address(&state.store, "resend_verification", &user.id.to_string(), 5).await?;
    let token = random_token();
    let short = crate::model::PersonName::parse(&user.name)
        .map(|n| n.first_name_last_initial())
        .unwrap_or_else(|_| user.name.clone());
    let payload = serde_json::json!({
        "name": short,
        "link": format!("{}/verify/{token}", state.config.public_url),
    });
    state
        .store
        .resend_verification(&user, &token_hash(&token), &payload)
        .await
}

/// Uses the link from the verification email. Works without a session (the link may be
/// opened on another device); referrals made for the email appear on the seeker's dashboard.
#[server(endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use super::request::state;
    use crate::server::auth::token_hash;

    let state = state()?;
    match state.store.verify_email(&token_hash(&token)).await {
        Err(AppError::NotFound) => {
            return Err(AppError::Conflict(crate::i18n::Key::err_verify_link.into()));
        }
        other => other?,
    };
    leptos_axum::redirect("/referrals");
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
            state.live_streams.sessions_ended(user.id);
        }
    }
    set_cookie(&expired_session_cookie(state.config.secure_cookies()));
    leptos_axum::redirect("/");
    Ok(())
}
