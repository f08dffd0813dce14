//! The live feed: how a committed change reaches every open stream of this instance. It is
//! the app's (`AppState::live`), not the store's: the store only tells a `CommitListener`
//! what it committed, and this feed is that listener.
//!
//! - SQLite (one instance): the store hands each committed change's number to the feed;
//!   its `relay` task reads the change and broadcasts it.
//! - PostgreSQL (several instances): each change's `pg_notify` (its number) leaves with its
//!   own commit; every instance's `listen` task reads the changes and broadcasts them.
//!   After a lost connection the listener reconnects and replays the history rows it
//!   missed, so a database restart loses nothing.
//!
//! Both read in batches (`Store::changes_at`): a burst of changes costs one query, not one
//! each, and none of it is inside the change's own transaction.

use crate::model::UserId;
use crate::model::live::LiveChange;
use crate::server::Store;
use crate::server::store::{
    Backend, CHANGES_AT_MOST, CommitListener, NobodyListens, PG_ACCESS_CHANNEL, PG_CHANGES_CHANNEL,
};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

pub type ChangeSender = broadcast::Sender<Arc<LiveChange>>;

/// Changes buffered per subscriber; one that falls further behind is told to refetch.
pub const CHANNEL_CAPACITY: usize = 1024;

#[derive(Debug)]
pub struct LiveFeed {
    changes: ChangeSender,
    /// Users whose access just changed (removed from a group or staff, Team Navigation off,
    /// disabled, logged out): their open streams check again at once (`live::stream`).
    access: broadcast::Sender<UserId>,
    /// SQLite: where committed changes' numbers go, once `start` has run.
    relay: OnceLock<mpsc::UnboundedSender<i64>>,
    /// The newest change broadcast so far.
    broadcast: Arc<AtomicI64>,
    started: std::sync::Once,
}

impl Default for LiveFeed {
    fn default() -> Self {
        LiveFeed {
            changes: broadcast::channel(CHANNEL_CAPACITY).0,
            access: broadcast::channel(CHANNEL_CAPACITY).0,
            relay: OnceLock::new(),
            broadcast: Arc::new(AtomicI64::new(0)),
            started: std::sync::Once::new(),
        }
    }
}

impl LiveFeed {
    pub fn subscribe_changes(&self) -> broadcast::Receiver<Arc<LiveChange>> {
        self.changes.subscribe()
    }

    /// The newest change this feed has broadcast (each goes out once the feed has read it,
    /// after its commit): a stream opened once this has reached a change does not hear of it.
    pub fn broadcast_up_to(&self) -> i64 {
        self.broadcast.load(Ordering::Acquire)
    }

    /// Users whose access changed, from every instance.
    pub fn subscribe_access_changes(&self) -> broadcast::Receiver<UserId> {
        self.access.subscribe()
    }

    /// Starts carrying committed changes from the database to this instance's streams
    /// (SQLite: the relay; PostgreSQL: the listener); resolves once listening. Only the
    /// first call starts anything.
    pub async fn start(&self, store: &Store) {
        // The feed's own reads tell nobody: the store it reads through has no listener.
        let reader = store.clone().with_commit_listener(Arc::new(NobodyListens));
        if store.backend() != Backend::Postgres {
            let (seqs, receiver) = mpsc::unbounded_channel();
            if self.relay.set(seqs).is_ok() {
                let out = Out {
                    changes: self.changes.clone(),
                    up_to: self.broadcast.clone(),
                };
                tokio::spawn(relay(reader, receiver, out));
            }
            return;
        }
        let mut listening = None;
        self.started.call_once(|| {
            let (ready, ready_rx) = tokio::sync::oneshot::channel();
            let out = Out {
                changes: self.changes.clone(),
                up_to: self.broadcast.clone(),
            };
            tokio::spawn(listen(reader, (out, self.access.clone()), ready));
            listening = Some(ready_rx);
        });
        if let Some(listening) = listening {
            let _ = listening.await;
        }
    }
}

impl CommitListener for LiveFeed {
    fn change_committed(&self, seq: i64) {
        // Before `start` (a store used without the app) there is nobody to tell.
        if let Some(relay) = self.relay.get() {
            let _ = relay.send(seq);
        }
    }

    fn access_changed(&self, user: UserId) {
        let _ = self.access.send(user);
    }
}

/// SQLite, for the life of the process: reads what committed, in commit order, and
/// broadcasts it; whatever piled up while it read is read together.
async fn relay(store: Store, mut seqs: mpsc::UnboundedReceiver<i64>, out: Out) {
    let mut batch = Vec::new();
    while seqs.recv_many(&mut batch, CHANGES_AT_MOST).await > 0 {
        broadcast_changes(&store, &batch, &out).await;
        batch.clear();
    }
}

/// Where read changes go: the broadcast, and the newest number sent.
struct Out {
    changes: ChangeSender,
    up_to: Arc<AtomicI64>,
}

impl Out {
    fn send(&self, change: LiveChange) {
        self.up_to.fetch_max(change.change.seq, Ordering::AcqRel);
        // No subscribers is not an error: nobody is looking.
        let _ = self.changes.send(Arc::new(change));
    }
}

/// Reads the changes numbered `seqs` and broadcasts them, oldest first; answers the newest
/// number read.
async fn broadcast_changes(store: &Store, seqs: &[i64], out: &Out) -> Option<i64> {
    match store.changes_at(seqs).await {
        Ok(changes) => {
            let newest = changes.last().map(|c| c.change.seq);
            for change in changes {
                out.send(change);
            }
            newest
        }
        Err(e) => {
            // Open dashboards miss these; a reload shows them.
            tracing::error!("live updates: cannot read changes {seqs:?}: {e}");
            None
        }
    }
}

/// Runs for the life of the process: LISTEN, forward, and after any break reconnect and
/// replay from the last change seen.
async fn listen(
    store: Store,
    (sender, access): (Out, broadcast::Sender<UserId>),
    ready: tokio::sync::oneshot::Sender<()>,
) {
    let url = store.url().to_string();
    let mut ready = Some(ready);
    use sqlx::postgres::PgListener;
    let mut last_seen: Option<i64> = None;
    loop {
        let mut listener = match PgListener::connect(&url).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("live updates: cannot reach PostgreSQL, retrying: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener
            .listen_all([PG_CHANGES_CHANNEL, PG_ACCESS_CHANNEL])
            .await
        {
            tracing::warn!("live updates: LISTEN failed, retrying: {e}");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        // Listening again: whatever committed while we were away comes from the history,
        // after every stream has checked its access again (notices of the gap are lost).
        if let Some(after) = last_seen {
            let _ = access.send(super::stream::EVERYONE);
            match store.changes_since(after, 10_000).await {
                Ok(missed) => {
                    if !missed.is_empty() {
                        tracing::info!("live updates: replaying {} missed changes", missed.len());
                    }
                    for change in missed {
                        last_seen = Some(change.change.seq.max(last_seen.unwrap_or(0)));
                        sender.send(change);
                    }
                }
                Err(e) => tracing::warn!("live updates: replay failed: {e}"),
            }
        } else {
            last_seen = store.latest_change_seq().await.ok();
        }
        if let Some(ready) = ready.take() {
            let _ = ready.send(());
        }
        loop {
            let mut next = match listener.try_recv().await {
                Ok(Some(notification)) => Some(notification),
                // The connection dropped: reconnect and replay.
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!("live updates: listener error: {e}");
                    break;
                }
            };
            // This notice and every one already received, in order: changes are read
            // together, and an access notice goes out only after the changes before it.
            let mut changes = Vec::new();
            while let Some(notification) = next {
                if notification.channel() == PG_ACCESS_CHANNEL {
                    flush(&store, &mut changes, &sender, &mut last_seen).await;
                    match notification.payload().parse::<UserId>() {
                        Ok(user) => {
                            let _ = access.send(user);
                        }
                        Err(e) => tracing::error!("live updates: bad access notice: {e}"),
                    }
                } else {
                    match notification.payload().parse::<i64>() {
                        Ok(seq) => changes.push(seq),
                        Err(e) => tracing::error!("live updates: bad notification: {e}"),
                    }
                }
                next = (changes.len() < CHANGES_AT_MOST)
                    .then(|| listener.next_buffered())
                    .flatten();
            }
            flush(&store, &mut changes, &sender, &mut last_seen).await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Broadcasts the changes numbered `seqs` and empties it.
async fn flush(store: &Store, seqs: &mut Vec<i64>, sender: &Out, last_seen: &mut Option<i64>) {
    if seqs.is_empty() {
        return;
    }
    if let Some(newest) = broadcast_changes(store, seqs, sender).await {
        *last_seen = Some(newest.max(last_seen.unwrap_or(0)));
    }
    seqs.clear();
}
