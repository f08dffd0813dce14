//! The soak: simulated people using one real server on PostgreSQL for a long while, then
//! the same load through faults, with everything they were told checked against what was
//! kept. Run by `./scripts/soak` (not part of `./scripts/test`); traffic is loopback only.
//!
//! Workload (defaults: 1,000 users, a 10-minute load phase, then 250 seconds of faults):
//! - program staff (a tenth): keep Inbound Referrals open (a live event stream), load the page,
//!   triage their share of the program's referrals (`update_status`), add notes;
//! - helpers (three tenths): keep People I'm Helping open (a live stream), load the page,
//!   refer new people (`send_referral`), add notes;
//! - seekers (the rest): open their status link (`/r/…`) and answer its check-in question
//!   ("still waiting").
//!
//! Each user acts, waits 5 to 15 seconds (10 on average), and acts again. Every user has its
//! own loopback address (127.0.x.y), as people behind their own connections do, so the
//! server's per-address limits and throttles apply as in a deployment.
//!
//! Faults, while the load goes on: PostgreSQL restarted (`--pg-restart`, a shell command),
//! the SMTP server stopped for a minute, the server killed (SIGKILL) and started again, the
//! server stopped (SIGTERM, as a deployment does) and started again.
//!
//! Checked at the end (a failure exits non-zero): no error in the load phase; every change a
//! user was told had been made is in the database; every email in the outbox was sent, and
//! the SMTP server received each exactly once (save those it accepted in the moment before
//! the server was killed, counted apart: see `check_emails`); every open live stream ended
//! up knowing each referral its user may see at the version the database holds.
//!
//! Printed: per action and phase, how many, p50, p99 and max; errors by phase and kind;
//! the server's resident memory through the load phase.

use app::model::{
    ContactPreference, EmailAddress, Language, PersonName, ProgramId, ReferralId, Role, UserId,
};
use app::server::Store;
use app::server::auth::start_session;
use app::server::mail::{LinkHolder, StatusLink};
use app::server::store::{Actor, NewPerson, NewReferral, PersonChoice};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpSocket;

mod common;

const SECRET: &str = "soak-secret-soak-secret-soak-secret-soak!";
/// How long a simulated browser waits for an answer before calling it an error.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);
/// Staff per program; each triages the program's referrals whose id leaves this remainder,
/// so two staff members never race for the same referral (a real 409, but not this test's).
const STAFF_PER_PROGRAM: usize = 5;
/// How long the fault phase lasts (its faults at 20, 60 to 120, 150 and 190 seconds).
const FAULT_PHASE: Duration = Duration::from_secs(250);
/// What a page shows in place of data it could not load (`err_internal`, English).
const INTERNAL_ERROR_TEXT: &str = "Something went wrong on our side";

struct Args {
    server: PathBuf,
    database: String,
    pg_restart: Option<String>,
    users: usize,
    load: Duration,
}

fn args() -> Args {
    let mut words = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut args = Args {
        server: PathBuf::from("target/release/handoff"),
        database: String::new(),
        pg_restart: None,
        users: 1000,
        load: Duration::from_secs(600),
    };
    while let Some(word) = words.next() {
        let mut value = || {
            words
                .next()
                .unwrap_or_else(|| panic!("{word} needs a value"))
        };
        match word.as_str() {
            "--server" => args.server = value().into(),
            "--database" => args.database = value(),
            "--pg-restart" => args.pg_restart = Some(value()),
            "--users" => args.users = value().parse().expect("--users N"),
            "--minutes" => {
                args.load =
                    Duration::from_secs_f64(value().parse::<f64>().expect("--minutes N") * 60.0)
            }
            other => panic!("unknown argument {other:?}"),
        }
    }
    assert!(
        args.database.starts_with("postgres://"),
        "--database postgres://… (the soak runs on PostgreSQL)"
    );
    assert!(args.users >= 10, "--users: at least 10");
    args
}

// ---------------------------------------------------------------------------------------
// What the users did and were told, shared by every task.

/// 0: the load phase; 1: the fault phase.
static PHASE: AtomicUsize = AtomicUsize::new(0);
const PHASES: [&str; 2] = ["load", "faults"];

#[derive(Default)]
struct Record {
    /// (phase, action) → answer times in microseconds.
    times: BTreeMap<(usize, &'static str), Vec<u32>>,
    /// (phase, action, what went wrong) → how often.
    errors: BTreeMap<(usize, &'static str, String), u32>,
    /// (phase, action) → 409 answers: the change was refused as stale.
    conflicts: BTreeMap<(usize, &'static str), u32>,
    /// Changes the server said it made, to be found in the database at the end.
    status_changes: HashMap<i64, u32>,
    notes: Vec<(i64, String)>,
    referrals: Vec<i64>,
    still_waiting: HashMap<i64, u32>,
}

#[derive(Default)]
struct Shared {
    record: Mutex<Record>,
    stop: AtomicBool,
    stream_reconnects: AtomicU64,
    refetches: AtomicU64,
}

impl Shared {
    fn phase() -> usize {
        PHASE.load(Ordering::Relaxed)
    }

    fn done(&self, action: &'static str, started: Instant) {
        let us = started.elapsed().as_micros().min(u32::MAX as u128) as u32;
        let mut r = self.record.lock().unwrap();
        r.times.entry((Self::phase(), action)).or_default().push(us);
    }

    fn failed(&self, action: &'static str, what: String) {
        let mut r = self.record.lock().unwrap();
        *r.errors.entry((Self::phase(), action, what)).or_default() += 1;
    }

    fn conflict(&self, action: &'static str) {
        let mut r = self.record.lock().unwrap();
        *r.conflicts.entry((Self::phase(), action)).or_default() += 1;
    }
}

// ---------------------------------------------------------------------------------------
// A simulated browser: its own loopback address, one keep-alive connection, a session.

struct Browser {
    server: SocketAddr,
    source: IpAddr,
    cookie: Option<String>,
    sender: Option<http1::SendRequest<Full<Bytes>>>,
}

/// The n-th user's own loopback address: 127.0.1.1, 127.0.1.2, … (127.0.0.1 is the server's).
fn address_of(n: usize) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(
        127,
        0,
        1 + (n / 250) as u8,
        1 + (n % 250) as u8,
    ))
}

async fn open_connection(
    server: SocketAddr,
    source: IpAddr,
) -> Result<(http1::SendRequest<Full<Bytes>>, tokio::task::JoinHandle<()>), String> {
    let socket = TcpSocket::new_v4().map_err(|e| format!("socket: {e}"))?;
    socket
        .bind(SocketAddr::new(source, 0))
        .map_err(|e| format!("bind: {e}"))?;
    let stream = socket
        .connect(server)
        .await
        .map_err(|e| format!("connect: {}", e.kind()))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok((sender, driver))
}

fn request(
    server: SocketAddr,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<String>,
) -> hyper::Request<Full<Bytes>> {
    let mut builder = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", server.to_string());
    if let Some(c) = cookie {
        builder = builder.header("cookie", c);
    }
    if body.is_some() {
        builder = builder
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json");
    }
    builder
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .expect("a well-formed request")
}

impl Browser {
    fn new(server: SocketAddr, n: usize, cookie: Option<String>) -> Browser {
        Browser {
            server,
            source: address_of(n),
            cookie,
            sender: None,
        }
    }

    /// One request and its whole answer: (status code, body). A transport failure or an
    /// answer later than `ANSWER_TIMEOUT` drops the connection, as a browser would.
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<(u16, Bytes), String> {
        // A kept-alive connection the server has just closed as idle (its header-read timeout)
        // fails a request sent at that moment, before any answer: a browser sends it again
        // on a new connection, once, and so does this one.
        let reused = self.sender.as_ref().is_some_and(|s| !s.is_closed());
        match self.send_once(method, path, body.clone()).await {
            Err(Failure::Unanswered(_)) if reused => self.send_once(method, path, body).await,
            other => other,
        }
        .map_err(|f| match f {
            Failure::Unanswered(e) | Failure::Other(e) => e,
        })
    }

    async fn send_once(
        &mut self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<(u16, Bytes), Failure> {
        let server = self.server;
        let source = self.source;
        let req = request(server, method, path, self.cookie.as_deref(), body);
        let sender = &mut self.sender;
        let exchange = async move {
            if sender.as_ref().is_none_or(|s| s.is_closed()) {
                *sender = Some(
                    open_connection(server, source)
                        .await
                        .map_err(Failure::Other)?
                        .0,
                );
            }
            let s = sender.as_mut().expect("connected above");
            s.ready()
                .await
                .map_err(|e| Failure::Unanswered(format!("connection: {e}")))?;
            let answer = s
                .send_request(req)
                .await
                .map_err(|e| Failure::Unanswered(format!("request: {e}")))?;
            let code = answer.status().as_u16();
            let body = answer
                .into_body()
                .collect()
                .await
                .map_err(|e| Failure::Other(format!("answer body: {e}")))?
                .to_bytes();
            Ok((code, body))
        };
        let outcome = tokio::time::timeout(ANSWER_TIMEOUT, exchange).await;
        match outcome {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(e)) => {
                self.sender = None;
                Err(e)
            }
            Err(_) => {
                self.sender = None;
                Err(Failure::Other("no answer within 30 s".into()))
            }
        }
    }

    async fn get(&mut self, path: &str) -> Result<(u16, Bytes), String> {
        self.send("GET", path, None).await
    }

    async fn post(&mut self, path: &str, body: String) -> Result<(u16, Bytes), String> {
        self.send("POST", path, Some(body)).await
    }
}

/// Why a request failed: before any answer came (it may be sent again), or otherwise.
enum Failure {
    Unanswered(String),
    Other(String),
}

/// A reproducible random stream per user (think times and choices only).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// 5 to 15 seconds, 10 on average.
    fn think(&mut self) -> Duration {
        Duration::from_millis(5_000 + self.next() % 10_000)
    }
}

fn letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn contains(body: &[u8], part: &[u8]) -> bool {
    body.windows(part.len()).any(|w| w == part)
}

fn json(body: &Bytes) -> Option<serde_json::Value> {
    serde_json::from_slice(body).ok()
}

fn short(body: &Bytes) -> String {
    let text = String::from_utf8_lossy(body);
    text.chars().take(120).collect()
}

// ---------------------------------------------------------------------------------------
// The people.

/// Referral id → the version this user's open dashboard last heard of.
type Known = Arc<Mutex<HashMap<i64, i64>>>;

#[derive(Clone)]
enum Person {
    Staff {
        user: UserId,
        program: ProgramId,
        share: usize,
        cookie: String,
        known: Known,
    },
    Helper {
        user: UserId,
        cookie: String,
        known: Known,
        programs: Arc<Vec<ProgramId>>,
    },
    Seeker {
        referral: ReferralId,
        token: String,
    },
}

impl Person {
    /// Whether this person's open dashboard shows a referral to `program` made by `referrer`
    /// (staff: their program's inbound; helpers: the people they referred).
    fn follows(&self, program: i64, referrer: Option<i64>) -> bool {
        match self {
            Person::Staff { program: p, .. } => p.0 == program,
            Person::Helper { user, .. } => referrer == Some(user.0),
            Person::Seeker { .. } => false,
        }
    }
}

async fn act(person: Person, n: usize, server: SocketAddr, shared: Arc<Shared>) {
    let cookie = match &person {
        Person::Staff { cookie, .. } | Person::Helper { cookie, .. } => Some(cookie.clone()),
        Person::Seeker { .. } => None,
    };
    let mut browser = Browser::new(server, n, cookie);
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1).wrapping_mul(0xBF58_476D));
    // Staff: the status each of their referrals is in, as their own changes left it.
    let mut statuses: HashMap<i64, &'static str> = HashMap::new();
    let mut notes = 0usize;
    // Spread the first actions over one think time, not all at once.
    tokio::time::sleep(Duration::from_millis(dice.next() % 10_000)).await;
    while !shared.stop.load(Ordering::Relaxed) {
        match &person {
            Person::Staff { share, known, .. } => match dice.below(20) {
                0..=9 => {
                    page(
                        &mut browser,
                        &shared,
                        "staff: Inbound Referrals page",
                        "/inbound",
                    )
                    .await
                }
                10..=16 => {
                    let mine: Vec<(i64, i64)> = {
                        let k = known.lock().unwrap();
                        k.iter()
                            .filter(|(id, _)| **id as usize % STAFF_PER_PROGRAM == *share)
                            .map(|(id, v)| (*id, *v))
                            .collect()
                    };
                    if let Some(&(referral, version)) = mine.get(dice.below(mine.len().max(1))) {
                        let to = match statuses.get(&referral) {
                            Some(&"pending") => "eligible",
                            _ => "pending",
                        };
                        if triage(&mut browser, &shared, known, referral, version, to).await {
                            statuses.insert(referral, to);
                        }
                    }
                }
                _ => {
                    let any: Vec<i64> = known.lock().unwrap().keys().copied().collect();
                    if let Some(&referral) = any.get(dice.below(any.len().max(1))) {
                        notes += 1;
                        let text = format!("Staff note {n}-{notes}: called, left a message");
                        note(&mut browser, &shared, "staff: add a note", referral, text).await;
                    }
                }
            },
            Person::Helper {
                known, programs, ..
            } => match dice.below(10) {
                0..=3 => {
                    page(
                        &mut browser,
                        &shared,
                        "helper: People I'm Helping page",
                        "/people",
                    )
                    .await
                }
                4..=6 => {
                    let program = programs[dice.below(programs.len())];
                    refer(&mut browser, &shared, known, program, n, &mut dice).await;
                }
                _ => {
                    let any: Vec<i64> = known.lock().unwrap().keys().copied().collect();
                    if let Some(&referral) = any.get(dice.below(any.len().max(1))) {
                        notes += 1;
                        let text = format!("Helper note {n}-{notes}: she has the documents ready");
                        note(&mut browser, &shared, "helper: add a note", referral, text).await;
                    }
                }
            },
            Person::Seeker { referral, token } => {
                if dice.below(10) < 7 {
                    page(
                        &mut browser,
                        &shared,
                        "seeker: status link page",
                        &format!("/r/{token}"),
                    )
                    .await;
                } else {
                    answer(&mut browser, &shared, *referral, token).await;
                }
            }
        }
        tokio::time::sleep(dice.think()).await;
    }
}

async fn page(browser: &mut Browser, shared: &Shared, action: &'static str, path: &str) {
    let started = Instant::now();
    match browser.get(path).await {
        // A whole page, not a redirect to the login, and not one whose data failed to load
        // (its head already sent as 200, it shows the error where the data would be).
        Ok((200, body))
            if contains(&body, b"</html>") && !contains(&body, INTERNAL_ERROR_TEXT.as_bytes()) =>
        {
            shared.done(action, started)
        }
        Ok((code, body)) => shared.failed(action, format!("{code}: {}", short(&body))),
        Err(e) => shared.failed(action, e),
    }
}

/// A staff member's status change; true when the server made it.
async fn triage(
    browser: &mut Browser,
    shared: &Shared,
    known: &Known,
    referral: i64,
    version: i64,
    to: &str,
) -> bool {
    const ACTION: &str = "staff: change a status";
    let started = Instant::now();
    let body =
        format!("referral={referral}&version={version}&status={to}&comment=&acting_as=program");
    match browser.post("/api/update_status", body).await {
        Ok((200, answer)) => {
            shared.done(ACTION, started);
            let v = json(&answer).and_then(|j| j["version"].as_i64());
            if let Some(v) = v {
                let mut k = known.lock().unwrap();
                let e = k.entry(referral).or_insert(v);
                *e = (*e).max(v);
            }
            *shared
                .record
                .lock()
                .unwrap()
                .status_changes
                .entry(referral)
                .or_default() += 1;
            true
        }
        Ok((409, _)) => {
            // Stale: read it again, as the page does, and go on from there.
            shared.conflict(ACTION);
            if let Ok((200, answer)) = browser
                .post("/api/referral", format!("id={referral}"))
                .await
                && let Some(v) = json(&answer).and_then(|j| j["version"].as_i64())
            {
                known.lock().unwrap().insert(referral, v);
            }
            false
        }
        Ok((code, answer)) => {
            shared.failed(ACTION, format!("{code}: {}", short(&answer)));
            false
        }
        Err(e) => {
            shared.failed(ACTION, e);
            false
        }
    }
}

async fn note(
    browser: &mut Browser,
    shared: &Shared,
    action: &'static str,
    referral: i64,
    text: String,
) {
    let started = Instant::now();
    let body =
        serde_urlencoded::to_string([("referral", referral.to_string()), ("note", text.clone())])
            .expect("a form");
    match browser.post("/api/add_note", body).await {
        Ok((200, _)) => {
            shared.done(action, started);
            shared.record.lock().unwrap().notes.push((referral, text));
        }
        Ok((code, answer)) => shared.failed(action, format!("{code}: {}", short(&answer))),
        Err(e) => shared.failed(action, e),
    }
}

async fn refer(
    browser: &mut Browser,
    shared: &Shared,
    known: &Known,
    program: ProgramId,
    n: usize,
    dice: &mut Dice,
) {
    const ACTION: &str = "helper: refer someone new";
    let started = Instant::now();
    let first = letters(dice.below(10_000));
    let last = letters(n + 1000);
    let body = format!(
        "program={program}&for_whom=new&first_name={first}&last_name={last}\
         &email={}%40example.org&phone=&best_way=email&language=en\
         &comments=Needs+help+with+groceries+this+week&consent=on",
        first.to_lowercase()
    );
    match browser.post("/api/send_referral", body).await {
        Ok((200, answer)) => {
            shared.done(ACTION, started);
            if let Some(id) = json(&answer).and_then(|j| j.as_i64()) {
                known.lock().unwrap().entry(id).or_insert(0);
                shared.record.lock().unwrap().referrals.push(id);
            } else {
                shared.failed(ACTION, format!("no referral id in {}", short(&answer)));
            }
        }
        Ok((code, answer)) => shared.failed(ACTION, format!("{code}: {}", short(&answer))),
        Err(e) => shared.failed(ACTION, e),
    }
}

async fn answer(browser: &mut Browser, shared: &Shared, referral: ReferralId, token: &str) {
    const ACTION: &str = "seeker: answer the check-in";
    let started = Instant::now();
    let body = format!("token={token}&answer=still_waiting");
    match browser.post("/api/answer_check_in", body).await {
        Ok((200, _)) => {
            shared.done(ACTION, started);
            *shared
                .record
                .lock()
                .unwrap()
                .still_waiting
                .entry(referral.0)
                .or_default() += 1;
        }
        Ok((code, answer)) => shared.failed(ACTION, format!("{code}: {}", short(&answer))),
        Err(e) => shared.failed(ACTION, e),
    }
}

// ---------------------------------------------------------------------------------------
// Open dashboards: the live event stream, reconnecting with Last-Event-ID as a browser does.

async fn follow(person: Person, n: usize, server: SocketAddr, shared: Arc<Shared>) {
    let (cookie, known, staff) = match &person {
        Person::Staff { cookie, known, .. } => (cookie.clone(), known.clone(), true),
        Person::Helper { cookie, known, .. } => (cookie.clone(), known.clone(), false),
        Person::Seeker { .. } => return,
    };
    let source = address_of(n);
    let mut last_id: Option<String> = None;
    let mut first = true;
    loop {
        if !first {
            shared.stream_reconnects.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        first = false;
        let Ok((mut sender, _driver)) = open_connection(server, source).await else {
            continue;
        };
        let mut req = request(server, "GET", "/api/events", Some(&cookie), None);
        req.headers_mut()
            .insert("accept", "text/event-stream".parse().unwrap());
        if let Some(id) = &last_id {
            req.headers_mut()
                .insert("last-event-id", id.parse().unwrap());
        }
        let Ok(answer) = sender.send_request(req).await else {
            continue;
        };
        if answer.status() != 200 {
            shared.failed("live stream: open", answer.status().as_u16().to_string());
            continue;
        }
        let mut body = answer.into_body();
        let mut buffer = String::new();
        while let Some(Ok(frame)) = body.frame().await {
            let Ok(data) = frame.into_data() else {
                continue;
            };
            buffer.push_str(&String::from_utf8_lossy(&data));
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                let (mut id, mut kind, mut data) = (None, "", "");
                for line in event.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = Some(v.trim().to_string());
                    } else if let Some(v) = line.strip_prefix("event:") {
                        kind = v.trim();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data = v.trim();
                    }
                }
                if let Some(id) = id {
                    last_id = Some(id);
                }
                if kind == "refetch" {
                    shared.refetches.fetch_add(1, Ordering::Relaxed);
                    refetch(server, n, &cookie, &known, staff).await;
                } else if let Ok(change) = serde_json::from_str::<serde_json::Value>(data)
                    && let (Some(referral), Some(version)) =
                        (change["referral"].as_i64(), change["version"].as_i64())
                {
                    let mut k = known.lock().unwrap();
                    let e = k.entry(referral).or_insert(version);
                    *e = (*e).max(version);
                }
            }
        }
    }
}

/// Told to refetch (it missed too much): reads the whole dashboard again, as the page does.
async fn refetch(server: SocketAddr, n: usize, cookie: &str, known: &Known, staff: bool) {
    let mut browser = Browser::new(server, n, Some(cookie.to_string()));
    let mut seen = Vec::new();
    if staff {
        let mut before = String::new();
        loop {
            let body = format!("program=0&status=&from=&to=&before={before}");
            let Ok((200, answer)) = browser.post("/api/inbound", body).await else {
                return;
            };
            let Some(page) = json(&answer) else { return };
            for r in page["referrals"].as_array().into_iter().flatten() {
                seen.push((r["id"].as_i64(), r["version"].as_i64()));
            }
            match page["next"].as_str() {
                Some(next) => before = next.to_string(),
                None => break,
            }
        }
    } else {
        let Ok((200, answer)) = browser
            .post("/api/helper_people", "name=&status=".into())
            .await
        else {
            return;
        };
        for person in json(&answer)
            .and_then(|j| j.as_array().cloned())
            .into_iter()
            .flatten()
        {
            for r in person["referrals"].as_array().into_iter().flatten() {
                seen.push((r["id"].as_i64(), r["version"].as_i64()));
            }
        }
    }
    let mut k = known.lock().unwrap();
    for (id, version) in seen {
        if let (Some(id), Some(version)) = (id, version) {
            let e = k.entry(id).or_insert(version);
            *e = (*e).max(version);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The real parts: the server and the SMTP server as child processes.

struct Server {
    binary: PathBuf,
    env: Vec<(String, String)>,
    addr: SocketAddr,
    log: PathBuf,
    child: Option<Child>,
}

impl Server {
    async fn start(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let child = Command::new(&self.binary)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e} (built by ./scripts/soak)", self.binary.display()));
        self.child = Some(child);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Ok((mut sender, _)) =
                open_connection(self.addr, IpAddr::V4(Ipv4Addr::LOCALHOST)).await
                && let Ok(answer) = sender
                    .send_request(request(self.addr, "GET", "/healthz", None, None))
                    .await
                && answer.status() == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the server did not answer /healthz within a minute: see {}",
            self.log.display()
        );
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, as a deployment stops it: it finishes what it is doing and exits.
    /// Answers how long it took to exit.
    async fn stop(&mut self) -> Duration {
        let started = Instant::now();
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            // Off the runtime's threads: the users go on meanwhile.
            let _ = tokio::task::spawn_blocking(move || child.wait()).await;
        }
        started.elapsed()
    }

    /// Resident memory (VmRSS) in MiB.
    fn memory_mib(&self) -> f64 {
        let pid = self.child.as_ref().map(|c| c.id()).unwrap_or(0);
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            })
            .map(|kb| kb / 1024.0)
            .unwrap_or(f64::NAN)
    }
}

struct Sink {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl Sink {
    async fn start(&mut self) {
        self.child = Some(common::spawn_sink(self.port, &self.dir, &["--light"]).await);
    }

    /// SIGTERM: it stops listening and writes out what it has accepted.
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let _ = child.wait();
        }
    }

    /// Message-ID → when it was received (Unix seconds), once per reception.
    fn received(&self) -> HashMap<String, Vec<f64>> {
        let log = std::fs::read_to_string(self.dir.join("log.jsonl")).unwrap_or_default();
        let mut times: HashMap<String, Vec<f64>> = HashMap::new();
        for line in log.lines() {
            let Ok(entry) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if let Some(id) = entry["message_id"].as_str() {
                let at = entry["at"].as_f64().unwrap_or(f64::NAN);
                times.entry(id.to_string()).or_default().push(at);
            }
        }
        times
    }
}

// ---------------------------------------------------------------------------------------
// Seeding: programs with staff, helpers each in a group of their own, seekers with one
// referral each (made by a helper, to a program) and their status link.

struct World {
    people: Vec<Person>,
    programs: Arc<Vec<ProgramId>>,
}

async fn seed(store: &Store, users: usize) -> World {
    let staff_count = (users / 10).max(STAFF_PER_PROGRAM);
    let program_count = staff_count / STAFF_PER_PROGRAM;
    let helper_count = users * 3 / 10;
    let seeker_count = users - program_count * STAFF_PER_PROGRAM - helper_count;
    let mut people = Vec::with_capacity(users);
    let mut programs = Vec::new();
    let mut staff_of_program: Vec<Vec<Known>> = Vec::new();
    for p in 0..program_count {
        let program = store
            .create_program(&app::server::store::NewProgram {
                name: format!("Program {}", letters(p)),
                organization: format!("Organization {}", letters(p)),
                categories: vec!["food".into()],
                languages: vec!["en".into()],
                contact_email: Some(format!("listed{p}@program.test")),
                ..Default::default()
            })
            .await
            .unwrap();
        programs.push(program);
        let mut knowns = Vec::new();
        for share in 0..STAFF_PER_PROGRAM {
            let i = p * STAFF_PER_PROGRAM + share;
            let user = common::user(
                store,
                &format!("Staff {}", letters(i)),
                &format!("staff{i}@program.test"),
            )
            .await;
            store.add_program_staff(program, user).await.unwrap();
            let known = Known::default();
            knowns.push(known.clone());
            people.push(Person::Staff {
                user,
                program,
                share,
                cookie: String::new(),
                known,
            });
        }
        staff_of_program.push(knowns);
    }
    let programs = Arc::new(programs);
    let mut helpers = Vec::new();
    for h in 0..helper_count {
        let user = common::user(
            store,
            &format!("Helper {}", letters(h)),
            &format!("helper{h}@navigators.test"),
        )
        .await;
        let group = store
            .create_group(&format!("Navigators {}", letters(h)), false, user)
            .await
            .unwrap();
        let known = Known::default();
        helpers.push((user, group, known.clone()));
        people.push(Person::Helper {
            user,
            cookie: String::new(),
            known,
            programs: programs.clone(),
        });
    }
    let secret = SECRET.as_bytes();
    for s in 0..seeker_count {
        let (helper, group, helper_known) = &helpers[s % helper_count];
        let p = s % program_count;
        let person = store
            .create_person(&NewPerson {
                first_name: PersonName::parse(&format!("Seeker {}", letters(s))).unwrap(),
                last_name: PersonName::parse("Soak").unwrap(),
                email: Some(EmailAddress::parse(&format!("seeker{s}@example.test")).unwrap()),
                phone: None,
                language: Language::english(),
                user: None,
                created_by: Some(*helper),
            })
            .await
            .unwrap();
        let actor = Actor {
            user: Some(*helper),
            role: Role::Helper,
            label: "Helper".into(),
        };
        let referral = store
            .create_referral(
                &NewReferral {
                    person: PersonChoice::Existing(person),
                    program: programs[p],
                    referrer: Some((*helper, Some(*group))),
                    contact_preference: ContactPreference::Email,
                    contact_email: None,
                    contact_phone: None,
                    language: Language::english(),
                    comments: "Seeded for the soak".into(),
                },
                &actor,
            )
            .await
            .unwrap();
        let version = store.referral(referral).await.unwrap().unwrap().version;
        helper_known.lock().unwrap().insert(referral.0, version);
        for known in &staff_of_program[p] {
            known.lock().unwrap().insert(referral.0, version);
        }
        let token = StatusLink {
            referral,
            holder: LinkHolder::Seeker,
            expires_at: app::server::clock::now_ms() + 86_400_000,
        }
        .sign(secret);
        people.push(Person::Seeker { referral, token });
    }
    // Sessions last: each user's first request is within the idle timeout.
    for person in &mut people {
        match person {
            Person::Staff { user, cookie, .. } | Person::Helper { user, cookie, .. } => {
                *cookie = format!(
                    "handoff_session={}",
                    start_session(store, *user).await.unwrap()
                );
            }
            Person::Seeker { .. } => {}
        }
    }
    World { people, programs }
}

// ---------------------------------------------------------------------------------------
// The run.

#[tokio::main]
async fn main() {
    let args = args();
    let work = std::env::temp_dir().join(format!("handoff-soak-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let store = Store::open(&args.database).await.unwrap();
    let seeding = Instant::now();
    let world = seed(&store, args.users).await;
    println!(
        "seeded {} users ({} programs) in {:.1} s",
        world.people.len(),
        world.programs.len(),
        seeding.elapsed().as_secs_f64()
    );

    let mut sink = Sink {
        port: common::free_port(),
        dir: work.join("mail"),
        child: None,
    };
    sink.start().await;
    let addr: SocketAddr = format!("127.0.0.1:{}", common::free_port())
        .parse()
        .unwrap();
    let mut server = Server {
        binary: args.server.clone(),
        env: vec![
            ("DATABASE_URL".into(), args.database.clone()),
            ("SMTP_URL".into(), format!("smtp://127.0.0.1:{}", sink.port)),
            ("HANDOFF_SECRET".into(), SECRET.into()),
            (
                "HANDOFF_DATA_DIR".into(),
                work.join("data").display().to_string(),
            ),
            ("HANDOFF_PUBLIC_URL".into(), format!("http://{addr}")),
            ("LEPTOS_SITE_ADDR".into(), addr.to_string()),
            ("LEPTOS_SITE_ROOT".into(), "target/site".into()),
            ("LEPTOS_ENV".into(), "PROD".into()),
            ("RUST_LOG".into(), "warn".into()),
        ],
        addr,
        log: work.join("server.log"),
        child: None,
    };
    server.start().await;
    println!("server on {addr}, log {}", server.log.display());

    let shared = Arc::new(Shared::default());
    let mut streams = Vec::new();
    let mut users = Vec::new();
    for (n, person) in world.people.iter().enumerate() {
        streams.push(tokio::spawn(follow(
            person.clone(),
            n,
            addr,
            shared.clone(),
        )));
        users.push(tokio::spawn(act(person.clone(), n, addr, shared.clone())));
    }

    // The load phase: memory every minute.
    let load_started = Instant::now();
    let mut memory = vec![(0.0, server.memory_mib())];
    while load_started.elapsed() < args.load {
        let next = Duration::from_secs(60 * memory.len() as u64).min(args.load);
        tokio::time::sleep(next.saturating_sub(load_started.elapsed())).await;
        memory.push((
            load_started.elapsed().as_secs_f64() / 60.0,
            server.memory_mib(),
        ));
    }

    // The fault phase, the load going on.
    PHASE.store(1, Ordering::Relaxed);
    let faults_started = Instant::now();
    let mut faults = Vec::new();
    // When each fault began (Unix seconds), to tell which one an email received twice follows.
    let mut moments: Vec<(&str, f64)> = Vec::new();
    let at = |s: u64| faults_started + Duration::from_secs(s);
    tokio::time::sleep_until(at(20).into()).await;
    if let Some(command) = &args.pg_restart {
        let t = Instant::now();
        moments.push(("PostgreSQL restart", unix_now()));
        // Off the runtime's threads: the users go on meanwhile.
        let shell = command.clone();
        let ok = tokio::task::spawn_blocking(move || {
            Command::new("sh")
                .arg("-c")
                .arg(&shell)
                .status()
                .is_ok_and(|s| s.success())
        })
        .await
        .unwrap();
        assert!(ok, "--pg-restart failed: {command}");
        faults.push(format!(
            "PostgreSQL restarted (`{command}`, {:.1} s)",
            t.elapsed().as_secs_f64()
        ));
    } else {
        faults.push("PostgreSQL restart skipped: no --pg-restart command".into());
    }
    tokio::time::sleep_until(at(60).into()).await;
    moments.push(("SMTP server stop", unix_now()));
    sink.stop();
    tokio::time::sleep_until(at(120).into()).await;
    sink.start().await;
    moments.push(("SMTP server start", unix_now()));
    faults.push("SMTP server stopped for 60 s, then started again".into());
    tokio::time::sleep_until(at(150).into()).await;
    moments.push(("server kill", unix_now()));
    server.kill();
    let t = Instant::now();
    server.start().await;
    faults.push(format!(
        "server killed (SIGKILL) and started again: answering after {:.1} s",
        t.elapsed().as_secs_f64()
    ));
    tokio::time::sleep_until(at(190).into()).await;
    moments.push(("server stop", unix_now()));
    let exited = server.stop().await;
    let t = Instant::now();
    server.start().await;
    faults.push(format!(
        "server stopped (SIGTERM): exited after {:.1} s, answering again {:.1} s later",
        exited.as_secs_f64(),
        t.elapsed().as_secs_f64()
    ));
    tokio::time::sleep_until(at(FAULT_PHASE.as_secs()).into()).await;

    // Quiet: users stop; what they were told is checked against what was kept.
    shared.stop.store(true, Ordering::Relaxed);
    for u in users {
        let _ = u.await;
    }
    let mut failures: Vec<String> = Vec::new();
    let caught_up = caught_up(&store, &world, Duration::from_secs(60)).await;
    for s in &streams {
        s.abort();
    }
    if let Err(e) = &caught_up {
        failures.push(e.clone());
    }
    let drained = drain(&store, Duration::from_secs(600)).await;
    failures.extend(check_emails(&store, &sink, &moments).await);
    failures.extend(check_changes(&store, &shared).await);
    let end_memory = server.memory_mib();
    server_log_summary(&server.log);
    server.kill();
    sink.stop();

    report(
        &args, &shared, &memory, end_memory, &faults, &caught_up, drained,
    );
    let record = shared.record.lock().unwrap();
    let load_errors: u32 = record
        .errors
        .iter()
        .filter(|((p, _, _), _)| *p == 0)
        .map(|(_, n)| n)
        .sum();
    if load_errors > 0 {
        failures.push(format!("{load_errors} errors in the load phase"));
    }
    if failures.is_empty() {
        println!("\nsoak: every check passed");
    } else {
        println!("\nsoak FAILED:");
        for f in &failures {
            println!("- {f}");
        }
        std::process::exit(1);
    }
}

/// Waits until every open stream knows every referral its user may see at the database's
/// version; answers how long that took, or what was still behind.
async fn caught_up(store: &Store, world: &World, within: Duration) -> Result<Duration, String> {
    let started = Instant::now();
    loop {
        let rows: Vec<(i64, i64, i64, Option<i64>)> =
            sqlx::query_as("SELECT id, version, program_id, referrer_id FROM referrals")
                .fetch_all(store.pool())
                .await
                .unwrap();
        let mut behind = 0usize;
        let mut example = None;
        for person in &world.people {
            let known = match person {
                Person::Staff { known, .. } | Person::Helper { known, .. } => known,
                Person::Seeker { .. } => continue,
            };
            let k = known.lock().unwrap();
            for (id, version, program, referrer) in &rows {
                if person.follows(*program, *referrer) && k.get(id) != Some(version) {
                    behind += 1;
                    example.get_or_insert(format!(
                        "referral {id} at version {version}, the stream knew {:?}",
                        k.get(id)
                    ));
                }
            }
        }
        if behind == 0 {
            return Ok(started.elapsed());
        }
        if started.elapsed() > within {
            return Err(format!(
                "{behind} (stream, referral) pairs still behind after {} s, e.g. {}",
                within.as_secs(),
                example.unwrap_or_default()
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Waits for the outbox to have nothing left to send; answers how long that took.
async fn drain(store: &Store, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < within {
        let pending: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        if pending == 0 {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    None
}

fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// "0.41 s before the server kill": the fault nearest to a moment.
fn nearest(moments: &[(&str, f64)], t: f64) -> String {
    moments
        .iter()
        .min_by(|a, b| (a.1 - t).abs().total_cmp(&(b.1 - t).abs()))
        .map(|(what, at)| {
            let side = if t < *at { "before" } else { "after" };
            format!("{:.2} s {side} the {what}", (t - at).abs())
        })
        .unwrap_or_else(|| "with no fault near".into())
}

async fn check_emails(store: &Store, sink: &Sink, moments: &[(&str, f64)]) -> Vec<String> {
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT message_id, state, last_error FROM outbox")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let received = sink.received();
    let mut problems = Vec::new();
    let (mut missing, mut twice, mut not_sent, mut at_kill) = (0, 0, 0, 0);
    // SMTP has no two-phase commit: an email the SMTP server accepted in the moment before
    // the server was killed, not yet marked sent, is sent again when its lease runs out.
    // Those are counted apart; any other second copy is a fault.
    let kill = moments
        .iter()
        .find(|(what, _)| *what == "server kill")
        .map(|m| m.1);
    // (The SMTP server may log one a moment after: the whole message was already written.)
    let in_flight_at_kill = |t: f64| kill.is_some_and(|k| (-1.0..=2.0).contains(&(k - t)));
    for (id, state, error) in &rows {
        if state != "sent" {
            not_sent += 1;
            if not_sent == 1 {
                problems.push(format!("email {id} is {state}: {error:?}"));
            }
        }
        match received.get(id) {
            None if state == "sent" => missing += 1,
            Some(times) if times.len() > 1 => {
                if times.len() == 2 && in_flight_at_kill(times[0]) {
                    at_kill += 1;
                } else {
                    twice += 1;
                }
                println!(
                    "received {} times: {id}, first {}, again {}",
                    times.len(),
                    nearest(moments, times[0]),
                    nearest(moments, times[1])
                );
            }
            _ => {}
        }
    }
    let held: std::collections::HashSet<&str> = rows.iter().map(|(m, _, _)| m.as_str()).collect();
    let (retried, most_attempts): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(MAX(attempts), 0) FROM outbox WHERE attempts > 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    println!(
        "emails retried (the SMTP server was away): {retried}, at most {most_attempts} attempts"
    );
    let strangers = received
        .keys()
        .filter(|id| !held.contains(id.as_str()))
        .count();
    println!(
        "emails: {} in the outbox, {} received by the SMTP server ({} distinct); \
         {at_kill} received twice, accepted within a second or two of the server being killed",
        rows.len(),
        received.values().map(Vec::len).sum::<usize>(),
        received.len()
    );
    for (n, what) in [
        (not_sent, "emails not sent"),
        (missing, "emails marked sent but never received"),
        (
            twice,
            "emails received more than once (not in flight at the kill)",
        ),
        (strangers, "emails received that the outbox never held"),
    ] {
        if n > 0 {
            problems.push(format!("{n} {what}"));
        }
    }
    problems
}

/// Every change the server acknowledged is in the database.
async fn check_changes(store: &Store, shared: &Shared) -> Vec<String> {
    let history: Vec<(i64, String, Option<String>)> =
        sqlx::query_as("SELECT referral_id, kind, body FROM referral_history")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let mut statuses: HashMap<i64, u32> = HashMap::new();
    let mut waiting: HashMap<i64, u32> = HashMap::new();
    let mut bodies: std::collections::HashSet<(i64, String)> = Default::default();
    for (referral, kind, body) in history {
        match kind.as_str() {
            "status" => *statuses.entry(referral).or_default() += 1,
            "still_waiting" => *waiting.entry(referral).or_default() += 1,
            "note" => {
                bodies.insert((referral, body.unwrap_or_default()));
            }
            _ => {}
        }
    }
    let ids: std::collections::HashSet<i64> =
        sqlx::query_scalar::<_, i64>("SELECT id FROM referrals")
            .fetch_all(store.pool())
            .await
            .unwrap()
            .into_iter()
            .collect();
    let r = shared.record.lock().unwrap();
    let lost_status = r
        .status_changes
        .iter()
        .filter(|(id, n)| statuses.get(id).copied().unwrap_or(0) < **n)
        .count();
    let lost_waiting = r
        .still_waiting
        .iter()
        .filter(|(id, n)| waiting.get(id).copied().unwrap_or(0) < **n)
        .count();
    let lost_notes = r.notes.iter().filter(|n| !bodies.contains(*n)).count();
    let lost_referrals = r.referrals.iter().filter(|id| !ids.contains(id)).count();
    println!(
        "acknowledged changes: {} status changes, {} notes, {} new referrals, {} check-in answers",
        r.status_changes.values().sum::<u32>(),
        r.notes.len(),
        r.referrals.len(),
        r.still_waiting.values().sum::<u32>()
    );
    let mut problems = Vec::new();
    for (n, what) in [
        (lost_status, "referrals missing acknowledged status changes"),
        (
            lost_waiting,
            "referrals missing acknowledged check-in answers",
        ),
        (lost_notes, "acknowledged notes missing"),
        (lost_referrals, "acknowledged referrals missing"),
    ] {
        if n > 0 {
            problems.push(format!("{n} {what}"));
        }
    }
    problems
}

/// What the server logged at WARN and ERROR (the faults should show here, and nothing else).
fn server_log_summary(log: &std::path::Path) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut kinds: BTreeMap<String, u32> = BTreeMap::new();
    for line in text.lines() {
        // `… LEVEL target: message …`, with colour codes: the level and the target say enough.
        let plain: String = strip_colour(line);
        let mut words = plain.split_whitespace().skip(1);
        if let (Some(level @ ("WARN" | "ERROR")), Some(target)) = (words.next(), words.next()) {
            let message: String = words.take(6).collect::<Vec<_>>().join(" ");
            *kinds
                .entry(format!("{level} {target} {message}"))
                .or_default() += 1;
        }
    }
    println!("server log, WARN and ERROR lines:");
    if kinds.is_empty() {
        println!("- none");
    }
    for (kind, n) in kinds {
        println!("- {n} × {kind}");
    }
}

fn strip_colour(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1000.0
}

fn report(
    args: &Args,
    shared: &Shared,
    memory: &[(f64, f64)],
    end_memory: f64,
    faults: &[String],
    caught_up: &Result<Duration, String>,
    drained: Option<Duration>,
) {
    let r = shared.record.lock().unwrap();
    println!(
        "\nsoak: {} users, load phase {:.0} min, then faults; PostgreSQL; {} cores",
        args.users,
        args.load.as_secs_f64() / 60.0,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    println!("\n| phase | action | done | p50 ms | p99 ms | max ms | per s | conflicts | errors |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let seconds = [args.load.as_secs_f64(), FAULT_PHASE.as_secs_f64()];
    for ((phase, action), times) in &r.times {
        let mut sorted = times.clone();
        sorted.sort_unstable();
        let errors: u32 = r
            .errors
            .iter()
            .filter(|((p, a, _), _)| p == phase && a == action)
            .map(|(_, n)| n)
            .sum();
        println!(
            "| {} | {action} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {errors} |",
            PHASES[*phase],
            sorted.len(),
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.99),
            percentile(&sorted, 1.0),
            sorted.len() as f64 / seconds[*phase],
            r.conflicts.get(&(*phase, *action)).copied().unwrap_or(0),
        );
    }
    println!("\nerrors:");
    if r.errors.is_empty() {
        println!("- none");
    }
    for ((phase, action, what), n) in &r.errors {
        println!("- {}: {action}: {n} × {what}", PHASES[*phase]);
    }
    println!("\nfaults:");
    for f in faults {
        println!("- {f}");
    }
    println!(
        "- live streams reconnected {} times; told to refetch {} times",
        shared.stream_reconnects.load(Ordering::Relaxed),
        shared.refetches.load(Ordering::Relaxed)
    );
    match caught_up {
        Ok(d) => println!(
            "- every open dashboard caught up {:.1} s after the load stopped",
            d.as_secs_f64()
        ),
        Err(e) => println!("- dashboards NOT caught up: {e}"),
    }
    match drained {
        Some(d) => println!("- the outbox was empty {:.1} s after", d.as_secs_f64()),
        None => println!("- the outbox still held pending emails after 10 minutes"),
    }
    println!("\nserver memory (VmRSS, MiB) through the load phase:");
    let line: Vec<String> = memory
        .iter()
        .map(|(m, mib)| format!("{m:.0} min: {mib:.0}"))
        .collect();
    println!("{}", line.join(", "));
    println!("after the faults (restarted process): {end_memory:.0}");
}
