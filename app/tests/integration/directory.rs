//! Issue 15: the directory loaded from Open Referral HSDS feeds (the samples the project
//! ships in `tests/fixtures/hsds`), on the real database: what a feed creates, that a second
//! import changes nothing, updates in place, archives without losing referrals, refuses a
//! bad file whole, and that feed text reaches pages as text.

use crate::http::get_page;
use crate::support::{call_server_fn, fresh_state, unique_name};
use app::error::AppError;
use app::i18n::Key;
use app::model::ProgramId;
use app::server::Store;
use app::server::hsds::{ImportOptions, ImportReport, import, read_path};
use app::server::store::ProgramQuery;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hsds")
        .join(name)
}

/// A copy of a fixture package to edit.
fn copy_of(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(unique_name());
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(fixture(name)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    dir
}

/// Replaces text in one file of a package copy (the text must be there).
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn options(source: &str, skip_invalid: bool) -> ImportOptions {
    ImportOptions {
        source: source.into(),
        skip_invalid,
        dry_run: false,
    }
}

async fn import_from(store: &Store, path: &Path, options: &ImportOptions) -> ImportReport {
    let reading = read_path(path);
    import(store, reading, options, app::server::clock::now_ms(), &())
        .await
        .unwrap()
}

/// The program made from a service, by its HSDS id.
async fn program_of(store: &Store, source: &str, hsds_id: &str) -> ProgramId {
    store.feed_listings(source).await.unwrap()[hsds_id].id
}

async fn found(store: &Store, text: &str, place: &str) -> Vec<String> {
    let q = ProgramQuery {
        text: text.into(),
        place: place.into(),
        limit: 50,
        ..ProgramQuery::default()
    };
    let rows = store.search_programs(&q).await.unwrap();
    rows.into_iter().map(|p| p.name).collect()
}

/// The id of "Shop Assist" in the 1.1 sample (read from the file, not retyped).
fn shop_assist_id() -> String {
    let services = std::fs::read_to_string(fixture("sample-1.1-fictional/services.csv")).unwrap();
    let line = services
        .lines()
        .find(|l| l.contains(",Shop Assist,"))
        .unwrap();
    line.split(',').next().unwrap().to_string()
}

#[tokio::test]
async fn the_sample_feeds_import_into_programs_people_can_find() {
    let state = fresh_state().await;
    let store = &state.store;
    let spec = import_from(store, &fixture("spec-3.0-example"), &options("spec", false)).await;
    assert_eq!(spec.problems, vec![], "the 3.0 example is valid");
    assert_eq!(
        spec.summary.to_string(),
        "1 created, 0 updated, 0 unchanged, 0 archived, 0 skipped"
    );
    let sample = import_from(
        store,
        &fixture("sample-1.1-fictional"),
        &options("sample", false),
    )
    .await;
    assert_eq!(sample.problems, vec![]);
    assert_eq!(sample.summary.created, 13);

    assert_eq!(
        found(store, "counselling", "").await,
        ["Community Counselling"]
    );
    assert_eq!(
        found(store, "helpline", "10001").await,
        ["Never Homeless Helpline"]
    );
    assert_eq!(
        found(store, "food safety", "").await,
        Vec::<String>::new(),
        "an inactive service is not found"
    );

    let counselling = program_of(store, "spec", "ac148810-d857-441c-9679-408f346de14b").await;
    let p = store.program(counselling).await.unwrap().unwrap();
    assert_eq!(p.organization, "Example Organization Inc.");
    assert_eq!((p.city.as_str(), p.zip.as_str()), ("MyCity", "ABC 1234"));
    assert_eq!(p.contact_phone.as_deref(), Some("+44 1234 234567"));
    assert_eq!(p.contact_email.as_deref(), Some("email@example.com"));
    assert_eq!(p.languages, "ur");
    assert!(
        p.eligibility
            .starts_with("This service is intended for all people aged 12")
    );
    assert!(p.takes_referrals());

    // The same service as HSDS JSON (a service_full object) reads to the same listing.
    let json = import_from(
        store,
        &fixture("spec-3.0-service_full.json"),
        &options("json", false),
    )
    .await;
    assert_eq!(json.summary.created, 1, "{:?}", json.problems);
    let from_csv =
        &store.feed_listings("spec").await.unwrap()["ac148810-d857-441c-9679-408f346de14b"];
    let from_json =
        &store.feed_listings("json").await.unwrap()["ac148810-d857-441c-9679-408f346de14b"];
    let mut expected = from_csv.listing.clone();
    // The tabular example links its one attribute to no service; the JSON object holds it.
    expected.categories = vec!["name".into()];
    assert_eq!(from_json.listing, expected);
}

#[tokio::test]
async fn a_second_import_changes_nothing_and_a_newer_file_updates_in_place() {
    let state = fresh_state().await;
    let store = &state.store;
    let feed = copy_of("sample-1.1-fictional");
    import_from(store, &feed, &options("sample", false)).await;
    let id = program_of(store, "sample", &shop_assist_id()).await;
    let reviewed = store.program(id).await.unwrap().unwrap().updated_at;

    let again = import_from(store, &feed, &options("sample", false)).await;
    assert_eq!(
        again.summary.to_string(),
        "0 created, 0 updated, 13 unchanged, 0 archived, 0 skipped"
    );
    assert_eq!(
        store.program(id).await.unwrap().unwrap().updated_at,
        reviewed
    );
    assert_eq!(store.count_programs().await.unwrap(), 13);

    edit(&feed, "services.csv", ",Shop Assist,", ",Shop Assist Plus,");
    let newer = import_from(store, &feed, &options("sample", false)).await;
    assert_eq!(
        newer.summary.to_string(),
        "0 created, 1 updated, 12 unchanged, 0 archived, 0 skipped"
    );
    let p = store.program(id).await.unwrap().unwrap();
    assert_eq!(
        p.name, "Shop Assist Plus",
        "the same program, updated in place"
    );
    assert_eq!(store.count_programs().await.unwrap(), 13);
}

#[tokio::test]
async fn a_program_gone_from_its_feed_is_archived_and_keeps_its_referrals() {
    let state = fresh_state().await;
    let store = &state.store;
    let app = app::server::http::router(state.clone());
    let feed = copy_of("sample-1.1-fictional");
    import_from(store, &feed, &options("sample", false)).await;
    let id = program_of(store, "sample", &shop_assist_id()).await;
    let refer = format!(
        "program={id}&for_whom=me&first_name=Rosa&last_name=Diaz&email=rosa%40example.org\
         &phone=&best_way=email&language=en&comments=&consent=on"
    );
    let (body, error) = call_server_fn(&app, None, "/api/send_referral", &refer).await;
    assert_eq!(error, None, "{body}");
    let inbound = |program| app::server::store::InboundQuery {
        program,
        limit: 10,
        ..Default::default()
    };
    let referrals = store.inbound_referrals(&inbound(id)).await.unwrap();
    assert_eq!(referrals.len(), 1);

    // The next feed no longer lists Shop Assist, nor the rows that belong to it.
    let kept = copy_of("sample-1.1-fictional");
    for entry in std::fs::read_dir(&feed).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let text = std::fs::read_to_string(&path).unwrap();
            let without: Vec<&str> = text
                .split_inclusive('\n')
                .filter(|l| !l.contains(&shop_assist_id()))
                .collect();
            std::fs::write(&path, without.concat()).unwrap();
        }
    }
    let report = import_from(store, &feed, &options("sample", false)).await;
    assert_eq!(report.problems, vec![]);
    assert!(report.written);
    assert_eq!(
        report.summary.to_string(),
        "0 created, 0 updated, 12 unchanged, 1 archived, 0 skipped"
    );

    let p = store
        .program(id)
        .await
        .unwrap()
        .expect("archived, not deleted");
    assert!(p.archived_at.is_some());
    let kept_referrals = store.inbound_referrals(&inbound(id)).await.unwrap();
    assert_eq!(kept_referrals, referrals, "the referral stays, unchanged");
    assert_eq!(found(store, "shop assist", "").await, Vec::<String>::new());
    let page = get_page(&app, &format!("/programs/{id}")).await;
    assert!(page.contains("no longer listed in the directory"), "{page}");
    assert!(
        !page.contains(&format!("/programs/{id}/connect")),
        "no Connect button"
    );
    let (_, error) = call_server_fn(&app, None, "/api/send_referral", &refer).await;
    assert_eq!(
        error,
        Some(AppError::Refused(Key::err_program_not_taking.into())),
        "an archived program takes no referrals"
    );

    // Listed again: it comes back, the same program.
    let back = import_from(store, &kept, &options("sample", false)).await;
    assert_eq!(back.summary.updated, 1);
    assert!(store.program(id).await.unwrap().unwrap().takes_referrals());
}

#[tokio::test]
async fn a_file_with_a_bad_row_writes_nothing_and_names_the_row() {
    let state = fresh_state().await;
    let store = &state.store;
    import_from(
        store,
        &fixture("sample-1.1-fictional"),
        &options("sample", false),
    )
    .await;
    let before = store.feed_listings("sample").await.unwrap();
    let shop = shop_assist_id();
    let org_of_shop = "1899691a-649c-11e6-8b77-86f30ca893d3";
    // (file, text, its replacement, the problem reported)
    let cases = [
        (
            "services.csv",
            ",Shop Assist,",
            ",Shop Assist Renamed,",
            None,
        ),
        (
            "services.csv",
            "active,,,,,,,",
            "open,,,,,,,",
            Some(
                "services.csv line 3, status: \"open\" is not one of active, inactive, defunct, temporarily closed",
            ),
        ),
        (
            "services.csv",
            &format!("{shop},{org_of_shop}"),
            &format!("{shop},no-such-organization"),
            Some(
                "services.csv line 7, organization_id: names no organization (\"no-such-organization\")",
            ),
        ),
        (
            "phones.csv",
            "(0123) 4567 8900",
            "call us",
            Some("phones.csv line 2, number: \"call us\" is not a phone number (7 to 15 digits)"),
        ),
        (
            "organizations.csv",
            "sanctuary@example.com",
            "sanctuary@",
            Some("organizations.csv line 2, email: \"sanctuary@\" is not an email address"),
        ),
        (
            "services.csv",
            ",Never Homeless Helpline,",
            ",,",
            Some("services.csv line 2, name: is required"),
        ),
    ];
    for (file, from, to, problem) in cases.iter().skip(1) {
        let feed = copy_of("sample-1.1-fictional");
        // A good change beside the bad one: it must not be written either.
        edit(&feed, cases[0].0, cases[0].1, cases[0].2);
        edit(&feed, file, from, to);
        let report = import_from(store, &feed, &options("sample", false)).await;
        let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems, [problem.unwrap()], "{file}: {to}");
        assert!(!report.written);
        assert_eq!(
            store.feed_listings("sample").await.unwrap(),
            before,
            "nothing was written"
        );
    }

    // With --skip-invalid the rest is written, and the report says what was left out.
    let feed = copy_of("sample-1.1-fictional");
    edit(&feed, cases[0].0, cases[0].1, cases[0].2);
    edit(
        &feed,
        "services.csv",
        &format!("{shop},{org_of_shop}"),
        &format!("{shop},no-such-organization"),
    );
    edit(
        &feed,
        "services.csv",
        ",Never Homeless Helpline,",
        ",Never Homeless Helpline 24/7,",
    );
    let report = import_from(store, &feed, &options("sample", true)).await;
    assert!(report.written);
    assert_eq!(report.skipped, [shop.as_str()]);
    assert_eq!(
        report.summary.to_string(),
        "0 created, 1 updated, 11 unchanged, 0 archived, 1 skipped"
    );
    let shop_program = store
        .program(program_of(store, "sample", &shop).await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        shop_program.name, "Shop Assist",
        "skipped, so left as it was (not archived)"
    );
    assert!(shop_program.archived_at.is_none());
}

#[tokio::test]
async fn a_feed_that_cannot_be_read_whole_or_lists_nothing_writes_nothing() {
    let state = fresh_state().await;
    let store = &state.store;
    import_from(
        store,
        &fixture("sample-1.1-fictional"),
        &options("sample", true),
    )
    .await;
    let before = store.feed_listings("sample").await.unwrap();

    let empty = copy_of("sample-1.1-fictional");
    let services = std::fs::read_to_string(empty.join("services.csv")).unwrap();
    std::fs::write(empty.join("services.csv"), services.lines().next().unwrap()).unwrap();
    let report = import_from(store, &empty, &options("sample", true)).await;
    assert!(!report.written);
    assert!(
        report
            .refused
            .unwrap()
            .contains("refusing to archive them all")
    );

    let broken = copy_of("sample-1.1-fictional");
    edit(
        &broken,
        "phones.csv",
        "(0123) 4567 8900,42",
        "(0123) 4567 8900,42,extra",
    );
    let report = import_from(store, &broken, &options("sample", true)).await;
    assert!(
        !report.written,
        "a broken file is not skipped around, even with --skip-invalid"
    );
    assert_eq!(
        report
            .problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        ["phones.csv line 2: has 13 values, the header has 12"]
    );

    let no_package = std::env::temp_dir().join(unique_name());
    std::fs::create_dir_all(&no_package).unwrap();
    let report = import_from(store, &no_package, &options("sample", true)).await;
    assert!(!report.written);
    assert!(
        report.problems[0]
            .to_string()
            .starts_with("datapackage.json: is missing")
    );
    assert_eq!(store.feed_listings("sample").await.unwrap(), before);
}

#[tokio::test]
async fn feed_text_reaches_the_page_as_text() {
    let state = fresh_state().await;
    let store = &state.store;
    let app = app::server::http::router(state.clone());
    let feed = copy_of("sample-1.1-fictional");
    edit(
        &feed,
        "services.csv",
        ",Shop Assist,,Provides",
        ",</title><img src=x onerror=alert(1)>Shop Assist,,<script>alert('x')</script><b>bold</b> Provides",
    );
    let report = import_from(store, &feed, &options("sample", false)).await;
    assert_eq!(report.problems, vec![]);
    let id = program_of(store, "sample", &shop_assist_id()).await;
    let page = get_page(&app, &format!("/programs/{id}")).await;
    assert!(
        page.contains("&lt;script&gt;alert('x')&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"),
        "{page}"
    );
    assert!(
        page.contains("&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;Shop Assist"),
        "{page}"
    );
    assert!(
        page.contains("<title>&lt;/title&gt;&lt;img"),
        "the title is escaped too: {page}"
    );
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
}
