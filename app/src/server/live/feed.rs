//! The live feed: how a committed change reaches every open stream of this instance. It is
//! the app's (`AppState::live`), not the store's: the store only tells a `CommitListener`
//! what it committed, and this feed is that listener.
//!
//! - SQLite (one instance): the store hands each committed change straight to the feed.
//! - PostgreSQL (several instances): each change's `pg_notify` leaves with its own commit;
//!   every instance's `listen` task turns notifications into broadcasts. After a lost
//!   connection the listener reconnects and replays the history rows it missed, so a
//!   database restart loses nothing.

use crate::model::UserId;
use crate::model::live::LiveChange;
use crate::server::Store;
use crate::server::store::{Backend, CommitListener, PG_ACCESS_CHANNEL, PG_CHANGES_CHANNEL};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

pub type ChangeSender = broadcast::Sender<Arc<LiveChange>>;

/// Changes buffered per subscriber; one that falls further behind is told to refetch.
pub const CHANNEL_CAPACITY: usize = 1024;

#[derive(Debug)]
pub struct LiveFeed {
    changes: ChangeSender,
    /// Users whose access just changed (removed from a group or staff, Team Navigation off,
    /// disabled, logged out): their open streams check again at once (`live::stream`).
    access: broadcast::Sender<UserId>,
    started: std::sync::Once,
}

impl Default for LiveFeed {
    fn default() -> Self {
        LiveFeed {
            changes: broadcast::channel(CHANNEL_CAPACITY).0,
            access: broadcast::channel(CHANNEL_CAPACITY).0,
            started: std::sync::Once::new(),
        }
    }
}

impl LiveFeed {
    pub fn subscribe_changes(&self) -> broadcast::Receiver<Arc<LiveChange>> {
        self.changes.subscribe()
    }

    /// Users whose access changed, from every instance.
    pub fn subscribe_access_changes(&self) -> broadcast::Receiver<UserId> {
        self.access.subscribe()
    }

    /// Starts carrying committed changes from the database to this instance's streams
    /// (PostgreSQL: the listener; nothing to do on SQLite); resolves once listening. Only
    /// the first call starts anything.
    pub async fn start(&self, store: &Store) {
        if store.backend() != Backend::Postgres {
            return;
        }
        let mut listening = None;
        self.started.call_once(|| {
            let (ready, ready_rx) = tokio::sync::oneshot::channel();
            let senders = (self.changes.clone(), self.access.clone());
            tokio::spawn(listen(store.clone(), senders, ready));
            listening = Some(ready_rx);
        });
        if let Some(listening) = listening {
            let _ = listening.await;
        }
    }
}

impl CommitListener for LiveFeed {
    fn change_committed(&self, change: LiveChange) {
        // No subscribers is not an error: nobody is looking.
        let _ = self.changes.send(Arc::new(change));
    }

    fn access_changed(&self, user: UserId) {
        let _ = self.access.send(user);
    }
}

/// Runs for the life of the process: LISTEN, forward, and after any break reconnect and
/// replay from the last change seen.
async fn listen(
    store: Store,
    (sender, access): (ChangeSender, broadcast::Sender<UserId>),
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
                        let _ = sender.send(Arc::new(change));
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
            match listener.try_recv().await {
                Ok(Some(notification)) if notification.channel() == PG_ACCESS_CHANNEL => {
                    match notification.payload().parse::<UserId>() {
                        Ok(user) => {
                            let _ = access.send(user);
                        }
                        Err(e) => tracing::error!("live updates: bad access notice: {e}"),
                    }
                }
                Ok(Some(notification)) => {
                    match serde_json::from_str::<LiveChange>(notification.payload()) {
                        Ok(change) => {
                            last_seen = Some(change.change.seq.max(last_seen.unwrap_or(0)));
                            let _ = sender.send(Arc::new(change));
                        }
                        Err(e) => tracing::error!("live updates: bad notification: {e}"),
                    }
                }
                // The connection dropped: reconnect and replay.
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!("live updates: listener error: {e}");
                    break;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
