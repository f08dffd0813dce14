//! Reports (issue 17): the facts the figures are computed from are kept right by every
//! change, the figures match a hand count on both backends, and each person counts only
//! what the SPEC lets them (staff their programs, group admins their group's referrals,
//! the site administrator all; members who are not admins and seekers nothing).

use crate::store::{actor, new_referral, person, program, user};
use crate::support::{call_server_fn, fresh_state};
use app::error::AppError;
use app::model::report::{Figures, ResponseStep, Share};
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
                &format!("scope={scope}&from=&to=&category=&status_group=&program=&group=&helper="),
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
    // Both answers came at once: within the first step, 15 minutes.
    assert_eq!(f.response_median, Some(ResponseStep(0)));
    assert_eq!(f.response_p90, Some(ResponseStep(0)));
    assert_eq!(f.top, None, "a program's report has no top lists");
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
    let f = figures_of(&body);
    assert_eq!(f.referrals, 5);
    // The network's top lists: Food received four and closed two of them, Clinic one.
    let top = f.top.expect("the network's report has top lists");
    let received: Vec<(String, u64, u64)> = top
        .programs_by_received
        .iter()
        .map(|r| (r.name.clone(), r.received, r.closed))
        .collect();
    assert_eq!(
        received,
        vec![("Food".to_string(), 4, 2), ("Clinic".to_string(), 1, 0)]
    );
    assert!(
        top.programs_by_closure.is_empty(),
        "neither has the 10 referrals a rate is ranked over"
    );
    // The program, group and helper filters narrow it; a filter never widens a scope.
    let page_of = |body: &str| -> serde_json::Value { serde_json::from_str(body).unwrap() };
    let admin_cookie = cookie(store, admin).await;
    let filtered = |q: String| {
        let (app, c) = (app.clone(), admin_cookie.clone());
        async move {
            let (body, err) = call_server_fn(&app, Some(&c), "/api/report", &q).await;
            assert_eq!(err, None, "{body}");
            body
        }
    };
    let body = filtered(format!(
        "scope=all&from=&to=&category=&status_group=&program={clinic}&group=&helper="
    ))
    .await;
    assert_eq!(figures_of(&body).referrals, 1);
    let body = filtered(format!(
        "scope=all&from=&to=&category=&status_group=&program=&group={navigators}&helper="
    ))
    .await;
    assert_eq!(
        figures_of(&body).referrals,
        4,
        "the self-referral is no group's"
    );
    let page = page_of(&body);
    let helpers: Vec<&str> = page["helpers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h[1].as_str().unwrap())
        .collect();
    assert_eq!(helpers, ["Ana Navarro", "Ben Ortiz"], "the group's members");
    let body = filtered(format!(
        "scope=all&from=&to=&category=&status_group=&program=&group=&helper={ben}"
    ))
    .await;
    assert_eq!(figures_of(&body).referrals, 1, "Ben made one");
    let (body, err) = ask(carla, String::new()).await;
    assert_eq!(err, None);
    assert!(page_of(&body)["programs"].as_array().unwrap().is_empty());
    let c = cookie(store, carla).await;
    let (body, _) = call_server_fn(
        &app,
        Some(&c),
        "/api/report",
        &format!(
            "scope=program:{food}&from=&to=&category=&status_group=&program={clinic}&group=&helper="
        ),
    )
    .await;
    assert_eq!(
        figures_of(&body).referrals,
        0,
        "Food's staff asking for Clinic's"
    );
    let (body, err) = call_server_fn(
        &app,
        Some(&c),
        "/api/report",
        "scope=&from=&to=&category=&status_group=&program=x&group=&helper=",
    )
    .await;
    assert_eq!(err, None);
    assert!(body.contains("\"program\""), "named on its field: {body}");
    // Filters: a status group, and a category nobody has.
    let c = cookie(store, admin).await;
    let (body, _) = call_server_fn(
        &app,
        Some(&c),
        "/api/report",
        "scope=all&from=&to=&category=&status_group=in_progress&program=&group=&helper=",
    )
    .await;
    assert_eq!(figures_of(&body).referrals, 3);
    let (body, _) = call_server_fn(
        &app,
        Some(&c),
        "/api/report",
        "scope=all&from=&to=&category=legal&status_group=&program=&group=&helper=",
    )
    .await;
    assert_eq!(figures_of(&body).referrals, 0);
    // A bad date is marked on its field; the rest still applies.
    let (body, err) = call_server_fn(
        &app,
        Some(&c),
        "/api/report",
        "scope=all&from=yesterday&to=&category=&status_group=&program=&group=&helper=",
    )
    .await;
    assert_eq!(err, None);
    assert!(body.contains("\"from\""), "{body}");
    // Anonymous: log in first.
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/report",
        "scope=all&from=&to=&category=&status_group=&program=&group=&helper=",
    )
    .await;
    assert_eq!(err, Some(AppError::Unauthorized));
}

async fn get(app: &axum::Router, cookie: Option<&str>, path: &str) -> (u16, String) {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn exports_follow_the_dashboards_rules_and_are_recorded() {
    let state = fresh_state().await;
    let store = &state.store;
    let ana = user(store, "Ana Navarro", "ana@example.org").await;
    let ben = user(store, "Ben Ortiz", "ben@example.org").await;
    let carla = user(store, "Carla Cruz", "carla@example.org").await;
    let navigators = store.create_group("Navigators", true, ana).await.unwrap();
    store
        .put_member(navigators, ben, GroupRole::Member)
        .await
        .unwrap();
    let food = program(store, "Food", "food@listed.org").await;
    store.add_program_staff(food, carla).await.unwrap();
    let rosa = person(store, "rosa@example.org", Some(ana)).await;
    for pref in [ContactPreference::Email, ContactPreference::DontReachOut] {
        store
            .create_referral(
                &new_referral(rosa, food, Some((ben, Some(navigators))), pref),
                &actor(ben, Role::Helper),
            )
            .await
            .unwrap();
    }
    let withdrawn = store
        .create_referral(
            &new_referral(
                rosa,
                food,
                Some((ben, Some(navigators))),
                ContactPreference::Email,
            ),
            &actor(ben, Role::Helper),
        )
        .await
        .unwrap();
    store
        .change_consent(withdrawn, true, &actor(ben, Role::Helper))
        .await
        .unwrap();
    let app = app::server::http::router(state.clone());
    let carla_cookie = cookie(store, carla).await;
    let q = "scope=&from=&to=&category=&status_group=";

    // Staff, rows with contact details: three rows, the address only on the one whose
    // seeker may be reached.
    let (status, csv) = get(
        &app,
        Some(&carla_cookie),
        &format!("/reports/export.csv?{q}&what=rows&contact=1"),
    )
    .await;
    assert_eq!(status, 200, "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("referral_id,created_at,program,organization,referred_by,status"));
    assert!(lines[0].ends_with("contact_email,contact_phone"));
    assert_eq!(csv.matches("rosa@example.org").count(), 1, "{csv}");
    assert!(csv.contains("\r\n"), "RFC 4180 line ends");
    // Compressed, as browsers ask for it: the stream ends cleanly (it once panicked when
    // the compression layer polled it after its end).
    {
        use axum::body::Body;
        use axum::http::{Request, header};
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let req = Request::get(format!("/reports/export.csv?{q}&what=rows"))
            .header(header::COOKIE, &carla_cookie)
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        let body = res
            .into_body()
            .collect()
            .await
            .expect("the whole body")
            .to_bytes();
        assert!(!body.is_empty());
    }
    // Without the box ticked: no contact columns at all.
    let (_, plain) = get(
        &app,
        Some(&carla_cookie),
        &format!("/reports/export.csv?{q}&what=rows"),
    )
    .await;
    assert!(!plain.contains("contact_email") && !plain.contains("rosa@example.org"));
    // Figures.
    let (_, figures) = get(
        &app,
        Some(&carla_cookie),
        &format!("/reports/export.csv?{q}&what=figures"),
    )
    .await;
    assert!(
        figures.starts_with("figure,name,count,of,percent\r\nreferrals,,3,,"),
        "{figures}"
    );

    // The group's admin (Team Navigation on) reads the rows as a helper, yet a file never
    // holds a don't-reach-out or consent-withdrawn seeker's details: one address again.
    let ana_cookie = cookie(store, ana).await;
    let (status, group_csv) = get(&app, Some(&ana_cookie), &format!("/reports/export.csv?scope=group:{navigators}&from=&to=&category=&status_group=&what=rows&contact=1")).await;
    assert_eq!(status, 200);
    assert_eq!(group_csv.lines().count(), 4);
    assert_eq!(group_csv.matches("rosa@example.org").count(), 1);
    // A member who is not an admin, another scope, no session: refused.
    let ben_cookie = cookie(store, ben).await;
    let (status, _) = get(
        &app,
        Some(&ben_cookie),
        &format!("/reports/export.csv?{q}&what=rows"),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = get(&app, Some(&carla_cookie), &format!("/reports/export.csv?scope=group:{navigators}&from=&to=&category=&status_group=&what=rows")).await;
    assert_eq!(status, 403);
    let (status, _) = get(&app, None, &format!("/reports/export.csv?{q}&what=rows")).await;
    assert_eq!(status, 401);

    // Every export that ran is recorded, with its row count.
    let records = store.report_exports(10).await.unwrap();
    let kinds: Vec<(&str, Option<i64>)> =
        records.iter().map(|r| (r.what.as_str(), r.rows)).collect();
    assert_eq!(
        kinds,
        vec![
            ("rows_with_contact", Some(3)),
            ("figures", Some(3)),
            ("rows", Some(3)),
            ("rows", Some(3)),
            ("rows_with_contact", Some(3))
        ]
    );
    assert!(
        records[0].user_email == "ana@example.org" && records[0].filters.contains("scope=group")
    );
}

/// The network's kept cells agree with the referrals they count, after a rebuild and after
/// every kind of change since (made, answered, reopened, backdated), and are counted again
/// in a new time zone.
#[tokio::test]
async fn the_networks_kept_cells_agree_with_its_referrals() {
    use app::model::report::figures::ReportSums;
    use app::model::report::{ReportScope, figures};
    use app::server::store::ReportFilter;
    let state = fresh_state().await;
    let store = &state.store;
    let ana = user(store, "Ana Navarro", "ana@example.org").await;
    let carla = user(store, "Carla Cruz", "carla@example.org").await;
    let food = program(store, "Food", "food@listed.org").await;
    let clinic = program(store, "Clinic", "clinic@listed.org").await;
    store.add_program_staff(food, carla).await.unwrap();
    let rosa = person(store, "rosa@example.org", Some(ana)).await;
    let make = |program| {
        let store = store.clone();
        async move {
            store
                .create_referral(
                    &new_referral(rosa, program, Some((ana, None)), ContactPreference::Email),
                    &actor(ana, Role::Helper),
                )
                .await
                .unwrap()
        }
    };
    let first = make(food).await;
    change(store, first, &actor(carla, Role::Program), Status::Eligible).await;
    assert!(!store.report_cells_ready().await.unwrap(), "never counted");
    assert_eq!(store.count_report_cells().await.unwrap(), 1);
    assert_eq!(
        store.count_report_cells().await.unwrap(),
        0,
        "nothing to do"
    );
    assert!(store.report_cells_ready().await.unwrap());

    // Changes after the rebuild are kept by their own transactions.
    let second = make(food).await;
    change(store, second, &actor(carla, Role::Program), Status::GotHelp).await;
    change(store, second, &actor(ana, Role::Helper), Status::Pending).await;
    let third = make(clinic).await;
    store.backdate_referral(third, 40).await.unwrap();
    change(
        store,
        first,
        &actor(carla, Role::Program),
        Status::CouldntContact,
    )
    .await;

    let today = store
        .schedule()
        .zone
        .local(app::server::clock::now_ms())
        .day;
    let sums = |filter: ReportFilter| {
        let store = store.clone();
        async move {
            let kept = store
                .report_sums(ReportScope::All, &filter, true, today)
                .await
                .unwrap();
            let summed = store
                .summed_report_sums(ReportScope::All, &filter, true, today)
                .await
                .unwrap();
            assert_eq!(kept, summed, "kept and summed agree for {filter:?}");
            kept
        }
    };
    let all = sums(ReportFilter::default()).await;
    let f = figures(&all);
    assert_eq!(f.referrals, 3);
    assert_eq!(
        f.not_updated_after_30_days,
        Some(Share { part: 1, whole: 1 }),
        "the backdated one, untouched for 40 days"
    );
    let totals = app::model::report::figures::program_totals;
    assert_eq!(
        totals(&all.programs),
        vec![(food, 2, 1, 0), (clinic, 1, 0, 0)],
        "Food: one closed (Couldn't contact), one reopened"
    );
    // Dates: the backdated one alone, forty days ago (a range inside one month reads the
    // referrals for the top lists); a status group.
    let old = sums(ReportFilter {
        from_day: Some(today - 41),
        to_day: Some(today - 39),
        ..ReportFilter::default()
    })
    .await;
    assert_eq!(figures(&old).referrals, 1);
    assert_eq!(totals(&old.programs), vec![(clinic, 1, 0, 0)]);
    let closed = sums(ReportFilter {
        status_group: Some(app::model::StatusGroup::NeedsFurtherAction),
        ..ReportFilter::default()
    })
    .await;
    assert_eq!(figures(&closed).referrals, 1);
    assert_eq!(closed.steps.len(), 1, "its answer's step");
    // A program's own kept cells, and those of a category's programs (both are "food").
    let food_only = sums(ReportFilter {
        program: Some(food),
        ..ReportFilter::default()
    })
    .await;
    assert_eq!(figures(&food_only).referrals, 2);
    let in_food = sums(ReportFilter {
        category: Some("Food".into()),
        ..ReportFilter::default()
    })
    .await;
    assert_eq!(
        figures(&in_food).referrals,
        3,
        "a category is matched lower-cased"
    );
    let nothing = sums(ReportFilter {
        category: Some("legal".into()),
        ..ReportFilter::default()
    })
    .await;
    assert_eq!(figures(&nothing).referrals, 0);
    let staff_view = store
        .report_sums(
            ReportScope::Program(food),
            &ReportFilter::default(),
            false,
            today,
        )
        .await
        .unwrap();
    assert_eq!(
        staff_view,
        ReportSums {
            programs: vec![],
            ..food_only.clone()
        }
    );

    // Another time zone: every day is counted again, and still agrees.
    let store = store
        .clone()
        .with_schedule(app::server::schedule::Schedule {
            zone: app::server::schedule::zone::Zone::named("Pacific/Kiritimati").unwrap(),
            ..app::server::schedule::Schedule::default()
        });
    assert!(!store.report_cells_ready().await.unwrap());
    assert_eq!(store.count_report_cells().await.unwrap(), 3);
    let kept = store
        .report_sums(ReportScope::All, &ReportFilter::default(), true, today)
        .await
        .unwrap();
    let summed = store
        .summed_report_sums(ReportScope::All, &ReportFilter::default(), true, today)
        .await
        .unwrap();
    assert_eq!(kept, summed);
    assert_eq!(figures(&kept).referrals, 3);
}

/// Kept and summed sums agree in everything a figure reads: month rows stand for their
/// days (made per period is compared by month, and as the figures chart it).
fn assert_agree(
    kept: &app::model::report::figures::ReportSums,
    summed: &app::model::report::figures::ReportSums,
    what: &str,
) {
    use app::model::report::{Period, figures, period_start};
    assert_eq!(kept.standing, summed.standing, "standing, {what}");
    assert_eq!(kept.steps, summed.steps, "answers, {what}");
    assert_eq!(kept.programs, summed.programs, "top lists, {what}");
    let by_month = |sums: &app::model::report::figures::ReportSums| {
        let mut months = std::collections::BTreeMap::new();
        for c in &sums.made {
            *months
                .entry((period_start(Period::Month, c.day), c.self_referral))
                .or_insert(0) += c.n;
        }
        months.retain(|_, n| *n != 0);
        months
    };
    assert_eq!(by_month(kept), by_month(summed), "made by month, {what}");
    assert_eq!(figures(kept), figures(summed), "figures, {what}");
}

#[tokio::test]
async fn kept_cells_by_month_and_by_group_agree_with_the_referrals() {
    use app::model::report::ReportScope;
    use app::server::store::ReportFilter;
    let state = fresh_state().await;
    let store = &state.store;
    let ana = user(store, "Ana Navarro", "ana@example.org").await;
    let ben = user(store, "Ben Baker", "ben@example.org").await;
    let carla = user(store, "Carla Cruz", "carla@example.org").await;
    let navigators = store.create_group("Navigators", true, ana).await.unwrap();
    let food = program(store, "Food", "food@listed.org").await;
    let clinic = program(store, "Clinic", "clinic@listed.org").await;
    store.add_program_staff(food, carla).await.unwrap();
    store.add_program_staff(clinic, carla).await.unwrap();
    let rosa = person(store, "rosa@example.org", Some(ana)).await;
    let staff = actor(carla, Role::Program);
    // (days ago, program, made by: Ana in the group, Ben in none, or the seeker, answer)
    let plan: [(i64, _, Option<bool>, Option<Status>); 9] = [
        (400, food, Some(true), Some(Status::GotHelp)),
        (370, clinic, None, None),
        (300, food, Some(false), Some(Status::Eligible)),
        (200, food, Some(true), Some(Status::NotEligible)),
        (150, clinic, Some(true), None),
        (95, food, Some(false), Some(Status::GotHelp)),
        (40, food, Some(true), Some(Status::CouldntContact)),
        (10, clinic, Some(true), Some(Status::Pending)),
        (0, food, None, None),
    ];
    let make = |days_ago: i64, program, by: Option<bool>, answer: Option<Status>| {
        let store = store.clone();
        let staff = staff.clone();
        async move {
            let (referrer, who) = match by {
                Some(true) => (Some((ana, Some(navigators))), actor(ana, Role::Helper)),
                Some(false) => (Some((ben, None)), actor(ben, Role::Helper)),
                None => (None, actor(ana, Role::Seeker)),
            };
            let id = store
                .create_referral(
                    &new_referral(rosa, program, referrer, ContactPreference::Email),
                    &who,
                )
                .await
                .unwrap();
            if let Some(to) = answer {
                change(&store, id, &staff, to).await;
            }
            if days_ago > 0 {
                store.backdate_referral(id, days_ago).await.unwrap();
            }
            id
        }
    };
    for (days_ago, program, by, answer) in plan.iter().take(6) {
        make(*days_ago, *program, *by, *answer).await;
    }
    assert!(store.count_report_cells().await.unwrap() > 0);
    // The rest are kept by their own transactions.
    for (days_ago, program, by, answer) in plan.iter().skip(6) {
        make(*days_ago, *program, *by, *answer).await;
    }
    let today = store
        .schedule()
        .zone
        .local(app::server::clock::now_ms())
        .day;
    let cases: Vec<(ReportScope, ReportFilter)> = {
        let range = |from: Option<i64>, to: Option<i64>| ReportFilter {
            from_day: from.map(|d| today - d),
            to_day: to.map(|d| today - d),
            ..ReportFilter::default()
        };
        let mut cases = Vec::new();
        for scope in [
            ReportScope::All,
            ReportScope::Group(navigators),
            ReportScope::Program(food),
        ] {
            for filter in [
                range(None, None),
                range(Some(420), Some(100)),
                range(Some(380), Some(20)),
                range(Some(365), None),
                range(None, Some(160)),
                range(Some(45), None),
                ReportFilter {
                    status_group: Some(app::model::StatusGroup::GotHelp),
                    ..range(None, None)
                },
                ReportFilter {
                    status_group: Some(app::model::StatusGroup::NeedsFurtherAction),
                    ..range(Some(250), None)
                },
            ] {
                cases.push((scope, filter));
            }
        }
        cases.push((
            ReportScope::All,
            ReportFilter {
                group: Some(navigators),
                ..range(Some(390), Some(30))
            },
        ));
        cases.push((
            ReportScope::All,
            ReportFilter {
                category: Some("food".into()),
                ..range(None, None)
            },
        ));
        cases.push((
            ReportScope::All,
            ReportFilter {
                program: Some(clinic),
                ..range(Some(380), None)
            },
        ));
        cases
    };
    let mut counted = 0;
    for (scope, filter) in &cases {
        let with_programs = !matches!(scope, ReportScope::Program(_));
        let kept = store
            .report_sums(*scope, filter, with_programs, today)
            .await
            .unwrap();
        let summed = store
            .summed_report_sums(*scope, filter, with_programs, today)
            .await
            .unwrap();
        assert_agree(&kept, &summed, &format!("{scope:?} {filter:?}"));
        counted += app::model::report::figures(&kept).referrals;
    }
    assert!(counted > 50, "the cases count referrals ({counted})");
    let all = store
        .report_sums(ReportScope::All, &ReportFilter::default(), true, today)
        .await
        .unwrap();
    assert_eq!(app::model::report::figures(&all).referrals, 9);
    let group = store
        .report_sums(
            ReportScope::Group(navigators),
            &ReportFilter::default(),
            true,
            today,
        )
        .await
        .unwrap();
    let group_figures = app::model::report::figures(&group);
    assert_eq!(group_figures.referrals, 5, "Ana's, made in the group");
    assert_eq!(group_figures.self_referrals, 0);
    assert_eq!(
        app::model::report::figures::program_totals(&group.programs),
        vec![(food, 3, 3, 1), (clinic, 2, 0, 0)],
        "the group's top lists: Food got help once, closed thrice"
    );
}
