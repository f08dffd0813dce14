//! The delivery worker: runs inside every server process, drains the outbox.
//!
//! Each round claims a batch of due rows (a lease, see `store::outbox`), then composes and
//! sends them concurrently over pooled connections, each under its own renewed lease and
//! recorded as soon as it is sent. Transient failures come back later with exponential
//! backoff and jitter, until `max_age` after they were queued; permanent ones (and those
//! too old) are marked failed with the server's reason, for an administrator to see.

use super::compose::{LinkBase, compose};
use super::outlet::{Outlet, SendError};
use crate::server::Config;
use crate::server::clock::now_ms;
use crate::server::store::{DeliveryResult, OutboxRow, Store};
use futures::StreamExt;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Clone, Debug)]
pub struct MailSettings {
    /// Rows claimed per round.
    pub batch: i64,
    /// Emails in flight at once (and SMTP connections kept open).
    pub concurrency: usize,
    /// How long a claimed row is reserved for this worker before others may retry it.
    pub lease: Duration,
    /// How often to look for work queued by other instances or due for retry.
    pub poll: Duration,
    /// First retry delay; doubles per attempt up to `retry_cap`.
    pub retry_base: Duration,
    pub retry_cap: Duration,
    /// An email still failing for a passing reason this long after it was queued is marked
    /// failed with its last error (a site administrator can send it again from /admin).
    pub max_age: Duration,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            batch: 200,
            concurrency: 8,
            lease: Duration::from_secs(120),
            poll: Duration::from_secs(1),
            retry_base: Duration::from_secs(10),
            retry_cap: Duration::from_secs(30 * 60),
            max_age: Duration::from_secs(3 * 24 * 60 * 60),
        }
    }
}

pub struct MailWorker {
    store: Store,
    outlet: Outlet,
    from: Mailbox,
    public_url: String,
    key: Vec<u8>,
    settings: MailSettings,
    stop: Arc<Stop>,
}

/// Asked to stop: claim nothing more, start no email, finish and record those in flight.
#[derive(Default)]
struct Stop {
    asked: AtomicBool,
    wake: Notify,
}

/// The worker running in its task (`MailWorker::spawn`).
pub struct MailTask {
    stop: Arc<Stop>,
    task: tokio::task::JoinHandle<()>,
}

impl MailTask {
    /// Stops the worker and waits, at most `within`, for the emails it is sending to be
    /// sent and recorded: a server stopped this way (SIGTERM, a deployment) sends nothing
    /// twice. (Killed instead, an email the SMTP server accepted but not yet marked sent is
    /// sent again when its lease runs out.) Answers whether it finished in time.
    pub async fn stop(mut self, within: Duration) -> bool {
        self.stop.asked.store(true, Ordering::SeqCst);
        self.stop.wake.notify_one();
        match tokio::time::timeout(within, &mut self.task).await {
            Ok(_) => true,
            Err(_) => {
                self.task.abort();
                false
            }
        }
    }

    /// Ends it at once (tests, and a process ending without `stop`).
    pub fn abort(&self) {
        self.task.abort();
    }
}

impl MailWorker {
    pub fn new(store: Store, config: &Config, settings: MailSettings) -> Result<Self, String> {
        let outlet = Outlet::new(
            config.smtp_url.as_deref(),
            &config.data_dir,
            settings.concurrency as u32,
        )?;
        Ok(MailWorker {
            store,
            outlet,
            from: config.mail_from.clone(),
            public_url: config.public_url.clone(),
            key: config.secret.bytes().to_vec(),
            settings,
            stop: Arc::default(),
        })
    }

    pub fn describe(&self) -> String {
        self.outlet.describe()
    }

    /// Runs until stopped (`MailTask::stop`) or the process ends.
    pub fn spawn(self) -> MailTask {
        let stop = self.stop.clone();
        let worker = Arc::new(self);
        let task = tokio::spawn(async move {
            while !worker.stopping() {
                match worker.drain_once().await {
                    // A full batch: there may be more waiting.
                    Ok(n) if n as i64 >= worker.settings.batch => continue,
                    Ok(_) => {}
                    Err(e) => tracing::warn!("mail worker: {e}"),
                }
                tokio::select! {
                    _ = worker.store.outbox_wait() => {}
                    _ = tokio::time::sleep(worker.settings.poll) => {}
                    _ = worker.stop.wake.notified() => {}
                }
            }
        });
        MailTask { stop, task }
    }

    fn stopping(&self) -> bool {
        self.stop.asked.load(Ordering::SeqCst)
    }

    /// One round: claim what is due, send it, record the results. Returns how many rows
    /// were attempted.
    pub async fn drain_once(&self) -> Result<usize, crate::error::AppError> {
        let lease_ms = self.settings.lease.as_millis() as i64;
        let (claim, rows) = self
            .store
            .claim_due_email(self.settings.batch, lease_ms)
            .await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let claim = &claim;
        // Owned rows into the stream: futures borrowing from a local trip up `tokio::spawn`'s
        // Send check (rust-lang/rust#102211).
        let attempted: Vec<bool> = futures::stream::iter(rows)
            .map(|row| async move {
                // Stopping: this one waits for its lease to run out, for the next instance.
                if self.stopping() {
                    return false;
                }
                // Each email has its own lease, renewed as it goes out (one this batch was too
                // slow to reach in time may have been claimed by another worker since), and
                // its result is recorded at once: an email sent but not yet marked is never
                // left waiting for the rest of a slow batch while its lease runs out.
                match self.store.renew_email_lease(row.id, claim, lease_ms).await {
                    Ok(true) => {}
                    Ok(false) => return false,
                    Err(e) => {
                        tracing::warn!(id = %row.id, "cannot renew an email's lease: {e}");
                        return false;
                    }
                }
                let result = self.deliver(&row).await;
                if let Err(e) = self
                    .store
                    .record_deliveries(claim, &[(row.id, result)])
                    .await
                {
                    tracing::warn!(id = %row.id, "cannot record an email's delivery: {e}");
                }
                true
            })
            .buffer_unordered(self.settings.concurrency)
            .collect()
            .await;
        Ok(attempted.into_iter().filter(|a| *a).count())
    }

    async fn deliver(&self, row: &OutboxRow) -> DeliveryResult {
        let message = match self.message(row) {
            Ok(m) => m,
            Err(reason) => {
                tracing::error!(id = %row.id, "email cannot be built: {reason}");
                return DeliveryResult::Failed { reason };
            }
        };
        let file_name = format!("{:08}-{}.eml", row.id, row.kind);
        match self.outlet.send(message, &file_name).await {
            Ok(()) => DeliveryResult::Sent,
            Err(SendError {
                permanent: true,
                reason,
            }) => {
                tracing::warn!(id = %row.id, "email refused for good: {reason}");
                DeliveryResult::Failed { reason }
            }
            Err(SendError { reason, .. }) if gives_up(row, now_ms(), self.settings.max_age) => {
                tracing::warn!(id = %row.id, attempts = row.attempts, "email given up: {reason}");
                DeliveryResult::Failed {
                    reason: format!(
                        "gave up after {} attempts over {}: {reason}",
                        row.attempts,
                        age_text(self.settings.max_age)
                    ),
                }
            }
            Err(SendError { reason, .. }) => {
                let delay = retry_delay(
                    row.attempts,
                    row.id.0,
                    self.settings.retry_base,
                    self.settings.retry_cap,
                );
                tracing::info!(
                    id = %row.id,
                    attempts = row.attempts,
                    "email will be retried in {delay:?}: {reason}"
                );
                DeliveryResult::RetryAt {
                    next_attempt_at: now_ms() + delay.as_millis() as i64,
                    reason,
                }
            }
        }
    }

    fn message(&self, row: &OutboxRow) -> Result<Message, String> {
        let kind = row.kind;
        let email = compose(
            row,
            kind,
            &LinkBase {
                public_url: &self.public_url,
                key: &self.key,
            },
        )?;
        let to: Mailbox = row
            .recipient_email
            .parse()
            .map_err(|e| format!("bad recipient address: {e}"))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject)
            .message_id(Some(row.message_id.clone()))
            .multipart(MultiPart::alternative_plain_html(email.text, email.html))
            .map_err(|e| format!("cannot build the message: {e}"))
    }
}

/// Whether an email that failed for a passing reason has been tried for long enough.
pub fn gives_up(row: &OutboxRow, now: i64, max_age: Duration) -> bool {
    now - row.created_at >= max_age.as_millis() as i64
}

/// "72 hours", or for a short maximum age (tests) "2 seconds".
fn age_text(age: Duration) -> String {
    match age.as_secs() {
        s if s >= 3600 => format!("{} hours", s / 3600),
        s => format!("{s} seconds"),
    }
}

/// The wait before retry number `attempts` (1 after the first failure): `base · 2^(n-1)`,
/// at most `cap`, spread by ±25% so that a backlog does not retry in lockstep. The spread
/// is derived from the row id and attempt, so it is reproducible in tests.
pub fn retry_delay(attempts: i64, row: i64, base: Duration, cap: Duration) -> Duration {
    let exponent = attempts.clamp(1, 31) as u32 - 1;
    let plain = base.saturating_mul(1u32 << exponent.min(20)).min(cap);
    let mut x = (row as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ attempts as u64;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    // A factor in [0.75, 1.25).
    let factor = 0.75 + (x % 1000) as f64 / 2000.0;
    plain.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(10);
    const CAP: Duration = Duration::from_secs(1800);

    #[test]
    fn retries_back_off_exponentially_within_the_jitter_band() {
        for attempts in 1..=8i64 {
            let plain = (BASE * 2u32.pow(attempts as u32 - 1)).min(CAP);
            for row in 1..200 {
                let d = retry_delay(attempts, row, BASE, CAP);
                assert!(
                    d >= plain.mul_f64(0.75) && d < plain.mul_f64(1.25),
                    "{attempts} {row} {d:?}"
                );
            }
        }
    }

    #[test]
    fn retries_never_wait_longer_than_the_cap_allows() {
        for attempts in [9, 20, 31, 1000, i64::MAX] {
            let d = retry_delay(attempts, 7, BASE, CAP);
            assert!(d <= CAP.mul_f64(1.25), "{attempts}: {d:?}");
        }
    }

    #[test]
    fn jitter_spreads_rows_apart() {
        let delays: std::collections::HashSet<Duration> =
            (1..100).map(|row| retry_delay(3, row, BASE, CAP)).collect();
        assert!(delays.len() > 50, "only {} distinct delays", delays.len());
    }
}
