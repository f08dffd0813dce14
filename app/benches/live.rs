//! Live update latency and memory per open stream.
//!
//! Workload: one program whose N staff members each hold one open SSE stream
//! (`GET /api/events`, real sessions, real TCP on loopback, the real router served by axum
//! in this process), so every change fans out to all N. 40 status changes are made through
//! the store, 10 per second; each client records when the event arrives. Printed: latency
//! from the status-change call to the event read by the client (p50, p99, max over N × 40
//! deliveries, wall clock), and the server process's resident memory growth per open
//! stream. The clients run in a child process (this binary with `--clients`); they keep
//! their timings in memory and report them at the end, so reporting costs nothing meanwhile.
//!
//! Each row is followed by the machine's floor for the same fan-out: a bare tokio server
//! that writes the same bytes to N sockets from one broadcast channel, read by the same
//! clients. The ratio between the two is what the application adds.
//!
//! Run: `cargo bench -p app --features ssr --bench live -- 100 1000 10000`
//! (Each side holds one file per stream: 10,000 streams need `ulimit -n` above 10,000.)
//! Backend: HANDOFF_BENCH_DATABASE=sqlite (default) or postgres.

use app::model::{ContactPreference, Language, PersonName, Role, Status};
use app::server::auth::start_session;
use app::server::store::{Actor, NewPerson, NewReferral, PersonChoice, StatusChange};
use app::server::{Application, Mail, Store};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;

mod common;

const CHANGES: usize = 40;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--clients") {
        return run_clients(args[i + 1].parse().unwrap(), &args[i + 2]).await;
    }
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![100, 1_000, 10_000];
    }
    let largest = *sizes.iter().max().unwrap();
    let backend = common::backend();
    let url = common::database_url(&backend, "live.db").await;
    // Built as the server builds itself: its live feed hears what this store commits.
    let application = Application::build(
        Store::open(&url).await.unwrap(),
        common::config(),
        LeptosOptions::builder().output_name("handoff").build(),
        Mail::DrivenByCaller,
    )
    .await
    .unwrap();
    let state = application.state.clone();
    let store = state.store.clone();

    // Seed: a helper, a program, one referral, and `largest` staff members with sessions.
    let helper = common::user(&store, "Ana Navarro", "ana@example.org").await;
    let program = common::food_program(&store).await;
    let mut cookies = Vec::with_capacity(largest);
    for i in 0..largest {
        let staff = common::user(
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

    let addr = application.serve_on_loopback().await;

    // The floor: the same fan-out from a bare tokio server (see the module comment).
    let (floor_tx, _) = broadcast::channel::<Arc<Vec<u8>>>(64);
    let floor_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let floor_addr = floor_listener.local_addr().unwrap();
    tokio::spawn(floor_server(floor_listener, floor_tx.clone()));

    println!(
        "live updates on {backend}: {CHANGES} status changes at 10/s, each fanned out to every stream"
    );
    println!(
        "| open streams | p50 | p99 | max | memory per stream | floor p50 / p99 / max | floor memory | p99 ratio |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let cookie_file =
            std::env::temp_dir().join(format!("handoff-live-cookies-{}", std::process::id()));
        std::fs::write(&cookie_file, cookies[..n].join("\n")).unwrap();

        let mut version = store.referral(referral).await.unwrap().unwrap().version;
        let app_round = measure(
            n,
            addr,
            &cookie_file,
            || state.live_streams.count(),
            async |k| {
                let to = if k.is_multiple_of(2) {
                    Status::Pending
                } else {
                    Status::Eligible
                };
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
            },
        )
        .await;
        while state.live_streams.count() > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }

        let floor_round = measure(n, floor_addr, &cookie_file, || floor_tx.receiver_count(), async |k| {
            let event = format!("id: {k}\nevent: status\ndata: {{\"seq\":{k},\"referral\":1,\"kind\":\"status\"}}\n\n");
            let _ = floor_tx.send(Arc::new(event.into_bytes()));
        })
        .await;
        while floor_tx.receiver_count() > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = std::fs::remove_file(&cookie_file);

        println!(
            "| {n} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} KiB | {:.1} / {:.1} / {:.1} ms | {:.1} KiB | {:.2} |{}",
            ms(app_round.p50),
            ms(app_round.p99),
            ms(app_round.max),
            app_round.kib_per_stream,
            ms(floor_round.p50),
            ms(floor_round.p99),
            ms(floor_round.max),
            floor_round.kib_per_stream,
            app_round.p99.as_secs_f64() / floor_round.p99.as_secs_f64(),
            match app_round.missing + floor_round.missing {
                0 => String::new(),
                m => format!(" {m} deliveries missing!"),
            }
        );
        println!(
            "row: | live update latency, {n} open streams, {backend} (commit to event read; p50 / p99) | {:.1} / {:.1} ms | bare tokio fan-out {:.1} / {:.1} ms | {:.2} |",
            ms(app_round.p50),
            ms(app_round.p99),
            ms(floor_round.p50),
            ms(floor_round.p99),
            app_round.p99.as_secs_f64() / floor_round.p99.as_secs_f64()
        );
        println!(
            "row: | server memory per open stream, {n} streams | {:.1} KiB | bare tokio connection {:.1} KiB | {:.2} |",
            app_round.kib_per_stream,
            floor_round.kib_per_stream,
            app_round.kib_per_stream / floor_round.kib_per_stream.max(0.1)
        );
    }
}

struct Round {
    p50: Duration,
    p99: Duration,
    max: Duration,
    kib_per_stream: f64,
    missing: usize,
}

/// Opens `n` streams on `addr` (in the child process), waits until the server counts them,
/// makes CHANGES changes at 10 per second with `change`, and collects the latencies.
async fn measure(
    n: usize,
    addr: SocketAddr,
    cookie_file: &std::path::Path,
    open_streams: impl Fn() -> usize,
    mut change: impl AsyncFnMut(usize),
) -> Round {
    let rss_before = rss_kib();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--clients", &addr.to_string()])
        .arg(cookie_file)
        .arg(CHANGES.to_string())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    while lines.recv().await.as_deref() != Some("open") {}
    while open_streams() < n {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_open = rss_kib();

    let mut started_ns = Vec::with_capacity(CHANGES);
    for k in 0..CHANGES {
        started_ns.push(epoch_ns());
        change(k).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The clients report once they have every event (or have waited long enough).
    let mut latencies = Vec::with_capacity(n * CHANGES);
    while let Some(line) = lines.recv().await {
        let mut parts = line.split_whitespace();
        if let (Some("ev"), Some(k), Some(at)) = (parts.next(), parts.next(), parts.next()) {
            let k: usize = k.parse().unwrap();
            let at: u128 = at.parse().unwrap();
            latencies.push(Duration::from_nanos(
                (at.saturating_sub(started_ns[k])) as u64,
            ));
        }
    }
    let _ = child.wait();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    Round {
        p50: pct(0.50),
        p99: pct(0.99),
        max: *latencies.last().unwrap(),
        kib_per_stream: (rss_open.saturating_sub(rss_before)) as f64 / n as f64,
        missing: n * CHANGES - latencies.len(),
    }
}

/// The floor: answers each connection with SSE headers, then writes every broadcast event.
async fn floor_server(listener: TcpListener, events: broadcast::Sender<Arc<Vec<u8>>>) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            continue;
        };
        let mut rx = events.subscribe();
        tokio::spawn(async move {
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let head = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n\r\n";
            if socket.write_all(head).await.is_err() {
                return;
            }
            // Until the client hangs up (read returns 0) or the channel closes.
            loop {
                tokio::select! {
                    event = rx.recv() => match event {
                        Ok(event) => {
                            if socket.write_all(&event).await.is_err() {
                                return;
                            }
                        }
                        Err(_) => return,
                    },
                    read = socket.read(&mut buf) => {
                        if matches!(read, Ok(0) | Err(_)) {
                            return;
                        }
                    }
                }
            }
        });
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Wall-clock nanoseconds: comparable between the server and the client process.
fn epoch_ns() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// Client mode (`--clients <addr> <cookie file> <changes>`): one stream per cookie. Prints
/// "open" once every stream is open; then, once every stream has seen every change (or no
/// event came for 5 s), "ev <k> <epoch ns>" for the k-th status event of each stream.
async fn run_clients(addr: SocketAddr, cookie_file: &str) {
    let cookies: Vec<String> = std::fs::read_to_string(cookie_file)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let changes: usize = std::env::args()
        .next_back()
        .and_then(|a| a.parse().ok())
        .unwrap_or(CHANGES);
    let (opened_tx, mut opened_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let (events_tx, mut events_rx) = tokio::sync::mpsc::unbounded_channel::<(usize, u128)>();
    for cookie in cookies.iter().cloned() {
        tokio::spawn(client(addr, cookie, events_tx.clone(), opened_tx.clone()));
    }
    for _ in 0..cookies.len() {
        opened_rx.recv().await.unwrap();
    }
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "open").unwrap();
    out.flush().unwrap();
    let expected = cookies.len() * changes;
    let mut seen = Vec::with_capacity(expected);
    while seen.len() < expected {
        match tokio::time::timeout(Duration::from_secs(5), events_rx.recv()).await {
            Ok(Some(event)) => seen.push(event),
            _ => break,
        }
    }
    for (k, at) in seen {
        writeln!(out, "ev {k} {at}").unwrap();
    }
    out.flush().unwrap();
}

/// One browser's stream: reports when each status event arrives.
async fn client(
    addr: SocketAddr,
    cookie: String,
    events: tokio::sync::mpsc::UnboundedSender<(usize, u128)>,
    opened: tokio::sync::mpsc::UnboundedSender<()>,
) {
    let mut stream = TcpStream::connect(addr)
        .await
        .expect("connect (raise ulimit -n)");
    let request = format!(
        "GET /api/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 2048];
    let mut text = String::new();
    let mut seen = 0usize;
    let mut headers_done = false;
    loop {
        let n = match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let now = epoch_ns();
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
            let _ = events.send((seen, now));
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
