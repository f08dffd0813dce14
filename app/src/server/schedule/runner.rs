//! The scheduler every server process runs: each tick, every job that is due and whose
//! lease nobody holds is run by this instance (`Store::take_job`).

use super::jobs::Job;
use crate::server::clock::{MINUTE_MS, now_ms};
use crate::server::store::Store;
use std::time::Duration;

/// How often an instance looks for due jobs.
const TICK: Duration = Duration::from_secs(30);
/// A run that takes longer than this is taken to have crashed; another instance may run
/// the job again (safe: see the module `schedule`).
const LEASE_MS: i64 = 10 * MINUTE_MS;

/// Runs every due job once as of `now`, as `holder`; answers the jobs it ran and what each
/// did. Tests call this with a clock of their own.
pub async fn run_due_jobs(store: &Store, holder: &str, now: i64) -> Vec<(Job, usize)> {
    run_jobs(store, holder, now, false).await
}

/// `handoff run-jobs`: every job now, however recently it ran (not one another instance is
/// running: that one's lease is respected).
pub async fn run_every_job_now(store: &Store) -> Vec<(Job, usize)> {
    let holder = format!("run-jobs-{}", std::process::id());
    run_jobs(store, &holder, now_ms(), true).await
}

async fn run_jobs(
    store: &Store,
    holder: &str,
    now: i64,
    even_if_recent: bool,
) -> Vec<(Job, usize)> {
    let mut ran = Vec::new();
    for job in Job::ALL {
        let every = if even_if_recent { 0 } else { job.every_ms() };
        let lease = match store
            .take_job(job.name(), holder, now, LEASE_MS, every)
            .await
        {
            Ok(Some(lease)) => lease,
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(job = job.name(), error = %e, "could not take the job's lease");
                continue;
            }
        };
        let started = std::time::Instant::now();
        match job.run(store, now).await {
            Ok(done) => {
                crate::server::metrics::job_ran(job.name(), started.elapsed().as_secs_f64());
                tracing::info!(
                    job = job.name(),
                    done,
                    took_ms = started.elapsed().as_millis() as u64,
                    "job ran"
                );
                ran.push((job, done));
            }
            // The lease is kept until it runs out: the job is tried again then.
            Err(e) => {
                tracing::warn!(job = job.name(), error = %e, "job failed");
                continue;
            }
        }
        if let Err(e) = store.finish_job(&lease, now).await {
            tracing::warn!(job = job.name(), error = %e, "could not end the job's run");
        }
    }
    ran
}

/// Starts the scheduler on this instance.
pub fn spawn(store: Store) -> tokio::task::JoinHandle<()> {
    let holder = format!(
        "{}-{}",
        std::process::id(),
        crate::server::auth::random_token()
    );
    tokio::spawn(async move {
        loop {
            run_due_jobs(&store, &holder, now_ms()).await;
            tokio::time::sleep(TICK).await;
        }
    })
}
