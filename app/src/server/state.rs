//! What every request handler and server function can reach.

use super::live::LiveFeed;
use super::live::stream::LiveStreams;
use super::{Config, Store};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    /// Committed changes, on their way to this instance's open streams (`live::feed`).
    pub live: Arc<LiveFeed>,
    /// Open live streams per user on this instance (`live::stream`).
    pub live_streams: Arc<LiveStreams>,
    /// How far this instance's running directory imports have got (`hsds::upload`).
    pub imports: Arc<crate::server::hsds::upload::RunningImports>,
}

impl AppState {
    /// The state around `store`, whose commits now reach this state's live feed.
    pub fn new(store: Store, config: Config, leptos_options: LeptosOptions) -> AppState {
        let live = Arc::new(LiveFeed::default());
        AppState {
            store: store
                .with_idle_timeout(config.idle_timeout_ms)
                .with_audit_days(config.audit_days)
                .with_retention_days(config.retention_days)
                .with_schedule(config.schedule.clone())
                .with_commit_listener(live.clone()),
            live,
            config: Arc::new(config),
            leptos_options,
            live_streams: Arc::default(),
            imports: Arc::default(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
