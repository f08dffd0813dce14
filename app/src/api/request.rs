//! Server-side helpers for server functions: the app state, the session's user, cookies.

use crate::error::AppError;
use crate::model::{UserId, Viewer};
use crate::server::AppState;
use crate::server::auth::{self, token_hash};
use crate::server::clock::now_ms;
use crate::server::identity::RequestIdentity;
use crate::server::store::UserRow;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

pub fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| AppError::internal("request Parts missing from context"))
}

/// The session cookie's name here: `__Host-…` when served over https.
fn session_cookie_name() -> &'static str {
    let secure = use_context::<AppState>().is_some_and(|s| s.config.secure_cookies());
    auth::session_cookie_name(secure)
}

/// The session token from the cookie, if any.
pub fn session_token() -> Option<String> {
    use_context::<Parts>().and_then(|p| auth::cookie_value(&p.headers, session_cookie_name()))
}

/// The identity the middleware loaded for this request (`server::identity`), or `None`
/// outside one (then it is read here, once per call).
fn request_identity() -> Option<RequestIdentity> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<RequestIdentity>().cloned())
}

/// The signed-in user, or `None`: read once per request by the middleware.
pub async fn signed_in_user(state: &AppState) -> Result<Option<UserRow>, AppError> {
    if let Some(RequestIdentity(found)) = request_identity() {
        return found.map(|i| i.map(|i| i.user.clone()));
    }
    let Some(token) = session_token() else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    let background = use_context::<Parts>()
        .is_some_and(|p| crate::server::identity::BACKGROUND_READS.contains(&p.uri.path()));
    if background {
        Ok(state.store.session_user(&hash, now_ms()).await?)
    } else {
        Ok(state.store.session_user_touching(&hash, now_ms()).await?)
    }
}

/// The signed-in user's group names, as loaded with the request's identity.
pub async fn group_names_of(state: &AppState, user: UserId) -> Result<Vec<String>, AppError> {
    if let Some(RequestIdentity(Ok(Some(identity)))) = request_identity()
        && identity.user.id == user
    {
        return Ok(identity.group_names.clone());
    }
    Ok(state.store.viewer_with_group_names(user).await?.1)
}

/// What `user` may see: from the request's identity when it is the signed-in user's (no
/// query), else from the database.
pub async fn viewer_of(store: &crate::server::Store, user: UserId) -> Result<Viewer, AppError> {
    if let Some(RequestIdentity(Ok(Some(identity)))) = request_identity()
        && identity.user.id == user
    {
        return Ok(identity.viewer.clone());
    }
    Ok(store.viewer(user).await?)
}

/// The signed-in user, or `Unauthorized`.
pub async fn require_user(state: &AppState) -> Result<UserRow, AppError> {
    signed_in_user(state).await?.ok_or(AppError::Unauthorized)
}

/// The signed-in user with a confirmed email, for actions that email someone else
/// (referring others, inviting, claiming): `Unauthorized`, or `Refused` until confirmed.
pub async fn require_confirmed_user(state: &AppState) -> Result<UserRow, AppError> {
    let user = require_user(state).await?;
    if !user.email_verified() {
        return Err(AppError::Refused(
            crate::i18n::Key::err_confirm_first.into(),
        ));
    }
    Ok(user)
}

/// The client's address for throttling: the TCP peer. (Behind a reverse proxy every
/// request shares the proxy's address; trusting X-Forwarded-For is future configuration.)
pub fn client_address() -> String {
    use_context::<Parts>()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Whether the request carries a session cookie (not whether it is still valid: that needs
/// the database, and a stale cookie only costs a download).
pub fn has_session_cookie() -> bool {
    use_context::<Parts>().is_some_and(|p| {
        crate::server::auth::cookie_value(&p.headers, session_cookie_name())
            .is_some_and(|v| !v.is_empty())
    })
}

/// The language this request is answered in (see `server::language`).
pub fn request_lang() -> crate::i18n::Lang {
    use_context::<Parts>()
        .and_then(|p| p.extensions.get::<crate::i18n::Lang>().copied())
        .unwrap_or_default()
}

pub fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(cookie),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// After committing a change of `user`'s sessions or access: their open streams on every
/// instance check again now (and end, if the session is gone).
pub async fn access_changed(state: &AppState, user: crate::model::UserId) -> Result<(), AppError> {
    state.live_streams.sessions_ended(user);
    Ok(state.store.access_changed(user).await?)
}
