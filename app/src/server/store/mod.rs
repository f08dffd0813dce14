//! The store: every database read and write, on SQLite or PostgreSQL.
//!
//! Why one code base for both: we use sqlx's `Any` driver, so each query is written once.
//! That works because we keep to the common ground of the two databases: `$1` placeholders
//! (numbered in order of first use, which SQLite requires), integer ids from `RETURNING id`,
//! integer epoch-millisecond timestamps and 0/1 integer flags (no driver-specific date or
//! bool types), `query_as` into `FromRow` structs instead of compile-time checked macros
//! (those bind to one database). Schema differences (id generation, the append-only
//! trigger) live in one migrations folder per backend, `app/migrations/{sqlite,postgres}`,
//! embedded in the binary. The cost: no compile-time query checking; the same store test
//! suite runs against both backends instead (`app/tests/store.rs`).
//!
//! Authorization is not decided here: the API layer asks `model::access` first. The store
//! only promises that each change is one transaction (referral, history, outbox together).

mod account;
mod audit;
mod codes;
mod directory;
mod erasure;
mod error;
mod follow_up;
mod group_admin;
mod groups;
mod housekeeping;
mod invitations;
mod listing_edits;
mod listings;
mod notices;
mod organizations;
mod outbox;
mod persons;
mod programs;
mod referrals;
mod report_cells;
mod reports;
mod sessions;
mod users;

pub use crate::model::Actor;
pub use crate::model::GroupRole;
pub use account::AccountLink;
pub use audit::{AUDIT_PAGE, AuditRow};
pub use directory::{DatedListing, ImportRow, Progress, ServiceFilter};
pub use erasure::{ERASED_LABEL, ERASED_NAME};
pub use error::{StoreError, chain as error_chain};
pub use follow_up::{JobLease, ReminderCount};
pub use group_admin::{AdminAction, AdminActionRow, GroupSummary};
pub use groups::{GroupRow, MemberRow};
pub use housekeeping::{SENT_CONTENTS_KEPT_MS, SPENT_LINKS_KEPT_MS, Swept};
pub use invitations::{ClaimRow, InvitationTarget};
pub use listing_edits::{EditableListing, ListingHistoryRow, SuggestionRow};
pub use listings::{InboundQuery, ReferralListRow};
pub use notices::{
    CHANGES_AT_MOST, CommitListener, NobodyListens, PG_ACCESS_CHANNEL, PG_CHANGES_CHANNEL,
};
pub use organizations::{NewOrganization, OrganizationRow};
pub use outbox::{DeliveryResult, OutboxCounts, OutboxRow};
pub use persons::{NewPerson, PersonRow};
pub use programs::{NewProgram, ProgramQuery, ProgramRow};
pub use referrals::{HistoryRow, NewReferral, PersonChoice, ReferralRow, StatusChange};
pub use reports::{EXPORT_PAGE, ExportRecord, ReportFilter};
pub use users::{Credentials, NewUser, UserRow};

use crate::server::schedule::Schedule;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// A referral's contact preference as every rule must read it (alias `r`): "don't reach
/// out" while the seeker's consent is withdrawn (`model::change::effective_preference`).
/// Every query that reads `contact_preference` for access or email reads this instead.
macro_rules! effective_preference {
    () => {
        "(CASE WHEN r.consent_withdrawn_at IS NULL THEN r.contact_preference ELSE 'dont_reach_out' END)"
    };
}
pub(crate) use effective_preference;

/// The same, unqualified, for an UPDATE's RETURNING (SQLite does not take an alias there).
macro_rules! effective_preference_returned {
    () => {
        "(CASE WHEN consent_withdrawn_at IS NULL THEN contact_preference ELSE 'dont_reach_out' END)"
    };
}
pub(crate) use effective_preference_returned;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// What it was opened with (sqlx's form of it): the PostgreSQL listener connects to it.
    url: String,
    /// Rung after a commit that queued email, so this instance's mail worker sends at once
    /// instead of at its next poll.
    outbox_signal: Arc<Notify>,
    /// Hears of what this instance commits (`notices`): the app's live feed.
    listener: Arc<dyn CommitListener>,
    /// Sessions of helpers, staff and administrators end after this long unused.
    idle_timeout_ms: i64,
    /// The response standard and time zone a new referral's deadlines are counted in.
    schedule: Arc<Schedule>,
    /// How long audit entries are kept (housekeeping trims older ones).
    audit_kept_ms: i64,
    /// How long a person is kept once every referral of theirs is closed (then erased,
    /// their referrals still counted); `None`: for as long as the deployment runs.
    retention_ms: Option<i64>,
}

/// 30 minutes, unless `HANDOFF_IDLE_MINUTES` says otherwise (`Config`).
pub const DEFAULT_IDLE_TIMEOUT_MS: i64 = 30 * 60_000;
/// A year, unless `HANDOFF_AUDIT_DAYS` says otherwise.
pub const DEFAULT_AUDIT_DAYS: i64 = 365;

impl Store {
    /// The same store, with another idle timeout for helpers', staff's and admins' sessions.
    pub fn with_idle_timeout(mut self, idle_timeout_ms: i64) -> Store {
        self.idle_timeout_ms = idle_timeout_ms;
        self
    }

    /// The same store, erasing people this many days after their last referral closed.
    pub fn with_retention_days(mut self, days: Option<i64>) -> Store {
        self.retention_ms = days.map(|d| d * crate::server::clock::DAY_MS);
        self
    }

    /// The same store, keeping audit entries this many days.
    pub fn with_audit_days(mut self, days: i64) -> Store {
        self.audit_kept_ms = days * crate::server::clock::DAY_MS;
        self
    }

    /// The same store, counting deadlines by the deployment's rules and time zone.
    pub fn with_schedule(mut self, schedule: Schedule) -> Store {
        self.schedule = Arc::new(schedule);
        self
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// Connects (creating the SQLite file and its folder if needed) and runs migrations.
    pub async fn open(url: &str) -> Result<Store, String> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn connect(url: &str) -> Result<Store, String> {
        install_default_drivers();
        let backend = Backend::from_url(url)
            .ok_or_else(|| format!("unsupported database URL scheme in {url:?}"))?;
        let mut url = url.to_string();
        if backend == Backend::Sqlite {
            url = prepare_sqlite_url(&url)?;
        }
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; busy_timeout makes a second
                        // writer wait instead of failing; foreign keys are off by default.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        let pool = options
            .connect(&url)
            .await
            .map_err(|e| format!("cannot connect to the {} database: {e}", backend.name()))?;
        Ok(Store {
            pool,
            backend,
            url,
            outbox_signal: Arc::new(Notify::new()),
            listener: Arc::new(NobodyListens),
            idle_timeout_ms: DEFAULT_IDLE_TIMEOUT_MS,
            audit_kept_ms: DEFAULT_AUDIT_DAYS * crate::server::clock::DAY_MS,
            retention_ms: None,
            schedule: Arc::new(Schedule::default()),
        })
    }

    pub async fn migrate(&self) -> Result<(), String> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| format!("database migration failed: {e}"))?;
        self.fill_search_words()
            .await
            .map_err(|e| format!("indexing the directory's words failed: {e}"))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A cheap round trip, for the health check.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `sqlite://data/handoff.db` → create `data/` and ask sqlx to create the file.
fn prepare_sqlite_url(url: &str) -> Result<String, String> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err("use a file for SQLite (sqlite://data/handoff.db): an in-memory database is not shared between connections".into());
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// True when a database error is a unique-constraint violation (same on both backends).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

pub(crate) fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_foreign_key_violation())
}

pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}
