//! Forms that work without JavaScript, with their errors next to the fields.
//!
//! With JavaScript, an `ActionForm` calls its server function and shows the typed error it
//! gets back. Without it, the browser posts the form to the same server function; on error,
//! `server::forms::no_js_form_errors` stores the error and the (non-secret) values the user
//! typed in a short-lived cookie and sends the browser back to the form, which reads them
//! here; on success it leaves just that (so the page can say "Saved."). Both paths end in
//! the same view.

use crate::error::AppError;
use leptos::server::SharedValue;
use serde::{Deserialize, Serialize};

pub const FLASH_COOKIE: &str = "handoff_flash";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFlash {
    /// The server function's path, e.g. `/api/sign_up`: which form the outcome belongs to.
    pub form: String,
    /// Why the post failed; `None` when it succeeded.
    pub error: Option<AppError>,
    /// What the user typed, so nothing is lost (passwords are never kept).
    pub values: Vec<(String, String)>,
}

impl FormFlash {
    pub fn value(&self, field: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.clone())
    }
}

/// The flash left by a form post made without JavaScript, read once per page load.
///
/// On the server it is read from the cookie (and the cookie cleared) while rendering; the
/// value travels to the browser inside the page, so hydration sees the same thing.
pub fn page_flash() -> Option<FormFlash> {
    SharedValue::new(read_and_clear_flash).into_inner()
}

#[cfg(feature = "ssr")]
fn read_and_clear_flash() -> Option<FormFlash> {
    use super::request::set_cookie;
    use crate::server::auth::cookie_value;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use leptos::prelude::use_context;

    let parts = use_context::<axum::http::request::Parts>()?;
    let raw = cookie_value(&parts.headers, FLASH_COOKIE)?;
    set_cookie(&format!(
        "{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    ));
    let bytes = URL_SAFE_NO_PAD.decode(raw.as_bytes()).ok()?;
    serde_json::from_slice::<FormFlash>(&bytes).ok()
}

#[cfg(not(feature = "ssr"))]
fn read_and_clear_flash() -> Option<FormFlash> {
    None
}
