//! Configuration from the environment (12-factor), with safe defaults.
//!
//! | variable            | default                          | meaning                                |
//! |---------------------|----------------------------------|----------------------------------------|
//! | `DATABASE_URL`      | `sqlite://data/handoff.db`       | `sqlite://…` or `postgres://…`         |
//! | `SMTP_URL`          | unset: emails become .eml files  | `smtp://host:port`, `smtps://u:p@host` |
//! | `HANDOFF_PUBLIC_URL`| `http://<site address>`          | base of links in emails                |
//! | `HANDOFF_SECRET`    | demo: generated into `data/`     | signing key, at least 32 characters    |
//! | `HANDOFF_DEMO`      | unset                            | `1`: seed demo data once               |
//! | `HANDOFF_DATA_DIR`  | `data`                           | SQLite file, mail folder, demo secret  |
//! | `HANDOFF_MAIL_FROM` | `Handoff <handoff@localhost>`    | the From of every email                |
//! | `HANDOFF_MAIL_CONNECTIONS` | `8`                       | SMTP connections per instance (1–256)  |
//! | `HANDOFF_IDLE_MINUTES` | `30`                          | helpers', staff's and admins' idle log out (5–1440) |
//! | `HANDOFF_TIME_ZONE` | `UTC`                            | IANA name: business days and reminders are local |
//! | `HANDOFF_RESPONSE_DAYS` | `2`                          | business days to move a referral out of Not updated (1–30) |
//! | `HANDOFF_ESCALATION_DAYS` | `2`                        | business days overdue before the helper is told (1–30) |
//! | `HANDOFF_CHECK_IN_DAYS` | `14`                         | days before a seeker is asked how it went (1–90) |
//! | `HANDOFF_REMINDER_HOUR` | `8`                          | local hour from which the day's reminder goes (0–23) |
//! | `HANDOFF_HOLIDAYS`  | none                             | dates that are not business days: `2026-12-25,2027-01-01` |
//!
//! A malformed value stops the server at start with a message naming the variable.

use std::fmt;
use std::path::PathBuf;

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub smtp_url: Option<String>,
    pub public_url: String,
    pub secret: Secret,
    pub demo: bool,
    pub data_dir: PathBuf,
    pub mail_from: lettre::message::Mailbox,
    /// Emails in flight at once, each on its own pooled SMTP connection.
    pub mail_connections: usize,
    /// How long an email failing for a passing reason is retried before it is marked failed.
    pub mail_max_age: std::time::Duration,
    /// Helpers, program staff and site administrators are logged out after this long
    /// without a request (seekers keep the 7-day session).
    pub idle_timeout_ms: i64,
    /// Response standard, escalation, check-ins and the time zone they count in.
    pub schedule: crate::server::schedule::Schedule,
    /// Timeouts and caps on connections, bodies and event streams.
    pub limits: crate::server::connections::Limits,
    /// How long audit entries are kept.
    pub audit_days: i64,
    /// How long a person is kept after their last referral closed; `None`: always.
    pub retention_days: Option<i64>,
    /// `/metrics` with `Authorization: Bearer <this>` from anywhere (loopback needs none).
    pub metrics_token: Option<String>,
}

/// The signing key. Never printed.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_password(&self.database_url))
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_password))
            .field("public_url", &self.public_url)
            .field("demo", &self.demo)
            .field("data_dir", &self.data_dir)
            .field("mail_from", &self.mail_from.to_string())
            .field("time_zone", &self.schedule.zone.name())
            .field("follow_up", &self.schedule.rules)
            .finish_non_exhaustive()
    }
}

/// `scheme://user:pass@host` → `scheme://user:***@host`, for logs.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    }
}

pub const MIN_SECRET_LEN: usize = 32;

impl Config {
    /// Reads the process environment. `site_addr` is where the server listens (the default
    /// public URL); demo secrets are generated on first use.
    pub fn from_env(site_addr: &str) -> Result<Config, String> {
        let config = Config::parse(|key| std::env::var(key).ok(), site_addr)?;
        Ok(config)
    }

    /// Builds the configuration from any lookup (tests pass a map).
    pub fn parse(var: impl Fn(&str) -> Option<String>, site_addr: &str) -> Result<Config, String> {
        let set = |key: &str| var(key).filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(set("HANDOFF_DATA_DIR").unwrap_or_else(|| "data".into()));
        let demo = match set("HANDOFF_DEMO").as_deref() {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(other) => return Err(format!("HANDOFF_DEMO must be 1 or 0, not {other:?}")),
        };

        let database_url = set("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}/handoff.db", data_dir.display()));
        if !["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|p| database_url.starts_with(p))
        {
            return Err(format!(
                "DATABASE_URL must start with sqlite: or postgres://, not {:?}",
                redact_password(&database_url)
            ));
        }

        let smtp_url = set("SMTP_URL");
        if let Some(url) = &smtp_url {
            let host = url
                .strip_prefix("smtp://")
                .or_else(|| url.strip_prefix("smtps://"))
                .ok_or_else(|| {
                    format!(
                        "SMTP_URL must start with smtp:// or smtps://, not {:?}",
                        redact_password(url)
                    )
                })?;
            let host = host.rsplit('@').next().unwrap_or_default();
            let host = host.split(['/', '?']).next().unwrap_or_default();
            if host.is_empty() {
                return Err("SMTP_URL names no host (expected smtp://host:port)".into());
            }
            if let Some((_, port)) = host.rsplit_once(':') {
                port.parse::<u16>()
                    .map_err(|_| format!("SMTP_URL has a bad port {port:?}"))?;
            }
        }

        let public_url = set("HANDOFF_PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}"));
        let public_url = public_url.trim_end_matches('/').to_string();
        let host = public_url
            .strip_prefix("http://")
            .or_else(|| public_url.strip_prefix("https://"));
        if host.is_none_or(|h| h.is_empty() || h.contains(char::is_whitespace)) {
            return Err(format!(
                "HANDOFF_PUBLIC_URL must be an http:// or https:// address, not {public_url:?}"
            ));
        }

        let secret = match set("HANDOFF_SECRET") {
            Some(s) if s.len() >= MIN_SECRET_LEN => Secret(s.into_bytes()),
            Some(_) => {
                return Err(format!(
                    "HANDOFF_SECRET must be at least {MIN_SECRET_LEN} characters (try `openssl rand -hex 32`)"
                ));
            }
            None if demo => Secret(demo_secret(&data_dir)?),
            None => {
                return Err(
                    "HANDOFF_SECRET is not set: set it to a random string of at least 32 characters \
                     (try `openssl rand -hex 32`), or set HANDOFF_DEMO=1 to generate one for a demo"
                        .into(),
                );
            }
        };

        let mail_from =
            set("HANDOFF_MAIL_FROM").unwrap_or_else(|| "Handoff <handoff@localhost>".into());
        let mail_from = mail_from.parse().map_err(|_| {
            format!("HANDOFF_MAIL_FROM must be an address like `Handoff <handoff@example.org>`, not {mail_from:?}")
        })?;

        let mail_connections = number(&set, "HANDOFF_MAIL_CONNECTIONS", 1..=256)?.unwrap_or(8);
        let mail_max_age_hours = number(&set, "HANDOFF_MAIL_MAX_AGE_HOURS", 1..=720)?.unwrap_or(72);
        let audit_days = number(&set, "HANDOFF_AUDIT_DAYS", 30..=3650)?
            .unwrap_or(crate::server::store::DEFAULT_AUDIT_DAYS);
        let retention_days = number(&set, "HANDOFF_RETENTION_DAYS", 30..=36_500)?;
        let idle_minutes = number(&set, "HANDOFF_IDLE_MINUTES", 5..=1440)?.unwrap_or(30);

        let schedule = parse_schedule(&set)?;
        let limits = parse_limits(&set)?;

        Ok(Config {
            schedule,
            limits,
            audit_days,
            retention_days,
            metrics_token: set("HANDOFF_METRICS_TOKEN").map(|t| t.trim().to_string()),
            idle_timeout_ms: idle_minutes * 60_000,
            database_url,
            smtp_url,
            public_url,
            secret,
            demo,
            data_dir,
            mail_from,
            mail_connections,
            mail_max_age: std::time::Duration::from_secs(mail_max_age_hours * 3600),
        })
    }

    /// Cookies get `Secure` when the public address is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// A whole-number setting within `range`; `None` when it is not set. One rule for every
/// numeric variable, so each refusal names the variable and its range alike.
fn number<T>(
    set: &dyn Fn(&str) -> Option<String>,
    key: &str,
    range: std::ops::RangeInclusive<T>,
) -> Result<Option<T>, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let Some(v) = set(key) else {
        return Ok(None);
    };
    v.trim()
        .parse::<T>()
        .ok()
        .filter(|n| range.contains(n))
        .map(Some)
        .ok_or_else(|| {
            format!(
                "{key} must be a number from {} to {}, not {v:?}",
                range.start(),
                range.end()
            )
        })
}

/// `HANDOFF_TIME_ZONE`, the follow-up days, the reminder hour and the holidays.
fn parse_schedule(
    set: &dyn Fn(&str) -> Option<String>,
) -> Result<crate::server::schedule::Schedule, String> {
    use crate::model::calendar::Calendar;
    use crate::model::follow_up::{FollowUpRules, MOST_RESPONSE_DAYS};
    let number = |key: &str, default: u32, range: std::ops::RangeInclusive<u32>| {
        number(set, key, range).map(|n| n.unwrap_or(default))
    };
    let zone = match set("HANDOFF_TIME_ZONE") {
        None => crate::server::schedule::zone::Zone::default(),
        Some(name) => crate::server::schedule::zone::Zone::named(&name)
            .map_err(|e| format!("HANDOFF_TIME_ZONE: {e}"))?,
    };
    let calendar = match set("HANDOFF_HOLIDAYS") {
        None => Calendar::default(),
        Some(list) => Calendar::parse(&list).map_err(|e| format!("HANDOFF_HOLIDAYS: {e}"))?,
    };
    let rules = FollowUpRules {
        respond_days: number("HANDOFF_RESPONSE_DAYS", 2, 1..=MOST_RESPONSE_DAYS)?,
        escalate_days: number("HANDOFF_ESCALATION_DAYS", 2, 1..=MOST_RESPONSE_DAYS)?,
        check_in_days: number("HANDOFF_CHECK_IN_DAYS", 14, 1..=90)?,
        reminder_hour: number("HANDOFF_REMINDER_HOUR", 8, 0..=23)?,
        calendar,
    };
    Ok(crate::server::schedule::Schedule { rules, zone })
}

/// The demo's signing key, generated once and kept in `data/secret` (mode 0600).
fn demo_secret(data_dir: &std::path::Path) -> Result<Vec<u8>, String> {
    let path = data_dir.join("secret");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing.trim().len() >= MIN_SECRET_LEN
    {
        return Ok(existing.trim().as_bytes().to_vec());
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let secret = super::auth::random_token();
    write_private(&path, &secret).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(secret.into_bytes())
}

fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

/// `HANDOFF_HEADER_TIMEOUT_SECONDS`, `HANDOFF_REQUEST_TIMEOUT_SECONDS`, `HANDOFF_MAX_BODY_KB`,
/// `HANDOFF_MAX_CONNECTIONS` (and `_PER_ADDRESS`), `HANDOFF_MAX_STREAMS` (and `_PER_ADDRESS`).
fn parse_limits(
    set: &dyn Fn(&str) -> Option<String>,
) -> Result<crate::server::connections::Limits, String> {
    use std::time::Duration;
    let defaults = crate::server::connections::Limits::default();
    let number = |key: &str, default: usize, range: std::ops::RangeInclusive<usize>| {
        number(set, key, range).map(|n| n.unwrap_or(default))
    };
    let seconds = |d: Duration| d.as_secs() as usize;
    let request = number(
        "HANDOFF_REQUEST_TIMEOUT_SECONDS",
        seconds(defaults.request),
        1..=3600,
    )?;
    Ok(crate::server::connections::Limits {
        header_read: Duration::from_secs(number(
            "HANDOFF_HEADER_TIMEOUT_SECONDS",
            seconds(defaults.header_read),
            1..=600,
        )? as u64),
        request: Duration::from_secs(request as u64),
        body: Duration::from_secs(request as u64),
        body_bytes: number(
            "HANDOFF_MAX_BODY_KB",
            defaults.body_bytes / 1024,
            16..=65_536,
        )? * 1024,
        connections: number(
            "HANDOFF_MAX_CONNECTIONS",
            defaults.connections,
            1..=1_000_000,
        )?,
        connections_per_address: number(
            "HANDOFF_MAX_CONNECTIONS_PER_ADDRESS",
            defaults.connections_per_address,
            1..=1_000_000,
        )?,
        streams: number("HANDOFF_MAX_STREAMS", defaults.streams, 1..=1_000_000)?,
        streams_per_address: number(
            "HANDOFF_MAX_STREAMS_PER_ADDRESS",
            defaults.streams_per_address,
            1..=1_000_000,
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> Result<Config, String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::parse(|k| map.get(k).cloned(), "127.0.0.1:3000")
    }

    const SECRET: (&str, &str) = ("HANDOFF_SECRET", "0123456789abcdef0123456789abcdef");

    #[test]
    fn defaults_are_sqlite_and_local() {
        let c = parse(&[SECRET]).unwrap();
        assert_eq!(c.database_url, "sqlite://data/handoff.db");
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert!(c.smtp_url.is_none());
        assert!(!c.secure_cookies());
        assert!(!c.demo);
        assert_eq!(c.mail_connections, 8);
        assert_eq!(c.mail_from.to_string(), "Handoff <handoff@localhost>");
    }

    #[test]
    fn limits_have_defaults_and_can_be_set() {
        let config = parse(&[SECRET]).unwrap();
        assert_eq!(config.limits, crate::server::connections::Limits::default());
        let config = parse(&[
            SECRET,
            ("HANDOFF_HEADER_TIMEOUT_SECONDS", "3"),
            ("HANDOFF_MAX_BODY_KB", "64"),
            ("HANDOFF_MAX_CONNECTIONS_PER_ADDRESS", "20"),
        ])
        .unwrap();
        assert_eq!(config.limits.header_read.as_secs(), 3);
        assert_eq!(config.limits.body_bytes, 64 * 1024);
        assert_eq!(config.limits.connections_per_address, 20);
    }

    #[test]
    fn malformed_values_are_refused_with_the_variable_named() {
        for (pairs, named) in [
            (vec![SECRET, ("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (vec![SECRET, ("SMTP_URL", "http://mail")], "SMTP_URL"),
            (vec![SECRET, ("SMTP_URL", "smtp://")], "SMTP_URL"),
            (
                vec![SECRET, ("SMTP_URL", "smtp://host:notaport")],
                "SMTP_URL",
            ),
            (
                vec![SECRET, ("HANDOFF_PUBLIC_URL", "handoff.example.org")],
                "HANDOFF_PUBLIC_URL",
            ),
            (vec![("HANDOFF_SECRET", "short")], "HANDOFF_SECRET"),
            (vec![], "HANDOFF_SECRET"),
            (vec![SECRET, ("HANDOFF_DEMO", "yes please")], "HANDOFF_DEMO"),
            (
                vec![SECRET, ("HANDOFF_MAIL_FROM", "not an address")],
                "HANDOFF_MAIL_FROM",
            ),
            (
                vec![SECRET, ("HANDOFF_MAIL_CONNECTIONS", "0")],
                "HANDOFF_MAIL_CONNECTIONS",
            ),
            (
                vec![SECRET, ("HANDOFF_MAIL_CONNECTIONS", "lots")],
                "HANDOFF_MAIL_CONNECTIONS",
            ),
            (
                vec![SECRET, ("HANDOFF_TIME_ZONE", "Springfield/Local")],
                "HANDOFF_TIME_ZONE",
            ),
            (
                vec![SECRET, ("HANDOFF_RESPONSE_DAYS", "0")],
                "HANDOFF_RESPONSE_DAYS",
            ),
            (
                vec![SECRET, ("HANDOFF_CHECK_IN_DAYS", "two weeks")],
                "HANDOFF_CHECK_IN_DAYS",
            ),
            (
                vec![SECRET, ("HANDOFF_REMINDER_HOUR", "24")],
                "HANDOFF_REMINDER_HOUR",
            ),
            (
                vec![SECRET, ("HANDOFF_HOLIDAYS", "2026-12-25,Boxing Day")],
                "HANDOFF_HOLIDAYS",
            ),
            (
                vec![SECRET, ("HANDOFF_HEADER_TIMEOUT_SECONDS", "0")],
                "HANDOFF_HEADER_TIMEOUT_SECONDS",
            ),
            (
                vec![SECRET, ("HANDOFF_RETENTION_DAYS", "forever")],
                "HANDOFF_RETENTION_DAYS",
            ),
            (
                vec![SECRET, ("HANDOFF_AUDIT_DAYS", "7")],
                "HANDOFF_AUDIT_DAYS",
            ),
            (
                vec![SECRET, ("HANDOFF_MAIL_MAX_AGE_HOURS", "0")],
                "HANDOFF_MAIL_MAX_AGE_HOURS",
            ),
            (
                vec![SECRET, ("HANDOFF_MAX_BODY_KB", "a lot")],
                "HANDOFF_MAX_BODY_KB",
            ),
            (
                vec![SECRET, ("HANDOFF_MAX_STREAMS_PER_ADDRESS", "-1")],
                "HANDOFF_MAX_STREAMS_PER_ADDRESS",
            ),
        ] {
            let err = parse(&pairs).unwrap_err();
            assert!(err.contains(named), "{pairs:?}: {err}");
        }
    }

    #[test]
    fn https_public_url_makes_cookies_secure() {
        let c = parse(&[
            SECRET,
            ("HANDOFF_PUBLIC_URL", "https://handoff.example.org/"),
        ])
        .unwrap();
        assert_eq!(c.public_url, "https://handoff.example.org");
        assert!(c.secure_cookies());
    }

    #[test]
    fn passwords_never_reach_the_debug_output() {
        let c = parse(&[
            SECRET,
            ("DATABASE_URL", "postgres://app:hunter2hunter2@db/handoff"),
            ("SMTP_URL", "smtps://mailer:s3cret@smtp.example.org:465"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("hunter2")
                && !shown.contains("s3cret")
                && !shown.contains("0123456789abcdef"),
            "{shown}"
        );
    }

    #[test]
    fn demo_mode_generates_and_keeps_a_secret() {
        let dir = std::env::temp_dir().join(format!("handoff-config-{}", std::process::id()));
        let dir_s = dir.to_string_lossy().to_string();
        let first = parse(&[("HANDOFF_DEMO", "1"), ("HANDOFF_DATA_DIR", &dir_s)]).unwrap();
        let second = parse(&[("HANDOFF_DEMO", "1"), ("HANDOFF_DATA_DIR", &dir_s)]).unwrap();
        assert!(first.secret.bytes().len() >= MIN_SECRET_LEN);
        assert_eq!(first.secret.bytes(), second.secret.bytes());
        std::fs::remove_dir_all(dir).ok();
    }
}
