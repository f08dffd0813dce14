//! Live updates on the wire: the SSE stream read frame by frame through the real router.
//! Who hears of a change, catch-up after a reconnect, a lagging client, limits, and (on
//! PostgreSQL) two instances sharing changes, including after the listener's connection dies.

use crate::store::{actor, new_referral, person, program, user};
use crate::support::{app_on, backend, fresh_state, fresh_store_and_url};
use app::model::{ContactPreference, NoteText, Role, Status};
use app::model::{PersonId, ProgramId, ReferralId, UserId};
use app::server::auth::start_session;
use app::server::store::{Backend, StatusChange};
use app::server::{AppState, Store};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::time::Duration;
use tower::ServiceExt;

/// One parsed server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SseEvent {
    event: String,
    id: Option<i64>,
    data: String,
}

impl SseEvent {
    fn referral(&self) -> Option<ReferralId> {
        serde_json::from_str::<serde_json::Value>(&self.data)
            .ok()?
            .get("referral")?
            .as_i64()
            .map(ReferralId)
    }
}

struct SseClient {
    body: Body,
    buffer: String,
}

impl SseClient {
    async fn open(app: &axum::Router, cookie: &str, last_event_id: Option<i64>) -> SseClient {
        let res = try_open(app, cookie, last_event_id).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()[header::CONTENT_TYPE].to_str().unwrap(),
            "text/event-stream"
        );
        SseClient {
            body: res.into_body(),
            buffer: String::new(),
        }
    }

    /// The next event within `wait`, skipping keep-alive comments.
    async fn next(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    event: "message".into(),
                    id: None,
                    data: String::new(),
                };
                let mut any = false;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event.event = v.trim().into();
                        any = true;
                    } else if let Some(v) = line.strip_prefix("id:") {
                        event.id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        event.data.push_str(v.trim());
                        any = true;
                    }
                }
                if any {
                    return Some(event);
                }
                continue;
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .ok()??;
            if let Ok(data) = frame.unwrap().into_data() {
                self.buffer.push_str(&String::from_utf8_lossy(&data));
            }
        }
    }

    /// True when the server ends the stream within `wait`.
    async fn ends_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Ok(None) => return true,
                Ok(Some(_)) => continue,
                Err(_) => return false,
            }
        }
    }

    /// Every event arriving within `wait`.
    async fn drain(&mut self, wait: Duration) -> Vec<SseEvent> {
        let mut out = Vec::new();
        while let Some(e) = self.next(wait).await {
            out.push(e);
        }
        out
    }
}

async fn try_open(
    app: &axum::Router,
    cookie: &str,
    last_event_id: Option<i64>,
) -> axum::http::Response<Body> {
    let mut req = Request::get("/api/events").header(header::ACCEPT, "text/event-stream");
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    if let Some(id) = last_event_id {
        req = req.header("last-event-id", id.to_string());
    }
    app.clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

const SOON: Duration = Duration::from_secs(1);
const QUIET: Duration = Duration::from_millis(400);

/// A helper (Ana), the program's staff (Carla), a stranger, one referral.
struct World {
    state: AppState,
    app: axum::Router,
    ana: UserId,
    carla: UserId,
    stranger: UserId,
    rosa: PersonId,
    food: ProgramId,
    referral: ReferralId,
}

impl World {
    async fn on(state: AppState) -> World {
        let store = &state.store;
        let ana = user(store, "Ana Navarro", "ana@example.org").await;
        let carla = user(store, "Carla Cruz", "carla@example.org").await;
        let stranger = user(store, "Sam Stranger", "sam@example.org").await;
        let food = program(store, "Food", "listed@food.org").await;
        store.add_program_staff(food, carla).await.unwrap();
        let rosa = person(store, "rosa@example.org", Some(ana)).await;
        let referral = store
            .create_referral(
                &new_referral(rosa, food, Some((ana, None)), ContactPreference::Phone),
                &actor(ana, Role::Helper),
            )
            .await
            .unwrap();
        let app = app::server::http::router(state.clone());
        World {
            state,
            app,
            ana,
            carla,
            stranger,
            rosa,
            food,
            referral,
        }
    }

    async fn new() -> World {
        World::on(fresh_state().await).await
    }

    /// A stream of this world's app, opened once the feed has broadcast every change made
    /// so far (it does so after each commit): it hears only what the test does next.
    async fn open(&self, cookie: &str, last_event_id: Option<i64>) -> SseClient {
        crate::support::settled(&self.state).await;
        SseClient::open(&self.app, cookie, last_event_id).await
    }

    async fn cookie(&self, user: UserId) -> String {
        let token = start_session(&self.state.store, user).await.unwrap();
        format!("handoff_session={token}")
    }

    async fn change(&self, store: &Store, to: Status) {
        let version = store
            .referral(self.referral)
            .await
            .unwrap()
            .unwrap()
            .version;
        store
            .change_status(
                &StatusChange {
                    referral: self.referral,
                    expected_version: version,
                    to,
                    note: None,
                },
                &actor(self.carla, Role::Program),
            )
            .await
            .unwrap();
    }
}

fn alternate(i: usize) -> Status {
    if i.is_multiple_of(2) {
        Status::Pending
    } else {
        Status::Eligible
    }
}

#[tokio::test]
async fn a_change_reaches_every_stream_that_may_see_it_and_no_other() {
    let w = World::new().await;
    let mut helper = w.open(&w.cookie(w.ana).await, None).await;
    let mut staff = w.open(&w.cookie(w.carla).await, None).await;
    let mut stranger = w.open(&w.cookie(w.stranger).await, None).await;

    w.change(&w.state.store, Status::Pending).await;
    for client in [&mut helper, &mut staff] {
        let e = client.next(SOON).await.expect("an event within a second");
        assert_eq!(
            (e.event.as_str(), e.referral()),
            ("status", Some(w.referral))
        );
        assert!(e.id.is_some());
    }
    // A note and a new referral too.
    w.state
        .store
        .add_note(
            w.referral,
            &NoteText::parse("Called").unwrap(),
            &actor(w.carla, Role::Program),
        )
        .await
        .unwrap();
    let other = w
        .state
        .store
        .create_referral(
            &new_referral(
                w.rosa,
                w.food,
                Some((w.ana, None)),
                ContactPreference::Email,
            ),
            &actor(w.ana, Role::Helper),
        )
        .await
        .unwrap();
    for client in [&mut helper, &mut staff] {
        let kinds: Vec<(String, Option<ReferralId>)> = client
            .drain(QUIET)
            .await
            .into_iter()
            .map(|e| (e.event.clone(), e.referral()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("note".to_string(), Some(w.referral)),
                ("created".to_string(), Some(other))
            ]
        );
    }
    // The stranger heard nothing at all: not even that the referrals exist.
    assert_eq!(stranger.drain(QUIET).await, Vec::<SseEvent>::new());
}

#[tokio::test]
async fn a_reconnecting_client_is_replayed_what_it_missed() {
    let w = World::new().await;
    let cookie = w.cookie(w.ana).await;
    let mut first = w.open(&cookie, None).await;
    w.change(&w.state.store, Status::Pending).await;
    let seen = first.next(SOON).await.unwrap().id.unwrap();
    drop(first);

    // Three changes while the client is away.
    for i in 1..=3 {
        w.change(&w.state.store, alternate(i)).await;
    }
    let mut again = w.open(&cookie, Some(seen)).await;
    let replayed: Vec<i64> = again
        .drain(QUIET)
        .await
        .into_iter()
        .filter_map(|e| e.id)
        .filter(|id| *id > seen)
        .collect();
    assert_eq!(replayed.len(), 3, "{replayed:?}");
    // The stranger's replay is empty too.
    let mut stranger = w.open(&w.cookie(w.stranger).await, Some(0)).await;
    assert_eq!(stranger.drain(QUIET).await, Vec::<SseEvent>::new());
}

#[tokio::test]
async fn a_client_too_far_behind_is_told_to_refetch_and_others_are_not_held_up() {
    let w = World::new().await;
    let mut slow = w.open(&w.cookie(w.ana).await, None).await;
    let mut quick = w.open(&w.cookie(w.carla).await, None).await;
    let n = app::server::live::CHANNEL_CAPACITY + 50;
    let reader = async {
        let mut got = 0;
        while got < n {
            quick
                .next(Duration::from_secs(10))
                .await
                .expect("the quick client keeps up");
            got += 1;
        }
        got
    };
    let writer = async {
        for i in 0..n {
            w.change(&w.state.store, alternate(i)).await;
        }
    };
    let (got, ()) = tokio::join!(reader, writer);
    assert_eq!(got, n);
    // The slow one, reading only now, is told to refetch instead of being replayed all.
    let first = slow.next(SOON).await.unwrap();
    assert_eq!(first.event, "refetch");
}

#[tokio::test]
async fn streams_need_a_session_and_are_limited_per_user() {
    let w = World::new().await;
    assert_eq!(
        try_open(&w.app, "", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        try_open(&w.app, "handoff_session=forged", None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let cookie = w.cookie(w.stranger).await;
    let mut open = Vec::new();
    for _ in 0..app::server::live::stream::STREAMS_PER_USER {
        open.push(w.open(&cookie, None).await);
    }
    assert_eq!(
        try_open(&w.app, &cookie, None).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    open.pop();
    // A closed stream frees its slot.
    w.open(&cookie, None).await;
}

#[tokio::test]
async fn two_instances_on_postgresql_share_changes_even_after_the_listener_drops() {
    if backend() != Backend::Postgres {
        println!("two-instance live test: PostgreSQL only (LISTEN/NOTIFY); skipped on SQLite");
        return;
    }
    // Two instances on one database, each built as the server builds itself: its own
    // live feed and listener, nothing shared but PostgreSQL.
    let (store_a, url) = fresh_store_and_url().await;
    let instance_a = app_on(store_a).await;
    let instance_b = app_on(Store::connect(&url).await.unwrap()).await;
    let store_a = instance_a.state.store.clone();
    let w = World::on(instance_a.state.clone()).await;
    let app_b = instance_b.router.clone();
    let cookie = w.cookie(w.ana).await;
    crate::support::settled(&instance_b.state).await;
    let mut on_b = SseClient::open(&app_b, &cookie, None).await;

    w.change(&store_a, Status::Pending).await;
    let e = on_b
        .next(SOON)
        .await
        .expect("instance B hears of A's change");
    assert_eq!(e.referral(), Some(w.referral));

    // A change that rolls back is never announced.
    {
        let version = store_a.referral(w.referral).await.unwrap().unwrap().version;
        let stale = store_a
            .change_status(
                &StatusChange {
                    referral: w.referral,
                    expected_version: version - 1,
                    to: Status::GotHelp,
                    note: None,
                },
                &actor(w.carla, Role::Program),
            )
            .await;
        assert!(stale.is_err());
        assert_eq!(on_b.drain(QUIET).await, Vec::<SseEvent>::new());
    }

    // Kill B's listening connection (as a database restart would), change on A meanwhile:
    // B reconnects and replays the change from the history.
    let admin = Store::connect(&url).await.unwrap();
    let killed: Vec<i32> = sqlx::query_scalar(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .fetch_all(admin.pool())
    .await
    .unwrap();
    assert!(!killed.is_empty(), "found the listener's connection");
    for pid in &killed {
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(*pid)
            .execute(admin.pool())
            .await
            .unwrap();
    }
    w.change(&store_a, Status::Eligible).await;
    let e = on_b
        .next(Duration::from_secs(5))
        .await
        .expect("B recovers the change made while its listener was down");
    assert_eq!(
        (e.event.as_str(), e.referral()),
        ("status", Some(w.referral))
    );
}

#[tokio::test]
async fn logging_out_ends_that_sessions_streams_at_once_and_no_other() {
    let w = World::new().await;
    let phone = w.cookie(w.ana).await;
    let desk = w.cookie(w.ana).await;
    let mut on_phone = w.open(&phone, None).await;
    let mut on_desk = w.open(&desk, None).await;
    let (_, err) = crate::support::call_server_fn(&w.app, Some(&phone), "/api/log_out", "").await;
    assert_eq!(err, None);
    assert!(
        on_phone.ends_within(SOON).await,
        "the logged-out session's stream ended"
    );
    // The other session's stream lives on and still hears changes.
    w.change(&w.state.store, Status::Pending).await;
    assert_eq!(
        on_desk.next(SOON).await.unwrap().referral(),
        Some(w.referral)
    );
    assert_eq!(w.state.live_streams.count(), 1);
}

#[tokio::test]
async fn the_live_not_updated_count_is_for_the_programs_staff_only() {
    let w = World::new().await;
    let ask = |cookie: Option<String>| {
        let app = w.app.clone();
        async move {
            crate::support::call_server_fn(
                &app,
                cookie.as_deref(),
                "/api/inbound_not_updated",
                &format!("program={}", w.food),
            )
            .await
        }
    };
    let (body, err) = ask(Some(w.cookie(w.carla).await)).await;
    // (not updated, of which overdue): a new referral is not overdue yet.
    assert_eq!((body.as_str(), err), ("[1,0]", None));
    w.change(&w.state.store, Status::Pending).await;
    let (body, _) = ask(Some(w.cookie(w.carla).await)).await;
    assert_eq!(body, "[0,0]");
    // The referring helper is not staff; a stranger even less: "not found", as for any program.
    for who in [w.ana, w.stranger] {
        let (_, err) = ask(Some(w.cookie(who).await)).await;
        assert_eq!(err, Some(app::error::AppError::NotFound));
    }
    let (_, err) = ask(None).await;
    assert_eq!(err, Some(app::error::AppError::Unauthorized));
}

/// Issue 12: taking access away takes effect on open streams at once, not at their next
/// periodic check: a removed team-mate, Team Navigation switched off, a removed staff
/// member and a disabled account hear of not one more change.
#[tokio::test]
async fn access_taken_away_reaches_open_streams_at_once() {
    use app::server::store::GroupRole;
    let w = World::new().await;
    let store = &w.state.store;
    let ben = user(store, "Ben Baker", "ben@example.org").await;
    let cleo = user(store, "Cleo Costa", "cleo@example.org").await;
    let admin = user(store, "Ada Admin", "ada@example.org").await;
    sqlx::query("UPDATE users SET is_site_admin = 1 WHERE id = $1")
        .bind(admin)
        .execute(store.pool())
        .await
        .unwrap();
    store.add_program_staff(w.food, cleo).await.unwrap();
    let group = store.create_group("Navigators", true, w.ana).await.unwrap();
    store
        .put_member(group, ben, GroupRole::Member)
        .await
        .unwrap();
    // A team referral: Ben sees it through Team Navigation.
    let team_referral = store
        .create_referral(
            &new_referral(
                w.rosa,
                w.food,
                Some((w.ana, Some(group))),
                ContactPreference::Phone,
            ),
            &actor(w.ana, Role::Helper),
        )
        .await
        .unwrap();
    let set = |referral: ReferralId, to: Status| async move {
        let version = store.referral(referral).await.unwrap().unwrap().version;
        store
            .change_status(
                &StatusChange {
                    referral,
                    expected_version: version,
                    to,
                    note: None,
                },
                &actor(w.ana, Role::Helper),
            )
            .await
            .unwrap();
    };
    let ana_cookie = w.cookie(w.ana).await;
    let mut ben_stream = w.open(&w.cookie(ben).await, None).await;
    let mut carla_stream = w.open(&w.cookie(w.carla).await, None).await;
    let mut ana_stream = w.open(&ana_cookie, None).await;
    set(team_referral, Status::Pending).await;
    assert_eq!(
        ben_stream.next(SOON).await.unwrap().referral(),
        Some(team_referral)
    );
    assert_eq!(
        carla_stream.next(SOON).await.unwrap().referral(),
        Some(team_referral)
    );
    ana_stream.drain(QUIET).await;

    // Ana removes Ben; the very next change is not announced to him.
    let (_, err) = crate::support::call_server_fn(
        &w.app,
        Some(&ana_cookie),
        "/api/remove_from_group",
        &format!("group={group}&member={ben}"),
    )
    .await;
    assert_eq!(err, None);
    set(team_referral, Status::Eligible).await;
    assert_eq!(ben_stream.drain(QUIET).await, Vec::<SseEvent>::new());

    // Cleo removes Carla from the program's staff: the same.
    let (_, err) = crate::support::call_server_fn(
        &w.app,
        Some(&w.cookie(cleo).await),
        "/api/remove_staff",
        &format!("program={}&member={}", w.food, w.carla),
    )
    .await;
    assert_eq!(err, None);
    carla_stream.drain(QUIET).await;
    set(team_referral, Status::Pending).await;
    assert_eq!(carla_stream.drain(QUIET).await, Vec::<SseEvent>::new());

    // The administrator disables Ana: her stream ends, she cannot log in again.
    let (_, err) = crate::support::call_server_fn(
        &w.app,
        Some(&w.cookie(admin).await),
        "/api/disable_account",
        "email=ana%40example.org",
    )
    .await;
    assert_eq!(err, None);
    assert!(
        ana_stream.ends_within(SOON).await,
        "a disabled account's stream ended"
    );
    let (_, err) =
        crate::support::call_server_fn(&w.app, Some(&ana_cookie), "/api/my_groups", "").await;
    assert_eq!(err, Some(app::error::AppError::Unauthorized));
    assert_eq!(
        try_open(&w.app, &ana_cookie, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Only a site administrator may disable; nobody disables themselves.
    let (_, err) = crate::support::call_server_fn(
        &w.app,
        Some(&w.cookie(cleo).await),
        "/api/disable_account",
        "email=ben%40example.org",
    )
    .await;
    assert_eq!(err, Some(app::error::AppError::Forbidden));
}

/// Switching Team Navigation off reaches the team-mates' open streams at once.
#[tokio::test]
async fn team_navigation_off_reaches_open_streams_at_once() {
    use app::server::store::GroupRole;
    let w = World::new().await;
    let store = &w.state.store;
    let ben = user(store, "Ben Baker", "ben@example.org").await;
    let group = store.create_group("Navigators", true, w.ana).await.unwrap();
    store
        .put_member(group, ben, GroupRole::Member)
        .await
        .unwrap();
    let team_referral = store
        .create_referral(
            &new_referral(
                w.rosa,
                w.food,
                Some((w.ana, Some(group))),
                ContactPreference::Phone,
            ),
            &actor(w.ana, Role::Helper),
        )
        .await
        .unwrap();
    let mut ben_stream = w.open(&w.cookie(ben).await, None).await;
    let (_, err) = crate::support::call_server_fn(
        &w.app,
        Some(&w.cookie(w.ana).await),
        "/api/set_team_navigation",
        &format!("group={group}&on=off"),
    )
    .await;
    assert_eq!(err, None);
    let version = store
        .referral(team_referral)
        .await
        .unwrap()
        .unwrap()
        .version;
    store
        .change_status(
            &StatusChange {
                referral: team_referral,
                expected_version: version,
                to: Status::Pending,
                note: None,
            },
            &actor(w.carla, Role::Program),
        )
        .await
        .unwrap();
    assert_eq!(ben_stream.drain(QUIET).await, Vec::<SseEvent>::new());
}

/// A seeker may not read notes, so their stream is never told that one was written.
#[tokio::test]
async fn a_seekers_stream_hears_of_status_changes_but_never_of_notes() {
    let w = World::new().await;
    let store = &w.state.store;
    let seeker = user(store, "Rosa Ruiz", "rosa@example.org").await;
    sqlx::query("UPDATE persons SET user_id = $1 WHERE id = $2")
        .bind(seeker)
        .bind(w.rosa)
        .execute(store.pool())
        .await
        .unwrap();
    let mut rosa = w.open(&w.cookie(seeker).await, None).await;
    let mut helper = w.open(&w.cookie(w.ana).await, None).await;
    store
        .add_note(
            w.referral,
            &NoteText::parse("Left a voicemail").unwrap(),
            &actor(w.carla, Role::Program),
        )
        .await
        .unwrap();
    assert_eq!(helper.next(SOON).await.unwrap().event, "note");
    w.change(store, Status::Pending).await;
    let heard: Vec<String> = rosa
        .drain(QUIET)
        .await
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(heard, ["status"]);
}

/// Issue 14: an event carries the referral's version and program, so the card that made
/// the change need not read it again and a program's count re-reads only for its own.
#[tokio::test]
async fn an_event_carries_the_version_and_the_program() {
    let w = World::new().await;
    let mut staff = w.open(&w.cookie(w.carla).await, None).await;
    w.change(&w.state.store, Status::Pending).await;
    let event = staff.next(SOON).await.expect("an event");
    let data: serde_json::Value = serde_json::from_str(&event.data).unwrap();
    let now = w.state.store.referral(w.referral).await.unwrap().unwrap();
    assert_eq!(data["version"], now.version, "{data}");
    assert_eq!(data["program"], w.food.0, "{data}");
}
