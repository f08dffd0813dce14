//! What the benchmarks share: a fresh database on the chosen backend, the loopback SMTP
//! server, one session-less config.
#![allow(dead_code)]

use app::model::{EmailAddress, Language, PersonName, ProgramId, UserId};
use app::server::store::{NewProgram, NewUser};
use app::server::{Config, Store};
use std::time::Duration;

/// `HANDOFF_BENCH_DATABASE`: `sqlite` (default) or `postgres`.
pub fn backend() -> String {
    std::env::var("HANDOFF_BENCH_DATABASE").unwrap_or_else(|_| "sqlite".into())
}

/// A new, empty database for this run: a new PostgreSQL database on
/// HANDOFF_TEST_POSTGRES_URL, or a SQLite file under the temp folder.
pub async fn database_url(backend: &str, file: &str) -> String {
    match backend {
        "postgres" => {
            let admin = std::env::var("HANDOFF_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let store = Store::connect(&admin).await.unwrap();
            let name = format!("handoff_bench_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(store.pool())
                .await
                .unwrap();
            store.close().await;
            format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
        }
        _ => {
            let dir = std::env::temp_dir().join(format!("handoff-bench-{}", std::process::id()));
            format!("sqlite://{}/{file}", dir.display())
        }
    }
}

pub fn config() -> Config {
    let mut config = Config::parse(
        |k| (k == "HANDOFF_SECRET").then(|| "bench-secret-bench-secret-bench-secret!".into()),
        "127.0.0.1:3000",
    )
    .unwrap();
    // Every simulated client comes from loopback (10,000 event streams, say): the caps on
    // one address, there for a deployment, would refuse them.
    config.limits = app::server::connections::Limits {
        connections: 1_000_000,
        connections_per_address: 1_000_000,
        streams: 1_000_000,
        streams_per_address: 1_000_000,
        ..config.limits
    };
    config
}

/// A free loopback port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts scripts/smtp_sink.py (HANDOFF_SMTP_SINK, set by scripts/lib.sh) on a free port.
pub async fn start_sink(extra: &[&str]) -> (u16, std::process::Child, std::path::PathBuf) {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("handoff-bench-mail-{}", std::process::id()));
    let child = spawn_sink(port, &dir, extra).await;
    (port, child, dir)
}

/// Starts the SMTP sink on `port`, keeping its messages in `dir` (a sink started again on
/// the same two carries on the same log); answers once it listens.
pub async fn spawn_sink(port: u16, dir: &std::path::Path, extra: &[&str]) -> std::process::Child {
    let command = std::env::var("HANDOFF_SMTP_SINK").unwrap_or_else(|_| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        format!("{root}/.tools/smtp-venv/bin/python {root}/scripts/smtp_sink.py")
    });
    let mut words = command.split_whitespace();
    let mut child = std::process::Command::new(words.next().unwrap())
        .args(words)
        .args(extra)
        .args(["--port", &port.to_string(), "--dir"])
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the SMTP sink (run ./scripts/setup)");
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the SMTP sink did not start");
}

/// A verified account with an unusable password hash: benchmarks sign in by session.
pub async fn user(store: &Store, name: &str, email: &str) -> UserId {
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

/// The program the benchmarks refer people to (claimed status is up to the caller).
pub async fn food_program(store: &Store) -> ProgramId {
    store
        .create_program(&NewProgram {
            name: "Food".into(),
            organization: "Food Org".into(),
            categories: vec!["food".into()],
            languages: vec!["en".into()],
            contact_email: Some("listed@food.org".into()),
            ..Default::default()
        })
        .await
        .unwrap()
}
