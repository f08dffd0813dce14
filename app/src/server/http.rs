//! The HTTP router: health check, pages, server functions, static files.
//! Kept here (not in the binary) so tests drive exactly the router the server runs.

use super::AppState;
use super::forms::{no_js_form_errors, refuse_cross_site_posts};
use crate::ui::{App, shell};
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::{HeaderValue, header};
use axum::middleware::from_fn_with_state;
use axum::middleware::map_response;
use axum::response::Response;
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, file_and_error_handler, generate_route_list};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// For files whose name carries a hash of their content: a new build has new names, so the
/// browser may keep these for a year without asking again.
pub const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";
/// For everything else: ask the server each time (cheap with `Last-Modified`), and never
/// keep in a shared cache (pages hold private data).
pub const CACHE_PRIVATE: &str = "private, no-cache";

/// The app's routes, walked once per process. Walking them stops every resource in the
/// process from loading while it runs (leptos' `SuppressResourceLoad` is one global flag,
/// leptos-rs/leptos#4773): a second router built beside pages being rendered, as
/// integration tests in parallel do, left those pages waiting forever.
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    super::tracing_layer::keep_spans_in_spawned_tasks();
    let routes = routes();
    let options = state.leptos_options.clone();
    let limits = state.config.limits;
    // Everything but the directory upload: small bodies, sent and answered in time.
    let bounded = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(super::metrics::metrics_page))
        .route("/api/events", get(super::live::stream::events))
        .merge(super::hsds::api::routes())
        .merge(super::report_export::routes())
        .nest_service("/pkg", site_package(&state.leptos_options))
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(file_and_error_handler::<AppState, _>(shell))
        // A body over the limit answers 413 before it is read (by its Content-Length).
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .layer(RequestBodyTimeoutLayer::new(limits.body))
        // Until the answer starts: a stream (events, an export) then runs as long as it must.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request,
        ));
    Router::new()
        .merge(bounded)
        // Its own size limit (`UPLOAD_MAX`), and the time a large file takes on a slow line.
        .merge(
            super::hsds::upload::routes().layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                super::hsds::upload::UPLOAD_TIME,
            )),
        )
        // Innermost: it sees a server function's error before the layers below change it.
        .layer(from_fn_with_state(
            state.clone(),
            super::audit::audit_requests,
        ))
        .layer(from_fn_with_state(state.clone(), no_js_form_errors))
        // Outside the no-JavaScript layer: a plain post's error is a redirect back by then.
        .layer(axum::middleware::from_fn(error_statuses))
        .layer(from_fn_with_state(
            state.clone(),
            super::identity::load_identity,
        ))
        .layer(axum::middleware::from_fn(refuse_cross_site_posts))
        .layer(axum::middleware::from_fn(
            super::language::negotiate_language,
        ))
        .layer(map_response(private_by_default))
        .layer(from_fn_with_state(
            state.clone(),
            super::security_headers::add_security_headers,
        ))
        // Brotli or gzip, as the browser accepts; level 4 keeps it cheap enough to do on every
        // response. The event stream is left alone (tower-http skips text/event-stream), and
        // so are files already compressed at build time (they carry a Content-Encoding).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        // Counted by route pattern (each route's layers know it) and timed.
        .layer(axum::middleware::from_fn(super::metrics::count_requests))
        // Outermost: the span covers everything the request causes.
        .layer(axum::middleware::from_fn(
            super::tracing_layer::trace_requests,
        ))
        .with_state(state)
}

/// `/pkg`: the WASM, its JavaScript and the stylesheet, the bulk of a first visit. A release
/// build (`cargo leptos build --release --precompress`) leaves `.br` (brotli 11) and `.gz`
/// files beside them, sent as they are to browsers that accept them: a quarter smaller than
/// compressing on the fly, and no CPU per request. Other builds fall back to on-the-fly
/// compression. With `hash-files`, the names change with the content, so they are cached
/// for good.
fn site_package(options: &LeptosOptions) -> Router {
    let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let cache = if options.hash_files {
        CACHE_FOREVER
    } else {
        CACHE_PRIVATE
    };
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new().fallback_service(files).layer(map_response(
        move |mut response: Response| async move {
            // Only a file found is cached for good; a 404 must not outlive the next build.
            if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            }
            response
        },
    ))
}

/// A server function that failed answers with the status its error means (leptos sends
/// them all as 500): 401, 403, 404, 409 for a stale version or a used link, 422 for a
/// field error, 429 when throttled. The body (the error, as JSON) is unchanged.
async fn error_statuses(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let (mut response, error) = super::audit::server_fn_error(next.run(req).await).await;
    if let Some(status) = error.and_then(|e| StatusCode::from_u16(e.status()).ok()) {
        *response.status_mut() = status;
    }
    response
}

/// Pages and server function answers hold private data: no shared cache may keep them.
async fn private_by_default(mut response: Response) -> Response {
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(CACHE_PRIVATE));
    response
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
