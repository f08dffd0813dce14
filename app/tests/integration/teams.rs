//! Groups, Team Navigation, invitations and program claims, through the server functions.

use crate::support::fresh_state;
use app::error::AppError;
use app::model::{GroupId, ProgramId, UserId};
use app::server::AppState;
use app::server::auth::start_session;
use app::server::demo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

// Ids in the demo database (`server::demo`), in the order it creates them.
const DANA: UserId = UserId(5);
const NAVIGATORS: GroupId = GroupId(1);
const RENTAL_HELP: ProgramId = ProgramId(2);
const JOB_SKILLS: ProgramId = ProgramId(4);

struct Demo {
    state: AppState,
    app: axum::Router,
}

impl Demo {
    async fn new() -> Demo {
        let state = fresh_state().await;
        demo::seed_once(&state.store).await.unwrap();
        let app = app::server::http::router(state.clone());
        Demo { state, app }
    }

    async fn cookie(&self, email: &str) -> String {
        let user = self
            .state
            .store
            .user_by_email(&app::model::EmailAddress::parse(email).unwrap())
            .await
            .unwrap()
            .unwrap();
        format!(
            "handoff_session={}",
            start_session(&self.state.store, user.id).await.unwrap()
        )
    }

    async fn call(
        &self,
        cookie: Option<&str>,
        path: &str,
        form: &str,
    ) -> (String, Option<AppError>) {
        crate::support::call_server_fn(&self.app, cookie, path, form).await
    }

    /// The link in the newest outbox email of a kind, as the mail worker writes it. The
    /// payload itself holds no usable token (only a seed the secret turns into one).
    async fn last_link(&self, kind: &str) -> String {
        let row = self
            .state
            .store
            .outbox()
            .await
            .unwrap()
            .into_iter()
            .rev()
            .find(|r| r.kind.as_str() == kind)
            .expect(kind);
        let payload: serde_json::Value = serde_json::from_str(&row.payload).unwrap();
        let seeded: app::server::mail::one_time::SeededLink =
            serde_json::from_value(payload["link"].clone()).unwrap();
        let config = &self.state.config;
        let link = seeded.url(&config.public_url, config.secret.bytes());
        assert!(
            !row.payload.contains(token_of(&link)),
            "the outbox keeps a readable token: {}",
            row.payload
        );
        link
    }
}

fn token_of(link: &str) -> &str {
    link.rsplit('/').next().unwrap()
}

#[tokio::test]
async fn team_navigation_off_removes_team_access_at_once() {
    let d = Demo::new().await;
    let ana = d.cookie("ana@navigators.test").await;
    let ben = d.cookie("ben@navigators.test").await;
    let (people, _) = d
        .call(Some(&ben), "/api/helper_people", "name=Eli&status=")
        .await;
    assert!(
        people.contains("Eli Moreno"),
        "Ben sees Ana's referral through Team Navigation"
    );
    // Only an admin may switch it.
    let (_, error) = d
        .call(Some(&ben), "/api/set_team_navigation", "group=1&on=off")
        .await;
    assert_eq!(error, Some(AppError::Forbidden));
    let (_, error) = d
        .call(Some(&ana), "/api/set_team_navigation", "group=1&on=off")
        .await;
    assert_eq!(error, None);
    let (people, _) = d
        .call(Some(&ben), "/api/helper_people", "name=Eli&status=")
        .await;
    assert_eq!(people, "[]");
    let (_, error) = d.call(Some(&ben), "/api/referral", "id=2").await;
    assert_eq!(error, Some(AppError::NotFound));
}

#[tokio::test]
async fn the_name_search_finds_any_part_of_a_full_name_in_any_case() {
    let d = Demo::new().await;
    let ana = d.cookie("ana@navigators.test").await;
    let found = |people: &str| people.contains("Eli Moreno");
    for (query, expected) in [
        ("Eli", true),
        ("eli+mor", true), // across the first and last name
        ("MORENO", true),
        ("li+M", true), // three characters, one of them a space
        ("El", true),   // shorter than a trigram: still found
        ("Moreno+Eli", false),
        ("zzz", false),
    ] {
        let (people, error) = d
            .call(
                Some(&ana),
                "/api/helper_people",
                &format!("name={query}&status="),
            )
            .await;
        assert_eq!(error, None, "{query}");
        assert_eq!(found(&people), expected, "{query}: {people}");
    }
    // Someone referred after the index was built is found too (the index follows inserts).
    let (_, error) = d
        .call(
            Some(&ana),
            "/api/send_referral",
            "program=1&for_whom=new&first_name=Zoraida&last_name=Quintana&email=zq%40example.org\
             &phone=&best_way=email&language=es&comments=&consent=on&group=",
        )
        .await;
    assert_eq!(error, None);
    let (people, _) = d
        .call(Some(&ana), "/api/helper_people", "name=raida+quin&status=")
        .await;
    assert!(people.contains("Zoraida Quintana"), "{people}");
}

/// Takeover path 2 (issue 12): an invitation is for one address. Another account (even a
/// staff member with the forwarded link) cannot accept it, nor can the invited address's
/// account before that address is confirmed.
#[tokio::test]
async fn an_invitation_is_accepted_only_by_the_confirmed_account_it_was_sent_to() {
    let d = Demo::new().await;
    let ana = d.cookie("ana@navigators.test").await;
    let omar = d.cookie("omar@clinic.test").await;
    let (_, error) = d
        .call(
            Some(&ana),
            "/api/invite_to_group",
            "group=1&email=newbie%40example.org",
        )
        .await;
    assert_eq!(error, None);
    let link = d.last_link("group_invitation").await;
    let accept = format!("token={}", token_of(&link));
    let (_, error) = d.call(Some(&omar), "/api/accept_invitation", &accept).await;
    let Some(AppError::Conflict(msg)) = error else {
        panic!("another account accepted: {error:?}");
    };
    assert!(
        msg.render(app::i18n::Lang::En)
            .contains("newbie@example.org"),
        "the refusal names the invited address"
    );
    let (details, _) = d
        .call(Some(&omar), "/api/invitation_details", &accept)
        .await;
    let details: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(details["may_accept"], false);
    assert_eq!(details["invited_email"], "newbie@example.org");

    // The invited address's own account, unconfirmed: not yet.
    let newbie = d
        .state
        .store
        .create_user(&app::server::store::NewUser {
            name: app::model::PersonName::parse("New Bie").unwrap(),
            email: app::model::EmailAddress::parse("newbie@example.org").unwrap(),
            language: app::model::Language::english(),
            password_hash: "x".into(),
            email_verified: false,
            is_site_admin: false,
        })
        .await
        .unwrap();
    let newbie_cookie = d.cookie("newbie@example.org").await;
    let (_, error) = d
        .call(Some(&newbie_cookie), "/api/accept_invitation", &accept)
        .await;
    assert!(matches!(error, Some(AppError::Conflict(_))), "{error:?}");
    assert!(
        d.state
            .store
            .viewer(newbie)
            .await
            .unwrap()
            .groups
            .is_empty()
    );
    assert!(
        d.state
            .store
            .viewer(omar_id(&d).await)
            .await
            .unwrap()
            .groups
            .is_empty()
    );

    // An invitation a removed member sent (or was sent) dies with the membership.
    let (_, error) = d
        .call(
            Some(&ana),
            "/api/invite_to_group",
            "group=1&email=second%40example.org",
        )
        .await;
    assert_eq!(error, None);
    let (_, error) = d
        .call(
            Some(&ana),
            "/api/invite_to_group",
            "group=1&email=ben%40navigators.test",
        )
        .await;
    assert_eq!(error, None);
    let to_ben = d.last_link("group_invitation").await;
    let ben = d.cookie("ben@navigators.test").await;
    let ben_id = d
        .state
        .store
        .user_by_email(&app::model::EmailAddress::parse("ben@navigators.test").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let (_, error) = d
        .call(
            Some(&ana),
            "/api/remove_from_group",
            &format!("group=1&member={ben_id}"),
        )
        .await;
    assert_eq!(error, None);
    let (_, error) = d
        .call(
            Some(&ben),
            "/api/accept_invitation",
            &format!("token={}", token_of(&to_ben)),
        )
        .await;
    assert!(matches!(error, Some(AppError::Conflict(_))), "{error:?}");

    // Confirmed, it is theirs.
    sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1")
        .bind(newbie)
        .execute(d.state.store.pool())
        .await
        .unwrap();
    let (_, error) = d
        .call(Some(&newbie_cookie), "/api/accept_invitation", &accept)
        .await;
    assert_eq!(error, None);
    assert_eq!(
        d.state.store.viewer(newbie).await.unwrap().groups,
        vec![NAVIGATORS]
    );
}

async fn omar_id(d: &Demo) -> UserId {
    d.state
        .store
        .user_by_email(&app::model::EmailAddress::parse("omar@clinic.test").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn invitations_go_through_the_outbox_and_are_used_once() {
    let d = Demo::new().await;
    let ana = d.cookie("ana@navigators.test").await;
    let dana = d.cookie("dana@example.test").await;
    let (_, error) = d
        .call(
            Some(&dana),
            "/api/invite_to_group",
            "group=1&email=x%40example.org",
        )
        .await;
    assert_eq!(
        error,
        Some(AppError::NotFound),
        "a non-member cannot invite"
    );
    let (_, error) = d
        .call(
            Some(&ana),
            "/api/invite_to_group",
            "group=1&email=not-an-email",
        )
        .await;
    assert!(
        error
            .unwrap()
            .message_for("email")
            .map(|m| m.to_string())
            .is_some()
    );
    let (_, error) = d
        .call(
            Some(&ana),
            "/api/invite_to_group",
            "group=1&email=dana%40example.test",
        )
        .await;
    assert_eq!(error, None);
    let link = d.last_link("group_invitation").await;
    assert!(
        link.starts_with("http://127.0.0.1:3000/invitations/"),
        "{link}"
    );

    // Opening the link changes nothing; the button does.
    let page = d
        .app
        .clone()
        .oneshot(
            Request::get(link.trim_start_matches("http://127.0.0.1:3000"))
                .header(header::COOKIE, &dana)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(d.state.store.viewer(DANA).await.unwrap().groups.is_empty());
    let (_, error) = d
        .call(
            Some(&dana),
            "/api/accept_invitation",
            &format!("token={}", token_of(&link)),
        )
        .await;
    assert_eq!(error, None);
    assert_eq!(
        d.state.store.viewer(DANA).await.unwrap().groups,
        vec![NAVIGATORS]
    );
    let (_, error) = d
        .call(
            Some(&dana),
            "/api/accept_invitation",
            &format!("token={}", token_of(&link)),
        )
        .await;
    assert!(
        matches!(error, Some(AppError::Conflict(_))),
        "used twice: {error:?}"
    );
    let (_, error) = d
        .call(Some(&dana), "/api/accept_invitation", "token=forged")
        .await;
    assert!(matches!(error, Some(AppError::Conflict(_))));

    // Expired invitations cannot be used (they last 7 days).
    let (_, error) = d
        .call(
            Some(&ana),
            "/api/invite_to_group",
            "group=1&email=dana%40example.test",
        )
        .await;
    assert_eq!(error, None);
    let stale = d.last_link("group_invitation").await;
    // Seven days on: as if it had been sent a week and a millisecond ago.
    sqlx::query("UPDATE invitations SET expires_at = 0 WHERE accepted_at IS NULL")
        .execute(d.state.store.pool())
        .await
        .unwrap();
    let (_, error) = d
        .call(
            Some(&dana),
            "/api/accept_invitation",
            &format!("token={}", token_of(&stale)),
        )
        .await;
    assert!(matches!(error, Some(AppError::Conflict(_))), "{error:?}");

    // Removing: admins only, and never the last admin.
    let (_, error) = d
        .call(Some(&dana), "/api/remove_from_group", "group=1&member=2")
        .await;
    assert_eq!(error, Some(AppError::Forbidden));
    let (_, error) = d
        .call(Some(&ana), "/api/remove_from_group", "group=1&member=2")
        .await;
    assert!(
        matches!(error, Some(AppError::Conflict(_))),
        "removed the last admin: {error:?}"
    );
    let (_, error) = d
        .call(Some(&ana), "/api/remove_from_group", "group=1&member=5")
        .await;
    assert_eq!(error, None);
    assert!(d.state.store.viewer(DANA).await.unwrap().groups.is_empty());
}

#[tokio::test]
async fn a_claim_is_approved_by_the_emailed_link_or_by_an_administrator() {
    let d = Demo::new().await;
    let dana = d.cookie("dana@example.test").await;
    let admin = d.cookie("admin@handoff.test").await;
    // Program 3 (Walk-in Health Clinic) is claimed; 2 (Rental Help Clinic) is not.
    let (_, error) = d.call(Some(&dana), "/api/claim_program", "program=3").await;
    assert!(matches!(error, Some(AppError::Conflict(_))));
    let (_, error) = d.call(None, "/api/claim_program", "program=2").await;
    assert_eq!(error, Some(AppError::Unauthorized));
    let (_, error) = d.call(Some(&dana), "/api/claim_program", "program=2").await;
    assert_eq!(error, None);
    let row = d
        .state
        .store
        .outbox()
        .await
        .unwrap()
        .into_iter()
        .rev()
        .find(|r| r.kind == app::model::EmailKind::ClaimVerification)
        .unwrap();
    assert_eq!(
        row.recipient_email, "help@housingrights.test",
        "the link goes to the listed address"
    );

    // Only a site administrator sees and decides claims.
    let (_, error) = d.call(Some(&dana), "/api/pending_claims", "").await;
    assert_eq!(error, Some(AppError::Forbidden));
    let (claims, _) = d.call(Some(&admin), "/api/pending_claims", "").await;
    assert!(claims.contains("Rental Help Clinic") && claims.contains("Dana Lee"));

    // The emailed link approves without a login.
    let link = d.last_link("claim_verification").await;
    let (_, error) = d
        .call(
            None,
            "/api/verify_claim",
            &format!("token={}", token_of(&link)),
        )
        .await;
    assert_eq!(error, None);
    assert!(
        d.state
            .store
            .program(RENTAL_HELP)
            .await
            .unwrap()
            .unwrap()
            .is_claimed()
    );
    assert_eq!(
        d.state.store.viewer(DANA).await.unwrap().staff_of,
        vec![RENTAL_HELP]
    );
    let (claims, _) = d.call(Some(&admin), "/api/pending_claims", "").await;
    assert_eq!(claims, "[]");

    // Another claim, approved by the administrator instead.
    let (_, error) = d.call(Some(&dana), "/api/claim_program", "program=4").await;
    assert_eq!(error, None);
    let (claims, _) = d.call(Some(&admin), "/api/pending_claims", "").await;
    let id: serde_json::Value = serde_json::from_str(&claims).unwrap();
    let claim = id[0]["id"].as_i64().unwrap();
    let (_, error) = d
        .call(
            Some(&admin),
            "/api/decide_claim",
            &format!("claim={claim}&decision=approve"),
        )
        .await;
    assert_eq!(error, None);
    assert!(
        d.state
            .store
            .viewer(DANA)
            .await
            .unwrap()
            .staff_of
            .contains(&JOB_SKILLS)
    );

    // Staff invite colleagues; others cannot.
    let (_, error) = d
        .call(
            Some(&admin),
            "/api/invite_staff",
            "program=4&email=new%40example.org",
        )
        .await;
    assert_eq!(error, Some(AppError::Forbidden));
    let (_, error) = d
        .call(
            Some(&dana),
            "/api/invite_staff",
            "program=4&email=new%40example.org",
        )
        .await;
    assert_eq!(error, None);
    assert!(
        d.last_link("staff_invitation")
            .await
            .contains("/invitations/")
    );
}

/// Claims compete fairly: approving one closes the others, a claim on a program someone
/// else has claimed cannot be approved, claims expire after 7 days, and only confirmed
/// accounts may claim.
#[tokio::test]
async fn claims_expire_and_the_first_approved_closes_the_others() {
    let d = Demo::new().await;
    let dana = d.cookie("dana@example.test").await;
    let ben = d.cookie("ben@navigators.test").await;
    let admin = d.cookie("admin@handoff.test").await;
    // Program 4 (Job Skills Course) is unclaimed; Dana and Ben both claim it.
    let (_, error) = d.call(Some(&dana), "/api/claim_program", "program=4").await;
    assert_eq!(error, None);
    let dana_link = d.last_link("claim_verification").await;
    let (_, error) = d.call(Some(&ben), "/api/claim_program", "program=4").await;
    assert_eq!(error, None);
    let ben_link = d.last_link("claim_verification").await;
    let (_, error) = d
        .call(
            None,
            "/api/verify_claim",
            &format!("token={}", token_of(&ben_link)),
        )
        .await;
    assert_eq!(error, None);
    // Dana's claim was closed with it: her link and the administrator both refuse it.
    let (claims, _) = d.call(Some(&admin), "/api/pending_claims", "").await;
    assert_eq!(claims, "[]");
    let (_, error) = d
        .call(
            None,
            "/api/verify_claim",
            &format!("token={}", token_of(&dana_link)),
        )
        .await;
    assert!(matches!(error, Some(AppError::Conflict(_))), "{error:?}");
    assert!(
        !d.state
            .store
            .viewer(DANA)
            .await
            .unwrap()
            .staff_of
            .contains(&JOB_SKILLS)
    );

    // A claim whose program someone else claimed meanwhile (by invitation, say) cannot be
    // approved.
    let (_, error) = d.call(Some(&dana), "/api/claim_program", "program=5").await;
    assert_eq!(error, None);
    let claim: i64 = sqlx::query_scalar("SELECT MAX(id) FROM program_claims")
        .fetch_one(d.state.store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE programs SET claimed_at = 1 WHERE id = 5")
        .execute(d.state.store.pool())
        .await
        .unwrap();
    let (_, error) = d
        .call(
            Some(&admin),
            "/api/decide_claim",
            &format!("claim={claim}&decision=approve"),
        )
        .await;
    assert!(matches!(error, Some(AppError::Conflict(_))), "{error:?}");
    sqlx::query("UPDATE programs SET claimed_at = NULL WHERE id = 5")
        .execute(d.state.store.pool())
        .await
        .unwrap();

    // Seven days on, the claim has expired: not listed, not approvable, and asked anew.
    sqlx::query("UPDATE program_claims SET expires_at = 0 WHERE id = $1")
        .bind(claim)
        .execute(d.state.store.pool())
        .await
        .unwrap();
    let (claims, _) = d.call(Some(&admin), "/api/pending_claims", "").await;
    assert_eq!(claims, "[]");
    let (_, error) = d
        .call(
            Some(&admin),
            "/api/decide_claim",
            &format!("claim={claim}&decision=approve"),
        )
        .await;
    assert!(matches!(error, Some(AppError::Conflict(_))), "{error:?}");
    let (_, error) = d.call(Some(&dana), "/api/claim_program", "program=5").await;
    assert_eq!(error, None, "an expired claim does not block a new one");

    // Staff who remove the last of their number leave the program unclaimed, so it can be
    // claimed anew (not claimed forever by nobody).
    let ben_id = d
        .state
        .store
        .user_by_email(&app::model::EmailAddress::parse("ben@navigators.test").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let (_, error) = d
        .call(
            Some(&ben),
            "/api/remove_staff",
            &format!("program=4&member={ben_id}"),
        )
        .await;
    assert_eq!(error, None);
    assert!(
        !d.state
            .store
            .program(JOB_SKILLS)
            .await
            .unwrap()
            .unwrap()
            .is_claimed()
    );
    let (_, error) = d.call(Some(&dana), "/api/claim_program", "program=4").await;
    assert_eq!(error, None);

    // An unconfirmed account may not claim (the claim mails the program).
    sqlx::query("UPDATE users SET email_verified = 0 WHERE email = 'dana@example.test'")
        .execute(d.state.store.pool())
        .await
        .unwrap();
    let (_, error) = d.call(Some(&dana), "/api/claim_program", "program=2").await;
    assert!(matches!(error, Some(AppError::Refused(_))), "{error:?}");
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let d = Demo::new().await;
    let req = Request::post("/api/log_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(
            "email=ana%40navigators.test&password=handoff-demo-2026",
        ))
        .unwrap();
    assert_eq!(
        d.app.clone().oneshot(req).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let req = Request::post("/api/log_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(
            "email=ana%40navigators.test&password=handoff-demo-2026",
        ))
        .unwrap();
    assert_eq!(
        d.app.clone().oneshot(req).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    // `Origin: null` (a sandboxed frame, a data: page) is foreign too, unless the browser
    // itself says the post is same-origin.
    let post = |origin: &'static str, site: Option<&'static str>| {
        let mut req = Request::post("/api/log_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, origin);
        if let Some(site) = site {
            req = req.header("sec-fetch-site", site);
        }
        req.body(Body::from(
            "email=ana%40navigators.test&password=handoff-demo-2026",
        ))
        .unwrap()
    };
    assert_eq!(
        d.app
            .clone()
            .oneshot(post("null", None))
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_ne!(
        d.app
            .clone()
            .oneshot(post("null", Some("same-origin")))
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_ne!(
        d.app
            .clone()
            .oneshot(post("http://127.0.0.1:3000", None))
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
}

/// The administrator's outbox view shows who a referral email went to only masked (a
/// seeker's address is their contact detail); account emails keep their address.
#[tokio::test]
async fn the_outbox_view_masks_the_recipients_of_referral_emails() {
    let d = Demo::new().await;
    let admin = d.cookie("admin@handoff.test").await;
    let rows = d.state.store.outbox().await.unwrap();
    let referral_recipients: Vec<String> = rows
        .iter()
        .filter(|r| r.referral_id.is_some())
        .map(|r| r.recipient_email.clone())
        .collect();
    assert!(
        !referral_recipients.is_empty(),
        "the demo queues referral emails"
    );
    let (body, error) = d.call(Some(&admin), "/api/outbox_overview", "").await;
    assert_eq!(error, None);
    for address in &referral_recipients {
        assert!(
            !body.contains(address.as_str()),
            "{address} shown in {body}"
        );
    }
    assert!(body.contains("•••@"), "{body}");
}

/// Issue 13, defect 4: the site administrator manages every group (they are in none of
/// them): Team Navigation, adding an admin, removing a member, renaming, closing; each
/// action is recorded with who did it. Members and strangers may do none of it.
#[tokio::test]
async fn the_site_administrator_manages_every_group_and_each_action_is_recorded() {
    let d = Demo::new().await;
    let admin = d.cookie("admin@handoff.test").await;
    let ben = d.cookie("ben@navigators.test").await;
    let dana = d.cookie("dana@example.test").await;
    let id_of = |email: &'static str| {
        let store = d.state.store.clone();
        async move {
            store
                .user_by_email(&app::model::EmailAddress::parse(email).unwrap())
                .await
                .unwrap()
                .unwrap()
                .id
        }
    };
    let (ana_id, ben_id) = (
        id_of("ana@navigators.test").await,
        id_of("ben@navigators.test").await,
    );
    let calls = [
        ("/api/set_team_navigation", "group=1&on=off".to_string()),
        ("/api/rename_group", "group=1&name=Renamed".to_string()),
        (
            "/api/add_group_admin",
            "group=1&email=dana%40example.test".to_string(),
        ),
        ("/api/remove_from_group", format!("group=1&member={ana_id}")),
        ("/api/close_group", "group=1".to_string()),
    ];
    for (path, form) in &calls {
        let (_, error) = d.call(Some(&dana), path, form).await;
        assert_eq!(error, Some(AppError::NotFound), "a stranger: {path}");
        let (_, error) = d.call(Some(&ben), path, form).await;
        assert_eq!(error, Some(AppError::Forbidden), "a member: {path}");
        let (_, error) = d.call(None, path, form).await;
        assert_eq!(error, Some(AppError::Unauthorized), "nobody: {path}");
    }
    for who in [&dana, &ben] {
        let (_, error) = d.call(Some(who), "/api/all_groups", "").await;
        assert_eq!(error, Some(AppError::Forbidden));
    }
    assert!(
        d.state
            .store
            .group(NAVIGATORS)
            .await
            .unwrap()
            .unwrap()
            .team_navigation()
    );

    let (body, error) = d.call(Some(&admin), "/api/all_groups", "").await;
    assert_eq!(error, None);
    assert!(body.contains("Eastside Community Navigators") && body.contains("ben@navigators.test"));
    let do_as_admin = |path: &'static str, form: String| {
        let d = &d;
        let admin = admin.clone();
        async move {
            let (_, error) = d.call(Some(&admin), path, &form).await;
            assert_eq!(error, None, "{path}");
        }
    };
    do_as_admin("/api/set_team_navigation", "group=1&on=off".into()).await;
    assert!(
        !d.state
            .store
            .group(NAVIGATORS)
            .await
            .unwrap()
            .unwrap()
            .team_navigation()
    );
    do_as_admin(
        "/api/add_group_admin",
        "group=1&email=ben%40navigators.test".into(),
    )
    .await;
    do_as_admin("/api/remove_from_group", format!("group=1&member={ana_id}")).await;
    let members = d.state.store.members(NAVIGATORS).await.unwrap();
    assert_eq!(
        members
            .iter()
            .map(|m| (m.user_id, m.role.as_str()))
            .collect::<Vec<_>>(),
        [(ben_id, "admin")]
    );
    do_as_admin(
        "/api/rename_group",
        "group=1&name=Eastside+Navigators".into(),
    )
    .await;
    assert_eq!(
        d.state.store.group(NAVIGATORS).await.unwrap().unwrap().name,
        "Eastside Navigators"
    );
    let (_, error) = d
        .call(Some(&admin), "/api/rename_group", "group=1&name=+")
        .await;
    assert!(
        matches!(&error, Some(e) if e.message_for("name").is_some()),
        "{error:?}"
    );
    do_as_admin("/api/close_group", "group=1".into()).await;
    assert!(d.state.store.members(NAVIGATORS).await.unwrap().is_empty());
    assert!(
        d.state
            .store
            .viewer(ben_id)
            .await
            .unwrap()
            .groups
            .is_empty()
    );
    // A closed group cannot be changed again.
    let (_, error) = d
        .call(Some(&admin), "/api/set_team_navigation", "group=1&on=on")
        .await;
    assert_eq!(error, Some(AppError::NotFound));

    // Every action is on record, with who did it.
    let log = d.state.store.admin_actions(10).await.unwrap();
    let actions: Vec<&str> = log.iter().rev().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "team_navigation_off",
            "admin_added",
            "removed",
            "renamed",
            "closed"
        ]
    );
    assert!(
        log.iter()
            .all(|a| a.actor_label.ends_with("(site administrator)")),
        "{log:?}"
    );
    assert_eq!(log[2].target_label.as_deref(), Some("Ana Pérez"));
}
