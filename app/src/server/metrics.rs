//! `/metrics` (issue 18, item 6), in the Prometheus text format (`prometheus-client`, the
//! Prometheus project's own Rust client): requests by route and status with latency
//! histograms, scheduled job runs and their duration, and, read when scraped, the outbox
//! by state, open event streams and the database pool. Readable with the configured
//! `HANDOFF_METRICS_TOKEN` (as a Bearer token) or from loopback; anyone else gets 404.

use super::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// The route's pattern (`/people/{id}`), never the path: no ids, no tokens.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobName {
    job: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct State_ {
    state: String,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// 1 ms to about 16 s, doubling.
fn latency_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// 10 ms to about 3 hours, by fours (a recount of every report cell takes a minute).
fn job_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.01, 4.0, 10))
}

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Histograms<Route>,
    job_runs: Family<JobName, Counter>,
    job_seconds: Histograms<JobName>,
    emails: Family<State_, Gauge>,
    streams: Gauge,
    pool: Family<State_, Gauge>,
}

/// One set per process: requests and jobs are counted wherever they happen.
fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mut registry = Registry::with_prefix("handoff");
        let m = Metrics {
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_buckets),
            job_runs: Family::default(),
            job_seconds: Family::new_with_constructor(job_buckets),
            emails: Family::default(),
            streams: Gauge::default(),
            pool: Family::default(),
            registry: Registry::default(),
        };
        registry.register(
            "http_requests",
            "Requests answered, by route and status",
            m.requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer (until the answer starts), by route",
            m.latency.clone(),
        );
        registry.register(
            "job_runs",
            "Scheduled job runs that finished, by job",
            m.job_runs.clone(),
        );
        registry.register(
            "job_duration_seconds",
            "How long each job run took",
            m.job_seconds.clone(),
        );
        registry.register(
            "outbox_emails",
            "Emails in the outbox, by state (pending is its depth)",
            m.emails.clone(),
        );
        registry.register(
            "event_streams_open",
            "Live event streams open on this instance",
            m.streams.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database pool connections, in use and idle",
            m.pool.clone(),
        );
        Metrics { registry, ..m }
    })
}

/// Counts one finished run of a scheduled job (`schedule::runner`).
pub fn job_ran(job: &str, seconds: f64) {
    let label = JobName { job: job.into() };
    metrics().job_runs.get_or_create(&label).inc();
    metrics().job_seconds.get_or_create(&label).observe(seconds);
}

/// The layer: every answer counted by its route's pattern and status, and timed.
pub async fn count_requests(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let started = Instant::now();
    let response = next.run(req).await;
    let m = metrics();
    m.requests
        .get_or_create(&RequestLabels {
            route: route.clone(),
            status: response.status().as_u16(),
        })
        .inc();
    m.latency
        .get_or_create(&Route { route })
        .observe(started.elapsed().as_secs_f64());
    response
}

/// Whether this request may read the metrics: the configured token, or a loopback peer
/// (a Prometheus on the same host, an operator's `curl`).
pub fn may_read(
    token: Option<&str>,
    authorization: Option<&str>,
    peer: Option<SocketAddr>,
) -> bool {
    let by_token = match (token, authorization.and_then(|a| a.strip_prefix("Bearer "))) {
        // Their hashes compared: the time taken tells nothing about the token.
        (Some(expected), Some(given)) => {
            use sha2::{Digest, Sha256};
            Sha256::digest(expected.as_bytes()) == Sha256::digest(given.trim().as_bytes())
        }
        _ => false,
    };
    by_token || peer.is_some_and(|p| p.ip().is_loopback())
}

/// `GET /metrics`.
pub async fn metrics_page(State(state): State<AppState>, req: Request) -> Response {
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if !may_read(state.config.metrics_token.as_deref(), authorization, peer) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let m = metrics();
    if let Ok(counts) = state.store.outbox_counts().await {
        for (name, n) in [
            ("pending", counts.pending),
            ("sent", counts.sent),
            ("failed", counts.failed),
        ] {
            m.emails
                .get_or_create(&State_ { state: name.into() })
                .set(n);
        }
    }
    m.streams.set(state.live_streams.count() as i64);
    let pool = state.store.pool();
    let idle = pool.num_idle() as i64;
    m.pool
        .get_or_create(&State_ {
            state: "idle".into(),
        })
        .set(idle);
    m.pool
        .get_or_create(&State_ {
            state: "in_use".into(),
        })
        .set(i64::from(pool.size()) - idle);
    let mut text = String::new();
    if prometheus_client::encoding::prometheus_text::encode(&mut text, &m.registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(prometheus_client::encoding::prometheus_text::CONTENT_TYPE),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::may_read;

    #[test]
    fn only_the_token_or_loopback_reads_the_metrics() {
        let (lo, far) = ("127.0.0.1:9".parse().ok(), "203.0.113.9:9".parse().ok());
        assert!(may_read(None, None, lo));
        assert!(may_read(None, None, "[::1]:9".parse().ok()));
        assert!(!may_read(None, None, far));
        assert!(
            !may_read(None, Some("Bearer anything"), far),
            "no token configured"
        );
        assert!(may_read(
            Some("s3cret-token"),
            Some("Bearer s3cret-token"),
            far
        ));
        assert!(!may_read(
            Some("s3cret-token"),
            Some("Bearer s3cret-tokem"),
            far
        ));
        assert!(
            !may_read(Some("s3cret-token"), Some("s3cret-token"), far),
            "Bearer only"
        );
        assert!(!may_read(Some("s3cret-token"), None, None));
    }
}
