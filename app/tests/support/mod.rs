//! Test support: a fresh database per test on the backend named by HANDOFF_TEST_DATABASE.
//!
//! - `sqlite` (default): a new file under the system temp folder.
//! - `postgres`: a new database `handoff_test_<random>` on HANDOFF_TEST_POSTGRES_URL
//!   (default `postgres://postgres@127.0.0.1:5432/postgres`); `./scripts/test` drops
//!   leftovers before each run.
#![allow(dead_code)]

use app::server::store::Backend;
use app::server::{AppState, Config, Store};
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

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("handoff_test_{}_{}_{}", std::process::id(), n, nanos)
}

/// A migrated store on a database no other test uses.
pub async fn fresh_store() -> Store {
    let url = match backend() {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("handoff-tests");
            std::fs::create_dir_all(&dir).unwrap();
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
    store
}

pub const TEST_SECRET: &str = "test-secret-test-secret-test-secret-0123";

/// The full application state, as the server builds it, on a fresh database.
pub async fn fresh_state() -> AppState {
    let store = fresh_store().await;
    let config = Config::parse(
        |k| match k {
            "HANDOFF_SECRET" => Some(TEST_SECRET.into()),
            _ => None,
        },
        "127.0.0.1:3000",
    )
    .unwrap();
    let leptos_options = LeptosOptions::builder()
        .output_name("handoff")
        .site_root("target/site")
        .build();
    AppState {
        store,
        config: Arc::new(config),
        leptos_options,
    }
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
