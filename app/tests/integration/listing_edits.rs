//! Issue 15, item 3: programs managed in the app. Staff edit only their own listing and
//! only its how-to-get-help fields; administrators edit everything, archive, and decide
//! suggestions anyone may send; every change is in the program's history, which only
//! administrators read; and an import keeps what was edited in the app.

use crate::http::get_page;
use crate::support::{call_server_fn, fresh_state, session_for};
use app::error::AppError;
use app::i18n::Key;
use app::model::ProgramId;
use app::model::directory::edit::EditKind;
use app::server::store::ProgramQuery;

const GROCERIES: ProgramId = ProgramId(1);

fn save(version: i64, fields: &str) -> String {
    format!("program=1&version={version}&{fields}")
}

async fn version_of(store: &app::server::Store, program: ProgramId) -> i64 {
    store
        .editable_listing(program)
        .await
        .unwrap()
        .unwrap()
        .version
}

#[tokio::test]
async fn staff_edit_their_own_listing_and_nothing_else() {
    let state = fresh_state().await;
    let store = &state.store;
    app::server::demo::seed_once(store).await.unwrap();
    let app = app::server::http::router(state.clone());
    let (carla, _) = session_for(store, "carla@foodbank.test").await;
    let (omar, _) = session_for(store, "omar@clinic.test").await;
    let (dana, _) = session_for(store, "dana@example.test").await;
    let v = version_of(store, GROCERIES).await;
    let body = save(
        v,
        "description=Hot+meals+too.&hours=Mon-Sat+9-5&categories=food%0Ameals",
    );

    // Staff of another program, a seeker, and nobody: refused, nothing written.
    for (who, expected) in [
        (Some(&omar), AppError::Forbidden),
        (Some(&dana), AppError::Forbidden),
        (None, AppError::Unauthorized),
    ] {
        let (_, error) =
            call_server_fn(&app, who.map(String::as_str), "/api/save_listing", &body).await;
        assert_eq!(error, Some(expected.clone()));
        let (_, error) = call_server_fn(
            &app,
            who.map(String::as_str),
            "/api/listing_editor",
            "program=1",
        )
        .await;
        assert_eq!(error, Some(expected), "the form is refused too");
    }
    assert_eq!(version_of(store, GROCERIES).await, v, "nothing written");

    // Their own program's staff may not rename it (a hand-made form).
    let (_, error) = call_server_fn(
        &app,
        Some(&carla),
        "/api/save_listing",
        &save(v, "name=Renamed&description=x"),
    )
    .await;
    assert_eq!(error, Some(AppError::Forbidden));

    // Bad values come back by field, and nothing is written.
    let (_, error) = call_server_fn(
        &app,
        Some(&carla),
        "/api/save_listing",
        &save(v, "email=nope&url=javascript%3Aalert(1)&description=ok"),
    )
    .await;
    let Some(AppError::Validation(errors)) = error else {
        panic!("{error:?}");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["url", "email"]);
    assert_eq!(version_of(store, GROCERIES).await, v);

    let (text, error) = call_server_fn(&app, Some(&carla), "/api/save_listing", &body).await;
    assert_eq!(error, None, "{text}");
    let program = store.program(GROCERIES).await.unwrap().unwrap();
    assert_eq!(program.description, "Hot meals too.");
    assert_eq!(program.hours, "Mon-Sat 9-5");
    assert_eq!(
        store.program_categories(GROCERIES).await.unwrap(),
        vec!["food", "meals"]
    );
    let q = ProgramQuery {
        text: "meals too".into(),
        limit: 10,
        ..ProgramQuery::default()
    };
    let found = store.search_programs(&q).await.unwrap();
    assert_eq!(found.len(), 1, "search finds the new description");

    // A form opened before that save is stale now.
    let (_, error) = call_server_fn(
        &app,
        Some(&carla),
        "/api/save_listing",
        &save(v, "description=Older+text"),
    )
    .await;
    let Some(AppError::Validation(errors)) = error else {
        panic!("{error:?}");
    };
    assert_eq!(errors[0].message, Key::err_listing_changed.into());
    assert_eq!(
        store.program(GROCERIES).await.unwrap().unwrap().description,
        "Hot meals too."
    );

    // The history names who changed what; only administrators may read it.
    let history = store.program_history(GROCERIES, 10).await.unwrap();
    assert_eq!(history[0].kind, EditKind::Edited);
    assert_eq!(history[0].edited_by_name.as_deref(), Some("Carla Díaz"));
    assert!(history[0].changes.contains("Hot meals too."));
    let (_, error) = call_server_fn(&app, Some(&carla), "/api/listing_history", "program=1").await;
    assert_eq!(
        error,
        Some(AppError::Forbidden),
        "staff do not read the history"
    );
    let (admin, _) = session_for(store, "admin@handoff.test").await;
    let (text, error) =
        call_server_fn(&app, Some(&admin), "/api/listing_history", "program=1").await;
    assert_eq!(error, None, "{text}");
    assert!(
        text.contains("Carla") && text.contains("Mon-Sat 9-5"),
        "{text}"
    );
}

#[tokio::test]
async fn a_suggestion_waits_for_an_administrator_who_accepts_or_declines_it() {
    let state = fresh_state().await;
    let store = &state.store;
    app::server::demo::seed_once(store).await.unwrap();
    let app = app::server::http::router(state.clone());
    let (admin, _) = session_for(store, "admin@handoff.test").await;
    let (carla, _) = session_for(store, "carla@foodbank.test").await;
    let before = store.program(GROCERIES).await.unwrap().unwrap();

    // Anyone, logged in or not, may suggest; nothing changes until an administrator says.
    let (_, error) = call_server_fn(&app, None, "/api/suggest_edit", "program=1&comment=").await;
    assert_eq!(
        error,
        Some(AppError::field("form", Key::err_suggest_nothing)),
        "a suggestion that changes nothing and says nothing"
    );
    let (text, error) = call_server_fn(
        &app,
        None,
        "/api/suggest_edit",
        "program=1&comment=Their+number+changed&phone=555-777-8888&name=Weekly+Groceries",
    )
    .await;
    assert_eq!(error, None, "{text}");
    let (text, error) = call_server_fn(
        &app,
        Some(&carla),
        "/api/suggest_edit",
        "program=1&comment=&status=temporarily+closed",
    )
    .await;
    assert_eq!(error, None, "{text}");
    assert_eq!(store.program(GROCERIES).await.unwrap().unwrap(), before);

    // The queue is the administrator's alone.
    let (_, error) = call_server_fn(&app, Some(&carla), "/api/pending_suggestions", "").await;
    assert_eq!(error, Some(AppError::Forbidden));
    let pending = store.pending_suggestions(10).await.unwrap();
    assert_eq!(pending.len(), 2);
    let (_, fields) = pending[0].parts().unwrap();
    assert_eq!(
        fields,
        vec![app::model::directory::edit::ListingField::Phone],
        "only what differs"
    );
    let (_, error) = call_server_fn(
        &app,
        Some(&carla),
        "/api/decide_suggestion",
        &format!("suggestion={}&decision=accept", pending[0].id),
    )
    .await;
    assert_eq!(error, Some(AppError::Forbidden), "staff do not decide");

    let (text, error) = call_server_fn(
        &app,
        Some(&admin),
        "/api/decide_suggestion",
        &format!("suggestion={}&decision=accept", pending[0].id),
    )
    .await;
    assert_eq!(error, None, "{text}");
    let (text, error) = call_server_fn(
        &app,
        Some(&admin),
        "/api/decide_suggestion",
        &format!("suggestion={}&decision=decline", pending[1].id),
    )
    .await;
    assert_eq!(error, None, "{text}");
    let after = store.program(GROCERIES).await.unwrap().unwrap();
    assert_eq!(after.contact_phone.as_deref(), Some("555-777-8888"));
    assert_eq!(after.service_status, before.service_status, "declined");
    assert!(store.pending_suggestions(10).await.unwrap().is_empty());
    let (_, error) = call_server_fn(
        &app,
        Some(&admin),
        "/api/decide_suggestion",
        &format!("suggestion={}&decision=decline", pending[0].id),
    )
    .await;
    assert_eq!(
        error,
        Some(AppError::field("decision", Key::err_suggestion_decided)),
        "decided once"
    );

    let history = store.program_history(GROCERIES, 10).await.unwrap();
    assert_eq!(history[0].kind, EditKind::Suggestion);
    assert_eq!(history[0].edited_by_name.as_deref(), Some("Sam Admin"));
    assert_eq!(history[0].suggested_by_name, None, "an anonymous visitor");
    assert!(history[0].changes.contains("555-777-8888"));

    // The public page says when the listing was last reviewed, and never shows the history.
    let page = get_page(&app, "/programs/1").await;
    assert!(page.contains("Listing last reviewed"), "{page}");
    assert!(!page.contains("Their number changed"));
}

#[tokio::test]
async fn an_administrator_manages_organizations_programs_and_the_directory() {
    let state = fresh_state().await;
    let store = &state.store;
    app::server::demo::seed_once(store).await.unwrap();
    let app = app::server::http::router(state.clone());
    let (admin, _) = session_for(store, "admin@handoff.test").await;
    let (carla, _) = session_for(store, "carla@foodbank.test").await;

    let new_org = "id=0&name=Riverside+Mutual+Aid&description=Neighbours&email=&url=https%3A%2F%2Friverside.example";
    let (_, error) = call_server_fn(&app, Some(&carla), "/api/save_organization", new_org).await;
    assert_eq!(error, Some(AppError::Forbidden));
    let (_, error) = call_server_fn(
        &app,
        Some(&admin),
        "/api/save_organization",
        "id=0&name=&description=&email=bad&url=ftp%3A%2F%2Fx",
    )
    .await;
    let Some(AppError::Validation(errors)) = error else {
        panic!("{error:?}");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["name", "email", "url"]);
    let (text, error) = call_server_fn(&app, Some(&admin), "/api/save_organization", new_org).await;
    assert_eq!(error, None, "{text}");
    let org = store
        .organizations_named("riverside", 10)
        .await
        .unwrap()
        .pop()
        .expect("made");

    let (_, error) = call_server_fn(
        &app,
        Some(&admin),
        "/api/add_program",
        &format!("organization={}&name=Free+Fridge", org.id),
    )
    .await;
    assert_eq!(error, None);
    let (program, name, _) = store.programs_of_organization(org.id).await.unwrap()[0].clone();
    assert_eq!(name, "Free Fridge");
    let v = version_of(store, program).await;
    let (text, error) = call_server_fn(
        &app,
        Some(&admin),
        "/api/save_listing",
        &format!(
            "program={program}&version={v}&name=Free+Fridge&city=Springfield&zip=97477\
             &description=Take+what+you+need&categories=food&status=active"
        ),
    )
    .await;
    assert_eq!(error, None, "{text}");
    let q = ProgramQuery {
        text: "fridge".into(),
        place: "97477".into(),
        limit: 10,
        ..ProgramQuery::default()
    };
    assert_eq!(store.search_programs(&q).await.unwrap().len(), 1);

    // Renaming the organisation renames it on its programs (and in search).
    let (_, error) = call_server_fn(
        &app,
        Some(&admin),
        "/api/save_organization",
        &format!(
            "id={}&name=Riverside+Commons&description=&email=&url=",
            org.id
        ),
    )
    .await;
    assert_eq!(error, None);
    assert_eq!(
        store.program(program).await.unwrap().unwrap().organization,
        "Riverside Commons"
    );

    // Archiving the organisation takes its programs out of search; they keep their page.
    let (_, error) = call_server_fn(
        &app,
        Some(&admin),
        "/api/archive_organization",
        &format!("id={}&action=archive", org.id),
    )
    .await;
    assert_eq!(error, None);
    assert!(store.search_programs(&q).await.unwrap().is_empty());
    let page = get_page(&app, &format!("/programs/{program}")).await;
    assert!(page.contains("no longer listed"), "{page}");
    let (_, error) = call_server_fn(
        &app,
        Some(&admin),
        "/api/add_program",
        &format!("organization={}&name=Another", org.id),
    )
    .await;
    assert_eq!(error, Some(AppError::field("form", Key::err_org_archived)));

    // A program is listed again by itself.
    let (_, error) = call_server_fn(
        &app,
        Some(&admin),
        "/api/archive_program",
        &format!("program={program}&action=restore"),
    )
    .await;
    assert_eq!(error, None);
    assert_eq!(store.search_programs(&q).await.unwrap().len(), 1);
    let (_, error) = call_server_fn(
        &app,
        Some(&carla),
        "/api/archive_program",
        "program=1&action=archive",
    )
    .await;
    assert_eq!(error, Some(AppError::Forbidden), "staff do not archive");
    let kinds: Vec<EditKind> = store
        .program_history(program, 10)
        .await
        .unwrap()
        .iter()
        .map(|h| h.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            EditKind::Restored,
            EditKind::Archived,
            EditKind::Edited,
            EditKind::Listed
        ]
    );
}
