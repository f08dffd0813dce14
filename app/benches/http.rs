//! The server over real HTTP on loopback, each figure next to the machine's own limit
//! measured in the same run.
//!
//! `status [connections] [seconds]` (default 16, 10): each connection is one program staff
//! session changing its own referral back and forth through the real server function
//! (`POST /api/update_status`, keep-alive HTTP/1.1): history row, live event and outbox rows
//! in one transaction. Against: the same number of tasks committing single-row INSERT
//! transactions on the same database (the raw write rate). Prints changes/s, inserts/s and
//! the ratio (target ≥ 0.5).
//!
//! `ssr [connections] [seconds]` (default 32, 10): `wrk` (Debian's package) loads the
//! server-rendered Inbound Referrals page with a real session (demo data: Weekly Groceries'
//! inbox), then a minimal axum handler answering "ok", the same way. Prints requests/s for
//! each and the ratio (target ≥ 0.25). wrk shares the two cores with the server in both runs.
//!
//! Run: `cargo bench -p app --features ssr --bench http -- status` (or `ssr`).
//! Backend: HANDOFF_BENCH_DATABASE=sqlite (default) or postgres.

use app::model::{ContactPreference, EmailAddress, Language, PersonName, Role};
use app::server::auth::start_session;
use app::server::store::{Actor, NewPerson, NewReferral, PersonChoice};
use app::server::{Application, Mail, Store, demo};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod common;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let numbers: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let mode = args
        .iter()
        .find(|a| a.parse::<u64>().is_err())
        .cloned()
        .unwrap_or_else(|| "status".into());
    let backend = common::backend();
    let url = common::database_url(&backend, "http.db").await;
    let store = Store::open(&url).await.unwrap();
    match mode.as_str() {
        "status" => {
            let connections = numbers.first().copied().unwrap_or(16) as usize;
            let seconds = numbers.get(1).copied().unwrap_or(10);
            status(&store, &backend, connections, Duration::from_secs(seconds)).await
        }
        "ssr" => {
            let connections = numbers.first().copied().unwrap_or(32);
            let seconds = numbers.get(1).copied().unwrap_or(10);
            ssr(&store, &backend, connections, seconds).await
        }
        other => panic!("unknown mode {other:?}: status or ssr"),
    }
}

/// Serves the application, built as the server builds it, on a free loopback port.
async fn serve(store: &Store) -> SocketAddr {
    let leptos_options = LeptosOptions::builder()
        .output_name("handoff")
        .site_root("target/site")
        .build();
    Application::build(
        store.clone(),
        common::config(),
        leptos_options,
        Mail::DrivenByCaller,
    )
    .await
    .unwrap()
    .serve_on_loopback()
    .await
}

async fn status(store: &Store, backend: &str, connections: usize, run: Duration) {
    // One program, one staff member, one referral per connection.
    let helper = common::user(store, "Ana Navarro", "ana@example.org").await;
    let staff = common::user(store, "Carla Staff", "carla@example.org").await;
    let program = common::food_program(store).await;
    store.add_program_staff(program, staff).await.unwrap();
    let actor = Actor {
        user: Some(helper),
        role: Role::Helper,
        label: "Ana N.".into(),
    };
    let mut referrals = Vec::new();
    for i in 0..connections {
        let person = store
            .create_person(&NewPerson {
                first_name: PersonName::parse("Rosa").unwrap(),
                last_name: PersonName::parse(&format!("Diaz{i}")).unwrap(),
                email: Some(EmailAddress::parse(&format!("rosa{i}@example.org")).unwrap()),
                phone: None,
                language: Language::english(),
                user: None,
                created_by: Some(helper),
            })
            .await
            .unwrap();
        let id = store
            .create_referral(
                &NewReferral {
                    person: PersonChoice::Existing(person),
                    program,
                    referrer: Some((helper, None)),
                    contact_preference: ContactPreference::Email,
                    contact_email: None,
                    contact_phone: None,
                    language: Language::english(),
                    comments: String::new(),
                },
                &actor,
            )
            .await
            .unwrap();
        let version = store.referral(id).await.unwrap().unwrap().version;
        referrals.push((id, version));
    }
    let addr = serve(store).await;
    let changes = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + run;
    let mut tasks = Vec::new();
    for (referral, first_version) in referrals {
        let cookie = format!(
            "handoff_session={}",
            start_session(store, staff).await.unwrap()
        );
        let changes = changes.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = TcpStream::connect(addr).await.unwrap();
            conn.set_nodelay(true).unwrap();
            let mut version = first_version;
            let mut k = 0u64;
            while Instant::now() < deadline {
                let to = if k.is_multiple_of(2) {
                    "pending"
                } else {
                    "eligible"
                };
                let body = format!(
                    "referral={referral}&version={version}&status={to}&comment=&acting_as=program"
                );
                let (code, answer) =
                    post(&mut conn, addr, "/api/update_status", &cookie, &body).await;
                assert_eq!(code, 200, "{answer}");
                version = json_number(&answer, "\"version\":").expect("a version in the answer");
                changes.fetch_add(1, Ordering::Relaxed);
                k += 1;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let changed = changes.load(Ordering::Relaxed) as f64 / run.as_secs_f64();

    // The raw write rate of the same database, with as many concurrent writers.
    sqlx::query("CREATE TABLE bench_raw (id BIGINT, at BIGINT)")
        .execute(store.pool())
        .await
        .unwrap();
    let inserts = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + run;
    let mut tasks = Vec::new();
    for i in 0..connections {
        let (pool, inserts) = (store.pool().clone(), inserts.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0i64;
            while Instant::now() < deadline {
                let mut tx = pool.begin().await.unwrap();
                sqlx::query("INSERT INTO bench_raw (id, at) VALUES ($1, $2)")
                    .bind(i as i64)
                    .bind(n)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                inserts.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let raw = inserts.load(Ordering::Relaxed) as f64 / run.as_secs_f64();
    println!(
        "row: | status changes/s over HTTP, {backend}, {connections} connections (history row, live event, email rows: one transaction) | {changed:.0}/s | raw single-row insert transactions {raw:.0}/s | {:.2} |",
        changed / raw
    );
}

async fn ssr(store: &Store, backend: &str, connections: u64, seconds: u64) {
    demo::seed_once(store).await.unwrap();
    let carla = store
        .user_by_email(&EmailAddress::parse("carla@foodbank.test").unwrap())
        .await
        .unwrap()
        .unwrap();
    let cookie = format!(
        "handoff_session={}",
        start_session(store, carla.id).await.unwrap()
    );
    let addr = serve(store).await;
    // The page must really render for this session (not a redirect or an error).
    let page = get(addr, "/inbound", &cookie).await;
    assert!(
        page.contains("Inbound Referrals") && page.contains("data-referral"),
        "{page}"
    );

    let minimal = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let minimal_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, minimal).await.unwrap() });

    let dashboard = wrk(
        &format!("http://{addr}/inbound"),
        Some(&cookie),
        connections,
        seconds,
    );
    let floor = wrk(
        &format!("http://{minimal_addr}/"),
        None,
        connections,
        seconds,
    );
    println!(
        "row: | server-rendered Inbound Referrals, logged in, {backend}, wrk {connections} connections | {dashboard:.0} requests/s | minimal axum handler {floor:.0} requests/s | {:.4} |",
        dashboard / floor
    );
}

/// Requests per second as wrk reports them.
fn wrk(url: &str, cookie: Option<&str>, connections: u64, seconds: u64) -> f64 {
    let mut command = std::process::Command::new("wrk");
    command.args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s")]);
    if let Some(c) = cookie {
        command.args(["-H", &format!("Cookie: {c}")]);
    }
    let out = command
        .arg(url)
        .output()
        .expect("wrk (apt-get install wrk; ./scripts/bench installs it)");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        !text.contains("Non-2xx"),
        "wrk saw errors for {url}:\n{text}"
    );
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec from wrk:\n{text}"))
}

fn json_number(text: &str, key: &str) -> Option<i64> {
    let rest = &text[text.find(key)? + key.len()..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// One keep-alive HTTP/1.1 request and its answer (status code, body).
async fn post(
    conn: &mut TcpStream,
    addr: SocketAddr,
    path: &str,
    cookie: &str,
    body: &str,
) -> (u16, String) {
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(request.as_bytes()).await.unwrap();
    read_response(conn).await
}

async fn get(addr: SocketAddr, path: &str, cookie: &str) -> String {
    let mut conn = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n");
    conn.write_all(request.as_bytes()).await.unwrap();
    read_response(&mut conn).await.1
}

/// Reads one response with a Content-Length or chunked body.
async fn read_response(conn: &mut TcpStream) -> (u16, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = conn.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
    let code: u16 = head[9..12].parse().unwrap();
    let mut body = buf[head_end..].to_vec();
    if let Some(len) = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        while body.len() < len {
            let n = conn.read(&mut chunk).await.unwrap();
            assert!(n > 0, "connection closed");
            body.extend_from_slice(&chunk[..n]);
        }
        body.truncate(len);
    } else {
        // Chunked: read until the terminating chunk; enough for this benchmark's checks.
        while !body.ends_with(b"0\r\n\r\n") {
            let n = conn.read(&mut chunk).await.unwrap();
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }
    (code, String::from_utf8_lossy(&body).to_string())
}
