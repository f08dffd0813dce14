//! Test support: a fresh database per test on the backend named by HANDOFF_TEST_DATABASE.
//!
//! - `sqlite` (default): a new file under the system temp folder.
//! - `postgres`: a new database `handoff_test_<random>` on HANDOFF_TEST_POSTGRES_URL
//!   (default `postgres://postgres@127.0.0.1:5432/postgres`); `./scripts/test` drops
//!   leftovers before each run.

use app::model::UserId;
use app::server::store::Backend;
use app::server::{AppState, Application, Config, Mail, Store};
use leptos::config::LeptosOptions;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub fn backend() -> Backend {
    match std::env::var("HANDOFF_TEST_DATABASE").as_deref() {
        Ok("postgres") => Backend::Postgres,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("HANDOFF_TEST_DATABASE must be sqlite or postgres, not {other:?}"),
    }
}

pub fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("handoff_test_{}_{}_{}", std::process::id(), n, nanos)
}

/// Where the SQLite test databases go. The first test of a run removes what earlier runs
/// left there (hundreds of megabytes after a few runs), so a machine never fills up.
fn sqlite_test_dir() -> std::path::PathBuf {
    static CLEANED: std::sync::Once = std::sync::Once::new();
    let dir = std::env::temp_dir().join("handoff-tests");
    std::fs::create_dir_all(&dir).unwrap();
    CLEANED.call_once(|| {
        let ours = format!("handoff_test_{}_", std::process::id());
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("handoff_test_") && !name.starts_with(&ours) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    });
    dir
}

/// A migrated store on a database no other test uses.
pub async fn fresh_store() -> Store {
    fresh_store_and_url().await.0
}

/// The same, with the database's URL (to open a second pool on it, as a second instance would).
pub async fn fresh_store_and_url() -> (Store, String) {
    let url = match backend() {
        Backend::Sqlite => {
            let dir = sqlite_test_dir();
            format!("sqlite://{}/{}.db", dir.display(), unique_name())
        }
        Backend::Postgres => {
            let admin_url = std::env::var("HANDOFF_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let admin = Store::connect(&admin_url)
                .await
                .expect("PostgreSQL for tests");
            let name = unique_name();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(admin.pool())
                .await
                .expect("create test database");
            admin.close().await;
            let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
            format!("{base}/{name}")
        }
    };
    let store = Store::open(&url).await.expect("open test store");
    assert_eq!(store.backend(), backend());
    (store, url)
}

/// A session cookie for an account found by its email (a demo login, say), and its id.
pub async fn session_for(store: &Store, email: &str) -> (String, UserId) {
    let user = store
        .user_by_email(&app::model::EmailAddress::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no account {email}"));
    let token = app::server::auth::start_session(store, user.id)
        .await
        .unwrap();
    (format!("handoff_session={token}"), user.id)
}

pub const TEST_SECRET: &str = "test-secret-test-secret-test-secret-0123";

fn test_config() -> Config {
    Config::parse(
        |k| match k {
            "HANDOFF_SECRET" => Some(TEST_SECRET.into()),
            _ => None,
        },
        "127.0.0.1:3000",
    )
    .unwrap()
}

/// The application as the server builds it (`Application::build`: live feed and listener,
/// router), on `store`; the tests that send mail drive the worker themselves.
pub async fn app_on(store: Store) -> Application {
    app_with(store, |_| {}).await
}

/// The same, with the configuration changed first (limits, the public address).
pub async fn app_with(store: Store, change: impl FnOnce(&mut Config)) -> Application {
    let leptos_options = LeptosOptions::builder()
        .output_name("handoff")
        .site_root("target/site")
        .build();
    let mut config = test_config();
    change(&mut config);
    Application::build(store, config, leptos_options, Mail::DrivenByCaller)
        .await
        .unwrap()
}

/// Waits until `state`'s live feed has broadcast every change committed so far (it reads
/// each one after its commit), so that a stream opened next hears only what comes after.
pub async fn settled(state: &AppState) {
    let latest = state.store.latest_change_seq().await.unwrap();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while state.live.broadcast_up_to() < latest {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the live feed did not broadcast change {latest}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// The full application state, as the server builds it, on a fresh database.
pub async fn fresh_state() -> AppState {
    app_on(fresh_store().await).await.state.clone()
}

/// Calls a server function the way the hydrated app does; returns the body and the
/// decoded error when it failed.
pub async fn call_server_fn(
    app: &axum::Router,
    cookie: Option<&str>,
    path: &str,
    form: &str,
) -> (String, Option<app::error::AppError>) {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(form.to_string())).unwrap())
        .await
        .unwrap();
    let failed = res.headers().contains_key("serverfnerror");
    let body =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let error = failed.then(|| serde_json::from_str(&body).unwrap());
    (body, error)
}

/// Like `call_server_fn`, with the response's head (status, cookies, location) too.
pub async fn call_server_fn_with_head(
    app: &axum::Router,
    cookie: Option<&str>,
    path: &str,
    form: &str,
) -> (
    axum::http::response::Parts,
    String,
    Option<app::error::AppError>,
) {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(form.to_string())).unwrap())
        .await
        .unwrap();
    let (head, body) = res.into_parts();
    let body = String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let error = head
        .headers
        .contains_key("serverfnerror")
        .then(|| serde_json::from_str(&body).unwrap());
    (head, body, error)
}

/// The session cookie a response set, if any.
pub fn session_cookie_set(head: &axum::http::response::Parts) -> Option<String> {
    head.headers
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find(|c| c.starts_with("handoff_session=") && !c.contains("Max-Age=0"))
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
}

/// One message as the SMTP server received it.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Received {
    pub rcpt_tos: Vec<String>,
    pub message_id: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Received {
    pub fn to(&self) -> &str {
        &self.rcpt_tos[0]
    }

    /// The path and token of the first `/r/` status link in the text.
    pub fn status_token(&self) -> Option<String> {
        let start = self.text.find("/r/")? + 3;
        let rest = &self.text[start..];
        Some(rest.split_whitespace().next()?.to_string())
    }
}

/// A real SMTP server on loopback (`scripts/smtp_sink.py`, aiosmtpd), which can be stopped
/// and started again on the same port. `HANDOFF_SMTP_SINK` (set by scripts/lib.sh) is the
/// command that runs it.
pub struct SmtpSink {
    pub port: u16,
    dir: std::path::PathBuf,
    reject: Vec<String>,
    /// Milliseconds it waits before accepting each message.
    delay_ms: u64,
    child: Option<std::process::Child>,
}

impl SmtpSink {
    pub async fn start(reject: &[&str]) -> SmtpSink {
        SmtpSink::start_slow(reject, 0).await
    }

    /// One that takes `delay_ms` to accept each message.
    pub async fn start_slow(reject: &[&str], delay_ms: u64) -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir()
            .join("handoff-tests")
            .join(format!("mail-{}", unique_name()));
        let mut sink = SmtpSink {
            port,
            dir,
            reject: reject.iter().map(|s| s.to_string()).collect(),
            delay_ms,
            child: None,
        };
        sink.resume().await;
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again), on the same port, keeping what it received.
    pub async fn resume(&mut self) {
        let command = std::env::var("HANDOFF_SMTP_SINK").unwrap_or_else(|_| {
            let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
            format!("{root}/.tools/smtp-venv/bin/python {root}/scripts/smtp_sink.py")
        });
        let mut words = command.split_whitespace();
        let mut cmd = std::process::Command::new(words.next().unwrap());
        cmd.args(words)
            .arg("--port")
            .arg(self.port.to_string())
            .arg("--dir")
            .arg(&self.dir)
            .stdout(std::process::Stdio::null());
        for r in &self.reject {
            cmd.arg("--reject").arg(r);
        }
        if self.delay_ms > 0 {
            cmd.arg("--delay-ms").arg(self.delay_ms.to_string());
        }
        let child = cmd
            .spawn()
            .expect("the SMTP sink (run ./scripts/setup to install aiosmtpd)");
        self.child = Some(child);
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the SMTP sink did not start on port {}", self.port);
    }

    /// Stops the server: connections to its port are refused until `resume`.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn received(&self) -> Vec<Received> {
        let Ok(log) = std::fs::read_to_string(self.dir.join("log.jsonl")) else {
            return Vec::new();
        };
        log.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Application state whose email goes to `smtp_url`.
pub async fn fresh_state_with_smtp(smtp_url: &str) -> AppState {
    let mut state = fresh_state().await;
    let mut config = (*state.config).clone();
    config.smtp_url = Some(smtp_url.to_string());
    state.config = Arc::new(config);
    state
}
