//! The Handoff server: configuration, database, migrations, demo data, the mail worker, the
//! router; and its few maintenance subcommands. Nothing else.

use app::server::mail::MailSettings;
use app::server::{Application, Config, Mail, Store, demo};
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use tracing_subscriber::EnvFilter;

/// Handoff, a closed-loop referral system. Configured by environment variables (see the
/// README); with no subcommand it serves the app.
#[derive(Parser)]
#[command(name = "handoff", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app (the default).
    Serve,
    /// Add one more copy of the demo world, its email addresses tagged with TAG, and print
    /// what it holds as JSON (browser tests seed their own data with it). Refused unless
    /// HANDOFF_DEMO=1: its accounts share the published demo password.
    DemoWorld {
        /// Letters and digits that make this world's addresses its own.
        #[arg(long)]
        tag: String,
    },
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    // Logs go to stderr (stdout is a subcommand's answer). RUST_LOG filters (default
    // `info,sqlx=warn`); HANDOFF_LOG_FORMAT=json writes one JSON
    // object a line, with the request's span (id, method, route) on every line it caused.
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    match std::env::var("HANDOFF_LOG_FORMAT").as_deref() {
        Ok("json") => tracing_subscriber::fmt()
            .json()
            .with_writer(std::io::stderr)
            .with_current_span(true)
            .with_env_filter(filter)
            .init(),
        Ok("text") | Err(_) => tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(filter)
            .init(),
        Ok(other) => {
            eprintln!("handoff: HANDOFF_LOG_FORMAT must be text or json, not {other:?}");
            std::process::exit(1);
        }
    }
    let outcome = match cli.command {
        None | Some(Command::Serve) => serve().await,
        Some(Command::DemoWorld { tag }) => demo_world(&tag).await,
    };
    if let Err(message) = outcome {
        eprintln!("handoff: {message}");
        std::process::exit(1);
    }
}

/// Seeds a tagged demo world into the configured database and prints it.
async fn demo_world(tag: &str) -> Result<(), String> {
    let config = Config::from_env("127.0.0.1:0")?;
    if !config.demo {
        return Err(
            "demo-world adds accounts with the published demo password: \
                    it runs only with HANDOFF_DEMO=1"
                .into(),
        );
    }
    let store = Store::open(&config.database_url).await?;
    let world = demo::seed_tagged_world(&store, tag).await?;
    println!(
        "{}",
        serde_json::to_string(&world).map_err(|e| e.to_string())?
    );
    Ok(())
}

async fn serve() -> Result<(), String> {
    // Runtime options come from Leptos.toml (next to the binary), overridden by LEPTOS_*.
    let leptos_options = get_configuration(Some("Leptos.toml"))
        .map_err(|e| format!("cannot read Leptos.toml: {e}"))?
        .leptos_options;
    check_hash_file(&leptos_options)?;
    let addr = leptos_options.site_addr;
    let config = Config::from_env(&addr.to_string())?;
    tracing::info!(?config, "starting");

    let store = Store::open(&config.database_url).await?;
    if config.demo
        && demo::seed_once(&store)
            .await
            .map_err(|e| format!("seeding demo data failed: {e}"))?
    {
        tracing::info!(
            "seeded demo data (password for every demo login: {})",
            demo::DEMO_PASSWORD
        );
    }
    // The mail worker runs in every instance; the outbox's row leases keep them apart.
    let settings = MailSettings {
        concurrency: config.mail_connections,
        ..MailSettings::default()
    };
    let app = Application::build(store, config, leptos_options, Mail::Worker(settings)).await?;

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("listening on http://{addr}");
    app.serve(listener, shutdown_signal()).await
}

/// With hashed file names (Leptos.toml `hash-files`), every page reads the names from the
/// build's hash file beside the binary; without it every page would fail, so say so now.
fn check_hash_file(options: &leptos::config::LeptosOptions) -> Result<(), String> {
    if !options.hash_files {
        return Ok(());
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
    let path = exe
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join(&*options.hash_file);
    if path.is_file() {
        Ok(())
    } else {
        Err(format!(
            "{} is missing: copy the hash.txt that `cargo leptos build` wrote beside this \
             binary (or set LEPTOS_HASH_FILES=false for a site built without hashes)",
            path.display()
        ))
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
