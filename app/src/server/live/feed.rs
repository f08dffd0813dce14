//! How a committed change reaches every server instance's open streams. One trait, two
//! implementations:
//!
//! - `LocalFeed` (SQLite, one instance): after commit, straight into this process's
//!   broadcast channel.
//! - `PostgresFeed` (several instances): `pg_notify` inside the change's own transaction, so
//!   PostgreSQL delivers it only if the change commits; every instance's `listen` task turns
//!   notifications into broadcasts. After a lost connection the listener reconnects and
//!   replays the history rows it missed, so a database restart loses nothing.

use crate::error::AppError;
use crate::model::ReferralFacts;
use crate::model::live::Change;
use crate::server::Store;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// A change with the facts that decide who may hear of it, so each open stream can filter
/// with the pure access rules and no query of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveChange {
    pub change: Change,
    pub facts: ReferralFacts,
}

pub type ChangeSender = broadcast::Sender<Arc<LiveChange>>;

/// Changes buffered per subscriber; one that falls further behind is told to refetch.
pub const CHANNEL_CAPACITY: usize = 1024;

const PG_CHANNEL: &str = "handoff_changes";
/// Carries the id of a user whose access changed (`Store::access_changed`).
pub const PG_ACCESS_CHANNEL: &str = "handoff_access";

pub trait ChangeFeed: Send + Sync + std::fmt::Debug {
    /// Inside the change's transaction.
    fn stage<'a>(
        &'a self,
        tx: &'a mut Transaction<'static, Any>,
        change: &'a LiveChange,
    ) -> BoxFuture<'a, Result<(), AppError>>;

    /// After the transaction committed.
    fn committed(&self, change: LiveChange);

    /// Starts whatever carries changes from other instances (the PostgreSQL listener); the
    /// future resolves once it is listening.
    fn start(&self, store: Store) -> BoxFuture<'static, ()>;
}

#[derive(Debug)]
pub struct LocalFeed {
    pub sender: ChangeSender,
}

impl ChangeFeed for LocalFeed {
    fn stage<'a>(
        &'a self,
        _tx: &'a mut Transaction<'static, Any>,
        _change: &'a LiveChange,
    ) -> BoxFuture<'a, Result<(), AppError>> {
        Box::pin(async { Ok(()) })
    }

    fn committed(&self, change: LiveChange) {
        // No subscribers is not an error: nobody is looking.
        let _ = self.sender.send(Arc::new(change));
    }

    fn start(&self, _store: Store) -> BoxFuture<'static, ()> {
        Box::pin(async {})
    }
}

#[derive(Debug)]
pub struct PostgresFeed {
    pub url: String,
    pub sender: ChangeSender,
    pub access: broadcast::Sender<crate::model::UserId>,
}

impl ChangeFeed for PostgresFeed {
    fn stage<'a>(
        &'a self,
        tx: &'a mut Transaction<'static, Any>,
        change: &'a LiveChange,
    ) -> BoxFuture<'a, Result<(), AppError>> {
        Box::pin(async move {
            let payload = serde_json::to_string(change).map_err(AppError::internal)?;
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(PG_CHANNEL)
                .bind(payload)
                .execute(&mut **tx)
                .await?;
            Ok(())
        })
    }

    fn committed(&self, _change: LiveChange) {}

    fn start(&self, store: Store) -> BoxFuture<'static, ()> {
        let url = self.url.clone();
        let senders = (self.sender.clone(), self.access.clone());
        let (ready, listening) = tokio::sync::oneshot::channel();
        tokio::spawn(listen(url, senders, store, ready));
        Box::pin(async move {
            let _ = listening.await;
        })
    }
}

/// Runs for the life of the process: LISTEN, forward, and after any break reconnect and
/// replay from the last change seen.
async fn listen(
    url: String,
    (sender, access): (ChangeSender, broadcast::Sender<crate::model::UserId>),
    store: Store,
    ready: tokio::sync::oneshot::Sender<()>,
) {
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
        if let Err(e) = listener.listen_all([PG_CHANNEL, PG_ACCESS_CHANNEL]).await {
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
                    match notification.payload().parse::<crate::model::UserId>() {
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
