//! The authorization matrix, through the real server functions on a real database:
//! every role × see / change status / add note / read contact details, each cell asserted.
//! Plus: "don't reach out" details never reach program staff, in any response.

use crate::support::fresh_state;
use app::error::AppError;
use app::model::{ContactPreference, EmailAddress, Language, PersonName, PhoneNumber, Role};
use app::model::{GroupId, ProgramId, ReferralId, UserId};
use app::server::auth::start_session;
use app::server::store::{
    Actor, GroupRole, NewPerson, NewProgram, NewReferral, NewUser, PersonChoice,
};
use app::server::{AppState, Store};
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Seeker,
    Referrer,
    TeamMate,
    ProgramStaff,
    OtherProgramStaff,
    Stranger,
    Anonymous,
}

const EVERYONE: [Who; 7] = [
    Who::Seeker,
    Who::Referrer,
    Who::TeamMate,
    Who::ProgramStaff,
    Who::OtherProgramStaff,
    Who::Stranger,
    Who::Anonymous,
];

struct World {
    state: AppState,
    app: axum::Router,
    group: GroupId,
    referral: ReferralId,
    quiet_referral: ReferralId,
    cookies: Vec<(Who, Option<String>)>,
}

const SEEKER_EMAIL: &str = "seeker.private@example.org";
const SEEKER_PHONE: &str = "555-909-8080";

async fn user(store: &Store, name: &str, email: &str) -> UserId {
    store
        .create_user(&NewUser {
            name: PersonName::parse(name).unwrap(),
            email: EmailAddress::parse(email).unwrap(),
            language: Language::english(),
            password_hash: "unused".into(),
            email_verified: true,
            is_site_admin: false,
        })
        .await
        .unwrap()
}

async fn world() -> World {
    let state = fresh_state().await;
    let store = state.store.clone();
    let seeker = user(&store, "Sara Seeker", SEEKER_EMAIL).await;
    let referrer = user(&store, "Hank Helper", "hank@helpers.org").await;
    let team_mate = user(&store, "Tina Team", "tina@helpers.org").await;
    let staff = user(&store, "Carl Staff", "carl@pantry.org").await;
    let other_staff = user(&store, "Olga Other", "olga@clinic.org").await;
    let stranger = user(&store, "Stan Stranger", "stan@example.org").await;

    let group = store.create_group("Helpers", true, referrer).await.unwrap();
    store
        .put_member(group, team_mate, GroupRole::Member)
        .await
        .unwrap();
    let program = |name: &str| NewProgram {
        name: name.into(),
        organization: format!("{name} Org"),
        contact_email: Some(format!("{}@listed.org", name.to_lowercase())),
        ..Default::default()
    };
    let pantry = store.create_program(&program("Pantry")).await.unwrap();
    let clinic = store.create_program(&program("Clinic")).await.unwrap();
    store.add_program_staff(pantry, staff).await.unwrap();
    store.add_program_staff(clinic, other_staff).await.unwrap();

    let person = store
        .create_person(&NewPerson {
            first_name: PersonName::parse("Sara").unwrap(),
            last_name: PersonName::parse("Seeker").unwrap(),
            email: Some(EmailAddress::parse(SEEKER_EMAIL).unwrap()),
            phone: Some(PhoneNumber::parse(SEEKER_PHONE).unwrap()),
            language: Language::english(),
            user: Some(seeker),
            created_by: Some(referrer),
        })
        .await
        .unwrap();
    let make = |pref| NewReferral {
        person: PersonChoice::Existing(person),
        program: pantry,
        referrer: Some((referrer, Some(group))),
        contact_preference: pref,
        contact_email: Some(EmailAddress::parse(SEEKER_EMAIL).unwrap()),
        contact_phone: Some(PhoneNumber::parse(SEEKER_PHONE).unwrap()),
        language: Language::english(),
        comments: "Needs food".into(),
    };
    let actor = Actor {
        user: Some(referrer),
        role: Role::Helper,
        label: "Hank H., Helpers".into(),
    };
    let referral = store
        .create_referral(&make(ContactPreference::Email), &actor)
        .await
        .unwrap();
    let quiet_referral = store
        .create_referral(&make(ContactPreference::DontReachOut), &actor)
        .await
        .unwrap();

    let mut cookies = Vec::new();
    for (who, id) in [
        (Who::Seeker, Some(seeker)),
        (Who::Referrer, Some(referrer)),
        (Who::TeamMate, Some(team_mate)),
        (Who::ProgramStaff, Some(staff)),
        (Who::OtherProgramStaff, Some(other_staff)),
        (Who::Stranger, Some(stranger)),
        (Who::Anonymous, None),
    ] {
        let cookie = match id {
            Some(id) => Some(format!(
                "handoff_session={}",
                start_session(&store, id).await.unwrap()
            )),
            None => None,
        };
        cookies.push((who, cookie));
    }
    let app = app::server::http::router(state.clone());
    World {
        state,
        app,
        group,
        referral,
        quiet_referral,
        cookies,
    }
}

impl World {
    fn cookie(&self, who: Who) -> Option<String> {
        self.cookies
            .iter()
            .find(|(w, _)| *w == who)
            .and_then(|(_, c)| c.clone())
    }

    /// Calls a server function as `who`; returns the body and the error, if it failed.
    async fn call(&self, who: Who, path: &str, form: &str) -> (String, Option<AppError>) {
        crate::support::call_server_fn(&self.app, self.cookie(who).as_deref(), path, form).await
    }

    async fn page(&self, who: Who, path: &str) -> String {
        let mut req = Request::get(path);
        if let Some(c) = self.cookie(who) {
            req = req.header(header::COOKIE, c);
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
    }

    async fn version(&self, referral: ReferralId) -> i64 {
        self.state
            .store
            .referral(referral)
            .await
            .unwrap()
            .unwrap()
            .version
    }

    async fn history_len(&self, referral: ReferralId) -> usize {
        self.state.store.history(referral).await.unwrap().len()
    }
}

/// (see, change status, add note, read contact details on an email-preference referral)
fn expected(who: Who, team_navigation: bool) -> (bool, bool, bool, bool) {
    match who {
        Who::Seeker => (true, true, false, true),
        Who::Referrer => (true, true, true, true),
        Who::TeamMate if team_navigation => (true, true, true, true),
        Who::ProgramStaff => (true, true, true, true),
        _ => (false, false, false, false),
    }
}

/// A denial must look like the referral does not exist (or ask an anonymous user to log in).
fn assert_denied(who: Who, error: Option<AppError>, what: &str) {
    let allowed: &[AppError] = match who {
        Who::Anonymous => &[AppError::Unauthorized],
        _ => &[AppError::NotFound, AppError::Forbidden],
    };
    assert!(
        error.as_ref().is_some_and(|e| allowed.contains(e)),
        "{who:?} {what}: expected denial, got {error:?}"
    );
}

#[tokio::test]
async fn every_role_against_every_action() {
    let w = world().await;
    let mut cells = 0;
    for team_navigation in [true, false] {
        w.state
            .store
            .set_team_navigation(w.group, team_navigation)
            .await
            .unwrap();
        for who in EVERYONE {
            let (see, change, note, contact) = expected(who, team_navigation);
            let r = w.referral;
            let ctx = format!("{who:?} (Team Navigation {team_navigation})");

            // See (and read contact details).
            let (body, error) = w.call(who, "/api/referral", &format!("id={r}")).await;
            if see {
                assert!(error.is_none(), "{ctx} see: {error:?}");
                assert_eq!(
                    body.contains(SEEKER_EMAIL),
                    contact,
                    "{ctx} contact details"
                );
                assert_eq!(
                    body.contains(SEEKER_PHONE),
                    contact,
                    "{ctx} contact details"
                );
            } else {
                assert_denied(who, error, &format!("{ctx} see"));
                assert!(
                    !body.contains(SEEKER_EMAIL) && !body.contains("Needs food"),
                    "{ctx} leaked: {body}"
                );
            }

            // Change status (alternating, so each allowed change is a real change).
            let before = w.history_len(r).await;
            let version = w.version(r).await;
            let status = if version % 2 == 0 {
                "pending"
            } else {
                "eligible"
            };
            let (_, error) = w
                .call(
                    who,
                    "/api/update_status",
                    &format!("referral={r}&version={version}&status={status}&comment=&acting_as="),
                )
                .await;
            if change {
                assert!(error.is_none(), "{ctx} change: {error:?}");
                assert_eq!(w.history_len(r).await, before + 1);
            } else {
                assert_denied(who, error, &format!("{ctx} change"));
                assert_eq!(
                    w.history_len(r).await,
                    before,
                    "{ctx}: a denied change wrote history"
                );
            }

            // Add a note.
            let before = w.history_len(r).await;
            let (_, error) = w
                .call(
                    who,
                    "/api/add_note",
                    &format!("referral={r}&note=checking+in"),
                )
                .await;
            if note {
                assert!(error.is_none(), "{ctx} note: {error:?}");
                assert_eq!(w.history_len(r).await, before + 1);
            } else {
                assert!(error.is_some(), "{ctx} note allowed");
                assert_eq!(
                    w.history_len(r).await,
                    before,
                    "{ctx}: a denied note was written"
                );
            }
            cells += 4;
        }
    }
    assert_eq!(cells, 2 * 7 * 4);
}

#[tokio::test]
async fn seekers_do_not_read_notes() {
    let w = world().await;
    let (_, error) = w
        .call(
            Who::Referrer,
            "/api/add_note",
            &format!("referral={}&note=private+case+note", w.referral),
        )
        .await;
    assert!(error.is_none());
    let (seeker_view, _) = w
        .call(Who::Seeker, "/api/referral", &format!("id={}", w.referral))
        .await;
    assert!(!seeker_view.contains("private case note"), "{seeker_view}");
    let (staff_view, _) = w
        .call(
            Who::ProgramStaff,
            "/api/referral",
            &format!("id={}", w.referral),
        )
        .await;
    assert!(staff_view.contains("private case note"));
    let page = w.page(Who::Seeker, "/referrals").await;
    assert!(page.contains("Pantry") && !page.contains("private case note"));
}

#[tokio::test]
async fn dashboards_list_only_what_each_role_may_see() {
    let w = world().await;
    let (mine, _) = w.call(Who::Seeker, "/api/my_referrals", "").await;
    assert!(mine.contains("Pantry"));
    for who in [Who::Stranger, Who::OtherProgramStaff, Who::ProgramStaff] {
        let (list, _) = w.call(who, "/api/my_referrals", "").await;
        assert_eq!(list, "[]", "{who:?}");
    }
    let (people, _) = w
        .call(Who::TeamMate, "/api/helper_people", "name=&status=")
        .await;
    assert!(people.contains("Sara Seeker"));
    w.state
        .store
        .set_team_navigation(w.group, false)
        .await
        .unwrap();
    let (people, _) = w
        .call(Who::TeamMate, "/api/helper_people", "name=&status=")
        .await;
    assert_eq!(
        people, "[]",
        "Team Navigation off must hide team referrals at once"
    );
    let (_, error) = w
        .call(
            Who::OtherProgramStaff,
            "/api/inbound",
            "program=1&status=&from=&to=&before=",
        )
        .await;
    assert_eq!(error, Some(AppError::NotFound));
    let (other, _) = w
        .call(
            Who::OtherProgramStaff,
            "/api/inbound",
            "program=0&status=&from=&to=&before=",
        )
        .await;
    assert!(!other.contains("Sara"), "{other}");
    let (_, error) = w
        .call(Who::Stranger, "/api/person_profile", "person=1")
        .await;
    assert_eq!(error, Some(AppError::NotFound));
}

#[tokio::test]
async fn dont_reach_out_details_never_reach_program_staff() {
    let w = world().await;
    program_staff_see_the_name_only(&w, w.quiet_referral).await;
}

/// Withdrawn consent holds the program to "don't reach out" in every answer it gets, and
/// giving it again is the seeker's own act (a helper may only record a withdrawal).
#[tokio::test]
async fn withdrawn_consent_hides_contact_details_from_the_program_as_dont_reach_out_does() {
    let w = world().await;
    let r = w.referral;
    let (before, _) = w
        .call(Who::ProgramStaff, "/api/referral", &format!("id={r}"))
        .await;
    assert!(before.contains(SEEKER_EMAIL), "shown while consent stands");
    // The program cannot withdraw or give it; strangers cannot even find it.
    for (who, withdraw) in [
        (Who::ProgramStaff, "true"),
        (Who::ProgramStaff, "false"),
        (Who::Stranger, "true"),
        (Who::OtherProgramStaff, "true"),
    ] {
        let (_, error) = w
            .call(
                who,
                "/api/change_consent",
                &format!("referral={r}&withdraw={withdraw}&acting_as=program"),
            )
            .await;
        assert!(error.is_some(), "{who:?} changed consent");
    }
    let (_, error) = w
        .call(
            Who::Seeker,
            "/api/change_consent",
            &format!("referral={r}&withdraw=true&acting_as=seeker"),
        )
        .await;
    assert_eq!(error, None);
    program_staff_see_the_name_only(&w, r).await;
    let history = w.state.store.history(r).await.unwrap();
    let withdrawn = history
        .iter()
        .find(|h| h.kind == app::model::ChangeKind::ConsentWithdrawn)
        .expect("the history records the withdrawal");
    assert_eq!(withdrawn.actor_role, Some(Role::Seeker));
    // The helper cannot give it back for the seeker; the seeker can.
    let (_, error) = w
        .call(
            Who::Referrer,
            "/api/change_consent",
            &format!("referral={r}&withdraw=false&acting_as=helper"),
        )
        .await;
    assert!(error.is_some(), "a helper gave consent for the seeker");
    let (_, error) = w
        .call(
            Who::Seeker,
            "/api/change_consent",
            &format!("referral={r}&withdraw=false&acting_as=seeker"),
        )
        .await;
    assert_eq!(error, None);
    let (after, _) = w
        .call(Who::ProgramStaff, "/api/referral", &format!("id={r}"))
        .await;
    assert!(
        after.contains(SEEKER_EMAIL),
        "shown again once consent is given again"
    );
    let kinds: Vec<_> = w
        .state
        .store
        .history(r)
        .await
        .unwrap()
        .iter()
        .map(|h| h.kind)
        .collect();
    use app::model::ChangeKind::{ConsentGiven, ConsentWithdrawn};
    let given = kinds.iter().position(|k| *k == ConsentGiven);
    let withdrawn = kinds.iter().position(|k| *k == ConsentWithdrawn);
    assert!(
        withdrawn < given && given == Some(kinds.len() - 1),
        "{kinds:?}"
    );
}

/// Everything program staff can ask about referral `q` shows the seeker's name and none of
/// their contact details (and the helper who made it still sees them).
async fn program_staff_see_the_name_only(w: &World, q: ReferralId) {
    let version = w.version(q).await;
    let responses = [
        w.call(Who::ProgramStaff, "/api/referral", &format!("id={q}"))
            .await
            .0,
        w.call(
            Who::ProgramStaff,
            "/api/update_status",
            &format!("referral={q}&version={version}&status=pending&comment=&acting_as=program"),
        )
        .await
        .0,
        w.call(
            Who::ProgramStaff,
            "/api/add_note",
            &format!("referral={q}&note=tried"),
        )
        .await
        .0,
        w.call(
            Who::ProgramStaff,
            "/api/inbound",
            "program=0&status=pending&from=&to=&before=",
        )
        .await
        .0,
        w.call(Who::ProgramStaff, "/api/my_referrals", "").await.0,
        w.call(Who::ProgramStaff, "/api/helper_people", "name=&status=")
            .await
            .0,
        w.page(Who::ProgramStaff, "/inbound?status=pending").await,
    ];
    for body in &responses {
        assert!(!body.contains(SEEKER_EMAIL), "email leaked: {body}");
        assert!(!body.contains(SEEKER_PHONE), "phone leaked: {body}");
    }
    assert!(responses[0].contains("Sara Seeker") && responses[0].contains("Withheld"));
    assert!(
        responses[6].contains("Sara Seeker"),
        "the name is still shown"
    );
    // The helper who made it still sees the details.
    let (helper_view, _) = w
        .call(Who::Referrer, "/api/referral", &format!("id={q}"))
        .await;
    assert!(helper_view.contains(SEEKER_EMAIL));
}

#[tokio::test]
async fn bad_input_gets_clear_messages_and_writes_nothing() {
    let w = world().await;
    let r = w.referral;
    let referrals_before = w.state.store.count_referrals().await.unwrap();
    let history_before = w.history_len(r).await;

    // An unknown status posted by hand.
    let version = w.version(r).await;
    let (_, error) = w
        .call(
            Who::Referrer,
            "/api/update_status",
            &format!("referral={r}&version={version}&status=closed&comment=&acting_as="),
        )
        .await;
    assert_eq!(
        error
            .unwrap()
            .message_for("status")
            .map(|m| m.to_string())
            .as_deref(),
        Some("Choose a status from the list.")
    );
    // An over-long note and an over-long status comment.
    let long = "x".repeat(2001);
    let (_, error) = w
        .call(
            Who::Referrer,
            "/api/add_note",
            &format!("referral={r}&note={long}"),
        )
        .await;
    assert!(
        error
            .unwrap()
            .message_for("note")
            .map(|m| m.to_string())
            .unwrap()
            .contains("2001")
    );
    let (_, error) = w
        .call(
            Who::Referrer,
            "/api/update_status",
            &format!("referral={r}&version={version}&status=pending&comment={long}&acting_as="),
        )
        .await;
    assert!(
        error
            .unwrap()
            .message_for("comment")
            .map(|m| m.to_string())
            .is_some()
    );
    // A stale version: told, and nothing written.
    let (_, error) = w
        .call(
            Who::Referrer,
            "/api/update_status",
            &format!(
                "referral={r}&version={}&status=got_help&comment=&acting_as=",
                version + 5
            ),
        )
        .await;
    assert!(matches!(error, Some(AppError::Conflict(_))), "{error:?}");
    assert_eq!(w.history_len(r).await, history_before);

    // The Connect form: empty and malformed fields, no consent.
    let (_, error) = w
        .call(Who::Anonymous, "/api/send_referral", "program=1&for_whom=me&first_name=&last_name=&email=bad&phone=12&best_way=carrier+pigeon&language=english&comments=")
        .await;
    let error = error.unwrap();
    for field in [
        "first_name",
        "last_name",
        "email",
        "phone",
        "best_way",
        "language",
        "consent",
    ] {
        assert!(
            error.message_for(field).map(|m| m.to_string()).is_some(),
            "no message for {field}: {error:?}"
        );
    }
    // Email preferred but no email given.
    let (_, error) = w
        .call(Who::Anonymous, "/api/send_referral", "program=1&for_whom=me&first_name=A&last_name=B&email=&phone=&best_way=email&language=en&comments=&consent=on")
        .await;
    assert!(
        error
            .unwrap()
            .message_for("email")
            .map(|m| m.to_string())
            .is_some()
    );
    // A stranger naming someone else's person.
    let (_, error) = w
        .call(Who::Stranger, "/api/send_referral", "program=1&for_whom=1&first_name=A&last_name=B&email=&phone=5553334444&best_way=phone&language=en&comments=&consent=on")
        .await;
    assert!(
        error
            .unwrap()
            .message_for("for_whom")
            .map(|m| m.to_string())
            .is_some()
    );
    assert_eq!(
        w.state.store.count_referrals().await.unwrap(),
        referrals_before,
        "bad input wrote a referral"
    );
}

/// Issue 12's actions in the matrix: remove a staff member (the program's staff; a site
/// administrator), disable an account (a site administrator only), change one's own email
/// and password (anyone signed in, for their own account, with their current password),
/// and reset a password (whoever holds the emailed token; nobody without it).
#[tokio::test]
async fn every_role_against_the_account_actions() {
    let w = world().await;
    let store = &w.state.store;
    let password = app::model::Password::parse("everyone's password").unwrap();
    let hash = app::server::auth::hash_password(&password).await.unwrap();
    sqlx::query("UPDATE users SET password_hash = $1")
        .bind(&hash)
        .execute(store.pool())
        .await
        .unwrap();
    let pantry: ProgramId = sqlx::query_scalar("SELECT id FROM programs WHERE name = 'Pantry'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let pat = user(store, "Pat Parttime", "pat@pantry.org").await;
    let mut cells = 0;
    for who in EVERYONE {
        store.add_program_staff(pantry, pat).await.unwrap();
        let ctx = format!("{who:?}");

        // Remove a staff member.
        let (_, error) = w
            .call(
                who,
                "/api/remove_staff",
                &format!("program={pantry}&member={pat}"),
            )
            .await;
        let still_staff = store.viewer(pat).await.unwrap().staff_of.contains(&pantry);
        if who == Who::ProgramStaff {
            assert_eq!(error, None, "{ctx} remove staff");
            assert!(!still_staff);
        } else {
            assert_denied(who, error, &format!("{ctx} remove staff"));
            assert!(still_staff, "{ctx} removed a staff member");
        }

        // Disable an account.
        let (_, error) = w
            .call(who, "/api/disable_account", "email=pat%40pantry.org")
            .await;
        assert_denied(who, error, &format!("{ctx} disable"));
        assert_eq!(store.user(pat).await.unwrap().unwrap().disabled_at, None);

        // Ask to change one's own email: allowed signed in, with the current password.
        let (_, error) = w
            .call(
                who,
                "/api/request_email_change",
                "email=new%40example.org&current=everyone%27s+password",
            )
            .await;
        if who == Who::Anonymous {
            assert_eq!(error, Some(AppError::Unauthorized), "{ctx} email change");
        } else {
            assert_eq!(error, None, "{ctx} email change");
        }
        let (_, error) = w
            .call(
                who,
                "/api/request_email_change",
                "email=new%40example.org&current=a+guess",
            )
            .await;
        assert!(error.is_some(), "{ctx} email change without the password");

        // Reset a password: only with the token.
        let (_, error) = w
            .call(
                who,
                "/api/reset_password",
                "token=forged&password=a+new+long+password",
            )
            .await;
        assert!(
            matches!(error, Some(AppError::Conflict(_))),
            "{ctx} reset without a token: {error:?}"
        );
        cells += 4;
    }
    assert_eq!(cells, 7 * 4);

    // The site administrator: may remove staff and disable accounts.
    let admin = user(store, "Ada Admin", "ada@admin.org").await;
    sqlx::query("UPDATE users SET is_site_admin = 1 WHERE id = $1")
        .bind(admin)
        .execute(store.pool())
        .await
        .unwrap();
    let cookie = format!(
        "handoff_session={}",
        start_session(store, admin).await.unwrap()
    );
    store.add_program_staff(pantry, pat).await.unwrap();
    let (_, error) = crate::support::call_server_fn(
        &w.app,
        Some(&cookie),
        "/api/remove_staff",
        &format!("program={pantry}&member={pat}"),
    )
    .await;
    assert_eq!(error, None);
    let (_, error) = crate::support::call_server_fn(
        &w.app,
        Some(&cookie),
        "/api/disable_account",
        "email=pat%40pantry.org",
    )
    .await;
    assert_eq!(error, None);
    assert!(
        store
            .user(pat)
            .await
            .unwrap()
            .unwrap()
            .disabled_at
            .is_some()
    );
}
