//! `GET /api/events`: the server-sent events stream behind live dashboards.
//!
//! Authenticated by the session cookie. Each event is a `Change` (kind, ids, sequence
//! number) the user may see by the same pure rule the dashboards use (`Relations::may_see`),
//! evaluated against the facts that travel with the change. On reconnect the browser sends
//! `Last-Event-ID` and is replayed what it missed from the referral history, or told to
//! refetch when the gap is too big. A subscriber that falls behind the broadcast buffer is
//! told to refetch rather than slowing anyone else down. The session is checked again every
//! 30 seconds and at once when the user logs out somewhere (an ended session ends its
//! streams); the user's groups and programs are re-read with it.

use super::LiveChange;
use crate::model::live::{REFETCH_EVENT, may_hear_of};
use crate::model::{Relations, UserId, Viewer};
use crate::server::AppState;
use crate::server::auth::{cookie_value, session_cookie_name, token_hash};
use crate::server::clock::now_ms;
use crate::server::connections::{Limits, OpenCounts, Slot};
use crate::server::store::Store;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;
use tokio::time::Instant;

/// The access notice that asks every stream to check again (the PostgreSQL listener was
/// away, and notices may have been lost).
pub const EVERYONE: UserId = UserId(0);

/// Open streams allowed per user on one instance (a few tabs and devices).
pub const STREAMS_PER_USER: usize = 8;
/// How often the session and the viewer's memberships are checked again.
const RECHECK: Duration = Duration::from_secs(30);
/// A reconnect replays at most this many changes; beyond that, the client refetches.
const REPLAY_LIMIT: i64 = 500;
/// Replay starts this many sequence numbers early: on PostgreSQL, transactions can commit
/// slightly out of id order. Duplicates are harmless (clients re-read).
const REPLAY_LOOKBACK: i64 = 50;

/// Open streams per user on this instance, and in all and per address
/// (`connections::Limits`: a stream holds a connection for as long as it is open).
#[derive(Debug, Default)]
pub struct LiveStreams {
    open: Mutex<HashMap<UserId, UserStreams>>,
    addresses: Arc<OpenCounts>,
    /// True once the server is stopping: every stream ends, and its browser reconnects
    /// (to another instance, or to this one started again) with `Last-Event-ID`.
    closing: watch::Sender<bool>,
}

#[derive(Debug)]
struct UserStreams {
    count: usize,
    /// Moves on when one of the user's sessions ends: their streams check theirs at once.
    /// (A watch, not a notification: a stream busy at that moment still sees it.)
    sessions_ended: watch::Sender<u64>,
}

impl Default for UserStreams {
    fn default() -> Self {
        UserStreams {
            count: 0,
            sessions_ended: watch::Sender::new(0),
        }
    }
}

impl LiveStreams {
    /// Every open stream, for tests and the benchmark.
    pub fn count(&self) -> usize {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.values().map(|u| u.count).sum()
    }

    /// The server is stopping: every open stream ends now, so the connections holding them
    /// need not be cut at the end of the drain.
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }

    /// A session of `user` ended (logout): the streams it opened close now.
    pub fn sessions_ended(&self, user: UserId) {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(u) = open.get(&user) {
            u.sessions_ended.send_modify(|n| *n += 1);
        }
    }
}

/// One open stream counted against its user and its address until dropped.
struct StreamSlot {
    streams: Arc<LiveStreams>,
    user: UserId,
    sessions_ended: watch::Receiver<u64>,
    closing: watch::Receiver<bool>,
    _address: Slot,
}

impl StreamSlot {
    fn take(
        streams: &Arc<LiveStreams>,
        user: UserId,
        ip: IpAddr,
        limits: &Limits,
    ) -> Option<StreamSlot> {
        let mut open = streams.open.lock().unwrap_or_else(|e| e.into_inner());
        let u = open.entry(user).or_default();
        if u.count >= STREAMS_PER_USER {
            return None;
        }
        let address = streams
            .addresses
            .admit(ip, limits.streams, limits.streams_per_address)?;
        u.count += 1;
        Some(StreamSlot {
            streams: streams.clone(),
            user,
            sessions_ended: u.sessions_ended.subscribe(),
            closing: streams.closing.subscribe(),
            _address: address,
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.streams.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(u) = open.get_mut(&self.user) {
            u.count -= 1;
            if u.count == 0 {
                open.remove(&self.user);
            }
        }
    }
}

struct Connection {
    store: Store,
    session: String,
    user: UserId,
    viewer: Viewer,
    changes: broadcast::Receiver<Arc<LiveChange>>,
    /// Users whose access changed anywhere: ours means check now, before the next event.
    access: broadcast::Receiver<UserId>,
    backlog: VecDeque<Event>,
    /// Changes the replay sent: the same change arriving live afterwards (its notice was
    /// still on its way when the stream subscribed) is not sent twice.
    replayed: HashSet<i64>,
    next_check: Instant,
    slot: StreamSlot,
}

fn change_event(change: &LiveChange) -> Event {
    let c = change.change;
    Event::default()
        .id(c.seq.to_string())
        .event(c.kind.as_str())
        .data(serde_json::to_string(&c).unwrap_or_default())
}

fn refetch_event() -> Event {
    Event::default().event(REFETCH_EVENT).data("{}")
}

impl Connection {
    fn may_see(&self, change: &LiveChange) -> bool {
        may_hear_of(
            Relations::of(Some(&self.viewer), &change.facts),
            change.change.kind,
        )
    }

    /// The next event for this client, or `None` when the stream should end.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if *self.slot.closing.borrow() {
                return None;
            }
            if let Some(event) = self.backlog.pop_front() {
                return Some(event);
            }
            // The session and the viewer's access, checked again when due or when asked:
            // before waiting, so a change already waiting is judged by the new access.
            if Instant::now() >= self.next_check {
                match self.store.session_user(&self.session, now_ms()).await {
                    Ok(Some(user)) => match self.store.viewer(user.id).await {
                        Ok(viewer) => self.viewer = viewer,
                        // Unsure what the user may see now: end; the browser reconnects.
                        Err(_) => return None,
                    },
                    // Logged out, expired or disabled (or the database unreachable): end.
                    Ok(None) | Err(_) => return None,
                }
                self.next_check = Instant::now() + RECHECK;
            }
            // Biased: a notice that access changed comes before any change waiting beside
            // it, so a stream whose user lost access never hears of one more change.
            tokio::select! {
                biased;
                // Access taken away (or given) on any instance: check now.
                notice = self.access.recv() => match notice {
                    Ok(user) if user == self.user || user == EVERYONE => {
                        self.next_check = Instant::now()
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => self.next_check = Instant::now(),
                    Err(RecvError::Closed) => return None,
                },
                // The server is stopping (checked at the top of the loop).
                _ = self.slot.closing.changed() => {}
                // One of this user's sessions ended: check ours now.
                _ = self.slot.sessions_ended.changed() => self.next_check = Instant::now(),
                // Due for the periodic check (made at the top of the loop).
                _ = tokio::time::sleep_until(self.next_check) => {}
                received = self.changes.recv() => match received {
                    Ok(change) => {
                        if !self.replayed.remove(&change.change.seq) && self.may_see(&change) {
                            return Some(change_event(&change));
                        }
                    }
                    Err(RecvError::Lagged(_)) => return Some(refetch_event()),
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    }
}

pub async fn events(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers();
    // Unknown only when the router is driven without a socket (tests): one address for all.
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    let name = session_cookie_name(state.config.secure_cookies());
    let Some(token) = cookie_value(headers, name) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let session = token_hash(&token);
    // Subscribed before anything is read: an access change from here on is seen.
    let access = state.live.subscribe_access_changes();
    let user = match state.store.session_user(&session, now_ms()).await {
        Ok(Some(user)) => user,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let Some(slot) = StreamSlot::take(&state.live_streams, user.id, ip, &state.config.limits)
    else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "Too many live connections: close some Handoff tabs.",
        )
            .into_response();
    };
    let Ok(viewer) = state.store.viewer(user.id).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    // Subscribe before reading the replay, so nothing falls between the two.
    let changes = state.live.subscribe_changes();
    let mut connection = Connection {
        store: state.store.clone(),
        session,
        user: user.id,
        viewer,
        changes,
        access,
        backlog: VecDeque::new(),
        replayed: HashSet::new(),
        next_check: Instant::now() + RECHECK,
        slot,
    };
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    if let Some(last) = last_seen {
        match state
            .store
            .changes_since((last - REPLAY_LOOKBACK).max(0), REPLAY_LIMIT + 1)
            .await
        {
            Ok(missed) if missed.len() as i64 > REPLAY_LIMIT => {
                connection.backlog.push_back(refetch_event())
            }
            Ok(missed) => {
                connection.replayed = missed.iter().map(|c| c.change.seq).collect();
                let visible: Vec<Event> = missed
                    .iter()
                    .filter(|c| connection.may_see(c))
                    .map(change_event)
                    .collect();
                connection.backlog.extend(visible);
            }
            Err(_) => connection.backlog.push_back(refetch_event()),
        }
    }
    let stream = futures::stream::unfold(connection, |mut c| async move {
        let event = c.next().await?;
        Some((Ok::<_, Infallible>(event), c))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
