//! The operator's commands behind `handoff create-admin`, `migrate` and `check-config`:
//! what a deployment needs before anyone can log in. Kept here, not in the binary, so the
//! tests run them.

use super::Config;
use super::Store;
use super::store::NewUser;
use crate::i18n::Lang;
use crate::model::{EmailAddress, Language, Password, PersonName, UserId};

/// Makes the first (or another) site administrator, email confirmed (the operator vouches
/// for it). Refuses an address that already has an account: promoting an account someone
/// else may have made with that address is not this command's business.
pub async fn create_admin(
    store: &Store,
    name: &str,
    email: &str,
    password: &str,
) -> Result<UserId, String> {
    let en = |m: crate::i18n::Msg| m.render(Lang::En);
    let name = PersonName::parse(name).map_err(|m| format!("--name: {}", en(m)))?;
    let email = EmailAddress::parse(email).map_err(|m| format!("--email: {}", en(m)))?;
    let password = Password::parse(password).map_err(|m| format!("password: {}", en(m)))?;
    if store
        .user_by_email(&email)
        .await
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Err(format!("{email} already has an account"));
    }
    let password_hash = super::auth::hash_password(&password)
        .await
        .map_err(|e| format!("hashing the password failed: {e:?}"))?;
    store
        .create_user(&NewUser {
            name,
            email,
            language: Language::english(),
            password_hash,
            email_verified: true,
            is_site_admin: true,
        })
        .await
        .map_err(|e| e.to_string())
}

/// What `check-config` prints: the configuration (secrets redacted), and whether the
/// database answers. Err names what is wrong.
pub async fn check_config(
    var: impl Fn(&str) -> Option<String>,
    site_addr: &str,
) -> Result<String, String> {
    let config = Config::parse(var, site_addr)?;
    let store = Store::connect(&config.database_url)
        .await
        .map_err(|e| format!("DATABASE_URL: the database does not answer: {e}"))?;
    store
        .ping()
        .await
        .map_err(|e| format!("DATABASE_URL: the database does not answer: {e}"))?;
    let backend = store.backend().name();
    store.close().await;
    Ok(format!("{config:#?}\ndatabase: {backend}, reachable"))
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_bad_setting_is_named() {
        let err = super::check_config(
            |k| match k {
                "HANDOFF_SECRET" => Some("short".into()),
                _ => None,
            },
            "127.0.0.1:3000",
        )
        .await
        .unwrap_err();
        assert!(err.contains("HANDOFF_SECRET"), "{err}");
    }
}
