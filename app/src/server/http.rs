//! The HTTP router: health check, pages, server functions, static files.
//! Kept here (not in the binary) so tests drive exactly the router the server runs.

use super::AppState;
use super::forms::{no_js_form_errors, refuse_cross_site_posts};
use crate::ui::{App, shell};
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use leptos_axum::{LeptosRoutes, file_and_error_handler, generate_route_list};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/events", get(super::live::stream::events))
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(state.clone(), no_js_form_errors))
        .layer(axum::middleware::from_fn(refuse_cross_site_posts))
        .layer(axum::middleware::from_fn(
            super::language::negotiate_language,
        ))
        // Brotli or gzip, as the browser accepts; level 4 keeps it cheap enough to do on every
        // response. The event stream is left alone (tower-http skips text/event-stream).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .with_state(state)
}

/// 200 and the backend's name when the database answers; 503 when it does not.
async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let database = state.store.backend().name();
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ok", "database": database })),
        ),
        Err(e) => {
            tracing::error!("health check: database unreachable: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": database })),
            )
        }
    }
}
