//! The directory at county scale: an HSDS import of generated data, and search over it,
//! each next to this machine's own limit measured in the same run.
//!
//! `cargo bench -p app --features ssr --bench directory -- PACKAGE [SERVICES]`, where PACKAGE
//! is a folder that `./scripts/generate-hsds SERVICES PACKAGE` wrote (scripts/bench does
//! both). Prints:
//! - import: services/s for read, check, plan and write (one transaction), against the
//!   same database committing as many single-row program inserts in one transaction;
//! - a second import of the same package (all unchanged);
//! - search: p50 and p99 server time of 1,000 directory searches (words, category, place
//!   and their mixes, as the search server function runs them: one page and its
//!   categories), target p99 ≤ 20 ms.
//!
//! Backend: HANDOFF_BENCH_DATABASE=sqlite (default) or postgres.

use app::server::Store;
use app::server::hsds::{ImportOptions, import, read_path};
use app::server::store::ProgramQuery;
use std::time::{Duration, Instant};

mod common;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let package = std::path::PathBuf::from(
        args.first()
            .expect("a package folder (scripts/generate-hsds)"),
    );
    let backend = common::backend();
    let url = common::database_url(&backend, "directory.db").await;
    if url.starts_with("sqlite://") {
        std::fs::create_dir_all(
            url.trim_start_matches("sqlite://")
                .rsplit_once('/')
                .unwrap()
                .0,
        )
        .unwrap();
    }
    let store = Store::open(&url).await.unwrap();
    let options = ImportOptions {
        source: "bench".into(),
        skip_invalid: false,
        dry_run: false,
    };

    let started = Instant::now();
    let reading = tokio::task::spawn_blocking({
        let package = package.clone();
        move || read_path(&package)
    })
    .await
    .unwrap();
    let read = started.elapsed();
    let services = reading.listings.len();
    assert!(
        reading.problems.is_empty(),
        "{:?}",
        &reading.problems[..3.min(reading.problems.len())]
    );
    let report = import(&store, reading, &options, 1, &()).await.unwrap();
    let took = started.elapsed();
    assert_eq!(report.summary.created, services);
    let rate = services as f64 / took.as_secs_f64();

    let started = Instant::now();
    let again = import(&store, read_path(&package), &options, 2, &())
        .await
        .unwrap();
    let second = started.elapsed();
    assert_eq!(again.summary.unchanged, services);

    // The machine's limit: as many single-row program inserts, one transaction.
    let started = Instant::now();
    let mut tx = store.pool().begin().await.unwrap();
    for n in 0..services {
        sqlx::query(
            "INSERT INTO programs (name, organization, description, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(format!("raw {n}"))
        .bind("raw")
        .bind("raw insert")
        .bind(n as i64)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.rollback().await.unwrap();
    let raw = services as f64 / started.elapsed().as_secs_f64();
    // The rolled-back rows are dead tuples in PostgreSQL's heap and indexes until vacuumed
    // (autovacuum would, a minute later): searches must not walk them.
    if store.backend() == app::server::store::Backend::Postgres {
        sqlx::query("VACUUM ANALYZE programs")
            .execute(store.pool())
            .await
            .unwrap();
    }
    println!(
        "row: | HSDS import of {services} generated services, {backend} (read {read:.1?}, check, plan, write in one transaction; total {took:.1?}) | {rate:.0} services/s | raw single-row program inserts in one transaction {raw:.0}/s | {:.2} |",
        rate / raw
    );
    println!(
        "row: | the same import again, {backend} (all {services} unchanged) | {:.1?} | | |",
        second
    );

    // Searches as people type them: words, a category, a place, and mixes.
    let words = [
        "pantry",
        "clinic",
        "shelter",
        "meals rent",
        "legal aid",
        "springfield",
        "tutoring",
        "zzz",
    ];
    let categories = ["", "food", "housing", "health", "legal"];
    let places = ["", "Springfield", "62701", "Ogdenville", "63050"];
    let mut times = Vec::with_capacity(1000);
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for i in 0..1000usize {
        let q = ProgramQuery {
            text: if i % 3 == 2 {
                String::new()
            } else {
                words[i % words.len()].into()
            },
            category: categories[(i / 3) % categories.len()].into(),
            place: places[(i / 7) % places.len()].into(),
            limit: 50,
        };
        let started = Instant::now();
        let rows = store.search_programs(&q).await.unwrap();
        let ids: Vec<_> = rows.iter().map(|p| p.id).collect();
        let _ = store.categories_of(&ids).await.unwrap();
        let took = started.elapsed();
        times.push(took);
        slowest.push((
            took,
            format!(
                "{:?} / {:?} / {:?} ({} found)",
                q.text,
                q.category,
                q.place,
                ids.len()
            ),
        ));
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (took, q) in slowest.iter().take(5) {
        println!("slowest search (words / category / place): {q}: {took:.1?}");
    }
    times.sort();
    println!(
        "row: | directory search at {services} services, {backend} (1,000 searches: words, category, place, mixed; page of 50 and its categories) | p50 {:.2} ms, p99 {:.2} ms | target p99 ≤ 20 ms | {:.2} |",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        percentile(&times, 0.99) / 20.0
    );
}
