//! Security headers on every response (issue 18, item 1). A page may run only the app's own
//! scripts and the inline ones leptos marks with this response's nonce (the shell writes a
//! page's policy, `page_policy`); every other answer (JSON, CSV, files, the event stream)
//! gets a policy under which nothing runs. Nothing may frame any of it, a browser may not
//! guess a type, and a page whose address carries a token sends no `Referer` at all.

use super::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Pages whose address holds a secret (a status link, an invitation, a claim, an email
/// check, a password reset, an email change): a link followed from them must not carry it,
/// and the log names them without it (`tracing_layer::loggable_route`).
pub const TOKEN_PATHS: [&str; 6] = [
    "/r/",
    "/invitations/",
    "/claims/",
    "/verify/",
    "/reset/",
    "/email/",
];

pub fn referrer_policy(path: &str) -> &'static str {
    if TOKEN_PATHS.iter().any(|p| path.starts_with(p)) {
        "no-referrer"
    } else {
        "same-origin"
    }
}

/// A page's policy: scripts from the site itself or carrying this response's nonce (the
/// hydration scripts), WASM compiled from them, styles the same (the inlined stylesheet),
/// requests only to the site (server functions, the event stream), forms only posted
/// here, no plugins, no `<base>`, never in a frame.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Everything that is not a page: nothing in it may run, load or be framed.
pub const OTHER_POLICY: &str =
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// A year, and for every subdomain: sent only when the site is reached over https.
pub const STRICT_TRANSPORT: &str = "max-age=31536000; includeSubDomains";

/// The layer: adds what a response has not set itself (a page sets its own policy).
pub async fn add_security_headers(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let referrer = referrer_policy(req.uri().path());
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(OTHER_POLICY));
    if state.config.public_url.starts_with("https://") {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT),
        );
    }
    response
}

/// The page being rendered gets its policy, with the nonce leptos put on its scripts.
pub fn set_page_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_pages_send_no_referrer_and_others_only_to_the_site() {
        for path in [
            "/r/abc",
            "/invitations/x",
            "/claims/x",
            "/verify/x",
            "/reset/x",
            "/email/x",
        ] {
            assert_eq!(referrer_policy(path), "no-referrer", "{path}");
        }
        for path in [
            "/",
            "/referrals",
            "/reports",
            "/rx",
            "/resetx",
            "/api/report",
        ] {
            assert_eq!(referrer_policy(path), "same-origin", "{path}");
        }
    }

    #[test]
    fn a_pages_policy_allows_its_nonce_and_nothing_inline_else() {
        let policy = page_policy("n0nce");
        assert!(policy.contains("script-src 'self' 'nonce-n0nce' 'wasm-unsafe-eval';"));
        assert!(policy.contains("style-src 'self' 'nonce-n0nce';"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline") && !policy.contains(" 'unsafe-eval'"));
        assert!(OTHER_POLICY.starts_with("default-src 'none'"));
    }
}
