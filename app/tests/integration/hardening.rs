//! Issue 18: security headers on every answer, bodies and connections within limits. The
//! connection tests use a real socket (`serve_on_loopback`): the limits live below the
//! router.

use crate::support::{app_on, app_with, fresh_store, session_for};
use app::server::connections::Limits;
use app::server::security_headers::{OTHER_POLICY, STRICT_TRANSPORT};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

async fn send(app: &axum::Router, req: Request<Body>) -> Response<Body> {
    app.clone().oneshot(req).await.unwrap()
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

fn header_of(res: &Response<Body>, name: header::HeaderName) -> &str {
    res.headers()
        .get(&name)
        .unwrap_or_else(|| panic!("no {name}"))
        .to_str()
        .unwrap()
}

/// The nonce a page's policy allows.
fn policy_nonce(policy: &str) -> String {
    let start = policy.find("'nonce-").expect("a nonce in the policy") + 7;
    policy[start..].split('\'').next().unwrap().to_string()
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_a_page_its_own_nonce() {
    let store = fresh_store().await;
    app::server::demo::seed_once(&store).await.unwrap();
    let application = app_on(store.clone()).await;
    let app = application.router.clone();
    let (cookie, _) = session_for(&store, "ana@navigators.test").await;

    let first = send(&app, get("/referrals", Some(&cookie))).await;
    assert_eq!(first.status(), StatusCode::OK);
    let policy = header_of(&first, header::CONTENT_SECURITY_POLICY).to_string();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let nonce = policy_nonce(&policy);
    assert!(nonce.len() >= 16, "{nonce}");
    assert_eq!(header_of(&first, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(header_of(&first, header::X_FRAME_OPTIONS), "DENY");
    assert_eq!(header_of(&first, header::REFERRER_POLICY), "same-origin");
    assert!(
        first
            .headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none()
    );
    let html = String::from_utf8(
        first
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    // Every inline script (the hydration scripts of a signed-in page) carries the nonce.
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "a signed-in page hydrates its islands");
    for script in &scripts {
        let tag = &script[..script.find('>').unwrap()];
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "<script{tag}>");
    }
    if let Some(at) = html.find("<style") {
        let tag = &html[at..at + html[at..].find('>').unwrap()];
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{tag}");
    }
    let again = send(&app, get("/referrals", Some(&cookie))).await;
    assert_ne!(
        policy_nonce(header_of(&again, header::CONTENT_SECURITY_POLICY)),
        nonce,
        "a new nonce for every response"
    );

    // A page whose address holds a token sends no Referer on.
    let link = send(&app, get("/r/not-a-real-token", None)).await;
    assert_eq!(header_of(&link, header::REFERRER_POLICY), "no-referrer");
    for path in ["/reset/x", "/invitations/x", "/verify/x"] {
        let res = send(&app, get(path, None)).await;
        assert_eq!(
            header_of(&res, header::REFERRER_POLICY),
            "no-referrer",
            "{path}"
        );
    }
    // Anything but a page: nothing in it may run.
    let health = send(&app, get("/healthz", None)).await;
    assert_eq!(
        header_of(&health, header::CONTENT_SECURITY_POLICY),
        OTHER_POLICY
    );
    assert_eq!(
        header_of(&health, header::X_CONTENT_TYPE_OPTIONS),
        "nosniff"
    );

    // Reached over https: browsers are told to keep to it.
    let secure = app_with(store.clone(), |c| {
        c.public_url = "https://handoff.example.org".into();
    })
    .await;
    let res = send(&secure.router, get("/healthz", None)).await;
    assert_eq!(
        header_of(&res, header::STRICT_TRANSPORT_SECURITY),
        STRICT_TRANSPORT
    );
}

#[tokio::test]
async fn an_oversized_body_answers_413_and_nothing_is_written() {
    let store = fresh_store().await;
    app::server::demo::seed_once(&store).await.unwrap();
    let application = app_on(store.clone()).await;
    let before = store.count_referrals().await.unwrap();
    let limit = application.state.config.limits.body_bytes;
    let body = format!(
        "program=1&for_whom=me&first_name=Rosa&last_name=Diaz&email=rosa%40example.org\
         &best_way=email&language=en&consent=on&comments={}",
        "a".repeat(limit + 1)
    );
    let res = send(
        &application.router,
        Request::post("/api/send_referral")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, body.len())
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(store.count_referrals().await.unwrap(), before);
}

/// Reads until the server closes the connection (or `within` passes); answers what came and
/// how long it took.
async fn until_closed(stream: &mut tokio::net::TcpStream, within: Duration) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(within, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (got, started.elapsed()),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => panic!("still open after {within:?}"),
        }
    }
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let application = app_with(fresh_store().await, |c| {
        c.limits = Limits {
            header_read: Duration::from_secs(1),
            ..Limits::default()
        };
    })
    .await;
    let addr = application.serve_on_loopback().await;
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let (_, took) = until_closed(&mut slow, Duration::from_secs(5)).await;
    assert!(took >= Duration::from_millis(900), "closed after {took:?}");
    assert!(took < Duration::from_secs(4), "closed after {took:?}");
    // A silent one too.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (got, took) = until_closed(&mut silent, Duration::from_secs(5)).await;
    assert!(took < Duration::from_secs(4), "closed after {took:?}");
    assert!(got.is_empty() || String::from_utf8_lossy(&got).starts_with("HTTP/1.1 408"));
}

#[tokio::test]
async fn connections_over_the_cap_are_closed_at_once_and_the_others_served() {
    let application = app_with(fresh_store().await, |c| {
        c.limits = Limits {
            connections_per_address: 2,
            ..Limits::default()
        };
    })
    .await;
    let addr = application.serve_on_loopback().await;
    let mut first = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _second = tokio::net::TcpStream::connect(addr).await.unwrap();
    // Both are held; give the server a moment to take them in.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (got, took) = until_closed(&mut third, Duration::from_secs(2)).await;
    assert!(got.is_empty(), "refused without an answer");
    assert!(took < Duration::from_secs(1), "closed after {took:?}");
    first
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = until_closed(&mut first, Duration::from_secs(5)).await;
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

#[tokio::test]
async fn event_streams_are_capped_per_address() {
    let store = fresh_store().await;
    app::server::demo::seed_once(&store).await.unwrap();
    let application = app_with(store.clone(), |c| {
        c.limits = Limits {
            streams_per_address: 1,
            ..Limits::default()
        };
    })
    .await;
    let (maria, _) = session_for(&store, "ana@navigators.test").await;
    let (sam, _) = session_for(&store, "carla@foodbank.test").await;
    let events = |cookie: &str| {
        Request::get("/api/events")
            .header(header::ACCEPT, "text/event-stream")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    let open = send(&application.router, events(&maria)).await;
    assert_eq!(open.status(), StatusCode::OK);
    // Another person from the same address: over the cap while the first is open.
    let refused = send(&application.router, events(&sam)).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    drop(open);
    let again = send(&application.router, events(&sam)).await;
    assert_eq!(again.status(), StatusCode::OK);
}

/// A page whose address holds a token sends no Referer: its plain forms name their way back
/// (`_back`), which must lead to this site only.
#[tokio::test]
async fn a_plain_form_on_a_token_page_goes_back_to_it_without_a_referer() {
    use crate::store::{actor, new_referral, person, program, user};
    use app::model::{ContactPreference, Role, Status};
    use app::server::mail::{LinkHolder, StatusLink};
    let application = app_on(fresh_store().await).await;
    let store = &application.state.store;
    let ana = user(store, "Ana Navarro", "ana@example.org").await;
    let food = program(store, "Food", "food@listed.org").await;
    let rosa = person(store, "rosa@example.org", Some(ana)).await;
    let id = store
        .create_referral(
            &new_referral(rosa, food, Some((ana, None)), ContactPreference::Email),
            &actor(ana, Role::Helper),
        )
        .await
        .unwrap();
    let token = StatusLink {
        referral: id,
        holder: LinkHolder::Helper(ana),
        expires_at: app::server::clock::now_ms() + 60_000,
    }
    .sign(application.state.config.secret.bytes());
    let page = format!("/r/{token}");
    let post = |back: &str, status: &str, version: i64| {
        let form = serde_urlencoded::to_string([
            ("_back", back),
            ("token", token.as_str()),
            ("version", &version.to_string()),
            ("status", status),
            ("comment", ""),
        ])
        .unwrap();
        // As a browser sends it from a no-referrer page: no Referer, `Origin: null`.
        Request::post("/api/update_status_by_link")
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .header(header::ORIGIN, "null")
            .body(Body::from(form))
            .unwrap()
    };
    let version = || async { store.referral(id).await.unwrap().unwrap().version };
    let refused = send(&application.router, post(&page, "", version().await)).await;
    assert_eq!(
        refused.status(),
        StatusCode::SEE_OTHER,
        "an error goes back"
    );
    assert_eq!(header_of(&refused, header::LOCATION), page);
    let saved = send(&application.router, post(&page, "pending", version().await)).await;
    assert_eq!(
        header_of(&saved, header::LOCATION),
        page,
        "so does a success"
    );
    assert!(saved.status().is_redirection());
    assert_eq!(header_of(&saved, header::LOCATION), page);
    assert_eq!(
        store.referral(id).await.unwrap().unwrap().status,
        Status::Pending
    );
    // A way back off the site is not taken.
    for away in [
        "//evil.example/x",
        "/\\evil.example",
        "https://evil.example/",
    ] {
        let res = send(&application.router, post(away, "", version().await)).await;
        assert_eq!(header_of(&res, header::LOCATION), "/", "{away}");
    }
}

#[tokio::test]
async fn housekeeping_removes_what_serves_no_one_and_keeps_the_rest() {
    use crate::store::{actor, new_referral, person, program, user};
    use app::model::{ContactPreference, Role};
    use app::server::clock::{DAY_MS, now_ms};
    use app::server::schedule::jobs::Job;
    let store = fresh_store().await;
    let ana = user(&store, "Ana Navarro", "ana@example.org").await;
    let now = now_ms();
    store
        .create_session("ended", ana, now - 9 * DAY_MS, now - DAY_MS)
        .await
        .unwrap();
    store
        .create_session("current", ana, now, now + DAY_MS)
        .await
        .unwrap();
    store
        .record_login_failure("login:x", now - DAY_MS)
        .await
        .unwrap();
    store.record_login_failure("login:x", now).await.unwrap();
    let exec = |sql: String| {
        let store = store.clone();
        async move { sqlx::query(&sql).execute(store.pool()).await.unwrap() }
    };
    // Links: used 8 days ago, expired 8 days ago, and one still good.
    for (i, (expires, used)) in [
        (now + DAY_MS, Some(now - 8 * DAY_MS)),
        (now - 8 * DAY_MS, None),
        (now + DAY_MS, None),
    ]
    .into_iter()
    .enumerate()
    {
        let used = used.map_or("NULL".to_string(), |u| u.to_string());
        exec(format!(
            "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at, used_at) \
             VALUES ({}, 'reset{i}', {now}, {expires}, {used})",
            ana.0
        ))
        .await;
    }
    // Two emails sent, one of them 8 days ago.
    let food = program(&store, "Food", "food@listed.org").await;
    let rosa = person(&store, "rosa@example.org", Some(ana)).await;
    for _ in 0..2 {
        store
            .create_referral(
                &new_referral(rosa, food, Some((ana, None)), ContactPreference::Phone),
                &actor(ana, Role::Helper),
            )
            .await
            .unwrap();
    }
    exec(format!("UPDATE outbox SET state = 'sent', sent_at = {now}")).await;
    exec(format!(
        "UPDATE outbox SET sent_at = {} WHERE id = (SELECT MIN(id) FROM outbox)",
        now - 8 * DAY_MS
    ))
    .await;

    let swept = store
        .sweep(now, app::server::auth::THROTTLE_WINDOW_MS)
        .await
        .unwrap();
    assert_eq!(
        swept,
        app::server::store::Swept {
            sessions: 1,
            throttle_records: 1,
            links: 2,
            email_contents: 1,
            audit_entries: 0,
            persons_erased: 0,
        }
    );
    let count = |sql: &'static str| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(store.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM sessions WHERE token_hash = 'current'").await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM password_resets WHERE token_hash = 'reset2'").await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox").await,
        2,
        "the records stay"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE payload = ''").await,
        1
    );
    // As the scheduled job, again: nothing more to do.
    assert_eq!(Job::Housekeeping.run(&store, now).await.unwrap(), 0);
}

/// Item 4: one text rule for every field (`model::text`), and a name search that takes
/// `%` and `_` as themselves.
#[tokio::test]
async fn text_that_reads_other_than_it_is_is_refused_and_a_search_has_no_wildcards() {
    use crate::store::{actor, new_referral, person, program, user};
    use app::model::{ContactPreference, PersonName, Role};
    // A right-to-left override in a name, a zero-width space, a line break: each named.
    for bad in ["Rosa\u{202E}zaiD", "Ro\u{200B}sa", "Rosa\nDiaz"] {
        assert!(PersonName::parse(bad).is_err(), "{bad:?}");
    }
    assert!(app::model::NoteText::parse("called \u{2066}twice").is_err());
    assert!(app::model::NoteText::parse("called twice,\nleft a message").is_ok());

    let store = fresh_store().await;
    let ana = user(&store, "Ana Navarro", "ana@example.org").await;
    let food = program(&store, "Food", "food@listed.org").await;
    for email in ["rosa@example.org", "rob@example.org"] {
        let someone = person(&store, email, Some(ana)).await;
        store
            .create_referral(
                &new_referral(someone, food, Some((ana, None)), ContactPreference::Phone),
                &actor(ana, Role::Helper),
            )
            .await
            .unwrap();
    }
    let named = |name: &'static str| {
        let store = store.clone();
        async move {
            store
                .referrals_for_helper(ana, None, name, None, None, 100)
                .await
                .unwrap()
                .len()
        }
    };
    let everyone = named("").await;
    assert_eq!(everyone, 2);
    assert_eq!(named("%").await, 0, "a percent sign is not a wildcard");
    assert_eq!(named("_").await, 0, "nor an underscore");
    assert!(named("ro").await > 0, "a plain search still finds");
}

/// Item 6: `/metrics` in the Prometheus text format, from loopback or with the token only.
#[tokio::test]
async fn metrics_count_requests_by_route_and_are_read_only_from_loopback_or_with_the_token() {
    let application = app_with(fresh_store().await, |c| {
        c.metrics_token = Some("metrics-token-for-tests".into());
    })
    .await;
    let router = application.router.clone();
    let addr = application.serve_on_loopback().await;
    let get = |path: &'static str, token: Option<&'static str>| async move {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        stream
            .write_all(
                format!("GET {path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n")
                    .as_bytes(),
            )
            .await
            .unwrap();
        let (answer, _) = until_closed(&mut stream, Duration::from_secs(5)).await;
        String::from_utf8_lossy(&answer).to_string()
    };
    for _ in 0..3 {
        assert!(get("/healthz", None).await.starts_with("HTTP/1.1 200"));
    }
    let page = get("/metrics", None).await;
    assert!(
        page.starts_with("HTTP/1.1 200"),
        "loopback reads it: {page}"
    );
    assert!(page.contains("text/plain; version=0.0.4"), "{page}");
    assert!(
        page.contains(r#"handoff_http_requests_total{route="/healthz",status="200"}"#),
        "{page}"
    );
    assert!(page.contains("handoff_http_request_duration_seconds_bucket{route=\"/healthz\""));
    assert!(
        page.contains("handoff_outbox_emails{state=\"pending\"} 0"),
        "{page}"
    );
    assert!(page.contains("handoff_event_streams_open 0"));
    assert!(page.contains("handoff_db_pool_connections{state=\"idle\"}"));
    // The token works too; a wrong one is no better than none (from loopback it still
    // reads: the peer decides first).
    assert!(
        get("/metrics", Some("metrics-token-for-tests"))
            .await
            .starts_with("HTTP/1.1 200")
    );
    // Not from elsewhere: driven without a socket, a request has no loopback peer.
    let far = |auth: Option<&str>| {
        let mut b = Request::get("/metrics");
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        b.body(Body::empty()).unwrap()
    };
    assert_eq!(
        send(&router, far(None)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&router, far(Some("Bearer wrong"))).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&router, far(Some("Bearer metrics-token-for-tests")))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_stopping_server_ends_its_event_streams_at_once_and_returns() {
    let store = fresh_store().await;
    app::server::demo::seed_once(&store).await.unwrap();
    let application = app_with(store.clone(), |_| {}).await;
    let (cookie, _) = session_for(&store, "carla@foodbank.test").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(async move {
        application
            .serve(listener, async {
                let _ = stopped.await;
            })
            .await
    });
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let open = format!(
        "GET /api/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
    );
    stream.write_all(open.as_bytes()).await.unwrap();
    let mut head = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut head))
        .await
        .expect("the stream answers")
        .unwrap();
    assert!(
        String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&head[..n])
    );

    let asked = Instant::now();
    stop.send(()).unwrap();
    // The stream ends and its connection closes; the server stops serving. Without ending
    // the streams, both would wait out the 10-second drain.
    let (rest, _) = until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(
        String::from_utf8_lossy(&rest).ends_with("0\r\n\r\n"),
        "the stream's body ended: {:?}",
        String::from_utf8_lossy(&rest)
    );
    tokio::time::timeout(Duration::from_secs(5), serving)
        .await
        .expect("serve returned")
        .unwrap()
        .unwrap();
    assert!(
        asked.elapsed() < Duration::from_secs(3),
        "stopped after {:?}",
        asked.elapsed()
    );
}
