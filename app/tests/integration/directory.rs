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
async fn an_edit_made_in_the_app_survives_reimports_until_the_feed_changes_that_field() {
    use app::model::directory::edit::EditKind;
    let state = fresh_state().await;
    let store = &state.store;
    app::server::demo::seed_once(store).await.unwrap();
    let (_, admin) = crate::support::session_for(store, "admin@handoff.test").await;
    let feed = copy_of("sample-1.1-fictional");
    import_from(store, &feed, &options("sample", false)).await;
    let id = program_of(store, "sample", &shop_assist_id()).await;
    let opened = store.editable_listing(id).await.unwrap().unwrap();
    let mut edited = opened.listing.clone();
    edited.description = "Edited in the app.".into();
    let changed = store
        .save_listing(id, opened.version, &edited, admin)
        .await
        .unwrap();
    assert_eq!(changed.len(), 1);

    let again = import_from(store, &feed, &options("sample", false)).await;
    assert_eq!(again.summary.unchanged, 13, "{}", again.summary);
    assert_eq!(
        store.program(id).await.unwrap().unwrap().description,
        "Edited in the app.",
        "the same feed again keeps the edit"
    );

    edit(&feed, "services.csv", ",Shop Assist,", ",Shop Assist Plus,");
    let newer = import_from(store, &feed, &options("sample", false)).await;
    assert_eq!(newer.summary.updated, 1, "{}", newer.summary);
    let p = store.program(id).await.unwrap().unwrap();
    assert_eq!(p.name, "Shop Assist Plus", "the feed changed the name");
    assert_eq!(
        p.description, "Edited in the app.",
        "and left the description"
    );

    // An administrator's archive holds whatever the feed says.
    store.set_program_archived(id, true, admin).await.unwrap();
    let later = import_from(store, &feed, &options("sample", false)).await;
    assert_eq!(later.summary.unchanged, 13, "{}", later.summary);
    assert!(
        store
            .program(id)
            .await
            .unwrap()
            .unwrap()
            .archived_at
            .is_some()
    );

    let kinds: Vec<EditKind> = store
        .program_history(id, 10)
        .await
        .unwrap()
        .iter()
        .map(|h| h.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            EditKind::Archived,
            EditKind::Imported,
            EditKind::Edited,
            EditKind::Listed
        ]
    );
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
    let (_, _, api_page) = api(&app, "/hsds/services?search=shop%20assist").await;
    assert_eq!(
        api_page["total_items"], 0,
        "an archived program leaves the HSDS API"
    );
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

/// `GET path` on the router: status, the CORS header, and the JSON body.
async fn api(app: &axum::Router, path: &str) -> (u16, Option<String>, serde_json::Value) {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let res = app
        .clone()
        .oneshot(axum::http::Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let cors = res
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("{path}: {bytes:?}"));
    (status, cors, body)
}

fn ids(page: &serde_json::Value) -> Vec<String> {
    page["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_hsds_api_pages_filters_and_holds_only_directory_data() {
    let state = fresh_state().await;
    let store = &state.store;
    app::server::demo::seed_once(store).await.unwrap();
    let app = app::server::http::router(state.clone());
    let demo_programs = store.count_programs().await.unwrap() as usize;
    let demo_organizations = api(&app, "/hsds/organizations").await.2["total_items"]
        .as_u64()
        .unwrap();
    assert!(demo_programs >= 5 && demo_organizations >= 1);
    import_from(
        store,
        &fixture("sample-1.1-fictional"),
        &options("sample", false),
    )
    .await;
    let total = 13 + demo_programs;

    let (status, cors, about) = api(&app, "/hsds").await;
    assert_eq!((status, cors.as_deref()), (200, Some("*")));
    assert_eq!(about["version"], "3.0.0");

    // Every service once, over pages of 5.
    let mut seen = Vec::new();
    let pages = total.div_ceil(5);
    for page in 1..=pages {
        let (status, cors, body) =
            api(&app, &format!("/hsds/services?per_page=5&page={page}")).await;
        assert_eq!((status, cors.as_deref()), (200, Some("*")));
        assert_eq!(body["total_items"], total);
        assert_eq!(body["total_pages"], pages);
        assert_eq!(body["page_number"], page);
        assert_eq!(body["first_page"], page == 1);
        assert_eq!(body["last_page"], page == pages);
        seen.extend(ids(&body));
    }
    assert_eq!(seen.len(), total);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), total, "no service on two pages");

    let (_, _, helpline) = api(&app, "/hsds/services?search=homeless%20helpline").await;
    assert_eq!(helpline["total_items"], 1);
    assert_eq!(helpline["contents"][0]["name"], "Never Homeless Helpline");
    assert_eq!(
        helpline["contents"][0]["organization"]["name"],
        "Sanctuary Example City"
    );
    let (_, _, cross) = api(
        &app,
        "/hsds/services?organization_id=18997068-649c-11e6-8b77-86f30ca893d3",
    )
    .await;
    assert_eq!(cross["total_items"], 3, "The Cross runs three services");
    let (_, _, food) = api(&app, "/hsds/services?taxonomy_term_id=food").await;
    assert_eq!(food["total_items"], 1);
    assert_eq!(food["contents"][0]["name"], "Weekly Groceries");
    let food_org = food["contents"][0]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, _, by_local_org) =
        api(&app, &format!("/hsds/services?organization_id={food_org}")).await;
    assert_eq!(
        ids(&by_local_org),
        ids(&food),
        "an organisation made in the app has an id too"
    );
    let (_, _, none) = api(&app, "/hsds/services?modified_after=2999-01-01T00:00:00Z").await;
    assert_eq!(none["total_items"], 0);
    let (_, _, all) = api(&app, "/hsds/services?modified_after=2020-01-01").await;
    assert_eq!(all["total_items"], total);

    for bad in [
        "/hsds/services?page=0",
        "/hsds/services?per_page=501",
        "/hsds/services?modified_after=soon",
    ] {
        let (status, _, body) = api(&app, bad).await;
        assert_eq!(status, 400, "{bad}");
        assert!(body["error"].as_str().unwrap().contains(':'), "{body}");
    }

    let one = &helpline["contents"][0]["id"];
    let (status, _, full) = api(&app, &format!("/hsds/services/{}", one.as_str().unwrap())).await;
    assert_eq!(status, 200);
    assert_eq!(full["id"], *one);
    let (status, _, _) = api(&app, "/hsds/services/no-such-service").await;
    assert_eq!(status, 404);

    let (_, _, orgs) = api(&app, "/hsds/organizations?per_page=100").await;
    assert_eq!(
        orgs["total_items"],
        10 + demo_organizations,
        "the sample's 10 organisations and the demo's"
    );
    let (_, _, terms) = api(&app, "/hsds/taxonomy_terms").await;
    let names: Vec<&str> = terms["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"food") && names.contains(&"housing"),
        "{names:?}"
    );
    let (_, _, taxonomies) = api(&app, "/hsds/taxonomies").await;
    assert_eq!(taxonomies["total_items"], 1);

    // Nothing but directory data: no one's contact details, names or notes.
    let mut everything = String::new();
    for path in [
        "/hsds/services?per_page=500",
        "/hsds/organizations?per_page=500",
        "/hsds/taxonomy_terms?per_page=500",
    ] {
        everything.push_str(&api(&app, path).await.2.to_string());
    }
    for private in [
        "dana@example.test",
        "555-201-3344",
        "Dana",
        "Eli",
        "ana@navigators.test",
        "carla@foodbank.test",
    ] {
        assert!(
            !everything.contains(private),
            "{private} is in the HSDS API"
        );
    }
}

#[tokio::test]
async fn an_export_imports_back_as_the_same_directory() {
    let state = fresh_state().await;
    let store = &state.store;
    let app = app::server::http::router(state.clone());
    import_from(store, &fixture("spec-3.0-example"), &options("spec", false)).await;
    import_from(
        store,
        &fixture("sample-1.1-fictional"),
        &options("sample", false),
    )
    .await;
    let (_, _, page) = api(&app, "/hsds/services?per_page=500").await;
    let file = std::env::temp_dir().join(format!("{}.json", unique_name()));
    std::fs::write(&file, page.to_string()).unwrap();
    let report = import_from(store, &file, &options("again", false)).await;
    assert_eq!(report.problems, vec![]);
    assert_eq!(report.summary.created, 14);
    let again = store.feed_listings("again").await.unwrap();
    for source in ["spec", "sample"] {
        for (id, first) in store.feed_listings(source).await.unwrap() {
            assert_eq!(again[&id].listing, first.listing, "{source} {id}");
        }
    }
}

/// A multipart form as a browser posts it: (name, file name, content) parts.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----handoff-test-boundary";
    let mut body = Vec::new();
    for (name, file, content) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    app: &axum::Router,
    cookie: Option<&str>,
    parts: &[(&str, Option<&str>, &[u8])],
) -> (u16, Option<String>) {
    use tower::ServiceExt;
    let (content_type, body) = multipart(parts);
    let mut req = axum::http::Request::post("/admin/import")
        .header("content-type", content_type)
        .header("origin", "http://localhost")
        .header("host", "localhost");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = app
        .clone()
        .oneshot(req.body(axum::body::Body::from(body)).unwrap())
        .await
        .unwrap();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (res.status().as_u16(), location)
}

/// Waits for an uploaded import to finish and returns its view.
async fn finished_import(app: &axum::Router, cookie: &str, id: &str) -> serde_json::Value {
    for _ in 0..500 {
        let (body, error) = call_server_fn(
            app,
            Some(cookie),
            "/api/directory_import",
            &format!("id={id}"),
        )
        .await;
        assert_eq!(error, None, "{body}");
        let view: serde_json::Value = serde_json::from_str(&body).unwrap();
        if view["finished"] == true {
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("import {id} did not finish");
}

#[tokio::test]
async fn a_site_administrator_uploads_a_feed_and_reads_its_report() {
    let state = fresh_state().await;
    let store = &state.store;
    app::server::demo::seed_once(store).await.unwrap();
    let app = app::server::http::router(state.clone());
    let json = std::fs::read(fixture("spec-3.0-service_full.json")).unwrap();
    let parts: &[(&str, Option<&str>, &[u8])] = &[
        ("feed", Some("service_full.json"), &json),
        ("source", None, b"county-211"),
    ];

    // Only a site administrator: not program staff, not a visitor.
    let (carla, _) = crate::support::session_for(store, "carla@foodbank.test").await;
    assert_eq!(upload(&app, Some(&carla), parts).await.0, 403);
    assert_eq!(upload(&app, None, parts).await.0, 403);
    assert!(store.feed_listings("county-211").await.unwrap().is_empty());
    let (_, error) = call_server_fn(&app, Some(&carla), "/api/directory_import", "id=1").await;
    assert_eq!(
        error,
        Some(AppError::Forbidden),
        "nor may others read import reports"
    );

    let (admin, _) = crate::support::session_for(store, "admin@handoff.test").await;
    let (status, location) = upload(&app, Some(&admin), parts).await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    let id = location
        .strip_prefix("/admin/imports/")
        .expect("the import's page");
    let view = finished_import(&app, &admin, id).await;
    assert_eq!(view["written"], true, "{view}");
    assert_eq!(view["summary"]["created"], 1);
    assert_eq!(view["started_by"], "Sam Admin");
    assert_eq!(store.feed_listings("county-211").await.unwrap().len(), 1);

    // The page shows the report; a form without a file says so.
    let page = {
        use tower::ServiceExt;
        let req = axum::http::Request::get(&location)
            .header("cookie", &admin)
            .body(axum::body::Body::empty())
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        let bytes = http_body_util::BodyExt::collect(res.into_body())
            .await
            .unwrap()
            .to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    assert!(
        page.contains("1 created, 0 updated, 0 unchanged, 0 archived, 0 skipped."),
        "{page}"
    );
    assert!(page.contains("The directory was updated."), "{page}");
    let (status, location) = upload(&app, Some(&admin), &[("source", None, b"county-211")]).await;
    assert_eq!(status, 303);
    let id = location
        .unwrap()
        .trim_start_matches("/admin/imports/")
        .to_string();
    let view = finished_import(&app, &admin, &id).await;
    assert_eq!(view["written"], false);
    assert_eq!(
        view["problems"][0],
        "the form, feed: choose a file: a .zip package or HSDS JSON"
    );
    let (_, location) = upload(
        &app,
        Some(&admin),
        &[
            ("feed", Some("x.json"), &json),
            ("source", None, b"no spaces please"),
        ],
    )
    .await;
    let id = location
        .unwrap()
        .trim_start_matches("/admin/imports/")
        .to_string();
    let view = finished_import(&app, &admin, &id).await;
    assert_eq!(
        view["problems"][0],
        "the form, source: use letters, digits, '-', '_' or '.', at most 100"
    );
}

#[tokio::test]
async fn staff_say_whether_their_program_takes_referrals_and_connect_obeys() {
    let state = fresh_state().await;
    let store = &state.store;
    app::server::demo::seed_once(store).await.unwrap();
    let app = app::server::http::router(state.clone());
    let groceries = ProgramId(1);
    assert_eq!(
        store.program(groceries).await.unwrap().unwrap().name,
        "Weekly Groceries"
    );
    let (carla, _) = crate::support::session_for(store, "carla@foodbank.test").await;
    let (omar, _) = crate::support::session_for(store, "omar@clinic.test").await;
    let set =
        |capacity: &str, note: &str| format!("program=1&capacity={capacity}&capacity_note={note}");

    // Only the program's own staff.
    let (_, error) = call_server_fn(
        &app,
        Some(&omar),
        "/api/set_capacity",
        &set("not_accepting", ""),
    )
    .await;
    assert_eq!(error, Some(AppError::Forbidden), "staff of another program");
    let (_, error) =
        call_server_fn(&app, None, "/api/set_capacity", &set("not_accepting", "")).await;
    assert_eq!(error, Some(AppError::Unauthorized));
    let (_, error) =
        call_server_fn(&app, Some(&carla), "/api/set_capacity", &set("full", "")).await;
    assert!(
        matches!(error, Some(AppError::Validation(ref e)) if e[0].field == "capacity"),
        "{error:?}"
    );
    let program = store.program(groceries).await.unwrap().unwrap();
    assert_eq!(
        program.capacity,
        app::model::capacity::Capacity::Accepting,
        "nothing changed"
    );

    let refer = |extra: &str| {
        format!(
            "program=1&for_whom=me&first_name=Rosa&last_name=Diaz&email=rosa%40example.org\
             &phone=&best_way=email&language=en&comments=&consent=on{extra}"
        )
    };
    let (body, error) = call_server_fn(
        &app,
        Some(&carla),
        "/api/set_capacity",
        &set("not_accepting", "Closed+for+inventory"),
    )
    .await;
    assert_eq!(error, None, "{body}");
    let page = get_page(&app, "/programs/1").await;
    assert!(
        page.contains("Not accepting referrals") && page.contains("Closed for inventory"),
        "{page}"
    );
    let connect = get_page(&app, "/programs/1/connect").await;
    assert!(
        connect.contains("is not accepting referrals right now"),
        "said before the form: {connect}"
    );
    let before = store.count_referrals().await.unwrap();
    let (_, error) =
        call_server_fn(&app, None, "/api/send_referral", &refer("&waitlist_ok=on")).await;
    assert_eq!(
        error,
        Some(AppError::Refused(Key::err_not_accepting.into()))
    );

    // A waitlist: sent only when the sender says they know.
    call_server_fn(
        &app,
        Some(&carla),
        "/api/set_capacity",
        &set("waitlist", "About+3+weeks"),
    )
    .await;
    let connect = get_page(&app, "/programs/1/connect").await;
    assert!(
        connect.contains("This program has a waitlist.") && connect.contains("About 3 weeks"),
        "{connect}"
    );
    let (_, error) = call_server_fn(&app, None, "/api/send_referral", &refer("")).await;
    match error {
        Some(AppError::Validation(errors)) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].field, "waitlist_ok");
            assert_eq!(errors[0].message, Key::err_waitlist_confirm.into());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.count_referrals().await.unwrap(),
        before,
        "nothing sent"
    );
    let (body, error) =
        call_server_fn(&app, None, "/api/send_referral", &refer("&waitlist_ok=on")).await;
    assert_eq!(error, None, "{body}");
    assert_eq!(store.count_referrals().await.unwrap(), before + 1);
}

/// Typed words match the start of a listing's words, on both backends alike (issue 15:
/// a substring search was too slow for common words, and found "parenting" for "rent").
#[tokio::test]
async fn search_finds_listings_by_the_start_of_their_words() {
    let store = crate::support::fresh_store().await;
    for (name, organization, description) in [
        (
            "Rent Assistance",
            "County Housing",
            "Help with rent and deposits.",
        ),
        (
            "Parenting Classes",
            "Family Centre",
            "Current and expecting parents.",
        ),
        ("Food Pantry", "St. Mary's", "Groceries; call 555-0100."),
        ("Café José", "Caridad", "Comidas calientes (50% gratis)."),
    ] {
        let program = app::server::store::NewProgram {
            name: name.into(),
            organization: organization.into(),
            description: description.into(),
            ..Default::default()
        };
        store.create_program(&program).await.unwrap();
    }
    assert_eq!(found(&store, "rent", "").await, ["Rent Assistance"]);
    assert_eq!(found(&store, "PANT", "").await, ["Food Pantry"]);
    assert_eq!(found(&store, "mary", "").await, ["Food Pantry"]);
    assert_eq!(found(&store, "st. mary's", "").await, ["Food Pantry"]);
    assert_eq!(found(&store, "josé café", "").await, ["Café José"]);
    assert_eq!(
        found(&store, "jose", "").await,
        Vec::<String>::new(),
        "accents count"
    );
    assert_eq!(found(&store, "0100", "").await, ["Food Pantry"]);
    assert_eq!(
        found(&store, "rent parenting", "").await,
        Vec::<String>::new(),
        "every word must match"
    );
    assert_eq!(found(&store, "antry", "").await, Vec::<String>::new());
    // A wildcard or query syntax typed is not one: "50%" is the word "50".
    assert_eq!(found(&store, "50%", "").await, ["Café José"]);
    assert_eq!(
        found(&store, "\"a\" OR * NEAR(", "").await,
        Vec::<String>::new()
    );
    // Only punctuation narrows nothing: every listing, in name order.
    assert_eq!(found(&store, "%_", "").await.len(), 4);

    // Rows written before migration 0013 have no words until the store fills them at start.
    sqlx::query("UPDATE programs SET search_words = NULL")
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(found(&store, "rent", "").await, Vec::<String>::new());
    store.migrate().await.unwrap();
    assert_eq!(found(&store, "rent", "").await, ["Rent Assistance"]);
}
