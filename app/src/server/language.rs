//! Which language a request is answered in: the switch's cookie (set from the account's
//! preference at log in), else the browser's `Accept-Language`, else English. Decided once
//! per request, before the page renders or a server function runs.

use crate::i18n::{LANG_COOKIE, Lang};
use crate::server::auth::cookie_value;
use axum::extract::Request;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;

pub fn request_language(headers: &HeaderMap) -> Lang {
    cookie_value(headers, LANG_COOKIE)
        .and_then(|code| Lang::from_tag(&code))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::negotiate)
        })
        .unwrap_or_default()
}

/// Puts the request's `Lang` in its extensions, where pages and server functions read it.
pub async fn negotiate_language(mut req: Request, next: Next) -> Response {
    let lang = request_language(req.headers());
    req.extensions_mut().insert(lang);
    next.run(req).await
}

/// Kept for a year: the choice belongs to the browser until changed.
pub fn language_cookie(lang: Lang, secure: bool) -> String {
    format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{}",
        lang.code(),
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(name, HeaderValue::from_str(value).unwrap());
        }
        h
    }

    #[test]
    fn the_cookie_wins_then_the_browser_then_english() {
        let es_browser = (header::ACCEPT_LANGUAGE, "es-MX,es;q=0.9");
        let en_cookie = (header::COOKIE, "handoff_session=x; handoff_lang=en");
        assert_eq!(
            request_language(&headers(std::slice::from_ref(&es_browser))),
            Lang::Es
        );
        assert_eq!(
            request_language(&headers(&[es_browser.clone(), en_cookie])),
            Lang::En
        );
        let bad_cookie = (header::COOKIE, "handoff_lang=klingon");
        assert_eq!(
            request_language(&headers(&[es_browser, bad_cookie])),
            Lang::Es
        );
        assert_eq!(request_language(&headers(&[])), Lang::En);
        let french = (header::ACCEPT_LANGUAGE, "fr-FR");
        assert_eq!(request_language(&headers(&[french])), Lang::En);
    }
}
