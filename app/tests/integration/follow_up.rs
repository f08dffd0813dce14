//! The loop closes on time (issue 16), on a real database with a clock of the test's own:
//! every job is run with the `now` the test chooses, so nothing sleeps. Seen by the
//! program, overdue and escalated, one reminder a day per staff member however many
//! instances run the job, check-ins once and in the seeker's language, and a withdrawal of
//! consent stopping every email.

use crate::store::{actor, new_referral, person, program, user};
use crate::support::{fresh_state, fresh_store_and_url};
use app::model::follow_up::CheckInStep;
use app::model::{ChangeKind, ContactPreference, EmailKind, Language, ReferralId, Role, Status};
use app::server::schedule::runner::run_due_jobs;
use app::server::store::{Actor, StatusChange};
use app::server::{AppState, Store};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn seeker() -> Actor {
    Actor {
        user: None,
        role: Role::Seeker,
        label: "Rosa D.".into(),
    }
}

async fn change(store: &Store, referral: ReferralId, by: &Actor, to: Status) {
    let version = store.referral(referral).await.unwrap().unwrap().version;
    store
        .change_status(
            &StatusChange {
                referral,
                expected_version: version,
                to,
                note: None,
            },
            by,
        )
        .await
        .unwrap();
}

/// Outbox rows of one kind: (recipient, language).
async fn queued(store: &Store, kind: EmailKind) -> Vec<(String, String)> {
    let mut rows: Vec<_> = store
        .outbox()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.kind == kind)
        .map(|r| (r.recipient_email, r.language))
        .collect();
    rows.sort();
    rows
}

/// The local day (UTC here) and a time of it past the reminder hour.
fn morning_of(at: i64) -> (i64, i64) {
    let day = at.div_euclid(DAY);
    (day, day * DAY + 9 * HOUR)
}

struct World {
    state: AppState,
    ana: app::model::UserId,
    carla: app::model::UserId,
    food: app::model::ProgramId,
    rosa: app::model::PersonId,
}

async fn world() -> World {
    let state = fresh_state().await;
    let store = &state.store;
    let ana = user(store, "Ana Navarro", "ana@example.org").await;
    let carla = user(store, "Carla Cruz", "carla@example.org").await;
    let dan = user(store, "Dan Diaz", "dan@example.org").await;
    let food = program(store, "Food", "listed@food.org").await;
    store.add_program_staff(food, carla).await.unwrap();
    store.add_program_staff(food, dan).await.unwrap();
    let rosa = person(store, "rosa@example.org", Some(ana)).await;
    World {
        state,
        ana,
        carla,
        food,
        rosa,
    }
}

impl World {
    async fn refer(&self, pref: ContactPreference) -> ReferralId {
        self.state
            .store
            .create_referral(
                &new_referral(self.rosa, self.food, Some((self.ana, None)), pref),
                &actor(self.ana, Role::Helper),
            )
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn seen_by_the_program_is_recorded_once_and_emails_nobody() {
    let w = world().await;
    let store = &w.state.store;
    let r = w.refer(ContactPreference::Email).await;
    let mails = store.outbox().await.unwrap().len();
    let staff = actor(w.carla, Role::Program);
    assert!(
        store.mark_seen(r, &staff).await.unwrap(),
        "the first opening"
    );
    assert!(
        !store.mark_seen(r, &staff).await.unwrap(),
        "and only that one"
    );
    let seen: Vec<_> = store
        .history(r)
        .await
        .unwrap()
        .into_iter()
        .filter(|h| h.kind == ChangeKind::Seen)
        .collect();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].actor_role, Some(Role::Program));
    let row = store.referral(r).await.unwrap().unwrap();
    assert_eq!(row.seen_at, Some(seen[0].at));
    assert_eq!(row.status, Status::NotUpdated, "not a status");
    assert_eq!(store.outbox().await.unwrap().len(), mails, "no email");
}

#[tokio::test]
async fn a_referral_becomes_overdue_then_escalated_once_and_reminders_go_once_a_day() {
    let w = world().await;
    let store = &w.state.store;
    let r = w.refer(ContactPreference::Phone).await;
    let row = store.referral(r).await.unwrap().unwrap();
    let expected = store.schedule().deadlines(row.created_at, None);
    assert_eq!(row.overdue_at, Some(expected.overdue_at));
    let overdue_at = expected.overdue_at;
    assert!(
        overdue_at >= row.created_at + 2 * DAY,
        "two business days at least"
    );

    assert_eq!(
        store.count_overdue(w.food, overdue_at - 1).await.unwrap(),
        0
    );
    assert_eq!(store.count_overdue(w.food, overdue_at).await.unwrap(), 1);

    // The first morning it is overdue (the job asks whether it is a business day; the
    // store's part is asked directly here): one reminder to each of the two staff, none
    // twice that day.
    let (day, morning) = morning_of(overdue_at);
    let sent = store.queue_reminders(day, morning).await.unwrap();
    assert_eq!((sent.emails, sent.referrals), (2, 2));
    assert_eq!(
        store
            .queue_reminders(day, morning + HOUR)
            .await
            .unwrap()
            .emails,
        0
    );
    assert_eq!(
        queued(store, EmailKind::OverdueReminder).await,
        vec![
            ("carla@example.org".to_string(), "en".to_string()),
            ("dan@example.org".to_string(), "en".to_string())
        ]
    );

    // Escalation: not before its time, then once, to the helper who made it.
    let escalate_at = expected.escalate_at;
    assert!(escalate_at > overdue_at);
    assert_eq!(store.queue_escalations(escalate_at - 1).await.unwrap(), 0);
    assert_eq!(store.queue_escalations(escalate_at).await.unwrap(), 1);
    assert_eq!(store.queue_escalations(escalate_at + DAY).await.unwrap(), 0);
    assert_eq!(
        queued(store, EmailKind::Escalation).await,
        vec![("ana@example.org".to_string(), "en".to_string())]
    );

    // Once the program moves it, it is no longer overdue and no reminder lists it.
    change(store, r, &actor(w.carla, Role::Program), Status::Pending).await;
    assert_eq!(store.count_overdue(w.food, escalate_at).await.unwrap(), 0);
    let (next_day, next_morning) = morning_of(escalate_at + 7 * DAY);
    assert_eq!(
        store
            .queue_reminders(next_day, next_morning)
            .await
            .unwrap()
            .emails,
        0
    );
    assert_eq!(queued(store, EmailKind::OverdueReminder).await.len(), 2);
}

#[tokio::test]
async fn a_self_referral_has_no_helper_to_escalate_to_so_the_seeker_hears_early() {
    let w = world().await;
    let store = &w.state.store;
    let r = store
        .create_referral(
            &new_referral(w.rosa, w.food, None, ContactPreference::Email),
            &seeker(),
        )
        .await
        .unwrap();
    let escalate_at = store
        .referral(r)
        .await
        .unwrap()
        .unwrap()
        .overdue_at
        .unwrap()
        + 7 * DAY;
    assert_eq!(store.queue_escalations(escalate_at).await.unwrap(), 1);
    assert_eq!(
        queued(store, EmailKind::CheckIn).await,
        vec![("rosa@example.org".to_string(), "en".to_string())]
    );
    assert_eq!(
        store.check_ins_of(r).await.unwrap(),
        vec![CheckInStep::Early]
    );
    assert!(queued(store, EmailKind::Escalation).await.is_empty());
}

#[tokio::test]
async fn check_ins_go_once_in_the_seekers_language_and_never_to_phone_or_dont_reach_out() {
    let w = world().await;
    let store = &w.state.store;
    let mut spanish = new_referral(
        w.rosa,
        w.food,
        Some((w.ana, None)),
        ContactPreference::Email,
    );
    spanish.language = Language::parse("es").unwrap();
    let by_email = store
        .create_referral(&spanish, &actor(w.ana, Role::Helper))
        .await
        .unwrap();
    let by_phone = w.refer(ContactPreference::Phone).await;
    let quiet = w.refer(ContactPreference::DontReachOut).await;
    let closed = w.refer(ContactPreference::Email).await;
    change(
        store,
        closed,
        &actor(w.carla, Role::Program),
        Status::GotHelp,
    )
    .await;
    let created = store.referral(by_email).await.unwrap().unwrap().created_at;

    assert_eq!(store.queue_check_ins(created + 13 * DAY).await.unwrap(), 0);
    assert_eq!(
        store
            .queue_check_ins(created + 14 * DAY + HOUR)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store.queue_check_ins(created + 20 * DAY).await.unwrap(),
        0,
        "once"
    );
    assert_eq!(
        queued(store, EmailKind::CheckIn).await,
        vec![("rosa@example.org".to_string(), "es".to_string())]
    );
    assert_eq!(
        store.check_ins_of(by_email).await.unwrap(),
        vec![CheckInStep::Open]
    );
    for none in [by_phone, quiet, closed] {
        assert!(store.check_ins_of(none).await.unwrap().is_empty(), "{none}");
    }

    // Eligible starts its own wait, from the change.
    change(
        store,
        by_email,
        &actor(w.carla, Role::Program),
        Status::Eligible,
    )
    .await;
    let eligible_at = store.referral(by_email).await.unwrap().unwrap().updated_at;
    assert_eq!(
        store.queue_check_ins(eligible_at + 13 * DAY).await.unwrap(),
        0
    );
    assert_eq!(
        store.queue_check_ins(eligible_at + 14 * DAY).await.unwrap(),
        1
    );
    assert_eq!(
        store.queue_check_ins(eligible_at + 30 * DAY).await.unwrap(),
        0
    );
    assert_eq!(
        store.check_ins_of(by_email).await.unwrap(),
        vec![CheckInStep::Eligible, CheckInStep::Open]
    );
}

#[tokio::test]
async fn a_withdrawal_stops_every_email_for_that_referral() {
    let w = world().await;
    let store = &w.state.store;
    let r = w.refer(ContactPreference::Email).await;
    store.change_consent(r, true, &seeker()).await.unwrap();
    let before = store.outbox().await.unwrap().len();
    // The program asks the seeker for more: normally both seeker and helper hear of it.
    change(
        store,
        r,
        &actor(w.carla, Role::Program),
        Status::NeedsClientAction,
    )
    .await;
    change(store, r, &seeker(), Status::Pending).await;
    let created = store.referral(r).await.unwrap().unwrap().created_at;
    assert_eq!(store.queue_check_ins(created + 30 * DAY).await.unwrap(), 0);
    assert_eq!(
        store.outbox().await.unwrap().len(),
        before,
        "nothing follows"
    );
    let row = store.referral(r).await.unwrap().unwrap();
    assert_eq!(row.contact_preference, ContactPreference::DontReachOut);
    // Given again by the seeker: the seeker's own choice is back.
    store.change_consent(r, false, &seeker()).await.unwrap();
    let row = store.referral(r).await.unwrap().unwrap();
    assert_eq!(row.contact_preference, ContactPreference::Email);
    assert!(row.consent_withdrawn_at.is_none());
    // A helper may not give it back; withdrawing twice is refused.
    assert!(
        store
            .change_consent(r, true, &actor(w.ana, Role::Helper))
            .await
            .is_ok()
    );
    assert!(store.change_consent(r, true, &seeker()).await.is_err());
    assert!(
        store
            .change_consent(r, false, &actor(w.ana, Role::Helper))
            .await
            .is_err()
    );
}

/// Two instances run the scheduler at the same moments, as two server processes would:
/// every reminder, escalation and check-in is queued exactly once.
#[tokio::test]
async fn exactly_one_reminder_per_staff_member_per_day_however_many_instances_run() {
    let (store, url) = fresh_store_and_url().await;
    let second = Store::connect(&url).await.unwrap();
    let ana = user(&store, "Ana Navarro", "ana@example.org").await;
    let rosa = person(&store, "rosa@example.org", Some(ana)).await;
    let mut staff = Vec::new();
    let mut programs = Vec::new();
    for n in 0..4 {
        let p = program(&store, &format!("Program {n}"), &format!("p{n}@listed.org")).await;
        // Programs 0 and 1 share a staff member; 3 stays unclaimed (its listed email).
        if n < 3 {
            let u = user(
                &store,
                &format!("Staff Member{n}"),
                &format!("s{n}@example.org"),
            )
            .await;
            store.add_program_staff(p, u).await.unwrap();
            staff.push(u);
        }
        programs.push(p);
    }
    store
        .add_program_staff(programs[1], staff[0])
        .await
        .unwrap();
    let mut first_created = None;
    for p in &programs {
        for _ in 0..5 {
            let r = store
                .create_referral(
                    &new_referral(rosa, *p, Some((ana, None)), ContactPreference::Email),
                    &actor(ana, Role::Helper),
                )
                .await
                .unwrap();
            first_created.get_or_insert(store.referral(r).await.unwrap().unwrap());
        }
    }
    let first = first_created.unwrap();
    // Mornings from the first overdue day for three weeks: each instance runs its due jobs,
    // concurrently, then both race the reminder job itself (no lease) on the same day.
    let start = first.overdue_at.unwrap();
    let mut reminder_days = 0;
    for d in 0..21 {
        let (day, morning) = morning_of(start + d * DAY);
        let (_, _) = tokio::join!(
            run_due_jobs(&store, "a", morning),
            run_due_jobs(&second, "b", morning)
        );
        // (The store's part does not ask whether it is a business day: the job does.)
        if store.schedule().rules.reminder_day(day, 9 * 60).is_some() {
            reminder_days += 1;
            let (a, b) = tokio::join!(
                store.queue_reminders(day, morning),
                second.queue_reminders(day, morning)
            );
            assert_eq!(
                a.unwrap().emails + b.unwrap().emails,
                0,
                "the jobs sent today's"
            );
        }
    }
    let reminders = queued(&store, EmailKind::OverdueReminder).await;
    // Per business day: staff 0 (one email for programs 0 and 1), staff 1, staff 2, and
    // the unclaimed program's listed email.
    assert_eq!(reminders.len(), 4 * reminder_days, "{reminders:?}");
    for who in [
        "s0@example.org",
        "s1@example.org",
        "s2@example.org",
        "p3@listed.org",
    ] {
        let n = reminders.iter().filter(|(to, _)| to == who).count();
        assert_eq!(n, reminder_days, "{who}");
    }
    // Each of the 20 referrals escalated once to the helper, and checked in on once.
    assert_eq!(queued(&store, EmailKind::Escalation).await.len(), 20);
    assert_eq!(queued(&store, EmailKind::CheckIn).await.len(), 20);
}

/// A program's own response standard: its staff set it (for referrals made from then on);
/// nobody else can, and a bad number is named on its field.
#[tokio::test]
async fn only_a_programs_staff_set_its_response_standard_and_new_referrals_follow_it() {
    let w = world().await;
    let store = &w.state.store;
    let app = app::server::http::router(w.state.clone());
    let session = |u| async move {
        format!(
            "handoff_session={}",
            app::server::auth::start_session(store, u).await.unwrap()
        )
    };
    let (carla, ana) = (session(w.carla).await, session(w.ana).await);
    let set = |cookie: String, days: &'static str| {
        let app = app.clone();
        let food = w.food;
        async move {
            crate::support::call_server_fn(
                &app,
                Some(&cookie),
                "/api/set_response_days",
                &format!("program={food}&days={days}"),
            )
            .await
            .1
        }
    };
    assert_eq!(
        set(ana.clone(), "5").await,
        Some(app::error::AppError::Forbidden)
    );
    let bad = set(carla.clone(), "45").await.expect("refused");
    assert!(bad.message_for("days").is_some(), "{bad:?}");
    assert_eq!(store.response_days(w.food).await.unwrap(), None);
    assert_eq!(set(carla.clone(), "5").await, None);
    assert_eq!(store.response_days(w.food).await.unwrap(), Some(5));
    let r = w.refer(ContactPreference::Email).await;
    let row = store.referral(r).await.unwrap().unwrap();
    assert_eq!(
        row.overdue_at,
        Some(
            store
                .schedule()
                .deadlines(row.created_at, Some(5))
                .overdue_at
        )
    );
    assert_eq!(set(carla, "").await, None, "back to the deployment's");
    assert_eq!(store.response_days(w.food).await.unwrap(), None);
}
