//! Live update latency and memory per open stream.
//!
//! Workload: one program whose N staff members each hold one open SSE stream
//! (`GET /api/events`, real sessions, real TCP on loopback, the real router served by axum
//! in this process), so every change fans out to all N. 40 status changes are made through
//! the store, 10 per second; each client records when the event arrives. Printed: latency
//! from the status-change call to the event read by the client (p50, p99, max over N × 40
//! deliveries), and the process's resident memory growth per open stream. Clients live in
//! the same process, so the memory figure is an upper bound for the server's share.
//!
//! Run: `cargo bench -p app --features ssr --bench live -- 100 1000 10000`
//! (10,000 streams need about 20,000 open files: `ulimit -n 65536` first; scripts/bench does.)
//! Backend: HANDOFF_BENCH_DATABASE=sqlite (default) or postgres.

use app::model::{ContactPreference, EmailAddress, Language, PersonName, Role, Status};
use app::server::auth::start_session;
use app::server::store::{
    Actor, NewPerson, NewProgram, NewReferral, NewUser, PersonChoice, StatusChange,
};
use app::server::{AppState, Store};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod common;

const CHANGES: usize = 40;

#[tokio::main]
async fn main() {
    let mut sizes: Vec<usize> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![100, 1_000, 10_000];
    }
    let largest = *sizes.iter().max().unwrap();
    let backend = common::backend();
    let url = common::database_url(&backend, "live.db").await;
    let store = Store::open(&url).await.unwrap();
    store.start_change_listener().await;

    // Seed: a helper, a program, one referral, and `largest` staff members with sessions.
    let helper = new_user(&store, "Ana Navarro", "ana@example.org").await;
    let program = store
        .create_program(&NewProgram {
            name: "Food".into(),
            organization: "Food Org".into(),
            categories: vec!["food".into()],
            languages: vec!["en".into()],
            contact_email: Some("listed@food.org".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut cookies = Vec::with_capacity(largest);
    for i in 0..largest {
        let staff = new_user(
            &store,
            &format!("Staff Member{i}"),
            &format!("s{i}@food.org"),
        )
        .await;
        store.add_program_staff(program, staff).await.unwrap();
        cookies.push(format!(
            "handoff_session={}",
            start_session(&store, staff).await.unwrap()
        ));
    }
    let person = store
        .create_person(&NewPerson {
            first_name: PersonName::parse("Rosa").unwrap(),
            last_name: PersonName::parse("Diaz").unwrap(),
            email: None,
            phone: None,
            language: Language::english(),
            user: None,
            created_by: Some(helper),
        })
        .await
        .unwrap();
    let actor = Actor {
        user: Some(helper),
        role: Role::Helper,
        label: "Ana N.".into(),
    };
    let referral = store
        .create_referral(
            &NewReferral {
                person: PersonChoice::Existing(person),
                program,
                referrer: Some((helper, None)),
                contact_preference: ContactPreference::Phone,
                contact_email: None,
                contact_phone: None,
                language: Language::english(),
                comments: String::new(),
            },
            &actor,
        )
        .await
        .unwrap();

    let config = common::config();
    let state = AppState::new(
        store.clone(),
        config,
        LeptosOptions::builder().output_name("handoff").build(),
    );
    let app = app::server::http::router(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });

    println!(
        "live updates on {backend}: {CHANGES} status changes at 10/s, each fanned out to every stream"
    );
    println!("| open streams | p50 | p99 | max | memory per stream |");
    println!("|---:|---:|---:|---:|---:|");
    for n in sizes {
        let started: Arc<Vec<Mutex<Option<Instant>>>> =
            Arc::new((0..CHANGES).map(|_| Mutex::new(None)).collect());
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Duration>();
        let rss_before = rss_kib();
        let mut clients = Vec::with_capacity(n);
        let (opened_tx, mut opened_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
        for cookie in cookies.iter().take(n) {
            let cookie = cookie.clone();
            let started = started.clone();
            let tx = tx.clone();
            let opened = opened_tx.clone();
            clients.push(tokio::spawn(async move {
                client(addr, cookie, started, tx, opened).await
            }));
        }
        for _ in 0..n {
            opened_rx.recv().await.unwrap();
        }
        while state.live_streams.count() < n {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let rss_open = rss_kib();

        let mut version = store.referral(referral).await.unwrap().unwrap().version;
        for (k, slot) in started.iter().enumerate() {
            let to = if k % 2 == 0 {
                Status::Pending
            } else {
                Status::Eligible
            };
            *slot.lock().unwrap() = Some(Instant::now());
            let row = store
                .change_status(
                    &StatusChange {
                        referral,
                        expected_version: version,
                        to,
                        note: None,
                    },
                    &actor,
                )
                .await
                .unwrap();
            version = row.version;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut latencies = Vec::with_capacity(n * CHANGES);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while latencies.len() < n * CHANGES {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(d)) => latencies.push(d),
                _ => break,
            }
        }
        for c in &clients {
            c.abort();
        }
        latencies.sort();
        let missing = n * CHANGES - latencies.len();
        let pct =
            |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
        println!(
            "| {n} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} KiB |{}",
            ms(pct(0.50)),
            ms(pct(0.99)),
            ms(*latencies.last().unwrap()),
            (rss_open.saturating_sub(rss_before)) as f64 / n as f64,
            if missing > 0 {
                format!(" {missing} deliveries missing!")
            } else {
                String::new()
            }
        );
        while state.live_streams.count() > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One browser's stream: reads events, reports each status event's delay.
async fn client(
    addr: SocketAddr,
    cookie: String,
    started: Arc<Vec<Mutex<Option<Instant>>>>,
    tx: tokio::sync::mpsc::UnboundedSender<Duration>,
    opened: tokio::sync::mpsc::UnboundedSender<()>,
) {
    let mut stream = TcpStream::connect(addr)
        .await
        .expect("connect (raise ulimit -n)");
    let request = format!(
        "GET /api/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let mut text = String::new();
    let mut seen = 0usize;
    let mut headers_done = false;
    loop {
        let n = match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let now = Instant::now();
        text.push_str(&String::from_utf8_lossy(&buf[..n]));
        if !headers_done {
            if let Some(end) = text.find("\r\n\r\n") {
                assert!(text.starts_with("HTTP/1.1 200"), "{text}");
                text.drain(..end + 4);
                headers_done = true;
                let _ = opened.send(());
            } else {
                continue;
            }
        }
        while let Some(at) = text.find("event: status") {
            text.drain(..at + 13);
            if let Some(start) = started.get(seen).and_then(|s| *s.lock().unwrap()) {
                let _ = tx.send(now - start);
            }
            seen += 1;
        }
        // Keep only a tail that might hold a split marker.
        if text.len() > 64 {
            let cut = text.len() - 32;
            let cut = (cut..text.len())
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            text.drain(..cut);
        }
    }
}

fn rss_kib() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

async fn new_user(store: &Store, name: &str, email: &str) -> i64 {
    store
        .create_user(&NewUser {
            name: PersonName::parse(name).unwrap(),
            email: EmailAddress::parse(email).unwrap(),
            language: Language::english(),
            password_hash: "x".into(),
            email_verified: true,
            is_site_admin: false,
        })
        .await
        .unwrap()
}
