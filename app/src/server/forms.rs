//! The no-JavaScript half of `api::forms`: turns a server function's error into a redirect
//! back to the form, with the error and the typed values in a short-lived cookie.

use crate::api::forms::{FLASH_COOKIE, FormFlash};
use crate::error::AppError;
use crate::server::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const MAX_FORM_BYTES: usize = 64 * 1024;
/// How much of a form over `MAX_FORM_BYTES` is read, to bring it back with what fits.
const MAX_READ_BYTES: usize = 1024 * 1024;
/// A value this long is over every field's limit (the longest is a note's, in characters
/// of up to 4 bytes): it is the one marked when a form is too large.
const LONG_VALUE_BYTES: usize = 4 * crate::model::NoteText::MAX;
/// Browsers cap a cookie near 4 KB; beyond this we keep the error and drop the values.
const MAX_FLASH_BYTES: usize = 3500;

fn is_plain_form_post(req: &Request) -> bool {
    let header_has = |name, needle: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains(needle))
    };
    req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && header_has(header::ACCEPT, "text/html")
        && header_has(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
}

pub async fn no_js_form_errors(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if !is_plain_form_post(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let form = parts.uri.path().to_string();
    // Over a megabyte nothing is read: the form comes back empty, with the reason.
    let bytes = to_bytes(body, MAX_READ_BYTES).await.unwrap_or_default();
    let values: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    // Back to the page the form said it is on (`ui::components::form::BackHere`: a page
    // whose address holds a token sends no Referer), else the one the browser came from.
    let named_back = values
        .iter()
        .find(|(k, _)| k == "_back")
        .map(|(_, v)| v.as_str())
        .and_then(local_path);
    let back = named_back.clone().unwrap_or_else(|| {
        same_origin_path(
            parts
                .headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok()),
            &state.config.public_url,
        )
    });
    if bytes.is_empty()
        && parts
            .headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|l| l != "0")
        || bytes.len() > MAX_FORM_BYTES
    {
        // Too large to handle: back to the form with what fits, the long field marked.
        let error = too_large(&values);
        return back_to_form(&state, &back, form, error, values);
    }
    let mut parts = parts;
    if let Some(named) = &named_back
        && let Ok(referer) = HeaderValue::from_str(named)
    {
        // server_fn sends a plain post back to its Referer, or to "/" without one: a page
        // that sent none (a token page) goes back to the page its form named instead.
        parts.headers.insert(header::REFERER, referer);
    }
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !response.headers().contains_key("serverfnerror") {
        // Done: the page the browser is sent back to can say so ("Saved.").
        if response.status().is_redirection() {
            let done = FormFlash {
                form,
                error: None,
                values: Vec::new(),
            };
            if let Ok(cookie) = HeaderValue::from_str(&flash_cookie(&done, &state)) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
        }
        return response;
    }
    let body = to_bytes(response.into_body(), MAX_FORM_BYTES)
        .await
        .unwrap_or_default();
    let error = serde_json::from_slice::<AppError>(&body).unwrap_or(AppError::Internal);
    back_to_form(&state, &back, form, error, values)
}

/// The error for a form too large to handle: each value longer than any field may be is
/// marked on its field; with none such, the form as a whole.
fn too_large(values: &[(String, String)]) -> AppError {
    use crate::i18n::{Key, Msg};
    use crate::model::FieldError;
    let mut fields: Vec<FieldError> = values
        .iter()
        .filter(|(_, v)| v.len() > LONG_VALUE_BYTES)
        .map(|(k, _)| FieldError {
            field: k.clone(),
            message: Msg::new(Key::err_too_long).with("max", crate::model::NoteText::MAX),
        })
        .collect();
    if fields.is_empty() {
        fields.push(FieldError {
            field: "form".into(),
            message: Key::err_form_too_large.into(),
        });
    }
    AppError::Validation(fields)
}

/// Sends the browser back to the form with the error and what was typed (never passwords;
/// values too long for the flash cookie are left out, the others kept).
fn back_to_form(
    state: &AppState,
    back: &str,
    form: String,
    error: AppError,
    values: Vec<(String, String)>,
) -> Response {
    let kept = values
        .into_iter()
        .filter(|(k, v)| {
            !k.contains("password") && !k.starts_with('_') && v.len() <= LONG_VALUE_BYTES
        })
        .map(|(k, v)| (k, v.chars().take(1000).collect()))
        .collect();
    let flash = FormFlash {
        form,
        error: Some(error),
        values: kept,
    };
    let cookie = flash_cookie(&flash, state);
    let mut redirect = Response::new(Body::empty());
    *redirect.status_mut() = StatusCode::SEE_OTHER;
    if let (Ok(location), Ok(cookie)) =
        (HeaderValue::from_str(back), HeaderValue::from_str(&cookie))
    {
        redirect.headers_mut().insert(header::LOCATION, location);
        redirect.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    redirect
}

/// The short-lived cookie that carries a plain post's outcome to the next page. Too large,
/// it drops what was typed and keeps the outcome.
fn flash_cookie(flash: &FormFlash, state: &AppState) -> String {
    let mut encoded = URL_SAFE_NO_PAD.encode(serde_json::to_vec(flash).unwrap_or_default());
    if encoded.len() > MAX_FLASH_BYTES {
        let outcome_only = FormFlash {
            values: Vec::new(),
            ..flash.clone()
        };
        encoded = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&outcome_only).unwrap_or_default());
    }
    format!(
        "{FLASH_COOKIE}={encoded}; Path=/; HttpOnly; SameSite=Lax; Max-Age=120{}",
        if state.config.secure_cookies() {
            "; Secure"
        } else {
            ""
        }
    )
}

/// The path of a same-site Referer (`/signup?x=1`), or `/`: never a redirect elsewhere.
fn same_origin_path(referer: Option<&str>, public_url: &str) -> String {
    let Some(referer) = referer else {
        return "/".into();
    };
    let path = referer
        .strip_prefix(public_url)
        .or_else(|| {
            // Also accept the address the browser actually used (e.g. a test port).
            let rest = referer
                .strip_prefix("http://")
                .or_else(|| referer.strip_prefix("https://"))?;
            rest.find('/').map(|i| &rest[i..])
        })
        .unwrap_or("/");
    local_path(path).unwrap_or_else(|| "/".into())
}

/// `path` if it can only lead to a page of this site: one leading slash, no backslash (some
/// browsers read `/\host` as `//host`), no tab or other control character (browsers drop
/// them, so `/\t/host` is `//host` too).
fn local_path(path: &str) -> Option<String> {
    (path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && HeaderValue::from_str(path).is_ok())
    .then(|| path.to_string())
}

/// Whether a POST comes from another site. A browser's `Sec-Fetch-Site` (which no page can
/// set) decides when present: only `same-origin` and `none` (typed by the user) pass. Without
/// it (an older browser, or a client that is not one), an `Origin` that names another host,
/// or is `null` (a sandboxed frame, a `data:` page, a redirect from elsewhere), is foreign;
/// no `Origin` at all is a client that is not a browser, which cookies' SameSite and the
/// session's own checks cover. `Sec-Fetch-Site` comes first because browsers also send
/// `Origin: null` for same-site posts from a page with `Referrer-Policy: no-referrer`.
fn is_cross_site(sec_fetch_site: Option<&str>, origin: Option<&str>, host: Option<&str>) -> bool {
    if let Some(site) = sec_fetch_site {
        return !matches!(site, "same-origin" | "none");
    }
    match origin {
        None => false,
        Some("null") => true,
        Some(origin) => {
            let origin_host = origin.split("://").nth(1).unwrap_or_default();
            host != Some(origin_host)
        }
    }
}

/// Refuses state-changing requests that come from another site (`is_cross_site`): SameSite=Lax
/// does not cover a login form posted from elsewhere.
pub async fn refuse_cross_site_posts(req: Request, next: Next) -> Response {
    if req.method() == Method::POST {
        let header = |name| {
            req.headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        if is_cross_site(header("sec-fetch-site"), header("origin"), header("host")) {
            return (StatusCode::FORBIDDEN, "Cross-site form posts are refused.").into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::{is_cross_site, local_path, same_origin_path};

    #[test]
    fn a_way_back_leads_only_to_this_sites_pages() {
        assert_eq!(local_path("/r/abc"), Some("/r/abc".into()));
        assert_eq!(
            local_path("/reports?from=2026-01-01"),
            Some("/reports?from=2026-01-01".into())
        );
        for away in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "https://evil.example",
            "",
            "r/x",
            "/a\nb",
        ] {
            assert_eq!(local_path(away), None, "{away:?}");
        }
    }

    #[test]
    fn a_post_from_another_site_or_from_nowhere_is_foreign() {
        let host = Some("handoff.example:3000");
        // The browser's own word decides.
        assert!(
            !is_cross_site(Some("same-origin"), Some("null"), host),
            "no-referrer page"
        );
        assert!(!is_cross_site(Some("none"), None, host));
        assert!(is_cross_site(
            Some("cross-site"),
            Some("http://handoff.example:3000"),
            host
        ));
        assert!(is_cross_site(
            Some("same-site"),
            Some("https://other.example"),
            host
        ));
        // Without it: the Origin.
        assert!(
            is_cross_site(None, Some("null"), host),
            "Origin: null is foreign"
        );
        assert!(is_cross_site(None, Some("https://evil.example"), host));
        assert!(
            is_cross_site(None, Some("http://handoff.example:4000"), host),
            "another port"
        );
        assert!(!is_cross_site(
            None,
            Some("http://handoff.example:3000"),
            host
        ));
        assert!(
            is_cross_site(None, Some("http://handoff.example:3000"), None),
            "no Host to match"
        );
        assert!(!is_cross_site(None, None, host), "not a browser");
    }

    #[test]
    fn redirects_stay_on_this_site() {
        let base = "http://127.0.0.1:3000";
        assert_eq!(
            same_origin_path(Some("http://127.0.0.1:3000/signup?x=1"), base),
            "/signup?x=1"
        );
        assert_eq!(
            same_origin_path(Some("http://127.0.0.1:4123/login"), base),
            "/login"
        );
        assert_eq!(
            same_origin_path(Some("https://evil.example//evil.example/x"), base),
            "/"
        );
        assert_eq!(same_origin_path(Some("javascript:alert(1)"), base), "/");
        assert_eq!(same_origin_path(None, base), "/");
    }
}
