//! The language switch on every page.

use crate::error::AppError;
use leptos::prelude::*;

/// Keeps the chosen language in a cookie and, for a signed-in user, on the account (their
/// emails follow it too), then goes back to the page the switch was on. Posted as a plain
/// form, with or without JavaScript: the next page is rendered whole in the new language.
#[server(endpoint = "set_language")]
pub async fn set_language(lang: String, return_to: String) -> Result<(), AppError> {
    use super::request::{set_cookie, signed_in_user, state};
    use crate::i18n::{Key, Lang};
    use crate::model::Language;
    use crate::server::language::language_cookie;

    let state = state()?;
    let lang = match lang.as_str() {
        "en" => Lang::En,
        "es" => Lang::Es,
        _ => return Err(AppError::field("lang", Key::err_language_choice)),
    };
    set_cookie(&language_cookie(lang, state.config.secure_cookies()));
    if let Some(user) = signed_in_user(&state).await? {
        let language = Language::parse(lang.code()).map_err(AppError::internal)?;
        state.store.set_user_language(user.id, &language).await?;
    }
    leptos_axum::redirect(&local_path(&return_to));
    Ok(())
}

/// Only a path on this site: `return_to` comes from the form and must not send anyone away.
#[cfg(feature = "ssr")]
fn local_path(return_to: &str) -> String {
    let ok = return_to.starts_with('/')
        && !return_to.starts_with("//")
        && !return_to.contains(['\\', '\r', '\n']);
    if ok { return_to.into() } else { "/".into() }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::local_path;

    #[test]
    fn return_to_stays_on_this_site() {
        assert_eq!(local_path("/programs/3?q=food"), "/programs/3?q=food");
        for away in [
            "https://evil.test/",
            "//evil.test",
            "/\\evil.test",
            "",
            "programs",
        ] {
            assert_eq!(local_path(away), "/", "{away}");
        }
    }
}
