//! Issue 18, item 5: erasing a person removes their name, contact details and every free
//! text about them everywhere, keeps what happened (and the reports' counts), is recorded,
//! is for site administrators only; the retention period erases those whose referrals all
//! closed long enough ago, and no one else.

use crate::store::{actor, move_to as change, new_referral, person, program, user};
use crate::support::{call_server_fn, fresh_state, session_for};
use app::model::report::ReportScope;
use app::model::{ContactPreference, Role, Status};
use app::server::Store;
use app::server::store::ReportFilter;

/// A person's names and email, and their referral's contact email and comments.
type PersonTexts = (String, String, Option<String>, Option<String>, String);

async fn texts_about(store: &Store, person: i64) -> String {
    let rows: Vec<PersonTexts> = sqlx::query_as(
        "SELECT p.first_name, p.last_name, p.email, r.contact_email, r.comments \
         FROM persons p JOIN referrals r ON r.person_id = p.id WHERE p.id = $1",
    )
    .bind(person)
    .fetch_all(store.pool())
    .await
    .unwrap();
    let history: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT h.actor_label, h.body FROM referral_history h JOIN referrals r ON r.id = h.referral_id \
         WHERE r.person_id = $1",
    )
    .bind(person)
    .fetch_all(store.pool())
    .await
    .unwrap();
    format!("{rows:?} {history:?}")
}

#[tokio::test]
async fn an_erased_person_leaves_no_name_contact_or_text_and_the_counts_stay() {
    let state = fresh_state().await;
    let store = &state.store;
    app::server::demo::seed_once(store).await.unwrap();
    let app = app::server::http::router(state.clone());
    let ana = user(store, "Ana Navarro", "ana@example.org").await;
    let carla = user(store, "Carla Cruz", "carla@example.org").await;
    let food = program(store, "Food", "food@listed.org").await;
    store.add_program_staff(food, carla).await.unwrap();
    let rosa = person(store, "rosa.private@example.org", Some(ana)).await;
    let mut new = new_referral(rosa, food, Some((ana, None)), ContactPreference::Email);
    new.comments = "Needs a ride on Tuesdays".into();
    let id = store
        .create_referral(&new, &actor(ana, Role::Helper))
        .await
        .unwrap();
    change(
        store,
        id,
        &actor(carla, Role::Program),
        Status::NeedsClientAction,
        Some("Bring the lease agreement"),
    )
    .await;
    let before = texts_about(store, rosa.0).await;
    assert!(before.contains("rosa.private@example.org") && before.contains("Rosa"));
    assert!(before.contains("Tuesdays") && before.contains("lease"));
    let counts = store
        .summed_report_sums(ReportScope::All, &ReportFilter::default(), true, 30_000)
        .await
        .unwrap();

    // Only a site administrator may, and only when the box is ticked.
    let (staff, _) = session_for(store, "carla@foodbank.test").await;
    let form = format!("person={}&confirm=on", rosa.0);
    let (_, err) = call_server_fn(&app, Some(&staff), "/api/erase_person", &form).await;
    assert_eq!(err, Some(app::error::AppError::Forbidden));
    let (admin, _) = session_for(store, "admin@handoff.test").await;
    let (_, err) = call_server_fn(
        &app,
        Some(&admin),
        "/api/erase_person",
        &format!("person={}", rosa.0),
    )
    .await;
    match err {
        Some(app::error::AppError::Validation(f)) => assert_eq!(f[0].field, "confirm"),
        other => panic!("{other:?}"),
    }
    let (_, err) = call_server_fn(
        &app,
        Some(&admin),
        "/api/erase_person",
        "person=999999&confirm=on",
    )
    .await;
    match err {
        Some(app::error::AppError::Validation(f)) => assert_eq!(f[0].field, "person"),
        other => panic!("{other:?}"),
    }
    let (body, err) = call_server_fn(&app, Some(&admin), "/api/erase_person", &form).await;
    assert_eq!(err, None, "{body}");
    assert_eq!(body.trim(), "1", "one referral blanked");

    let after = texts_about(store, rosa.0).await;
    for gone in [
        "rosa.private@example.org",
        "Rosa",
        "Diaz",
        "Tuesdays",
        "lease",
    ] {
        assert!(!after.contains(gone), "{gone} is still there: {after}");
    }
    let outbox: Vec<(String, String)> = sqlx::query_as(
        "SELECT recipient_email, payload FROM outbox WHERE referral_id = $1 OR recipient_email = 'rosa.private@example.org'",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert!(
        outbox
            .iter()
            .all(|(to, payload)| to != "rosa.private@example.org"
                && !payload.contains("Rosa")
                && !payload.contains("lease")),
        "{outbox:?}"
    );
    // What happened stays: the referral, its status, its history's steps and the counts.
    let row = store.referral(id).await.unwrap().unwrap();
    assert_eq!(row.status, Status::NeedsClientAction);
    assert_eq!(
        store
            .summed_report_sums(ReportScope::All, &ReportFilter::default(), true, 30_000)
            .await
            .unwrap(),
        counts
    );
    assert_eq!(store.histories(&[id]).await.unwrap().len(), 2);
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM erasures WHERE person_id = $1")
        .bind(rosa.0)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(recorded, 1);
    assert!(
        store
            .count_audit(app::model::audit::AuditEvent::AdminAction)
            .await
            .unwrap()
            >= 1
    );
    // The history is still append-only for anything but an erasure.
    let changed =
        sqlx::query("UPDATE referral_history SET to_status = 'got_help' WHERE referral_id = $1")
            .bind(id)
            .execute(store.pool())
            .await;
    assert!(changed.is_err(), "a history entry was rewritten");
}

#[tokio::test]
async fn the_retention_period_erases_only_those_whose_referrals_all_closed_long_ago() {
    let state = fresh_state().await;
    let store = state.store.clone().with_retention_days(Some(365));
    let ana = user(&store, "Ana Navarro", "ana@example.org").await;
    let carla = user(&store, "Carla Cruz", "carla@example.org").await;
    let food = program(&store, "Food", "food@listed.org").await;
    store.add_program_staff(food, carla).await.unwrap();
    let make = |closed: bool| {
        let store = store.clone();
        async move {
            let someone = person(&store, "someone@example.org", Some(ana)).await;
            let id = store
                .create_referral(
                    &new_referral(someone, food, Some((ana, None)), ContactPreference::Phone),
                    &actor(ana, Role::Helper),
                )
                .await
                .unwrap();
            if closed {
                change(
                    &store,
                    id,
                    &actor(carla, Role::Program),
                    Status::GotHelp,
                    None,
                )
                .await;
            }
            someone
        }
    };
    let long_closed = make(true).await;
    let open = make(false).await;
    let now = app::server::clock::now_ms();
    let day = app::server::clock::DAY_MS;
    // A year and a day on: the closed one is past retention, the open one never is.
    let swept = store
        .sweep(now + 366 * day, app::server::auth::THROTTLE_WINDOW_MS)
        .await
        .unwrap();
    assert_eq!(swept.persons_erased, 1);
    let name = |p: app::model::PersonId| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT first_name FROM persons WHERE id = $1")
                .bind(p)
                .fetch_one(store.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!(name(long_closed).await, app::server::store::ERASED_NAME);
    assert_eq!(name(open).await, "Rosa");
    // Erased once: the next run finds no one.
    let again = store
        .sweep(now + 367 * day, app::server::auth::THROTTLE_WINDOW_MS)
        .await
        .unwrap();
    assert_eq!(again.persons_erased, 0);
    // Without a retention period nobody is erased.
    let kept = state
        .store
        .sweep(now + 5000 * day, app::server::auth::THROTTLE_WINDOW_MS)
        .await
        .unwrap();
    assert_eq!(kept.persons_erased, 0);
}
