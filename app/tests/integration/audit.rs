//! Issue 18, item 3: the audit trail records contact details shown (dashboards, status
//! links), logins and failed logins, refusals, administrators' actions and account changes;
//! never the contact details themselves; only a site administrator searches it; it cannot
//! be changed; housekeeping trims it to its kept period.

use crate::support::{call_server_fn, fresh_state, session_for};
use app::model::audit::AuditEvent;
use app::server::Store;

/// The form of Carla's Inbound Referrals (her first program, every status).
async fn inbound_form(store: &Store, carla: app::model::UserId) -> String {
    let program: i64 =
        sqlx::query_scalar("SELECT MIN(program_id) FROM program_staff WHERE user_id = $1")
            .bind(carla)
            .fetch_one(store.pool())
            .await
            .unwrap();
    format!("program={program}&status=&from=&to=&before=")
}

async fn count(store: &Store, event: AuditEvent) -> i64 {
    store.count_audit(event).await.unwrap()
}

/// Every text the log holds, for checking that no contact detail is among them.
async fn everything_logged(store: &Store) -> String {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT event, actor_label, place, detail FROM audit_log")
            .fetch_all(store.pool())
            .await
            .unwrap();
    rows.into_iter()
        .map(|(a, b, c, d)| format!("{a} {b} {c} {d}\n"))
        .collect()
}

#[tokio::test]
async fn what_happens_is_recorded_without_the_contact_details() {
    let state = fresh_state().await;
    let store = &state.store;
    app::server::demo::seed_once(store).await.unwrap();
    let app = app::server::http::router(state.clone());
    let (carla, carla_id) = session_for(store, "carla@foodbank.test").await;

    // Staff open their inbound referrals: each one whose contact details are shown counts.
    let form = inbound_form(store, carla_id).await;
    let (body, err) = call_server_fn(&app, Some(&carla), "/api/inbound", &form).await;
    assert_eq!(err, None, "{body}");
    let shown = count(store, AuditEvent::ContactShown).await;
    assert!(shown > 0, "the dashboard showed contact details");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    let emails: Vec<String> = page
        .to_string()
        .split('"')
        .filter(|s| s.contains('@'))
        .map(str::to_string)
        .collect();
    assert!(
        !emails.is_empty(),
        "the dashboard holds contact details to look for"
    );
    let logged = everything_logged(store).await;
    for email in &emails {
        assert!(
            !logged.contains(email.as_str()),
            "{email} in the log:\n{logged}"
        );
    }
    let entries = store
        .audit_entries(&app::model::audit::AuditQuery {
            person: Some(carla_id),
            event: Some(AuditEvent::ContactShown),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len() as i64, shown);
    assert!(
        entries
            .iter()
            .all(|e| e.referral_id.is_some() && e.place == "/api/inbound")
    );

    // Logins, good and bad.
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/log_in",
        "email=carla%40foodbank.test&password=wrong-password",
    )
    .await;
    assert!(err.is_some());
    assert_eq!(count(store, AuditEvent::LogInFailed).await, 1);
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/log_in",
        &format!(
            "email=carla%40foodbank.test&password={}",
            app::server::demo::DEMO_PASSWORD
        ),
    )
    .await;
    assert_eq!(err, None);
    assert_eq!(count(store, AuditEvent::LoggedIn).await, 1);
    assert!(
        !everything_logged(store).await.contains("wrong-password"),
        "no typed password"
    );

    // A refusal: staff asking for the site administrator's list.
    let (_, err) = call_server_fn(&app, Some(&carla), "/api/report_exports", "").await;
    assert_eq!(err, Some(app::error::AppError::Forbidden));
    assert_eq!(count(store, AuditEvent::Refused).await, 1);

    // An account change.
    let (_, err) = call_server_fn(&app, Some(&carla), "/api/log_out_everywhere", "").await;
    assert_eq!(err, None);
    assert_eq!(count(store, AuditEvent::AccountChange).await, 1);
}

#[tokio::test]
async fn only_a_site_administrator_searches_the_log_and_nobody_can_change_it() {
    let state = fresh_state().await;
    let store = &state.store;
    app::server::demo::seed_once(store).await.unwrap();
    let app = app::server::http::router(state.clone());
    let (carla, carla_id) = session_for(store, "carla@foodbank.test").await;
    let (admin, _) = session_for(store, "admin@handoff.test").await;
    let form = inbound_form(store, carla_id).await;
    let (_, err) = call_server_fn(&app, Some(&carla), "/api/inbound", &form).await;
    assert_eq!(err, None);
    let search = "person=&referral=&from=&to=&event=";
    let (_, err) = call_server_fn(&app, Some(&carla), "/api/audit_log", search).await;
    assert_eq!(err, Some(app::error::AppError::Forbidden));
    let (_, err) = call_server_fn(&app, None, "/api/audit_log", search).await;
    assert_eq!(err, Some(app::error::AppError::Unauthorized));
    let (body, err) = call_server_fn(
        &app,
        Some(&admin),
        "/api/audit_log",
        &format!(
            "person={}&referral=&from=&to=&event=contact_shown",
            carla_id.0
        ),
    )
    .await;
    assert_eq!(err, None);
    let lines: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l["event"] == "contact_shown"));
    assert!(
        lines[0]["actor"]
            .as_str()
            .unwrap()
            .contains("carla@foodbank.test")
    );
    // A bad field is named.
    let (_, err) = call_server_fn(
        &app,
        Some(&admin),
        "/api/audit_log",
        "person=carla&referral=&from=&to=&event=",
    )
    .await;
    match err {
        Some(app::error::AppError::Validation(fields)) => assert_eq!(fields[0].field, "person"),
        other => panic!("{other:?}"),
    }
    // Append-only.
    let changed = sqlx::query("UPDATE audit_log SET actor_label = 'someone else'")
        .execute(store.pool())
        .await;
    assert!(changed.is_err(), "an entry was changed");
    // Kept for its period, then trimmed by housekeeping.
    let now = app::server::clock::now_ms();
    let before = count(store, AuditEvent::ContactShown).await;
    let swept = store
        .sweep(now + 400 * app::server::clock::DAY_MS, 0)
        .await
        .unwrap();
    assert!(swept.audit_entries as i64 >= before, "{swept:?}");
    assert_eq!(count(store, AuditEvent::ContactShown).await, 0);
}
