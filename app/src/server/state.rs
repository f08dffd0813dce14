//! What every request handler and server function can reach.

use super::{Config, Store};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
