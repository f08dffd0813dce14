//! One tracing span per request: a request id (also sent back as `X-Request-Id`), the
//! method, the route (with any token in it left out), then the status and latency. An
//! internal error logged while answering carries the span, so its log line names the
//! request it broke.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The path as it may be logged: `/reset/<token>` becomes `/reset/:token`.
pub fn loggable_route(path: &str) -> String {
    match super::security_headers::TOKEN_PATHS
        .iter()
        .find(|p| path.starts_with(*p))
    {
        Some(prefix) => format!("{prefix}:token"),
        None => path.to_string(),
    }
}

/// 16 hex digits, random: unique enough to find one request's lines in a day's log.
fn new_request_id() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    format!("{:016x}", OsRng.next_u64())
}

pub async fn trace_requests(req: Request, next: Next) -> Response {
    let id = new_request_id();
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        route = %loggable_route(req.uri().path()),
    );
    let started = std::time::Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, latency_ms, "answered");
        } else {
            tracing::debug!(status, latency_ms, "answered");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// leptos runs a page's resources as tasks of their own (through `any_spawner`). This
/// executor is tokio's, except that each task keeps the span of whoever spawned it: a log
/// line from a resource's server function, an internal error say, then carries its
/// request's id like every other line of that request.
struct SpanKeepingTokio;

impl any_spawner::CustomExecutor for SpanKeepingTokio {
    fn spawn(&self, fut: any_spawner::PinnedFuture<()>) {
        tokio::spawn(fut.instrument(tracing::Span::current()));
    }

    fn spawn_local(&self, fut: any_spawner::PinnedLocalFuture<()>) {
        tokio::task::spawn_local(fut.instrument(tracing::Span::current()));
    }

    fn poll_local(&self) {}
}

/// Installs that executor for the process. Call before leptos sets up its own (leptos_axum
/// installs plain tokio when none is set); later calls change nothing.
pub fn keep_spans_in_spawned_tasks() {
    let _ = any_spawner::Executor::init_custom_executor(SpanKeepingTokio);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_reach_the_log() {
        assert_eq!(loggable_route("/reset/abc123"), "/reset/:token");
        assert_eq!(loggable_route("/r/5.s.1.ff"), "/r/:token");
        assert_eq!(loggable_route("/verify/x"), "/verify/:token");
        assert_eq!(loggable_route("/people/5"), "/people/5");
        assert_eq!(loggable_route("/api/update_status"), "/api/update_status");
    }

    #[test]
    fn request_ids_differ() {
        let (a, b) = (new_request_id(), new_request_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 16);
    }
}
