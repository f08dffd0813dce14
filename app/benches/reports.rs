//! The Reports page and its CSV export at county scale.
//!
//! Workload: N referrals (default 1,000,000) made over two years to 300 programs (one
//! receives a tenth of them, the rest fall off steeply) by 500 helpers in 20 groups, one in
//! seven a self-referral, in every status, most answered by the program within days. The
//! network's cells are counted once (as the `report_cells` job does after an upgrade), then
//! every later figure is read as the page reads it: the `report` server function through
//! the real router in-process (session, access rules, figures, top lists, JSON), 100 times
//! per case; p50 / p99 / max. Then the largest program's staff export all its rows as CSV
//! (100,000 at the default size): rows/s and the process's peak memory while it streams.
//!
//! The floor, measured in the same run: one `GROUP BY status` over every referral, what any
//! report would cost per request if it counted the referrals themselves.
//!
//! Run: `cargo bench -p app --features ssr --bench reports -- 1000000`
//! Backend: HANDOFF_BENCH_DATABASE=sqlite (default) or postgres (uses
//! HANDOFF_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres).

use app::model::UserId;
use app::server::auth::start_session;
use app::server::clock::now_ms;
use app::server::{Application, Mail, Store};
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use std::time::{Duration, Instant};
use tower::ServiceExt;

mod common;

const DAY_MS: i64 = 86_400_000;
const PROGRAMS: i64 = 300;
const HELPERS: i64 = 500;
const GROUPS: i64 = 20;
const STAFF: UserId = UserId(2);
const GROUP_ADMIN: UserId = UserId(3);
const ADMIN: UserId = UserId(1);

/// A cheap, fixed pseudo-random number for referral `i` and purpose `salt`.
fn mix(i: i64, salt: u64) -> u64 {
    let mut x = (i as u64) ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[tokio::main]
async fn main() {
    let n: i64 = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(1_000_000);
    let backend = common::backend();
    let url = common::database_url(&backend, "reports.db").await;
    let store = Store::open(&url).await.unwrap();
    let started = Instant::now();
    let first_day = seed(&store, n).await;
    println!(
        "seeded {n} referrals on {backend} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let counted = store.count_report_cells().await.unwrap();
    let cells: (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM report_day_cells), (SELECT COUNT(*) FROM report_response_cells), \
         (SELECT COUNT(*) FROM report_program_cells)",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    println!(
        "counted the network's cells from {counted} referrals in {:.1} s: {} day, {} response, {} program cells",
        started.elapsed().as_secs_f64(),
        cells.0,
        cells.1,
        cells.2
    );

    let config = common::config();
    let leptos_options = LeptosOptions::builder().output_name("handoff").build();
    let application =
        Application::build(store.clone(), config, leptos_options, Mail::DrivenByCaller)
            .await
            .unwrap();
    let app = application.router.clone();
    let cookie = |u: UserId| {
        let store = store.clone();
        async move {
            format!(
                "handoff_session={}",
                start_session(&store, u).await.unwrap()
            )
        }
    };
    let (admin, staff, group_admin) = (
        cookie(ADMIN).await,
        cookie(STAFF).await,
        cookie(GROUP_ADMIN).await,
    );

    // The floor: counting every referral once.
    let mut floor = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let _: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM referrals GROUP BY status")
                .fetch_all(store.pool())
                .await
                .unwrap();
        floor.push(t.elapsed());
    }
    floor.sort();
    let floor_p50 = ms(floor[floor.len() / 2]);

    let day = |offset: i64| app::model::time::format_day(first_day + offset);
    // A quarter of whole months, and a range that starts and ends inside months.
    let quarter_from = {
        let (y, m, _) = app::model::time::civil_from_day(first_day + 400);
        app::model::time::days_from_civil_date(y, m, 1)
    };
    let quarter_to = {
        let (y, m, _) = app::model::time::civil_from_day(quarter_from + 95);
        app::model::time::days_from_civil_date(y, m, 1) - 1
    };
    let q = |scope: &str, from: &str, to: &str| {
        format!("scope={scope}&from={from}&to={to}&category=&status_group=&program=&group=&helper=")
    };
    let fmt = app::model::time::format_day;
    let cases: Vec<(&str, String, &String)> = vec![
        (
            "network, all time (site administrator)",
            q("all", "", ""),
            &admin,
        ),
        (
            "network, a quarter of whole months",
            q("all", &fmt(quarter_from), &fmt(quarter_to)),
            &admin,
        ),
        (
            "network, 85 days starting and ending mid-month",
            q("all", &day(415), &day(500)),
            &admin,
        ),
        (
            "network, status group Needs further action",
            q("all", "", "").replace("status_group=&", "status_group=needs_further_action&"),
            &admin,
        ),
        (
            "network, one category (its programs' kept cells)",
            q("all", "", "").replace("category=&", "category=food&"),
            &admin,
        ),
        (
            "largest program (a tenth of all), its staff",
            q("program:1", "", ""),
            &staff,
        ),
        (
            "a group's referrals (a twentieth), its admin",
            q("group:1", "", ""),
            &group_admin,
        ),
        (
            "one helper (network narrowed)",
            q("all", "", "").replace("helper=", "helper=4"),
            &admin,
        ),
    ];
    println!(
        "\nworkload                                                   p50 ms   p99 ms   max ms"
    );
    let mut worst_p99: f64 = 0.0;
    for (name, body, cookie) in &cases {
        let mut times = Vec::new();
        for i in 0..110 {
            let t = Instant::now();
            let res = app
                .clone()
                .oneshot(
                    Request::post("/api/report")
                        .header(header::COOKIE, cookie.as_str())
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(body.clone()))
                        .unwrap(),
                )
                .await
                .unwrap();
            let status = res.status();
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            assert!(
                status.is_success(),
                "{name}: {status} {}",
                String::from_utf8_lossy(&bytes)
            );
            if i >= 10 {
                times.push(t.elapsed());
            }
        }
        times.sort();
        let (p50, p99, max) = (
            ms(times[times.len() / 2]),
            ms(times[times.len() * 99 / 100]),
            ms(*times.last().unwrap()),
        );
        worst_p99 = worst_p99.max(p99);
        println!("{name:<58} {p50:>7.2} {p99:>8.2} {max:>8.2}");
    }
    println!(
        "\nfloor: one GROUP BY over all {n} referrals, p50 {floor_p50:.2} ms (what each report would cost without the cells)"
    );
    println!(
        "row: | report page server time at {n} referrals, {backend}, worst case above (p99) | {worst_p99:.2} ms | target p99 ≤ 100 ms; a scan of every referral {floor_p50:.2} ms | {:.2} |",
        worst_p99 / 100.0
    );

    // The export: every row of the largest program, streamed.
    let rows_expected: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM referrals WHERE program_id = 1")
            .fetch_one(store.pool())
            .await
            .unwrap();
    let rss_before = memory_kb("VmRSS");
    reset_peak_memory();
    let t = Instant::now();
    let res = app
        .clone()
        .oneshot(
            Request::get("/reports/export.csv?scope=program:1&what=rows&contact=1")
                .header(header::COOKIE, staff.as_str())
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(res.status().is_success());
    let mut body = res.into_body();
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.unwrap().into_data() {
            bytes += data.len();
            lines += data.iter().filter(|b| **b == b'\n').count();
        }
    }
    let export_time = t.elapsed();
    let peak = memory_kb("VmHWM");
    assert_eq!(lines as i64, rows_expected + 1, "a header and every row");
    // The floor for the export: the same rows read by one streamed query, nothing else.
    let t = Instant::now();
    let mut read = 0;
    {
        use futures::TryStreamExt;
        let mut rows = sqlx::query_as::<_, (i64, i64, String, Option<String>, String)>(
            "SELECT r.id, r.created_at, r.status, r.contact_email, p.first_name FROM referrals r \
             JOIN persons p ON p.id = r.person_id WHERE r.program_id = 1 ORDER BY r.id",
        )
        .fetch(store.pool());
        while rows.try_next().await.unwrap().is_some() {
            read += 1;
        }
    }
    let raw = t.elapsed();
    let rate = rows_expected as f64 / export_time.as_secs_f64();
    let raw_rate = read as f64 / raw.as_secs_f64();
    println!(
        "\nexport: {rows_expected} rows, {:.1} MB in {:.2} s; memory {} MB before, peak {} MB while streaming",
        bytes as f64 / 1e6,
        export_time.as_secs_f64(),
        rss_before / 1024,
        peak / 1024
    );
    println!(
        "row: | CSV export of {rows_expected} rows with contact details, {backend} (peak memory {} MB, {} MB before) | {rate:.0} rows/s | one streamed query of the same rows {raw_rate:.0} rows/s | {:.2} |",
        peak / 1024,
        rss_before / 1024,
        rate / raw_rate
    );
    store.close().await;
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A line of /proc/self/status in kB (VmRSS now, VmHWM the peak since the last reset).
fn memory_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Starts the peak (VmHWM) again from the memory in use now (Linux: clear_refs 5).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The people, programs, groups and N referrals; answers the first day of the two years.
async fn seed(store: &Store, n: i64) -> i64 {
    let pool = store.pool();
    let now = now_ms();
    let exec = |sql: String| async move { sqlx::query(&sql).execute(pool).await.unwrap() };
    let today = now.div_euclid(DAY_MS);
    let first_day = today - 730;
    let mut users = vec![
        format!("(1, 'Site Admin', 'admin@bench.test', 'x', 1, {now})"),
        format!("(2, 'Staff Member', 'staff@bench.test', 'x', 0, {now})"),
    ];
    for h in 0..HELPERS {
        users.push(format!(
            "({}, 'Helper {h}', 'h{h}@bench.test', 'x', 0, {now})",
            h + 3
        ));
    }
    exec(format!(
        "INSERT INTO users (id, name, email, password_hash, is_site_admin, created_at) VALUES {}",
        users.join(",")
    ))
    .await;
    let groups: Vec<String> = (1..=GROUPS)
        .map(|g| format!("({g}, 'Group {g}', 1, {now})"))
        .collect();
    exec(format!(
        "INSERT INTO user_groups (id, name, team_navigation, created_at) VALUES {}",
        groups.join(",")
    ))
    .await;
    let members: Vec<String> = (0..HELPERS)
        .map(|h| {
            let role = if h % (HELPERS / GROUPS) == 0 {
                "admin"
            } else {
                "member"
            };
            format!("({}, {}, '{role}', {now})", group_of(h), h + 3)
        })
        .collect();
    exec(format!(
        "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES {}",
        members.join(",")
    ))
    .await;
    let categories = [
        "food",
        "housing",
        "health",
        "legal",
        "jobs",
        "transit",
        "childcare",
        "utilities",
        "clothing",
        "education",
        "mental health",
        "benefits",
    ];
    let programs: Vec<String> = (1..=PROGRAMS)
        .map(|p| {
            format!("({p}, 'Program {p:03}', 'Organization {p}', 'p{p}@bench.test', {now}, {now})")
        })
        .collect();
    exec(format!(
        "INSERT INTO programs (id, name, organization, contact_email, claimed_at, created_at) VALUES {}",
        programs.join(",")
    ))
    .await;
    let mut in_category = Vec::new();
    for p in 1..=PROGRAMS {
        in_category.push(format!("({p}, '{}')", categories[(p % 12) as usize]));
        let second = categories[((p / 3 + 5) % 12) as usize];
        if p % 3 == 0 && second != categories[(p % 12) as usize] {
            in_category.push(format!("({p}, '{second}')"));
        }
    }
    exec(format!(
        "INSERT INTO program_categories (program_id, category) VALUES {}",
        in_category.join(",")
    ))
    .await;
    exec(format!(
        "INSERT INTO program_staff (program_id, user_id, added_at) VALUES (1, 2, {now})"
    ))
    .await;
    let persons: Vec<String> = (1..=10_000)
        .map(|i| format!("({i}, 'Seeker', '{i}', 's{i}@bench.test', 3, {now})"))
        .collect();
    for chunk in persons.chunks(1000) {
        exec(format!(
            "INSERT INTO persons (id, first_name, last_name, email, created_by, created_at) VALUES {}",
            chunk.join(",")
        ))
        .await;
    }
    let statuses = [
        (20, "not_updated"),
        (30, "pending"),
        (40, "eligible"),
        (70, "got_help"),
        (80, "couldnt_contact"),
        (88, "not_eligible"),
        (94, "no_capacity"),
        (100, "needs_client_action"),
    ];
    let batch = 1000;
    let mut start = 1;
    while start <= n {
        let end = (start + batch - 1).min(n);
        let mut rows = Vec::new();
        for i in start..=end {
            let day = first_day + i * 730 / n;
            let at = day * DAY_MS + (mix(i, 1) % DAY_MS as u64) as i64;
            let program = if i % 10 == 0 {
                1
            } else {
                // Steeply falling: the first programs get most of the rest.
                let u = (mix(i, 2) % 10_000) as f64 / 10_000.0;
                2 + ((PROGRAMS - 1) as f64 * u * u) as i64
            };
            let (referrer, group) = if i % 7 == 0 {
                ("NULL".to_string(), "NULL".to_string())
            } else {
                let h = (mix(i, 3) % HELPERS as u64) as i64;
                ((h + 3).to_string(), group_of(h).to_string())
            };
            let roll = (mix(i, 4) % 100) as i64;
            let status = statuses.iter().find(|(upto, _)| roll < *upto).unwrap().1;
            let answered = status != "not_updated" && mix(i, 5) % 10 < 8;
            let first_response = if answered {
                (at + (mix(i, 6) % (5 * DAY_MS as u64)) as i64).to_string()
            } else {
                "NULL".into()
            };
            let left = if status == "not_updated" {
                "NULL".to_string()
            } else if answered {
                first_response.clone()
            } else {
                (at + (mix(i, 7) % (20 * DAY_MS as u64)) as i64).to_string()
            };
            let person = 1 + i % 10_000;
            rows.push(format!(
                "({i}, {person}, {program}, {referrer}, {group}, '{status}', 'email', 's{person}@bench.test', 'Needs help', \
                 {at}, {at}, {}, {first_response}, {left}, {day})",
                at + 2 * DAY_MS
            ));
        }
        exec(format!(
            "INSERT INTO referrals (id, person_id, program_id, referrer_id, referrer_group_id, status, contact_preference, \
             contact_email, comments, created_at, updated_at, overdue_at, first_response_at, left_not_updated_at, created_day) VALUES {}",
            rows.join(",")
        ))
        .await;
        start = end + 1;
    }
    if store.backend() == app::server::store::Backend::Postgres {
        for table in ["users", "user_groups", "programs", "persons", "referrals"] {
            exec(format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")).await;
        }
        exec("VACUUM ANALYZE".into()).await;
    } else {
        exec("ANALYZE".into()).await;
    }
    first_day
}

/// Helpers 0..499 in groups of 25.
fn group_of(helper: i64) -> i64 {
    1 + helper / (HELPERS / GROUPS)
}
