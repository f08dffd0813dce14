//! The real router (pages, server functions, health check) on a real database, driven
//! in-process with `oneshot`: the same stack the server runs, minus the TCP socket.

use crate::support::{backend, fresh_state};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn send(app: &axum::Router, req: Request<Body>) -> Response<Body> {
    app.clone().oneshot(req).await.unwrap()
}

async fn text(res: Response<Body>) -> String {
    String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

/// A page as a browser without a session gets it; panics unless it is 200 OK.
pub async fn get_page(app: &axum::Router, path: &str) -> String {
    let res = send(app, get(path, None)).await;
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    text(res).await
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

/// A server-function call as the hydrated app makes it.
fn call(path: &str, form: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(form.to_string())).unwrap()
}

/// The same form posted by a browser without JavaScript.
fn plain_post(path: &str, form: &str, referer: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, referer)
        .body(Body::from(form.to_string()))
        .unwrap()
}

fn set_cookie(res: &Response<Body>, name: &str) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

async fn error_of(res: Response<Body>) -> app::error::AppError {
    assert!(
        res.headers().contains_key("serverfnerror"),
        "expected a server function error"
    );
    serde_json::from_str(&text(res).await).unwrap()
}

#[tokio::test]
async fn health_names_the_backend() {
    let state = fresh_state().await;
    let app = app::server::http::router(state);
    let res = send(&app, get("/healthz", None)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = serde_json::from_str(&text(res).await).unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], backend().name());
}

#[tokio::test]
async fn pages_render_on_the_server() {
    let app = app::server::http::router(fresh_state().await);
    let res = send(&app, get("/", None)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = text(res).await;
    assert!(html.contains("Get connected to help"), "{html}");
    let login = text(send(&app, get("/login", None)).await).await;
    assert!(
        login.contains(r#"<label for="field-email">Email</label>"#),
        "{login}"
    );
    assert!(login.contains(r#"<label for="field-password">Password</label>"#));
    let missing = send(&app, get("/no/such/page", None)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// Signs Rosa up, then logs her in (sign-up signs nobody in): her session cookie.
async fn signed_up_session(app: &axum::Router, name: &str) -> String {
    let signed_up = send(
        app,
        call(
            "/api/sign_up",
            &format!("name={name}&email=rosa%40example.org&password=long+enough+pw"),
            None,
        ),
    )
    .await;
    assert!(!signed_up.headers().contains_key("serverfnerror"));
    let logged_in = send(
        app,
        call(
            "/api/log_in",
            "email=rosa%40example.org&password=long+enough+pw",
            None,
        ),
    )
    .await;
    set_cookie(&logged_in, "handoff_session").expect("a session")
}

#[tokio::test]
async fn sign_up_reports_every_bad_field() {
    let app = app::server::http::router(fresh_state().await);
    let res = send(
        &app,
        call(
            "/api/sign_up",
            "name=&email=not-an-email&password=short",
            None,
        ),
    )
    .await;
    let err = error_of(res).await;
    assert_eq!(
        err.message_for("name").map(|m| m.to_string()).as_deref(),
        Some("Enter a name.")
    );
    assert!(
        err.message_for("email")
            .map(|m| m.to_string())
            .unwrap()
            .contains("name@example.com")
    );
    assert!(
        err.message_for("password")
            .map(|m| m.to_string())
            .unwrap()
            .contains("at least 10")
    );
}

#[tokio::test]
async fn sign_up_log_out_log_in_round_trip() {
    let state = fresh_state().await;
    let store = state.store.clone();
    let app = app::server::http::router(state);

    let res = send(
        &app,
        call(
            "/api/sign_up",
            "name=Rosa+Diaz&email=Rosa%40Example.org&password=long+enough+pw",
            None,
        ),
    )
    .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{:?}",
        res.status()
    );
    // Sign-up signs nobody in: the confirmation link or a log in does.
    assert_eq!(set_cookie(&res, "handoff_session"), None);
    assert_eq!(res.headers()[header::LOCATION], "/signup/sent");
    let sent = text(send(&app, get("/signup/sent", None)).await).await;
    assert!(sent.contains("Check your email"), "{sent}");

    // The same email again gets the very same answer (and its owner an email).
    let dup = send(
        &app,
        call(
            "/api/sign_up",
            "name=X&email=rosa%40example.org&password=long+enough+pw",
            None,
        ),
    )
    .await;
    assert!(!dup.headers().contains_key("serverfnerror"));
    assert_eq!(dup.headers()[header::LOCATION], "/signup/sent");
    assert_eq!(store.count_users().await.unwrap(), 1);

    let res = send(
        &app,
        call(
            "/api/log_in",
            "email=rosa%40example.org&password=long+enough+pw",
            None,
        ),
    )
    .await;
    let session = set_cookie(&res, "handoff_session").expect("session cookie");
    let raw = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Lax"),
        "{raw}"
    );

    let home = text(send(&app, get("/", Some(&session))).await).await;
    assert!(home.contains("<h1>Welcome, Rosa Diaz</h1>"), "{home}");
    // In order: readable without JavaScript, nothing parked in templates for a script.
    assert!(!home.contains("<template"), "{home}");
    assert!(home.contains(">Log out</button>"));

    // Log out ends the session on the server, not just in the browser.
    let out = send(&app, call("/api/log_out", "", Some(&session))).await;
    assert!(set_cookie(&out, "handoff_session").is_some());
    let home = text(send(&app, get("/", Some(&session))).await).await;
    assert!(!home.contains("Welcome"), "session survived log out");

    // Wrong password and unknown email: one and the same answer.
    let wrong = error_of(
        send(
            &app,
            call(
                "/api/log_in",
                "email=rosa%40example.org&password=not+the+password",
                None,
            ),
        )
        .await,
    )
    .await;
    let unknown = error_of(
        send(
            &app,
            call(
                "/api/log_in",
                "email=nobody%40example.org&password=not+the+password",
                None,
            ),
        )
        .await,
    )
    .await;
    assert_eq!(wrong, unknown);
    assert_eq!(
        wrong.to_string(),
        "That email and password don't match an account."
    );

    // Log in with a planted session cookie: a fresh session id replaces it.
    let res = send(
        &app,
        call(
            "/api/log_in",
            "email=rosa%40example.org&password=long+enough+pw",
            Some(&session),
        ),
    )
    .await;
    let fresh = set_cookie(&res, "handoff_session").expect("new session");
    assert_ne!(fresh, session);
    let home = text(send(&app, get("/", Some(&fresh))).await).await;
    assert!(home.contains("Welcome, Rosa Diaz"));
    assert_eq!(store.count_users().await.unwrap(), 1);
}

#[tokio::test]
async fn without_javascript_errors_come_back_next_to_the_fields_with_the_input_kept() {
    let app = app::server::http::router(fresh_state().await);
    let res = send(
        &app,
        plain_post(
            "/api/sign_up",
            "name=Rosa+Diaz&email=rosa%40nowhere&password=hunter2",
            "http://127.0.0.1:3000/signup",
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Back to the form, on this site only (a path, never another origin).
    assert_eq!(res.headers()[header::LOCATION], "/signup");
    let flash = set_cookie(&res, "handoff_flash").expect("flash cookie");

    let page = send(&app, get("/signup", Some(&flash))).await;
    // The flash is used once.
    assert!(set_cookie(&page, "handoff_flash").is_some_and(|c| c == "handoff_flash="));
    let html = text(page).await;
    assert!(
        html.contains("Enter an email address like name@example.com."),
        "{html}"
    );
    assert!(html.contains("Use at least 10 characters."));
    assert!(
        html.contains(r#"value="Rosa Diaz""#),
        "name was lost: {html}"
    );
    assert!(html.contains(r#"aria-describedby="field-email-error""#));
    assert!(!html.contains("hunter2"), "a password must never be echoed");

    // Success without JavaScript: a redirect to "check your email", then a log in.
    let ok = send(
        &app,
        plain_post(
            "/api/sign_up",
            "name=Rosa&email=rosa%40example.org&password=long+enough+pw",
            "http://127.0.0.1:3000/signup",
        ),
    )
    .await;
    assert!(ok.status().is_redirection());
    assert_eq!(ok.headers()[header::LOCATION], "/signup/sent");
    let logged_in = send(
        &app,
        plain_post(
            "/api/log_in",
            "email=rosa%40example.org&password=long+enough+pw",
            "http://127.0.0.1:3000/login",
        ),
    )
    .await;
    let session = set_cookie(&logged_in, "handoff_session").expect("a session");

    // A form that succeeds without JavaScript says so on the page it goes back to.
    let home = text(send(&app, get("/", Some(&session))).await).await;
    assert!(!home.contains("Sent. Check your email."));
    let mut resend = plain_post("/api/resend_verification", "", "http://127.0.0.1:3000/");
    resend
        .headers_mut()
        .insert(header::COOKIE, session.parse().unwrap());
    let resent = send(&app, resend).await;
    assert!(resent.status().is_redirection());
    let done = set_cookie(&resent, "handoff_flash").expect("an outcome flash");
    let home = text(send(&app, get("/", Some(&format!("{session}; {done}")))).await).await;
    assert!(home.contains("Sent. Check your email."), "{home}");
}

fn get_with(path: &str, headers: &[(header::HeaderName, &str)]) -> Request<Body> {
    let mut b = Request::get(path);
    for (name, value) in headers {
        b = b.header(name, *value);
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn pages_speak_the_browsers_language_unless_the_switch_said_otherwise() {
    let app = app::server::http::router(fresh_state().await);
    let spanish = (header::ACCEPT_LANGUAGE, "es-MX,es;q=0.9,en;q=0.5");

    let english = text(send(&app, get("/login", None)).await).await;
    assert!(english.contains(r#"<html lang="en""#), "{english}");
    assert!(english.contains("<h1>Log in</h1>"));

    let es = text(send(&app, get_with("/login", std::slice::from_ref(&spanish))).await).await;
    assert!(es.contains(r#"<html lang="es""#), "{es}");
    assert!(es.contains("<h1>Iniciar sesión</h1>"), "{es}");
    assert!(es.contains("Correo electrónico"));
    // The switch offers the other language, written in that language.
    assert!(es.contains(r#"lang="en""#) && es.contains(">English</button>"));

    // The switch's cookie wins over the browser.
    let chosen = text(
        send(
            &app,
            get_with("/login", &[spanish, (header::COOKIE, "handoff_lang=en")]),
        )
        .await,
    )
    .await;
    assert!(chosen.contains("<h1>Log in</h1>"), "{chosen}");
}

#[tokio::test]
async fn the_switch_keeps_the_choice_and_goes_back_to_the_same_page() {
    let state = fresh_state().await;
    let store = state.store.clone();
    let app = app::server::http::router(state);

    let res = send(
        &app,
        plain_post(
            "/api/set_language",
            "lang=es&return_to=%2Fprograms%3Fq%3Dfood",
            "http://127.0.0.1:3000/programs?q=food",
        ),
    )
    .await;
    assert!(res.status().is_redirection(), "{:?}", res.status());
    assert_eq!(res.headers()[header::LOCATION], "/programs?q=food");
    assert_eq!(
        set_cookie(&res, "handoff_lang").as_deref(),
        Some("handoff_lang=es")
    );

    // Never a redirect to another site, whatever the form says.
    let away = send(
        &app,
        plain_post(
            "/api/set_language",
            "lang=es&return_to=https%3A%2F%2Fevil.test%2F",
            "http://127.0.0.1:3000/",
        ),
    )
    .await;
    assert_eq!(away.headers()[header::LOCATION], "/");

    // A language we do not write is an error, and sets nothing.
    let bad = error_of(
        send(
            &app,
            call("/api/set_language", "lang=xx&return_to=%2F", None),
        )
        .await,
    )
    .await;
    assert!(bad.message_for("lang").is_some());

    // Signed in, the account keeps it: its emails follow, and the next log in brings it back.
    let session = signed_up_session(&app, "Rosa+Diaz").await;
    let user = store
        .user_by_email(&app::model::EmailAddress::parse("rosa@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.language, "en", "signed up on an English page");
    send(
        &app,
        call("/api/set_language", "lang=es&return_to=%2F", Some(&session)),
    )
    .await;
    let user = store.user(user.id).await.unwrap().unwrap();
    assert_eq!(user.language, "es");
    let again = send(
        &app,
        call(
            "/api/log_in",
            "email=rosa%40example.org&password=long+enough+pw",
            None,
        ),
    )
    .await;
    assert_eq!(
        set_cookie(&again, "handoff_lang").as_deref(),
        Some("handoff_lang=es")
    );
}

#[tokio::test]
async fn form_errors_without_javascript_read_in_the_pages_language() {
    let state = fresh_state().await;
    let store = state.store.clone();
    let app = app::server::http::router(state);
    let mut post = plain_post(
        "/api/sign_up",
        "name=&email=rosa%40nowhere&password=short",
        "http://127.0.0.1:3000/signup",
    );
    post.headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "es".parse().unwrap());
    let res = send(&app, post).await;
    let flash = set_cookie(&res, "handoff_flash").expect("flash cookie");
    let html = text(
        send(
            &app,
            get_with(
                "/signup",
                &[(header::COOKIE, &flash), (header::ACCEPT_LANGUAGE, "es")],
            ),
        )
        .await,
    )
    .await;
    assert!(html.contains("Escriba un nombre."), "{html}");
    assert!(html.contains("Escriba un correo como nombre@ejemplo.com."));
    assert!(html.contains("Use por lo menos 10 caracteres."));

    // An account made on a Spanish page is Spanish: so are its emails.
    let mut ok = plain_post(
        "/api/sign_up",
        "name=Rosa&email=rosa%40example.org&password=long+enough+pw",
        "http://127.0.0.1:3000/signup",
    );
    ok.headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "es".parse().unwrap());
    assert!(send(&app, ok).await.status().is_redirection());
    let user = store
        .user_by_email(&app::model::EmailAddress::parse("rosa@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.language, "es");
}

/// A site folder as `cargo leptos build --release --precompress` leaves it: a hashed WASM
/// name with brotli and gzip copies beside it (their bytes told apart here on purpose).
fn built_site() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!(
        "handoff-site-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("handoff.Xy12_ab.wasm"), b"\0asm raw module").unwrap();
    std::fs::write(pkg.join("handoff.Xy12_ab.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(pkg.join("handoff.Xy12_ab.wasm.gz"), b"gzip bytes").unwrap();
    root
}

#[tokio::test]
async fn site_files_go_out_precompressed_and_cached_for_good_while_pages_stay_private() {
    let site = built_site();
    let mut state = fresh_state().await;
    state.leptos_options.site_root = site.to_string_lossy().into();
    state.leptos_options.hash_files = true;
    let app = app::server::http::router(state);
    let wasm = "/pkg/handoff.Xy12_ab.wasm";

    let br = send(
        &app,
        get_with(wasm, &[(header::ACCEPT_ENCODING, "gzip, deflate, br")]),
    )
    .await;
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(br.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(
        br.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(text(br).await, "brotli bytes", "the build's file, as it is");

    let gzip = send(&app, get_with(wasm, &[(header::ACCEPT_ENCODING, "gzip")])).await;
    assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(text(gzip).await, "gzip bytes");

    let plain = send(&app, get_with(wasm, &[])).await;
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(text(plain).await, "\0asm raw module");

    // A name no build made: not found, and the browser must ask again next time.
    let missing = send(&app, get_with("/pkg/handoff.old.wasm", &[])).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        missing.headers()[header::CACHE_CONTROL],
        "private, no-cache"
    );

    // Without hashed names the same file must be asked for again each time.
    let mut state = fresh_state().await;
    state.leptos_options.site_root = site.to_string_lossy().into();
    let unhashed = app::server::http::router(state);
    let res = send(&unhashed, get_with(wasm, &[])).await;
    assert_eq!(res.headers()[header::CACHE_CONTROL], "private, no-cache");

    // Pages, answers and the health check: never kept by a shared cache.
    let page = send(&unhashed, get("/login", None)).await;
    assert_eq!(page.headers()[header::CACHE_CONTROL], "private, no-cache");
    let health = send(&app, get("/healthz", None)).await;
    assert_eq!(health.headers()[header::CACHE_CONTROL], "private, no-cache");
    std::fs::remove_dir_all(site).unwrap();
}

#[tokio::test]
async fn pages_are_compressed_and_the_event_stream_is_not() {
    let app = app::server::http::router(fresh_state().await);
    let br = (header::ACCEPT_ENCODING, "gzip, deflate, br");
    let page = send(&app, get_with("/login", std::slice::from_ref(&br))).await;
    assert_eq!(page.headers()[header::CONTENT_ENCODING], "br");
    let gzip = send(
        &app,
        get_with("/login", &[(header::ACCEPT_ENCODING, "gzip")]),
    )
    .await;
    assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");

    let session = signed_up_session(&app, "Rosa").await;
    let events = send(
        &app,
        get_with("/api/events", &[br, (header::COOKIE, &session)]),
    )
    .await;
    assert_eq!(events.status(), StatusCode::OK);
    assert_eq!(events.headers()[header::CONTENT_TYPE], "text/event-stream");
    // Compressed, events would sit in the encoder's buffer instead of reaching the browser.
    assert!(events.headers().get(header::CONTENT_ENCODING).is_none());
}

/// Issue 13, defect 5: every page carries its own title in the page the server sends, on
/// every load (WCAG 2.4.2): the program page, the Connect form and a person's profile used
/// to leave with the bare "Handoff" more often than not.
#[tokio::test]
async fn every_page_carries_its_own_title_on_every_load() {
    let state = fresh_state().await;
    app::server::demo::seed_once(&state.store).await.unwrap();
    let ana = state
        .store
        .user_by_email(&app::model::EmailAddress::parse("ana@navigators.test").unwrap())
        .await
        .unwrap()
        .unwrap();
    let person: i64 =
        sqlx::query_scalar("SELECT id FROM persons WHERE created_by = $1 ORDER BY id LIMIT 1")
            .bind(ana.id)
            .fetch_one(state.store.pool())
            .await
            .unwrap();
    let (first, last): (String, String) =
        sqlx::query_as("SELECT first_name, last_name FROM persons WHERE id = $1")
            .bind(person)
            .fetch_one(state.store.pool())
            .await
            .unwrap();
    let session = format!(
        "handoff_session={}",
        app::server::auth::start_session(&state.store, ana.id)
            .await
            .unwrap()
    );
    let app = app::server::http::router(state);
    let cases = [
        (
            "/programs/1".to_string(),
            None,
            "Weekly Groceries · Handoff".to_string(),
        ),
        (
            "/programs/1/connect".to_string(),
            None,
            "Connect to Weekly Groceries · Handoff".to_string(),
        ),
        (
            "/programs/1/connect".to_string(),
            Some(session.as_str()),
            "Connect to Weekly Groceries · Handoff".to_string(),
        ),
        (
            format!("/people/{person}"),
            Some(session.as_str()),
            format!("{first} {last} · Handoff"),
        ),
        (
            "/".to_string(),
            None,
            "Get connected to help · Handoff".to_string(),
        ),
        ("/login".to_string(), None, "Log in · Handoff".to_string()),
        (
            "/programs/999999".to_string(),
            None,
            "Program · Handoff".to_string(),
        ),
    ];
    for (path, cookie, want) in cases {
        for load in 0..20 {
            let html = text(send(&app, get(&path, cookie)).await).await;
            let titles: Vec<&str> = html
                .match_indices("<title>")
                .map(|(i, _)| {
                    let rest = &html[i + 7..];
                    &rest[..rest.find("</title>").unwrap()]
                })
                .collect();
            assert_eq!(titles, [want.as_str()], "{path}, load {load}");
        }
    }
}

/// Issue 13, defect 6: a malformed date filter (an edited link, a browser without a date
/// picker) comes back as the filter form with the field marked, not a dead end.
#[tokio::test]
async fn a_malformed_date_filter_is_marked_on_the_filter_form() {
    let state = fresh_state().await;
    app::server::demo::seed_once(&state.store).await.unwrap();
    let (session, _) = crate::support::session_for(&state.store, "carla@foodbank.test").await;
    let app = app::server::http::router(state);
    let html = text(
        send(
            &app,
            get("/inbound?status=pending&from=yesterday", Some(&session)),
        )
        .await,
    )
    .await;
    assert!(
        html.contains(r#"<form method="get" action="/inbound""#),
        "{html}"
    );
    assert!(html.contains("Enter a date like 2026-11-25."), "{html}");
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    // The other filters are kept.
    assert!(
        html.contains(r#"<option value="pending" selected"#),
        "{html}"
    );
}

/// Issue 13, defect 2: a Connect comment far over the form-size limit (100 KB pasted)
/// comes back as the form, the comment marked and everything else that was typed kept.
#[tokio::test]
async fn a_form_too_large_comes_back_as_the_form_with_the_long_field_marked() {
    let state = fresh_state().await;
    app::server::demo::seed_once(&state.store).await.unwrap();
    let app = app::server::http::router(state.clone());
    let before = state.store.count_referrals().await.unwrap();
    let huge = "a".repeat(100 * 1024);
    let body = serde_urlencoded::to_string([
        ("program", "1"),
        ("for_whom", "me"),
        ("first_name", "Rosa"),
        ("last_name", "Diaz"),
        ("email", "rosa@example.org"),
        ("phone", ""),
        ("best_way", "email"),
        ("language", "en"),
        ("comments", huge.as_str()),
        ("consent", "on"),
    ])
    .unwrap();
    let res = send(
        &app,
        plain_post(
            "/api/send_referral",
            &body,
            "http://127.0.0.1:3000/programs/1/connect",
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/programs/1/connect");
    let flash = set_cookie(&res, "handoff_flash").expect("flash cookie");
    let html = text(send(&app, get("/programs/1/connect", Some(&flash))).await).await;
    assert!(html.contains("Use at most 2000 characters."), "{html}");
    assert!(
        html.contains(r#"value="Rosa""#) && html.contains(r#"value="Diaz""#),
        "{html}"
    );
    assert!(html.contains(r#"value="rosa@example.org""#), "{html}");
    assert_eq!(
        state.store.count_referrals().await.unwrap(),
        before,
        "nothing was written"
    );
}

/// Issue 14: errors answer with the status they mean, for server functions and for pages
/// (a person you may not see is a 404 page with status 404).
#[tokio::test]
async fn errors_answer_with_the_status_they_mean() {
    let state = fresh_state().await;
    app::server::demo::seed_once(&state.store).await.unwrap();
    let (session, _) = crate::support::session_for(&state.store, "carla@foodbank.test").await;
    let app = app::server::http::router(state);
    let status_of = |path: &'static str, form: &'static str, cookie: Option<String>| {
        let app = app.clone();
        async move {
            send(&app, call(path, form, cookie.as_deref()))
                .await
                .status()
                .as_u16()
        }
    };
    assert_eq!(status_of("/api/my_groups", "", None).await, 401);
    assert_eq!(
        status_of("/api/pending_claims", "", Some(session.clone())).await,
        403
    );
    assert_eq!(
        status_of("/api/referral", "id=999999", Some(session.clone())).await,
        404
    );
    assert_eq!(
        status_of("/api/sign_up", "name=&email=x&password=y", None).await,
        422
    );
    assert_eq!(
        status_of("/api/verify_claim", "token=forged", None).await,
        409
    );
    // A person Carla may not see: the page says so, with 404.
    let page = send(&app, get("/people/1", Some(&session))).await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
}

/// Every request has its own id, sent back as `X-Request-Id` (and on every log line the
/// request causes, in its tracing span).
#[tokio::test]
async fn every_request_carries_an_id_of_its_own() {
    let app = app::server::http::router(fresh_state().await);
    let id = |res: &Response<Body>| res.headers()["x-request-id"].to_str().unwrap().to_string();
    let a = id(&send(&app, get("/login", None)).await);
    let b = id(&send(&app, call("/api/my_groups", "", None)).await);
    assert_eq!(a.len(), 16);
    assert!(a.chars().all(|c| c.is_ascii_hexdigit()), "{a}");
    assert_ne!(a, b);
}
