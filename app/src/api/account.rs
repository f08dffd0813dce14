//! The signed-in user's own account: name, phone and language; a new email (confirmed at
//! the new address before it takes effect); a new password (asks the current one); and
//! logging out everywhere. Every change of password ends the account's other sessions.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetails {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub language: String,
}

#[server(endpoint = "account_settings")]
pub async fn account_settings() -> Result<AccountDetails, AppError> {
    use super::request::{require_user, state};
    let user = require_user(&state()?).await?;
    Ok(AccountDetails {
        name: user.name,
        email: user.email,
        phone: user.phone.unwrap_or_default(),
        language: user.language,
    })
}

#[server(endpoint = "update_profile")]
pub async fn update_profile(name: String, phone: String, language: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    use crate::error::FormCheck;
    use crate::model::{Language, PersonName, PhoneNumber};
    let state = state()?;
    let user = require_user(&state).await?;
    let mut form = FormCheck::new();
    let name = form.field("name", PersonName::parse(&name));
    let phone = if phone.trim().is_empty() {
        None
    } else {
        form.field("phone", PhoneNumber::parse(&phone))
    };
    let language = form.field("language", Language::parse(&language));
    form.finish()?;
    let (Some(name), Some(language)) = (name, language) else {
        return Err(AppError::internal("FormCheck passed with a missing field"));
    };
    state
        .store
        .update_profile(user.id, &name, phone.as_ref(), &language)
        .await
        .map_err(AppError::from)
}

/// Changes the password, given the current one; the account's other sessions end (this
/// one stays signed in).
#[server(endpoint = "change_password")]
pub async fn change_password(current: String, password: String) -> Result<(), AppError> {
    use super::request::{require_user, session_token, state};
    use crate::model::Password;
    use crate::server::auth::{hash_password, throttle_per_address, token_hash, verify_password};
    let state = state()?;
    let user = require_user(&state).await?;
    let new = Password::parse(&password).map_err(|m| AppError::field("password", m))?;
    throttle_per_address(&state.store, "change_password", &user.id.to_string(), 5).await?;
    let stored = state.store.password_hash(user.id).await?;
    if !verify_password(current, stored).await? {
        return Err(AppError::field(
            "current",
            crate::i18n::Key::err_wrong_password,
        ));
    }
    let hash = hash_password(&new).await?;
    let keep = session_token().map(|t| token_hash(&t)).unwrap_or_default();
    state
        .store
        .set_password_ending_other_sessions(user.id, &hash, &keep, &account_notice(&state))
        .await?;
    super::request::access_changed(&state, user.id).await?;
    Ok(())
}

/// Asks to use a new address: a link goes to it, and the account's email changes only when
/// it is opened, signed in to this account. The current password is asked for, so a
/// browser left signed in cannot hand the account to someone else's address.
#[server(endpoint = "request_email_change")]
pub async fn request_email_change(email: String, current: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    use crate::model::EmailAddress;
    use crate::server::auth::{throttle_per_address, verify_password};
    use crate::server::mail::one_time::NewOneTimeLink;
    let state = state()?;
    let user = require_user(&state).await?;
    let email = EmailAddress::parse(&email).map_err(|m| AppError::field("email", m))?;
    throttle_per_address(&state.store, "email_change", &user.id.to_string(), 5).await?;
    let stored = state.store.password_hash(user.id).await?;
    if !verify_password(current, stored).await? {
        return Err(AppError::field(
            "current",
            crate::i18n::Key::err_wrong_password,
        ));
    }
    let link = NewOneTimeLink::new(state.config.secret.bytes(), "email");
    use crate::model::email::{AccountPayload, EmailPayload};
    let payload = EmailPayload::Account(AccountPayload {
        name: crate::model::change::short_name(&user.name),
        email: email.as_str().to_string(),
        link: link.link.into(),
    });
    state
        .store
        .request_email_change(&user, &email, &link.token_hash, &payload)
        .await
        .map_err(AppError::from)
}

/// Uses the link sent to the new address, signed in to the account that asked for it.
#[server(endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    use super::request::{require_user, state};
    use crate::server::auth::token_hash;
    let state = state()?;
    let user = require_user(&state).await?;
    state
        .store
        .confirm_email_change(&token_hash(&token), user.id, &account_notice(&state))
        .await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// The password-reset link that goes with an "account changed" notice.
#[cfg(feature = "ssr")]
pub(crate) fn account_notice(state: &crate::server::AppState) -> crate::server::store::AccountLink {
    let link =
        crate::server::mail::one_time::NewOneTimeLink::new(state.config.secret.bytes(), "reset");
    crate::server::store::AccountLink {
        token_hash: link.token_hash,
        link: link.link,
    }
}

/// Ends every session of the account, this one too, and every open live stream.
#[server(endpoint = "log_out_everywhere")]
pub async fn log_out_everywhere() -> Result<(), AppError> {
    use super::request::{require_user, set_cookie, state};
    use crate::server::auth::expired_session_cookie;
    let state = state()?;
    let user = require_user(&state).await?;
    state.store.end_all_sessions(user.id).await?;
    super::request::access_changed(&state, user.id).await?;
    set_cookie(&expired_session_cookie(state.config.secure_cookies()));
    leptos_axum::redirect("/login");
    Ok(())
}
