//! One way to assemble a running Handoff, used by the server binary, the integration tests
//! and the benchmarks alike: the state around an opened store, the live feed and its
//! PostgreSQL listener, the mail worker, and the router. What the tests exercise is then
//! what a deployment runs.

use super::http;
use super::mail::{MailSettings, MailWorker};
use super::{AppState, Config, Store};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;

/// How the application's email leaves.
#[derive(Clone, Debug)]
pub enum Mail {
    /// A mail worker runs beside the server, draining the outbox (every deployment).
    Worker(MailSettings),
    /// No worker: the outbox fills and a test drives `MailWorker::drain_once` itself,
    /// so it can stop the SMTP server between rounds or count what each round sent.
    DrivenByCaller,
}

pub struct Application {
    pub state: AppState,
    pub router: axum::Router,
    mail: Option<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Everything around `store` (opened and migrated, demo data seeded if wanted): once this
    /// returns, changes committed through other instances reach this one's live streams.
    pub async fn build(
        store: Store,
        config: Config,
        leptos_options: LeptosOptions,
        mail: Mail,
    ) -> Result<Application, String> {
        let state = AppState::new(store, config, leptos_options);
        state.live.start(&state.store).await;
        let mail = match mail {
            Mail::Worker(settings) => {
                let worker = MailWorker::new(state.store.clone(), &state.config, settings)?;
                tracing::info!("email goes to {}", worker.describe());
                // The scheduler's jobs queue email: they run where the mail worker does.
                crate::server::schedule::runner::spawn(state.store.clone());
                Some(worker.spawn())
            }
            Mail::DrivenByCaller => None,
        };
        let router = http::router(state.clone());
        Ok(Application {
            state,
            router,
            mail,
        })
    }

    /// Serves on `listener` until `shutdown` resolves (then finishes the requests in flight).
    pub async fn serve(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), String> {
        crate::server::connections::serve(
            self.router.clone(),
            listener,
            self.state.config.limits,
            shutdown,
        )
        .await
    }

    /// Serves on a free loopback port in the background, for as long as the process runs
    /// (benchmarks and tests that need a real socket); answers the address.
    pub async fn serve_on_loopback(self) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let addr = listener.local_addr().expect("a bound address");
        tokio::spawn(async move {
            let _ = self.serve(listener, std::future::pending()).await;
        });
        addr
    }
}

/// The mail worker ends with the application (a test's, say), not with the process.
impl Drop for Application {
    fn drop(&mut self) {
        if let Some(mail) = self.mail.take() {
            mail.abort();
        }
    }
}
