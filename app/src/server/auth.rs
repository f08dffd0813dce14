//! Passwords, session tokens and login throttling.
//!
//! - Passwords: argon2id with m = 19456 KiB, t = 2, p = 1 (OWASP's first recommended set),
//!   hashed on tokio's blocking pool so a login never stalls the async threads.
//! - Sessions: a 256-bit random token in an HttpOnly, SameSite=Lax cookie (Secure over
//!   https); the database keeps its SHA-256. Every login makes a new token.
//! - Throttling: failures are counted in the database (so every server instance sees them)
//!   per pair of account and client address, with a delay that grows with each failure, so
//!   a stranger's guesses from elsewhere never lock the owner out, and one person's typos
//!   never lock out the rest of a library or agency behind the same address; and per client
//!   address over all accounts, against password spraying.

use super::Store;
use super::clock::{DAY_MS, MINUTE_MS, now_ms};
use crate::error::AppError;
use crate::model::{EmailAddress, Password, UserId};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub const SESSION_COOKIE: &str = "handoff_session";
/// The name over https: the `__Host-` prefix makes the browser accept the cookie only from
/// this very host, over TLS, for path `/`, so no sibling subdomain can plant a session.
pub const SECURE_SESSION_COOKIE: &str = "__Host-handoff_session";

/// The session cookie's name for this deployment (only that name is read back).
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}
pub const SESSION_LIFETIME_MS: i64 = 7 * DAY_MS;
pub const THROTTLE_WINDOW_MS: i64 = 15 * MINUTE_MS;
/// Failures of one account from one address before each next try must wait.
pub const FREE_FAILURES_PER_PAIR: i64 = 3;
/// The first wait; each further failure doubles it, up to the throttle window.
pub const FIRST_DELAY_MS: i64 = 30_000;
/// Failures from one address, over every account, in the window.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 100;

/// How long the next log-in attempt for one account from one address must wait after
/// `failures` recent failures (the last at `last_failure`): nothing for the first few,
/// then 30 s, 1 min, 2 min, … up to the 15-minute window.
pub fn login_delay_ms(failures: i64) -> i64 {
    if failures < FREE_FAILURES_PER_PAIR {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES_PER_PAIR).min(10) as u32;
    (FIRST_DELAY_MS << doublings).min(THROTTLE_WINDOW_MS)
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// 32 random bytes, URL-safe base64 (43 characters).
pub use super::tokens::{random_token, token_hash};

/// At most this many argon2 computations at once (19 MiB each): a burst of logins or
/// sign-ups queues instead of exhausting memory and starving other work.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

pub async fn hash_password(password: &Password) -> Result<String, AppError> {
    let password = password.expose().to_string();
    let _permit = HASHING.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Verifies a password. With no stored hash (unknown email) it still does the same work
/// against a fixed hash, so timing does not reveal which emails have accounts.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, AppError> {
    let _permit = HASHING.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        let matches = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
    .map_err(AppError::internal)?
}

static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(random_token().as_bytes(), &salt)
        .expect("hashing a random token")
        .to_string()
});

/// Checks the throttle, then the password. A failure is recorded against the pair of
/// account and address and against the address; a success clears the pair's record.
pub async fn check_login(
    store: &Store,
    email: &EmailAddress,
    password: String,
    client: &str,
) -> Result<UserId, AppError> {
    let now = now_ms();
    let since = now - THROTTLE_WINDOW_MS;
    let pair_key = format!("login:{email}|{client}");
    let address_key = format!("ip:{client}");
    // Record the attempt first, then judge it by every other one the database holds: a
    // burst of parallel guesses sees itself, instead of each finding the count still low.
    // A refused attempt takes its records back, so waiting is never made longer by asking.
    let pair_attempt = store.record_login_failure(&pair_key, now).await?;
    let address_attempt = store.record_login_failure(&address_key, now).await?;
    let take_back = || async {
        store.delete_login_failure(pair_attempt).await?;
        store.delete_login_failure(address_attempt).await
    };
    let (earlier, last) = store
        .login_failures_besides(&pair_key, since, pair_attempt)
        .await?;
    let retry_at = last.unwrap_or(now) + login_delay_ms(earlier);
    if earlier > 0 && retry_at > now {
        take_back().await?;
        return Err(throttled_until(retry_at, now));
    }
    let (from_address, oldest) = store.login_failures_since(&address_key, since).await?;
    if from_address > MAX_FAILURES_PER_ADDRESS {
        take_back().await?;
        return Err(throttled_until(
            oldest.unwrap_or(now) + THROTTLE_WINDOW_MS,
            now,
        ));
    }
    let credentials = store.credentials(email).await?;
    let stored = credentials.as_ref().map(|c| c.password_hash.clone());
    if verify_password(password, stored).await? {
        store.clear_login_failures(&pair_key).await?;
        take_back().await?;
        // `verify_password` answered true, so the credentials exist.
        credentials
            .map(|c| c.id)
            .ok_or(AppError::InvalidCredentials)
    } else {
        Err(AppError::InvalidCredentials)
    }
}

fn throttled_until(retry_at: i64, now: i64) -> AppError {
    let minutes = ((retry_at - now).max(0) as u64)
        .div_ceil(MINUTE_MS as u64)
        .max(1);
    AppError::Throttled {
        retry_after_minutes: minutes,
    }
}

/// Counts one use of an anonymous, email-sending or expensive action from an address, and
/// refuses once `limit` uses fall within the throttle window.
pub async fn throttle_per_address(
    store: &Store,
    action: &str,
    client: &str,
    limit: i64,
) -> Result<(), AppError> {
    let key = format!("{action}:{client}");
    count_use(store, &key, limit).await
}

/// Like `throttle_per_address`, but answers whether the use was within the limit instead
/// of refusing: for emails sent quietly (a refusal would tell the asker something).
pub async fn within_limit(store: &Store, key: &str, limit: i64) -> Result<bool, AppError> {
    match count_use(store, key, limit).await {
        Ok(()) => Ok(true),
        Err(AppError::Throttled { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Records one use of `key`, then counts the uses in the window, this one included: of
/// any number of requests at once, at most `limit` pass. A refused use is taken back.
async fn count_use(store: &Store, key: &str, limit: i64) -> Result<(), AppError> {
    let now = now_ms();
    let mine = store.record_login_failure(key, now).await?;
    let (count, oldest) = store
        .login_failures_since(key, now - THROTTLE_WINDOW_MS)
        .await?;
    if count <= limit {
        return Ok(());
    }
    store.delete_login_failure(mine).await?;
    Err(throttled_until(
        oldest.unwrap_or(now) + THROTTLE_WINDOW_MS,
        now,
    ))
}

/// Starts a session: returns the cookie token (only the hash is stored).
pub async fn start_session(store: &Store, user: UserId) -> Result<String, AppError> {
    let token = random_token();
    let now = now_ms();
    store
        .create_session(&token_hash(&token), user, now, now + SESSION_LIFETIME_MS)
        .await?;
    Ok(token)
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        session_cookie_name(secure),
        SESSION_LIFETIME_MS / 1000,
        if secure { "; Secure" } else { "" }
    )
}

pub fn expired_session_cookie(secure: bool) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        session_cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// The value of one cookie from the request's `Cookie` headers.
pub fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_with_the_chosen_parameters_and_verify() {
        let password = Password::parse("correct horse battery").unwrap();
        let hash = hash_password(&password).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify_password("correct horse battery".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify_password("wrong horse battery".into(), Some(hash))
                .await
                .unwrap()
        );
        assert!(
            !verify_password("correct horse battery".into(), None)
                .await
                .unwrap()
        );
    }

    #[test]
    fn login_delays_start_after_a_few_typos_and_grow_to_the_window() {
        assert_eq!(login_delay_ms(0), 0);
        assert_eq!(login_delay_ms(2), 0);
        assert_eq!(login_delay_ms(3), 30_000);
        assert_eq!(login_delay_ms(4), 60_000);
        assert_eq!(login_delay_ms(5), 120_000);
        assert_eq!(login_delay_ms(9), THROTTLE_WINDOW_MS);
        assert_eq!(login_delay_ms(1_000), THROTTLE_WINDOW_MS);
        for n in 0..40 {
            assert!(login_delay_ms(n + 1) >= login_delay_ms(n), "{n}");
        }
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let a = random_token();
        let b = random_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_on_https() {
        let c = session_cookie("tok", true);
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"),
            "{c}"
        );
        assert!(c.starts_with("__Host-handoff_session=tok; Path=/;"), "{c}");
        assert!(!c.contains("Domain"), "{c}");
        assert!(!session_cookie("tok", false).contains("Secure"));
        assert!(session_cookie("tok", false).starts_with("handoff_session=tok;"));
        assert!(expired_session_cookie(true).starts_with("__Host-handoff_session=;"));
        assert!(expired_session_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn cookie_values_are_found_among_others() {
        let mut h = axum::http::HeaderMap::new();
        h.append("cookie", "a=1; handoff_session=xyz; b=2".parse().unwrap());
        assert_eq!(cookie_value(&h, SESSION_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(cookie_value(&h, "missing"), None);
    }
}
