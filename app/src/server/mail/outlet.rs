//! Where composed email goes: an SMTP server (`SMTP_URL`), or, without one, `.eml` files in
//! `<data dir>/mail/` that a new user can open in any mail program.

use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// A delivery that did not happen, and whether trying again could help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendError {
    /// The server refused for good (5xx), or the message cannot be built: do not retry.
    pub permanent: bool,
    pub reason: String,
}

pub enum Outlet {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
}

/// Per-command limit: a stuck server must not hold a claimed row longer than its lease.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl Outlet {
    /// `pool_size` connections are kept open and reused (one SMTP handshake per connection,
    /// not per email).
    pub fn new(
        smtp_url: Option<&str>,
        data_dir: &std::path::Path,
        pool_size: u32,
    ) -> Result<Outlet, String> {
        match smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("SMTP_URL is not usable: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .pool_config(PoolConfig::new().max_size(pool_size))
                    .build();
                Ok(Outlet::Smtp(transport))
            }
            None => {
                let dir = data_dir.join("mail");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Ok(Outlet::Folder(dir))
            }
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Outlet::Smtp(_) => "SMTP".into(),
            Outlet::Folder(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    /// Sends one message; `file_name` names it when written to the folder.
    pub async fn send(&self, message: Message, file_name: &str) -> Result<(), SendError> {
        match self {
            Outlet::Smtp(transport) => match transport.send(message).await {
                Ok(_) => Ok(()),
                Err(e) => Err(SendError {
                    // 5xx is final; everything else (refused connection, timeout, 4xx,
                    // a dropped TLS session) may work later.
                    permanent: e.is_permanent(),
                    reason: smtp_reason(&e),
                }),
            },
            Outlet::Folder(dir) => {
                let path = dir.join(file_name);
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|e| SendError {
                        permanent: false,
                        reason: format!("cannot write {}: {e}", path.display()),
                    })
            }
        }
    }
}

/// The server's own words where there are some ("550 5.1.1 mailbox unavailable").
fn smtp_reason(e: &lettre::transport::smtp::Error) -> String {
    let text = e.to_string();
    match e.status() {
        Some(code) if !text.contains(&code.to_string()) => format!("{code} {text}"),
        _ => text,
    }
}
