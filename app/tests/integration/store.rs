//! The store against a real database: SQLite or PostgreSQL (HANDOFF_TEST_DATABASE).

use crate::support::{backend, fresh_store};
use app::error::AppError;
use app::model::{
    ContactPreference, EmailAddress, Language, NoteText, Password, PersonName, PhoneNumber,
    Relations, Role, Status,
};
use app::model::{GroupId, PersonId, ProgramId, ReferralId, UserId};
use app::server::auth::{self, check_login, hash_password};
use app::server::clock::now_ms;
use app::server::store::{
    Actor, GroupRole, NewPerson, NewProgram, NewReferral, NewUser, PersonChoice, StatusChange,
};
use app::server::{Store, demo};

pub fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

pub async fn user(store: &Store, name: &str, mail: &str) -> UserId {
    store
        .create_user(&NewUser {
            name: PersonName::parse(name).unwrap(),
            email: email(mail),
            language: Language::english(),
            // A real hash is slow; these tests never log these users in.
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".into(),
            email_verified: true,
            is_site_admin: false,
        })
        .await
        .unwrap()
}

pub async fn program(store: &Store, name: &str, listed: &str) -> ProgramId {
    store
        .create_program(&NewProgram {
            name: name.into(),
            organization: format!("{name} Org"),
            categories: vec!["food".into()],
            languages: vec!["en".into()],
            contact_email: Some(listed.into()),
            ..Default::default()
        })
        .await
        .unwrap()
}

/// Moves a referral on (at its current version), as `who`, with an optional note.
pub async fn move_to(
    store: &app::server::Store,
    referral: app::model::ReferralId,
    who: &app::model::Actor,
    to: app::model::Status,
    note: Option<&str>,
) {
    let version = store.referral(referral).await.unwrap().unwrap().version;
    store
        .change_status(
            &app::server::store::StatusChange {
                referral,
                expected_version: version,
                to,
                note: note.map(|n| app::model::NoteText::parse(n).unwrap()),
            },
            who,
        )
        .await
        .unwrap();
}

pub async fn person(store: &Store, mail: &str, by: Option<UserId>) -> PersonId {
    store
        .create_person(&NewPerson {
            first_name: PersonName::parse("Rosa").unwrap(),
            last_name: PersonName::parse("Diaz").unwrap(),
            email: Some(email(mail)),
            phone: Some(PhoneNumber::parse("555-123-4567").unwrap()),
            language: Language::english(),
            user: None,
            created_by: by,
        })
        .await
        .unwrap()
}

pub fn new_referral(
    person: PersonId,
    program: ProgramId,
    referrer: Option<(UserId, Option<GroupId>)>,
    pref: ContactPreference,
) -> NewReferral {
    NewReferral {
        person: PersonChoice::Existing(person),
        program,
        referrer,
        contact_preference: pref,
        contact_email: Some(email("rosa@example.org")),
        contact_phone: None,
        language: Language::english(),
        comments: "Needs groceries this week".into(),
    }
}

pub fn actor(user: UserId, role: Role) -> Actor {
    Actor {
        user: Some(user),
        role,
        label: format!("User {user}"),
    }
}

fn recipients(rows: &[app::server::store::OutboxRow]) -> Vec<(String, String)> {
    rows.iter()
        .map(|r| (r.kind.to_string(), r.recipient_email.clone()))
        .collect()
}

#[tokio::test]
async fn backend_is_the_one_asked_for() {
    let store = fresh_store().await;
    println!("store tests running on {}", store.backend().name());
    assert_eq!(store.backend(), backend());
    store.ping().await.unwrap();
}

#[tokio::test]
async fn users_are_unique_by_email_case_insensitively() {
    let store = fresh_store().await;
    let id = user(&store, "Ana Pérez", "ana@example.org").await;
    let again = store
        .create_user(&NewUser {
            name: PersonName::parse("Other").unwrap(),
            email: email("ANA@example.org"),
            language: Language::english(),
            password_hash: "x".into(),
            email_verified: false,
            is_site_admin: false,
        })
        .await
        .map_err(AppError::from)
        .unwrap_err();
    assert!(
        again
            .message_for("email")
            .map(|m| m.to_string())
            .unwrap()
            .contains("already exists"),
        "{again:?}"
    );
    let found = store
        .user_by_email(&email("ana@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.id, found.name.as_str()), (id, "Ana Pérez"));
    assert_eq!(store.count_users().await.unwrap(), 1);
}

#[tokio::test]
async fn sessions_live_until_they_expire_or_are_deleted() {
    let store = fresh_store().await;
    let id = user(&store, "Ana", "ana@example.org").await;
    let now = now_ms();
    store
        .create_session("live", id, now, now + 60_000)
        .await
        .unwrap();
    store
        .create_session("old", id, now - 10, now - 1)
        .await
        .unwrap();
    assert_eq!(
        store.session_user("live", now).await.unwrap().map(|u| u.id),
        Some(id)
    );
    assert_eq!(store.session_user("old", now).await.unwrap(), None);
    assert_eq!(store.session_user("unknown", now).await.unwrap(), None);
    assert_eq!(store.delete_expired_sessions(now).await.unwrap(), 1);
    store.delete_session("live").await.unwrap();
    assert_eq!(store.session_user("live", now).await.unwrap(), None);
}

/// Helpers, staff and administrators are logged out after 30 idle minutes; a seeker's
/// session lasts its 7 days. A request counts as use; a live stream's check does not.
#[tokio::test]
async fn idle_sessions_end_for_helpers_but_not_for_seekers() {
    let store = fresh_store().await;
    let helper = user(&store, "Ana", "ana@example.org").await;
    let seeker = user(&store, "Dana", "dana@example.org").await;
    store
        .create_group("Navigators", true, helper)
        .await
        .unwrap();
    let now = now_ms();
    let idle = app::server::store::DEFAULT_IDLE_TIMEOUT_MS;
    let day = 24 * 60 * 60 * 1000;
    for (token, id) in [("helper", helper), ("seeker", seeker)] {
        store
            .create_session(token, id, now, now + 7 * day)
            .await
            .unwrap();
    }
    let later = now + idle - 1_000;
    // A stream's check does not keep the session alive...
    assert!(store.session_user("helper", later).await.unwrap().is_some());
    assert!(
        store
            .session_user("helper", now + idle + 1)
            .await
            .unwrap()
            .is_none()
    );
    // ...a request does.
    assert!(
        store
            .session_user_touching("helper", later)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .session_user("helper", later + idle - 1)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .session_user("helper", later + idle + 1)
            .await
            .unwrap()
            .is_none()
    );
    // The seeker's session outlives any idle time, until it expires.
    assert!(
        store
            .session_user("seeker", now + 6 * day)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .session_user("seeker", now + 7 * day)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn login_checks_the_password_and_throttles_repeated_failures() {
    let store = fresh_store().await;
    let hash = hash_password(&Password::parse("right password 1").unwrap())
        .await
        .unwrap();
    let id = store
        .create_user(&NewUser {
            name: PersonName::parse("Ana").unwrap(),
            email: email("ana@example.org"),
            language: Language::english(),
            password_hash: hash,
            email_verified: false,
            is_site_admin: false,
        })
        .await
        .unwrap();
    let ana = email("ana@example.org");
    assert_eq!(
        check_login(&store, &ana, "right password 1".into(), "10.0.0.1")
            .await
            .unwrap(),
        id
    );
    // Unknown email and wrong password give the very same error.
    let unknown = check_login(&store, &email("nobody@example.org"), "x".into(), "10.0.0.2")
        .await
        .unwrap_err();
    let wrong = check_login(&store, &ana, "wrong".into(), "10.0.0.1")
        .await
        .unwrap_err();
    assert_eq!(unknown, AppError::InvalidCredentials);
    assert_eq!(wrong, AppError::InvalidCredentials);
    // A stranger guessing from another address is slowed down, ever more...
    for _ in 0..auth::FREE_FAILURES_PER_PAIR {
        check_login(&store, &ana, "wrong".into(), "10.0.0.9")
            .await
            .unwrap_err();
    }
    let stranger = check_login(&store, &ana, "right password 1".into(), "10.0.0.9")
        .await
        .unwrap_err();
    assert!(
        matches!(
            stranger,
            AppError::Throttled {
                retry_after_minutes: 1
            }
        ),
        "{stranger:?}"
    );
    // ...but the owner, from their own address, gets straight in (issue 12: a stranger's
    // failures never lock the owner out).
    assert_eq!(
        check_login(&store, &ana, "right password 1".into(), "10.0.0.3")
            .await
            .unwrap(),
        id
    );
    // Someone else behind the stranger's address (a library) is not held back either.
    let bo = store
        .create_user(&NewUser {
            name: PersonName::parse("Bo").unwrap(),
            email: email("bo@example.org"),
            language: Language::english(),
            password_hash: hash_password(&Password::parse("bo's password!").unwrap())
                .await
                .unwrap(),
            email_verified: true,
            is_site_admin: false,
        })
        .await
        .unwrap();
    assert_eq!(
        check_login(
            &store,
            &email("bo@example.org"),
            "bo's password!".into(),
            "10.0.0.9"
        )
        .await
        .unwrap(),
        bo
    );
    // The owner's own typos: a short wait, then the right password works.
    for _ in 1..auth::FREE_FAILURES_PER_PAIR {
        check_login(&store, &ana, "wrong".into(), "10.0.0.1")
            .await
            .unwrap_err();
    }
    let waits = check_login(&store, &ana, "right password 1".into(), "10.0.0.1")
        .await
        .unwrap_err();
    assert!(matches!(waits, AppError::Throttled { .. }), "{waits:?}");
    sqlx::query("UPDATE login_failures SET at = at - 31000")
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(
        check_login(&store, &ana, "right password 1".into(), "10.0.0.1")
            .await
            .unwrap(),
        id
    );
}

#[tokio::test]
async fn login_is_throttled_per_address_too() {
    let store = fresh_store().await;
    for i in 0..auth::MAX_FAILURES_PER_ADDRESS {
        let who = email(&format!("guess{i}@example.org"));
        assert_eq!(
            check_login(&store, &who, "x".into(), "10.9.9.9")
                .await
                .unwrap_err(),
            AppError::InvalidCredentials
        );
    }
    let next = check_login(
        &store,
        &email("another@example.org"),
        "x".into(),
        "10.9.9.9",
    )
    .await
    .unwrap_err();
    assert!(matches!(next, AppError::Throttled { .. }), "{next:?}");
    // Another address is not affected.
    let other = check_login(
        &store,
        &email("another@example.org"),
        "x".into(),
        "10.1.1.1",
    )
    .await
    .unwrap_err();
    assert_eq!(other, AppError::InvalidCredentials);
}

#[tokio::test]
async fn groups_memberships_and_staff_make_up_the_viewer() {
    let store = fresh_store().await;
    let ana = user(&store, "Ana", "ana@example.org").await;
    let ben = user(&store, "Ben", "ben@example.org").await;
    let group = store.create_group("Navigators", true, ana).await.unwrap();
    store
        .put_member(group, ben, GroupRole::Member)
        .await
        .unwrap();
    let food = program(&store, "Food", "food@example.org").await;
    assert!(!store.program(food).await.unwrap().unwrap().is_claimed());
    store.add_program_staff(food, ben).await.unwrap();
    assert!(store.program(food).await.unwrap().unwrap().is_claimed());

    let viewer = store.viewer(ben).await.unwrap();
    assert_eq!(
        (viewer.groups.clone(), viewer.staff_of.clone()),
        (vec![group], vec![food])
    );
    let members = store.members(group).await.unwrap();
    assert_eq!(
        members
            .iter()
            .map(|m| (m.name.as_str(), m.role.as_str()))
            .collect::<Vec<_>>(),
        [("Ana", "admin"), ("Ben", "member")]
    );
    assert!(store.group(group).await.unwrap().unwrap().team_navigation());
    store.set_team_navigation(group, false).await.unwrap();
    assert!(!store.group(group).await.unwrap().unwrap().team_navigation());
    assert!(store.remove_member(group, ben).await.unwrap());
    assert!(store.viewer(ben).await.unwrap().groups.is_empty());
}

#[tokio::test]
async fn a_helper_referral_writes_history_and_the_spec_emails_in_one_go() {
    let store = fresh_store().await;
    let ana = user(&store, "Ana", "ana@example.org").await;
    let carla = user(&store, "Carla", "carla@example.org").await;
    let group = store.create_group("Navigators", true, ana).await.unwrap();
    let food = program(&store, "Food", "listed@food.org").await;
    store.add_program_staff(food, carla).await.unwrap();
    let rosa = person(&store, "rosa@example.org", Some(ana)).await;

    let id = store
        .create_referral(
            &new_referral(
                rosa,
                food,
                Some((ana, Some(group))),
                ContactPreference::Email,
            ),
            &actor(ana, Role::Helper),
        )
        .await
        .unwrap();
    let r = store.referral(id).await.unwrap().unwrap();
    assert_eq!((r.status, r.version), (Status::NotUpdated, 1));
    let history = store.history(id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].kind.as_str(),
            history[0].to_status.map(Status::as_str)
        ),
        ("created", Some("not_updated"))
    );
    // Seeker (email preference) and the claimed program's staff; not the listed address.
    assert_eq!(
        recipients(&store.outbox().await.unwrap()),
        [
            (
                "new_referral_for_seeker".to_string(),
                "rosa@example.org".to_string()
            ),
            (
                "new_inbound_referral".to_string(),
                "carla@example.org".to_string()
            ),
        ]
    );

    let facts = store.referral_facts(id).await.unwrap().unwrap();
    assert_eq!(
        (
            facts.referrer,
            facts.referrer_group,
            facts.team_navigation,
            facts.program
        ),
        (Some(ana), Some(group), true, food)
    );
    assert_eq!(facts.seeker_user, None);
}

#[tokio::test]
async fn unclaimed_programs_are_emailed_at_their_listed_address_and_dont_reach_out_is_silent() {
    let store = fresh_store().await;
    let ana = user(&store, "Ana", "ana@example.org").await;
    let unclaimed = program(&store, "Legal", "listed@legal.org").await;
    let rosa = person(&store, "rosa@example.org", Some(ana)).await;
    store
        .create_referral(
            &new_referral(rosa, unclaimed, Some((ana, None)), ContactPreference::Phone),
            &actor(ana, Role::Helper),
        )
        .await
        .unwrap();
    assert_eq!(
        recipients(&store.outbox().await.unwrap()),
        [(
            "new_inbound_referral".to_string(),
            "listed@legal.org".to_string()
        )]
    );

    let quiet = store
        .create_referral(
            &new_referral(
                rosa,
                unclaimed,
                Some((ana, None)),
                ContactPreference::DontReachOut,
            ),
            &actor(ana, Role::Helper),
        )
        .await
        .unwrap();
    store
        .change_status(
            &StatusChange {
                referral: quiet,
                expected_version: 1,
                to: Status::NeedsClientAction,
                note: None,
            },
            &Actor {
                user: None,
                role: Role::Program,
                label: "Legal".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.outbox().await.unwrap().len(),
        1,
        "don't reach out produced mail"
    );
}

#[tokio::test]
async fn status_changes_are_versioned_and_a_stale_one_writes_nothing() {
    let store = fresh_store().await;
    let ana = user(&store, "Ana", "ana@example.org").await;
    let carla = user(&store, "Carla", "carla@example.org").await;
    let food = program(&store, "Food", "listed@food.org").await;
    store.add_program_staff(food, carla).await.unwrap();
    let rosa = person(&store, "rosa@example.org", Some(ana)).await;
    let id = store
        .create_referral(
            &new_referral(rosa, food, Some((ana, None)), ContactPreference::Email),
            &actor(ana, Role::Helper),
        )
        .await
        .unwrap();
    let mails_before = store.outbox().await.unwrap().len();

    // The program asks the seeker for something: the seeker and the helper are emailed.
    let change = StatusChange {
        referral: id,
        expected_version: 1,
        to: Status::NeedsClientAction,
        note: Some(NoteText::parse("Bring proof of address").unwrap()),
    };
    let after = store
        .change_status(&change, &actor(carla, Role::Program))
        .await
        .unwrap();
    assert_eq!(
        (after.status, after.version),
        (Status::NeedsClientAction, 2)
    );
    let mails = store.outbox().await.unwrap();
    assert_eq!(
        recipients(&mails[mails_before..]),
        [
            ("status_update".to_string(), "rosa@example.org".to_string()),
            ("status_update".to_string(), "ana@example.org".to_string()),
        ]
    );

    // A second user still holding version 1 is refused, and nothing is written.
    let history_before = store.history(id).await.unwrap().len();
    let stale = StatusChange {
        referral: id,
        expected_version: 1,
        to: Status::GotHelp,
        note: None,
    };
    let err = store
        .change_status(&stale, &actor(ana, Role::Helper))
        .await
        .map_err(AppError::from)
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.to_string().contains("Needs client action")),
        "{err:?}"
    );
    assert_eq!(store.history(id).await.unwrap().len(), history_before);
    assert_eq!(store.outbox().await.unwrap().len(), mails.len());
    assert_eq!(store.referral(id).await.unwrap().unwrap().version, 2);

    // Setting the status it already has is a field error, not a silent no-op.
    let same = StatusChange {
        referral: id,
        expected_version: 2,
        to: Status::NeedsClientAction,
        note: None,
    };
    assert!(
        store
            .change_status(&same, &actor(ana, Role::Helper))
            .await
            .map_err(AppError::from)
            .unwrap_err()
            .message_for("status")
            .map(|m| m.to_string())
            .is_some()
    );

    // A helper's change is silent; the history records from → to, who and the note.
    store
        .change_status(
            &StatusChange {
                referral: id,
                expected_version: 2,
                to: Status::GotHelp,
                note: None,
            },
            &actor(ana, Role::Helper),
        )
        .await
        .unwrap();
    assert_eq!(store.outbox().await.unwrap().len(), mails.len());
    let history = store.history(id).await.unwrap();
    let steps: Vec<_> = history
        .iter()
        .map(|h| {
            (
                h.kind.as_str(),
                h.from_status.map(Status::as_str),
                h.to_status.map(Status::as_str),
                h.actor_role.map(Role::as_str),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("created", None, Some("not_updated"), Some("helper")),
            (
                "status",
                Some("not_updated"),
                Some("needs_client_action"),
                Some("program")
            ),
            (
                "status",
                Some("needs_client_action"),
                Some("got_help"),
                Some("helper")
            ),
        ]
    );
    assert_eq!(history[1].body.as_deref(), Some("Bring proof of address"));
    assert_eq!(history[1].actor_label, format!("User {carla}"));

    assert_eq!(
        store
            .change_status(
                &StatusChange {
                    referral: ReferralId(9999),
                    expected_version: 1,
                    to: Status::Pending,
                    note: None
                },
                &actor(ana, Role::Helper)
            )
            .await
            .map_err(AppError::from)
            .unwrap_err(),
        AppError::NotFound
    );
}

#[tokio::test]
async fn the_not_updated_count_follows_every_change_and_matches_a_recount() {
    let store = fresh_store().await;
    let ana = user(&store, "Ana", "ana@example.org").await;
    let carla = user(&store, "Carla", "carla@example.org").await;
    let food = program(&store, "Food", "listed@food.org").await;
    let rent = program(&store, "Rent", "listed@rent.org").await;
    store.add_program_staff(food, carla).await.unwrap();
    let rosa = person(&store, "rosa@example.org", Some(ana)).await;
    let recount = |program: ProgramId| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM referrals WHERE program_id = $1 AND status = 'not_updated'",
            )
            .bind(program)
            .fetch_one(store.pool())
            .await
            .unwrap()
        }
    };
    assert_eq!(store.count_not_updated(food).await.unwrap(), 0);
    let mut ids = Vec::new();
    for program in [food, food, food, rent] {
        let id = store
            .create_referral(
                &new_referral(rosa, program, Some((ana, None)), ContactPreference::Phone),
                &actor(ana, Role::Helper),
            )
            .await
            .unwrap();
        ids.push(id);
    }
    assert_eq!(store.count_not_updated(food).await.unwrap(), 3);
    assert_eq!(store.count_not_updated(rent).await.unwrap(), 1);

    // Away from "Not updated", between other statuses, back to it, and a refused change.
    let steps = [
        (ids[0], Status::Pending),
        (ids[0], Status::Eligible),
        (ids[1], Status::GotHelp),
        (ids[0], Status::NotUpdated),
        (ids[2], Status::NoCapacity),
    ];
    for (id, to) in steps {
        let version = store.referral(id).await.unwrap().unwrap().version;
        store
            .change_status(
                &StatusChange {
                    referral: id,
                    expected_version: version,
                    to,
                    note: None,
                },
                &actor(carla, Role::Program),
            )
            .await
            .unwrap();
        assert_eq!(
            store.count_not_updated(food).await.unwrap(),
            recount(food).await,
            "after {to:?}"
        );
    }
    let stale = store
        .change_status(
            &StatusChange {
                referral: ids[0],
                expected_version: 1,
                to: Status::Pending,
                note: None,
            },
            &actor(carla, Role::Program),
        )
        .await;
    assert!(stale.is_err());
    assert_eq!(store.count_not_updated(food).await.unwrap(), 1);
    assert_eq!(recount(food).await, 1);
    assert_eq!(store.count_not_updated(rent).await.unwrap(), 1);
}

#[tokio::test]
async fn notes_are_appended_and_history_cannot_be_rewritten() {
    let store = fresh_store().await;
    let ana = user(&store, "Ana", "ana@example.org").await;
    let food = program(&store, "Food", "listed@food.org").await;
    let rosa = person(&store, "rosa@example.org", Some(ana)).await;
    let id = store
        .create_referral(
            &new_referral(rosa, food, Some((ana, None)), ContactPreference::Email),
            &actor(ana, Role::Helper),
        )
        .await
        .unwrap();
    store
        .add_note(
            id,
            &NoteText::parse("Left a voicemail").unwrap(),
            &actor(ana, Role::Helper),
        )
        .await
        .unwrap();
    let history = store.history(id).await.unwrap();
    assert_eq!(
        (history[1].kind.as_str(), history[1].body.as_deref()),
        ("note", Some("Left a voicemail"))
    );
    assert_eq!(
        store
            .add_note(
                ReferralId(424242),
                &NoteText::parse("x").unwrap(),
                &actor(ana, Role::Helper)
            )
            .await
            .map_err(AppError::from)
            .unwrap_err(),
        AppError::NotFound
    );

    let rewrite = sqlx::query("UPDATE referral_history SET body = 'edited' WHERE referral_id = $1")
        .bind(id)
        .execute(store.pool())
        .await;
    assert!(rewrite.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test]
async fn persons_link_to_an_account_only_once_its_email_is_verified() {
    let store = fresh_store().await;
    let ana = user(&store, "Ana", "ana@example.org").await;
    let rosa_person = person(&store, "rosa@example.org", Some(ana)).await;
    let unverified = store
        .create_user(&NewUser {
            name: PersonName::parse("Rosa").unwrap(),
            email: email("rosa@example.org"),
            language: Language::english(),
            password_hash: "x".into(),
            email_verified: false,
            is_site_admin: false,
        })
        .await
        .unwrap();
    assert_eq!(
        store
            .link_persons_to_verified_user(unverified)
            .await
            .unwrap(),
        0
    );
    sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1")
        .bind(unverified)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(
        store
            .link_persons_to_verified_user(unverified)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store.person(rosa_person).await.unwrap().unwrap().user_id,
        Some(unverified)
    );
}

#[tokio::test]
async fn demo_data_seeds_once_with_every_role_and_a_dont_reach_out_referral() {
    let store = fresh_store().await;
    assert!(demo::seed_once(&store).await.unwrap());
    assert!(
        !demo::seed_once(&store).await.unwrap(),
        "second seed must do nothing"
    );
    assert_eq!(store.count_users().await.unwrap(), 6);
    assert!(store.count_programs().await.unwrap() >= 5);
    assert_eq!(store.count_referrals().await.unwrap(), 4);

    // Carla (program staff) sees Eli's don't-reach-out referral but not his contact details.
    let carla = store
        .user_by_email(&email("carla@foodbank.test"))
        .await
        .unwrap()
        .unwrap();
    let viewer = store.viewer(carla.id).await.unwrap();
    let mut dont_reach_out_seen = 0;
    for id in (1..=4).map(ReferralId) {
        let facts = store.referral_facts(id).await.unwrap().unwrap();
        let rel = Relations::of(Some(&viewer), &facts);
        if rel.may_see() && facts.contact_preference == ContactPreference::DontReachOut {
            assert!(!rel.may_read_contact_details(facts.contact_preference));
            dont_reach_out_seen += 1;
        }
    }
    assert_eq!(dont_reach_out_seen, 1);
    // Every demo user can log in with the documented password.
    let dana = check_login(
        &store,
        &email("dana@example.test"),
        demo::DEMO_PASSWORD.into(),
        "127.0.0.1",
    )
    .await
    .unwrap();
    assert_eq!(store.user(dana).await.unwrap().unwrap().name, "Dana Lee");
}

/// A burst of requests at once cannot slip past a limit: each use is recorded before it is
/// counted, so of 20 parallel uses of a limit of 3, at most 3 pass.
#[tokio::test]
async fn a_burst_of_parallel_requests_stays_within_the_limit() {
    let store = fresh_store().await;
    let uses = (0..20).map(|_| {
        let store = store.clone();
        tokio::spawn(
            async move { auth::within_limit(&store, "refer_to:rosa@example.org", 3).await },
        )
    });
    let mut passed = 0;
    for u in uses {
        if u.await.unwrap().unwrap() {
            passed += 1;
        }
    }
    assert!((1..=3).contains(&passed), "{passed} passed");
    // The key is stored hashed: the table holds no address.
    let keys: Vec<String> = sqlx::query_scalar("SELECT throttle_key FROM login_failures")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert!(
        !keys.is_empty() && keys.iter().all(|k| !k.contains("rosa")),
        "{keys:?}"
    );
}
