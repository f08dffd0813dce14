//! Reports (issue 17): the facts the figures are computed from are kept right by every
//! change, the figures match a hand count on both backends, and each person counts only
//! what the SPEC lets them (staff their programs, group admins their group's referrals,
//! the site administrator all; members who are not admins and seekers nothing).

use crate::store::{actor, new_referral, person, program, user};
use crate::support::{call_server_fn, fresh_state};
use app::error::AppError;
use app::model::report::{Figures, Share};
use app::model::{ContactPreference, EmailAddress, GroupRole, Language, PersonName, Role, Status};
use app::server::Store;
use app::server::auth::start_session;
use app::server::store::{NewUser, StatusChange};

async fn change(
    store: &Store,
    referral: app::model::ReferralId,
    who: &app::model::Actor,
    to: Status,
) {
    let version = store.referral(referral).await.unwrap().unwrap().version;
    store
        .change_status(
            &StatusChange {
                referral,
                expected_version: version,
                to,
                note: None,
            },
            who,
        )
        .await
        .unwrap();
}

async fn cookie(store: &Store, user: app::model::UserId) -> String {
    format!(
        "handoff_session={}",
        start_session(store, user).await.unwrap()
    )
}

fn figures_of(body: &str) -> Figures {
    let page: serde_json::Value = serde_json::from_str(body).unwrap();
    serde_json::from_value(page["figures"].clone()).unwrap()
}

#[tokio::test]
async fn figures_count_what_happened_and_each_person_sees_only_their_scope() {
    let state = fresh_state().await;
    let store = &state.store;
    let ana = user(store, "Ana Navarro", "ana@example.org").await;
    let ben = user(store, "Ben Ortiz", "ben@example.org").await;
    let carla = user(store, "Carla Cruz", "carla@example.org").await;
    let omar = user(store, "Omar Odum", "omar@example.org").await;
    let admin = store
        .create_user(&NewUser {
            name: PersonName::parse("Site Admin").unwrap(),
            email: EmailAddress::parse("admin@example.org").unwrap(),
            language: Language::english(),
            password_hash: "unused".into(),
            email_verified: true,
            is_site_admin: true,
        })
        .await
        .unwrap();
    let navigators = store.create_group("Navigators", true, ana).await.unwrap();
    store
        .put_member(navigators, ben, GroupRole::Member)
        .await
        .unwrap();
    let food = program(store, "Food", "food@listed.org").await;
    let clinic = program(store, "Clinic", "clinic@listed.org").await;
    store.add_program_staff(food, carla).await.unwrap();
    store.add_program_staff(clinic, omar).await.unwrap();
    let rosa = person(store, "rosa@example.org", Some(ana)).await;
    let refer = |program, by: Option<app::model::UserId>| {
        let store = store.clone();
        async move {
            let (referrer, who) = match by {
                Some(u) => (Some((u, Some(navigators))), actor(u, Role::Helper)),
                None => (None, actor(ana, Role::Seeker)),
            };
            store
                .create_referral(
                    &new_referral(rosa, program, referrer, ContactPreference::Email),
                    &who,
                )
                .await
                .unwrap()
        }
    };
    let staff = actor(carla, Role::Program);
    // Food: answered and closed; closed then reopened; moved only by its helper; untouched
    // self-referral. Clinic: one untouched helper referral.
    let closed = refer(food, Some(ana)).await;
    change(store, closed, &staff, Status::GotHelp).await;
    let reopened = refer(food, Some(ben)).await;
    change(store, reopened, &staff, Status::NotEligible).await;
    change(store, reopened, &actor(ben, Role::Helper), Status::Pending).await;
    let helper_only = refer(food, Some(ana)).await;
    change(
        store,
        helper_only,
        &actor(ana, Role::Helper),
        Status::NoLongerInterested,
    )
    .await;
    let untouched = refer(food, None).await;
    let _clinic = refer(clinic, Some(ana)).await;

    // The facts each change keeps: the program's first answer, the first move out of Not updated.
    let row = |id| async move {
        let r = store.referral(id).await.unwrap().unwrap();
        sqlx::query_as::<_, (Option<i64>, Option<i64>)>(
            "SELECT first_response_at, left_not_updated_at FROM referrals WHERE id = $1",
        )
        .bind(r.id)
        .fetch_one(store.pool())
        .await
        .unwrap()
    };
    let (answered, left) = row(closed).await;
    assert!(answered.is_some() && answered == left);
    let (answered_reopened, _) = row(reopened).await;
    assert!(
        answered_reopened.is_some(),
        "kept through the helper's reopening"
    );
    assert_eq!(
        row(helper_only).await.0,
        None,
        "a helper's change is not a response"
    );
    assert!(row(helper_only).await.1.is_some());
    assert_eq!(row(untouched).await, (None, None));

    let app = app::server::http::router(state.clone());
    let ask = |who: app::model::UserId, scope: String| {
        let app = app.clone();
        async move {
            let c = cookie(store, who).await;
            call_server_fn(
                &app,
                Some(&c),
                "/api/report",
                &format!("scope={scope}&from=&to=&category=&status_group="),
            )
            .await
        }
    };
    // Carla, staff of Food: Food's four.
    let (body, err) = ask(carla, String::new()).await;
    assert_eq!(err, None, "{body}");
    let f = figures_of(&body);
    assert_eq!(
        (f.referrals, f.self_referrals, f.helper_referrals),
        (4, 1, 3)
    );
    // Closed now: Got help and No longer interested; the reopened one is open again.
    assert_eq!(f.closed, Some(Share { part: 2, whole: 4 }));
    assert_eq!(f.got_help_of_closed, Some(Share { part: 1, whole: 2 }));
    assert!(f.response_median_ms.is_some() && f.response_p90_ms.is_some());
    // Both answers came at once, long before the two business days ran out.
    assert_eq!(
        f.answered_within_standard,
        Some(Share { part: 2, whole: 4 })
    );
    assert_eq!(
        f.not_updated_after_7_days,
        Some(Share { part: 0, whole: 0 })
    );
    // Not Clinic's, not everything.
    for scope in [
        format!("program:{clinic}"),
        "all".into(),
        format!("group:{navigators}"),
    ] {
        let (_, err) = ask(carla, scope.clone()).await;
        assert_eq!(err, Some(AppError::Forbidden), "{scope}");
    }
    // Ana administers Navigators: the four its members made (Food's three, Clinic's one).
    let (body, err) = ask(ana, format!("group:{navigators}")).await;
    assert_eq!(err, None);
    let f = figures_of(&body);
    assert_eq!((f.referrals, f.self_referrals), (4, 0));
    // Ben is a member, not an admin; Rosa's kind (no staff, no admin) has none either.
    let (_, err) = ask(ben, String::new()).await;
    assert_eq!(err, Some(AppError::Forbidden));
    let (_, err) = ask(ben, format!("group:{navigators}")).await;
    assert_eq!(err, Some(AppError::Forbidden));
    // The site administrator: all five.
    let (body, err) = ask(admin, "all".into()).await;
    assert_eq!(err, None);
    assert_eq!(figures_of(&body).referrals, 5);
    // Filters: a status group, and a category nobody has.
    let c = cookie(store, admin).await;
    let (body, _) = call_server_fn(
        &app,
        Some(&c),
        "/api/report",
        "scope=all&from=&to=&category=&status_group=in_progress",
    )
    .await;
    assert_eq!(figures_of(&body).referrals, 3);
    let (body, _) = call_server_fn(
        &app,
        Some(&c),
        "/api/report",
        "scope=all&from=&to=&category=legal&status_group=",
    )
    .await;
    assert_eq!(figures_of(&body).referrals, 0);
    // A bad date is marked on its field; the rest still applies.
    let (body, err) = call_server_fn(
        &app,
        Some(&c),
        "/api/report",
        "scope=all&from=yesterday&to=&category=&status_group=",
    )
    .await;
    assert_eq!(err, None);
    assert!(body.contains("\"from\""), "{body}");
    // Anonymous: log in first.
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/report",
        "scope=all&from=&to=&category=&status_group=",
    )
    .await;
    assert_eq!(err, Some(AppError::Unauthorized));
}
