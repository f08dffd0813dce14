//! Serving connections within limits (issue 18, item 2). `axum::serve` keeps a connection
//! that never finishes its request headers open forever and takes every connection
//! offered; this loop closes a connection whose headers do not arrive in time, and refuses
//! connections beyond a cap in all and per address (closed at once, before any byte is
//! read). Request and body timeouts and the body size limit are layers (`server::http`).

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

/// How much one instance takes on (`HANDOFF_MAX_*`, `config::Config`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A connection's request headers must arrive within this (also the longest a kept-alive
    /// connection may sit idle).
    pub header_read: Duration,
    /// A request must be answered (its response started) within this.
    pub request: Duration,
    /// A request's body must arrive within this.
    pub body: Duration,
    /// The largest body of a form or server function call (uploads have their own).
    pub body_bytes: usize,
    pub connections: usize,
    pub connections_per_address: usize,
    /// Open live event streams.
    pub streams: usize,
    pub streams_per_address: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
            body: Duration::from_secs(30),
            body_bytes: 256 * 1024,
            connections: 4096,
            // An office behind one address: a few hundred people with a few tabs each.
            connections_per_address: 512,
            streams: 10_000,
            streams_per_address: 256,
        }
    }
}

/// Counts of open things (connections, streams), in all and per address; a slot gives its
/// place back when dropped.
#[derive(Debug, Default)]
pub struct OpenCounts {
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

impl OpenCounts {
    /// A place for one more from `ip`, if neither cap is reached.
    pub fn admit(self: &Arc<Self>, ip: IpAddr, cap: usize, cap_per_address: usize) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let (all, by_address) = &mut *open;
        let mine = by_address.entry(ip).or_default();
        if *all >= cap || *mine >= cap_per_address {
            if *mine == 0 {
                by_address.remove(&ip);
            }
            return None;
        }
        *mine += 1;
        *all += 1;
        Some(Slot {
            counts: self.clone(),
            ip,
        })
    }

    /// How many are open now.
    pub fn count(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).0
    }
}

/// One admitted connection or stream.
#[derive(Debug)]
pub struct Slot {
    counts: Arc<OpenCounts>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.counts.open.lock().unwrap_or_else(|e| e.into_inner());
        let (all, by_address) = &mut *open;
        *all -= 1;
        if let Some(mine) = by_address.get_mut(&self.ip) {
            *mine -= 1;
            if *mine == 0 {
                by_address.remove(&self.ip);
            }
        }
    }
}

/// How long the requests in flight may take to finish once the server is asked to stop
/// (event streams never finish: they are cut).
const DRAIN: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` resolves, within `limits`; each request
/// carries its peer's address (`ConnectInfo`), as `into_make_service_with_connect_info` did.
pub async fn serve(
    router: Router,
    listener: tokio::net::TcpListener,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    // HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which ends at the proxy in front.
    // (Negotiating it here would first wait for a preface, with no timeout on a silent
    // connection.) The header timer runs from the connection's start and between requests.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    let graceful = GracefulShutdown::new();
    let open = Arc::new(OpenCounts::default());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: wait a little rather than spin.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = open.admit(
            peer.ip(),
            limits.connections,
            limits.connections_per_address,
        ) else {
            tracing::warn!(%peer, "connection refused: too many open");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone().map_request(
            move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req
            },
        ));
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, "connection ended: {e}");
            }
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => tracing::info!("stopped with requests still open"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_capped_in_all_and_per_address_and_given_back() {
        let counts = Arc::new(OpenCounts::default());
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let first = counts.admit(a, 3, 2).unwrap();
        let _second = counts.admit(a, 3, 2).unwrap();
        assert!(counts.admit(a, 3, 2).is_none(), "two per address");
        let _third = counts.admit(b, 3, 2).unwrap();
        assert!(counts.admit(b, 3, 2).is_none(), "three in all");
        assert_eq!(counts.count(), 3);
        drop(first);
        assert_eq!(counts.count(), 2);
        assert!(counts.admit(a, 3, 2).is_some(), "a place given back");
        assert_eq!(
            counts.open.lock().unwrap().1.len(),
            2,
            "no empty entries left"
        );
    }
}
