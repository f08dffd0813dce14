//! One way to assemble a running Handoff, used by the server binary, the integration tests
//! and the benchmarks alike: the state around an opened store, the live feed and its
//! PostgreSQL listener, the mail worker, and the router. What the tests exercise is then
//! what a deployment runs.

use super::http;
use super::mail::{MailSettings, MailWorker};
use super::{AppState, Config, Store};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::time::Duration;

/// How the application's email leaves.
#[derive(Clone, Debug)]
pub enum Mail {
    /// A mail worker runs beside the server, draining the outbox (every deployment).
    Worker(MailSettings),
    /// No worker: the outbox fills and a test drives `MailWorker::drain_once` itself,
    /// so it can stop the SMTP server between rounds or count what each round sent.
    DrivenByCaller,
}

/// How long a stopping server waits for the emails it is sending to be recorded.
const MAIL_STOP: Duration = Duration::from_secs(15);

pub struct Application {
    pub state: AppState,
    pub router: axum::Router,
    mail: Option<crate::server::mail::MailTask>,
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
        // Stopping ends the event streams first: they would hold the drain for its whole
        // length, the listener already closed, and their browsers reconnect anyway.
        let streams = self.state.live_streams.clone();
        let shutdown = async move {
            shutdown.await;
            streams.close_all();
        };
        crate::server::connections::serve(
            self.router.clone(),
            listener,
            self.state.config.limits,
            shutdown,
        )
        .await
    }

    /// Stops the mail worker once serving has ended: what it is sending is sent and
    /// recorded (within `MAIL_STOP`), so a restart sends nothing twice.
    pub async fn stop_mail(&mut self) {
        if let Some(mail) = self.mail.take() {
            if mail.stop(MAIL_STOP).await {
                tracing::info!("mail worker stopped: the emails in flight were recorded");
            } else {
                tracing::warn!("mail worker stopped after {MAIL_STOP:?} with emails in flight");
            }
        }
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
