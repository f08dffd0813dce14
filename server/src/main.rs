//! The Handoff server: configuration, database, migrations, demo data, the mail worker, the
//! router; and its few maintenance subcommands. Nothing else.

use app::server::hsds::ImportOptions;
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
    /// Apply the database migrations (the server also does so when it starts) and say which
    /// backend was migrated.
    Migrate,
    /// Print the configuration the server would run with (secrets redacted) and check that
    /// the database answers; exits 1 naming what is wrong.
    CheckConfig,
    /// Run every scheduled job once now (deadlines, escalations, check-ins, the day's
    /// reminders) and say what each did; the server runs them by itself, this is for an
    /// operator who cannot wait (and for tests). Safe beside running servers.
    RunJobs,
    /// Create a site administrator (email confirmed): the first account of a deployment
    /// that is not in demo mode. The password is asked for on the terminal (not echoed), or
    /// read from HANDOFF_ADMIN_PASSWORD when that is set (for scripts).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Load an Open Referral HSDS feed into the directory: a Tabular Data Package (a folder
    /// or a .zip with datapackage.json; HSDS 3.0 or the 1.1 layout) or HSDS 3.0 JSON
    /// (service_full objects, a list or NDJSON). Programs are matched by their HSDS ids:
    /// importing the same file again changes nothing, a newer one updates in place, and a
    /// program the feed no longer lists is archived. Exits 1 when nothing was written.
    ImportHsds {
        /// The folder, datapackage.json, .zip or .json file.
        path: std::path::PathBuf,
        /// The feed's name; every import of one feed must use the same (default "hsds").
        #[arg(long, default_value = app::server::hsds::DEFAULT_SOURCE)]
        source: String,
        /// Write the valid services and list the ones skipped, instead of writing nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// Check and count, write nothing.
        #[arg(long)]
        dry_run: bool,
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
        Some(Command::Migrate) => migrate().await,
        Some(Command::CheckConfig) => check_config().await,
        Some(Command::RunJobs) => run_jobs().await,
        Some(Command::CreateAdmin { email, name }) => create_admin(&email, &name).await,
        Some(Command::ImportHsds {
            path,
            source,
            skip_invalid,
            dry_run,
        }) => {
            let options = ImportOptions {
                source,
                skip_invalid,
                dry_run,
            };
            import_hsds(&path, &options).await
        }
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

async fn run_jobs() -> Result<(), String> {
    let config = Config::from_env("127.0.0.1:0")?;
    let store = Store::open(&config.database_url)
        .await?
        .with_schedule(config.schedule.clone());
    for (job, done) in app::server::schedule::runner::run_every_job_now(&store).await {
        println!("{}: {done}", job.name());
    }
    Ok(())
}

async fn migrate() -> Result<(), String> {
    let config = Config::from_env("127.0.0.1:0")?;
    let store = Store::open(&config.database_url).await?;
    println!(
        "migrated: {} database is up to date",
        store.backend().name()
    );
    Ok(())
}

async fn check_config() -> Result<(), String> {
    let site_addr = get_configuration(Some("Leptos.toml"))
        .map(|c| c.leptos_options.site_addr.to_string())
        .unwrap_or_else(|_| "127.0.0.1:3000".into());
    let report = app::server::operator::check_config(|k| std::env::var(k).ok(), &site_addr).await?;
    println!("{report}");
    Ok(())
}

async fn create_admin(email: &str, name: &str) -> Result<(), String> {
    let config = Config::from_env("127.0.0.1:0")?;
    let password = match std::env::var("HANDOFF_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let first = rpassword::prompt_password(format!("Password for {email}: "))
                .map_err(|e| format!("cannot read the password: {e}"))?;
            let again = rpassword::prompt_password("The same password again: ")
                .map_err(|e| format!("cannot read the password: {e}"))?;
            if first != again {
                return Err("the two passwords differ; nothing was created".into());
            }
            first
        }
    };
    let store = Store::open(&config.database_url).await?;
    let id = app::server::operator::create_admin(&store, name, email, &password).await?;
    println!("created site administrator {email} (account {id})");
    Ok(())
}

/// A progress bar on stderr while an import writes (indicatif hides it off a terminal).
struct Bar(indicatif::ProgressBar);

impl app::server::store::Progress for Bar {
    fn written(&self, done: usize, total: usize) {
        self.0.set_length(total as u64);
        self.0.set_position(done as u64);
    }
}

/// Reads, checks and writes an HSDS feed, printing problems and the summary.
async fn import_hsds(path: &std::path::Path, options: &ImportOptions) -> Result<(), String> {
    let config = Config::from_env("127.0.0.1:0")?;
    let store = Store::open(&config.database_url).await?;
    let spinner =
        indicatif::ProgressBar::new_spinner().with_message(format!("reading {}", path.display()));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let owned = path.to_path_buf();
    let reading = tokio::task::spawn_blocking(move || app::server::hsds::read_path(&owned))
        .await
        .map_err(|e| format!("reading the feed failed: {e}"))?;
    spinner.finish_and_clear();
    let bar = Bar(
        indicatif::ProgressBar::new(reading.listings.len() as u64).with_style(
            indicatif::ProgressStyle::with_template(
                "writing {bar:30} {pos}/{len} programs ({eta})",
            )
            .map_err(|e| e.to_string())?,
        ),
    );
    let now = app::server::clock::now_ms();
    let report = app::server::hsds::import(&store, reading, options, now, &bar)
        .await
        .map_err(|e| format!("the import failed, nothing was written: {e}"))?;
    bar.0.finish_and_clear();
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    if !report.skipped.is_empty() {
        eprintln!("skipped (HSDS service ids): {}", report.skipped.join(", "));
    }
    match &report.refused {
        Some(_) if options.dry_run && report.problems.is_empty() => {
            println!("dry run, nothing written: {}", report.summary);
            Ok(())
        }
        None => {
            println!("{}", report.summary);
            Ok(())
        }
        Some(reason) => {
            println!("would be: {}", report.summary);
            Err(format!(
                "nothing was written: {reason} ({} problems)",
                report.problems.len()
            ))
        }
    }
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
        max_age: config.mail_max_age,
        ..MailSettings::default()
    };
    let mut app = Application::build(store, config, leptos_options, Mail::Worker(settings)).await?;

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("listening on http://{addr}");
    app.serve(listener, shutdown_signal()).await?;
    // Then the emails being sent finish and are recorded: a restart sends none twice.
    app.stop_mail().await;
    Ok(())
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
