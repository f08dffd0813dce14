//! Email end to end: the outbox drained by the real worker to a real SMTP server on
//! loopback (aiosmtpd). One test per row of the SPEC's notification table, faults (server
//! down, a 550 for one address), two workers on one database, and the status link.

use crate::store::{actor, new_referral, person, program, user};
use crate::support::{
    Received, SmtpSink, TEST_SECRET, call_server_fn, fresh_state_with_smtp, fresh_store_and_url,
};
use app::model::{ContactPreference, Role, Status};
use app::model::{GroupId, PersonId, ProgramId, ReferralId, UserId};
use app::server::mail::{LinkHolder, MailSettings, MailWorker, StatusLink};
use app::server::store::{Actor, StatusChange};
use app::server::{AppState, Config, Store};
use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

/// Quick retries, so fault tests take seconds, not minutes.
fn fast() -> MailSettings {
    MailSettings {
        batch: 200,
        concurrency: 4,
        lease: Duration::from_secs(30),
        poll: Duration::from_millis(50),
        retry_base: Duration::from_millis(50),
        retry_cap: Duration::from_millis(400),
        max_age: Duration::from_secs(3600),
    }
}

fn worker_for(store: &Store, config: &Config) -> MailWorker {
    MailWorker::new(store.clone(), config, fast()).unwrap()
}

/// Runs the worker until nothing is pending (waiting out retries), within 30 seconds.
async fn drain_all(worker: &MailWorker, store: &Store) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        worker.drain_once().await.unwrap();
        if store.outbox_counts().await.unwrap().pending == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "the outbox did not drain");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A helper with a group, a claimed program with one staff member, an unclaimed program
/// with a listed address, and a seeker the helper created.
struct World {
    state: AppState,
    worker: MailWorker,
    sink: SmtpSink,
    seen: usize,
    ana: UserId,
    group: GroupId,
    carla: UserId,
    food: ProgramId,
    rent: ProgramId,
    rosa: PersonId,
}

impl World {
    async fn new(reject: &[&str]) -> World {
        let sink = SmtpSink::start(reject).await;
        let state = fresh_state_with_smtp(&sink.url()).await;
        let store = &state.store;
        let ana = user(store, "Ana Navarro", "ana@example.org").await;
        let carla = user(store, "Carla Cruz", "carla@example.org").await;
        let group = store.create_group("Navigators", false, ana).await.unwrap();
        let food = program(store, "Food", "listed@food.org").await;
        store.add_program_staff(food, carla).await.unwrap();
        let rent = program(store, "Rent", "rent@listed.org").await;
        let rosa = person(store, "rosa@example.org", Some(ana)).await;
        let worker = worker_for(store, &state.config);
        World {
            state,
            worker,
            sink,
            seen: 0,
            ana,
            group,
            carla,
            food,
            rent,
            rosa,
        }
    }

    async fn refer(
        &self,
        program: ProgramId,
        by_helper: bool,
        pref: ContactPreference,
    ) -> ReferralId {
        let (referrer, who) = if by_helper {
            (
                Some((self.ana, Some(self.group))),
                actor(self.ana, Role::Helper),
            )
        } else {
            (
                None,
                Actor {
                    user: None,
                    role: Role::Seeker,
                    label: "Rosa D.".into(),
                },
            )
        };
        self.state
            .store
            .create_referral(&new_referral(self.rosa, program, referrer, pref), &who)
            .await
            .unwrap()
    }

    async fn change(&self, referral: ReferralId, role: Role, to: Status) {
        let who = match role {
            Role::Helper => actor(self.ana, Role::Helper),
            Role::Program => actor(self.carla, Role::Program),
            Role::Seeker => Actor {
                user: None,
                role: Role::Seeker,
                label: "Rosa D.".into(),
            },
        };
        let version = self
            .state
            .store
            .referral(referral)
            .await
            .unwrap()
            .unwrap()
            .version;
        self.state
            .store
            .change_status(
                &StatusChange {
                    referral,
                    expected_version: version,
                    to,
                    note: None,
                },
                &who,
            )
            .await
            .unwrap();
    }

    /// Sends everything queued; answers what arrived since the last call, as
    /// (recipient, subject), sorted.
    async fn delivered(&mut self) -> Vec<(String, String)> {
        drain_all(&self.worker, &self.state.store).await;
        let all = self.sink.received();
        let new: Vec<Received> = all[self.seen..].to_vec();
        self.seen = all.len();
        let mut out: Vec<(String, String)> = new
            .iter()
            .map(|m| (m.to().to_string(), m.subject.clone()))
            .collect();
        out.sort();
        out
    }
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    v.sort();
    v
}

// --- One test per row of the SPEC's notification table -------------------------------

#[tokio::test]
async fn row_referral_by_a_helper_emails_the_seeker_if_email_and_the_program() {
    let mut w = World::new(&[]).await;
    let helper = format!("User {}", w.ana);
    w.refer(w.food, true, ContactPreference::Email).await;
    assert_eq!(
        w.delivered().await,
        pairs(&[
            (
                "rosa@example.org",
                &format!("{helper} referred you to Food")
            ),
            ("carla@example.org", "New referral for Food: Rosa D."),
        ])
    );
    // Phone and text preferences: the program only (no SMS gateway is configured).
    w.refer(w.food, true, ContactPreference::Phone).await;
    w.refer(w.food, true, ContactPreference::Text).await;
    assert_eq!(
        w.delivered().await,
        pairs(&[
            ("carla@example.org", "New referral for Food: Rosa D."),
            ("carla@example.org", "New referral for Food: Rosa D."),
        ])
    );
}

#[tokio::test]
async fn row_self_referral_confirms_to_the_seeker_if_email_and_tells_the_program() {
    let mut w = World::new(&[]).await;
    w.refer(w.food, false, ContactPreference::Email).await;
    assert_eq!(
        w.delivered().await,
        pairs(&[
            ("rosa@example.org", "Your request to Food was sent"),
            ("carla@example.org", "New referral for Food: Rosa D."),
        ])
    );
    w.refer(w.food, false, ContactPreference::Phone).await;
    assert_eq!(
        w.delivered().await,
        pairs(&[("carla@example.org", "New referral for Food: Rosa D.")])
    );
}

#[tokio::test]
async fn row_status_changed_by_the_helper_emails_nobody() {
    let mut w = World::new(&[]).await;
    let id = w.refer(w.food, true, ContactPreference::Email).await;
    w.delivered().await;
    w.change(id, Role::Helper, Status::NeedsClientAction).await;
    w.change(id, Role::Helper, Status::GotHelp).await;
    assert_eq!(w.delivered().await, pairs(&[]));
}

#[tokio::test]
async fn row_status_changed_by_the_seeker_emails_the_referring_helper_only() {
    let mut w = World::new(&[]).await;
    let id = w.refer(w.food, true, ContactPreference::Email).await;
    w.delivered().await;
    w.change(id, Role::Seeker, Status::GotHelp).await;
    assert_eq!(
        w.delivered().await,
        pairs(&[("ana@example.org", "Food: Got help")])
    );
    // A self-referral has no helper to tell.
    let own = w.refer(w.food, false, ContactPreference::Email).await;
    w.delivered().await;
    w.change(own, Role::Seeker, Status::NoLongerInterested)
        .await;
    assert_eq!(w.delivered().await, pairs(&[]));
}

#[tokio::test]
async fn row_program_asks_more_of_the_seeker_emails_seeker_if_email_and_helper() {
    let mut w = World::new(&[]).await;
    let by_email = w.refer(w.food, true, ContactPreference::Email).await;
    let by_phone = w.refer(w.food, true, ContactPreference::Phone).await;
    w.delivered().await;
    w.change(by_email, Role::Program, Status::NeedsClientAction)
        .await;
    assert_eq!(
        w.delivered().await,
        pairs(&[
            ("ana@example.org", "Food: Needs client action"),
            ("rosa@example.org", "Food: Needs client action"),
        ])
    );
    w.change(by_phone, Role::Program, Status::CouldntContact)
        .await;
    assert_eq!(
        w.delivered().await,
        pairs(&[("ana@example.org", "Food: Couldn't contact")])
    );
    // The seeker's email says what to do next.
    let to_rosa = w
        .sink
        .received()
        .into_iter()
        .find(|m| m.to() == "rosa@example.org" && m.subject.contains("Needs client action"))
        .unwrap();
    assert!(
        to_rosa
            .text
            .contains("The program needs something from you")
    );
    assert!(to_rosa.html.contains("<html lang=\"en\">"));
}

/// Issue 13, defect 3: the comment the program makes with "Needs client action" is the one
/// thing the seeker needs; every status-update email carries it, says who wrote it, and
/// what to do next.
#[tokio::test]
async fn a_status_update_email_carries_the_comment_made_with_the_change() {
    let mut w = World::new(&[]).await;
    let id = w.refer(w.food, true, ContactPreference::Email).await;
    w.delivered().await;
    let version = w.state.store.referral(id).await.unwrap().unwrap().version;
    w.state
        .store
        .change_status(
            &StatusChange {
                referral: id,
                expected_version: version,
                to: Status::NeedsClientAction,
                note: Some(app::model::NoteText::parse("Bring proof of address").unwrap()),
            },
            &actor(w.carla, Role::Program),
        )
        .await
        .unwrap();
    assert_eq!(w.delivered().await.len(), 2);
    for to in ["rosa@example.org", "ana@example.org"] {
        let mail = w
            .sink
            .received()
            .into_iter()
            .find(|m| m.to() == to && m.subject.contains("Needs client action"))
            .unwrap();
        let who = actor(w.carla, Role::Program).label;
        assert!(
            mail.text
                .replace("\r\n", "\n")
                .contains(&format!("{who} wrote:\n> Bring proof of address")),
            "{to}: {}",
            mail.text
        );
        assert!(mail.html.contains("Bring proof of address"), "{to}");
        let next = if to == "rosa@example.org" {
            "The program needs something from you"
        } else {
            "may need your help with the next step"
        };
        assert!(mail.text.contains(next), "{to}: {}", mail.text);
    }
}

#[tokio::test]
async fn row_program_changes_to_any_other_status_email_nobody() {
    let mut w = World::new(&[]).await;
    let id = w.refer(w.food, true, ContactPreference::Email).await;
    w.delivered().await;
    for to in [
        Status::Pending,
        Status::Eligible,
        Status::GotHelp,
        Status::NoCapacity,
    ] {
        w.change(id, Role::Program, to).await;
    }
    assert_eq!(w.delivered().await, pairs(&[]));
}

#[tokio::test]
async fn row_dont_reach_out_silences_every_event() {
    let mut w = World::new(&[]).await;
    let id = w.refer(w.food, true, ContactPreference::DontReachOut).await;
    w.change(id, Role::Seeker, Status::Pending).await;
    w.change(id, Role::Program, Status::NeedsClientAction).await;
    w.change(id, Role::Program, Status::CouldntContact).await;
    assert_eq!(w.delivered().await, pairs(&[]));
    assert!(w.state.store.outbox().await.unwrap().is_empty());
}

#[tokio::test]
async fn row_unclaimed_program_gets_the_new_referral_at_its_listed_address() {
    let mut w = World::new(&[]).await;
    w.refer(w.rent, true, ContactPreference::Phone).await;
    assert_eq!(
        w.delivered().await,
        pairs(&[("rent@listed.org", "New referral for Rent: Rosa D.")])
    );
}

// --- Delivery faults ----------------------------------------------------------------

#[tokio::test]
async fn with_the_smtp_server_down_100_emails_wait_and_then_arrive_exactly_once() {
    let mut w = World::new(&[]).await;
    let id = w.refer(w.food, true, ContactPreference::Phone).await;
    w.delivered().await;
    w.sink.stop();
    // Each program change to a status that asks more of the seeker emails the helper.
    for i in 0..100u32 {
        let to = if i.is_multiple_of(2) {
            Status::NeedsClientAction
        } else {
            Status::CouldntContact
        };
        w.change(id, Role::Program, to).await;
    }
    for _ in 0..3 {
        w.worker.drain_once().await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let waiting = w
        .state
        .store
        .outbox_in_state(app::model::OutboxState::Pending, 500)
        .await
        .unwrap();
    assert_eq!(waiting.len(), 100);
    assert!(
        waiting
            .iter()
            .all(|r| r.attempts >= 1 && r.last_error.is_some())
    );

    w.sink.resume().await;
    let arrived = w.delivered().await;
    assert_eq!(arrived.len(), 100);
    assert!(arrived.iter().all(|(to, _)| to == "ana@example.org"));
    let ids: HashSet<String> = w.sink.received()[1..]
        .iter()
        .map(|m| m.message_id.clone())
        .collect();
    let queued: HashSet<String> = waiting.iter().map(|r| r.message_id.clone()).collect();
    assert_eq!(
        ids, queued,
        "each queued email arrived once, under its own Message-ID"
    );
    assert_eq!(w.state.store.outbox_counts().await.unwrap().sent, 101);
}

#[tokio::test]
async fn a_550_fails_that_email_with_the_reason_and_the_rest_still_go() {
    let mut w = World::new(&["rosa@example.org"]).await;
    w.refer(w.food, true, ContactPreference::Email).await;
    assert_eq!(
        w.delivered().await,
        pairs(&[("carla@example.org", "New referral for Food: Rosa D.")])
    );
    let failed = w
        .state
        .store
        .outbox_in_state(app::model::OutboxState::Failed, 10)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].recipient_email, "rosa@example.org");
    let reason = failed[0].last_error.clone().unwrap();
    assert!(reason.contains("550"), "{reason}");
    assert_eq!(failed[0].attempts, 1, "a permanent refusal is not retried");

    // Site administrators see it and can retry it; nobody else can.
    let app = app::server::http::router(w.state.clone());
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/retry_email",
        &format!("id={}", failed[0].id),
    )
    .await;
    assert_eq!(err, Some(app::error::AppError::Unauthorized));
    w.state
        .store
        .retry_failed_email(failed[0].id)
        .await
        .unwrap();
    assert_eq!(w.state.store.outbox_counts().await.unwrap().pending, 1);
    w.delivered().await;
    let again = w
        .state
        .store
        .outbox_in_state(app::model::OutboxState::Failed, 10)
        .await
        .unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 2));
}

/// A fresh database holding `n` referrals to an unclaimed program (one email each, to its
/// listed address), and a config that sends to `sink`; answers the store, its URL, the config.
async fn queued_emails(sink: &SmtpSink, n: usize) -> (Store, String, Config) {
    let (store, url) = fresh_store_and_url().await;
    let mut config = (*crate::support::fresh_state().await.config).clone();
    config.smtp_url = Some(sink.url());
    let ana = user(&store, "Ana Navarro", "ana@example.org").await;
    let food = program(&store, "Food", "listed@food.org").await;
    let rosa = person(&store, "rosa@example.org", Some(ana)).await;
    for _ in 0..n {
        store
            .create_referral(
                &new_referral(rosa, food, Some((ana, None)), ContactPreference::Phone),
                &actor(ana, Role::Helper),
            )
            .await
            .unwrap();
    }
    (store, url, config)
}

#[tokio::test]
async fn two_workers_on_one_database_never_send_an_email_twice() {
    let sink = SmtpSink::start(&[]).await;
    let (store, url, config) = queued_emails(&sink, 300).await;
    let second = Store::connect(&url).await.unwrap();
    let small_batches = MailSettings {
        batch: 10,
        ..fast()
    };
    let a = MailWorker::new(store.clone(), &config, small_batches.clone()).unwrap();
    let b = MailWorker::new(second.clone(), &config, small_batches).unwrap();
    let run = |w: MailWorker, s: Store| async move {
        let mut rounds = 0;
        while s.outbox_counts().await.unwrap().pending > 0 {
            if w.drain_once().await.unwrap() > 0 {
                rounds += 1;
            } else {
                // The rest is leased by the other worker: wait for it.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
        rounds
    };
    let (rounds_a, rounds_b) = tokio::join!(run(a, store.clone()), run(b, second.clone()));
    assert!(
        rounds_a > 0 && rounds_b > 0,
        "both workers took part: {rounds_a} / {rounds_b}"
    );
    let received = sink.received();
    let ids: BTreeSet<String> = received.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(received.len(), 300, "no email sent twice or lost");
    assert_eq!(ids.len(), 300);
}

#[tokio::test]
async fn a_batch_slower_than_its_lease_never_sends_an_email_twice() {
    // 50 ms a message, one at a time: the first batch (all 40) takes two seconds, its lease
    // 300 ms; the other worker, idle, claims what the lease no longer holds.
    let sink = SmtpSink::start_slow(&[], 50).await;
    let (store, url, config) = queued_emails(&sink, 40).await;
    let second = Store::connect(&url).await.unwrap();
    let slow = MailSettings {
        batch: 40,
        concurrency: 1,
        lease: Duration::from_millis(300),
        ..fast()
    };
    let a = MailWorker::new(store.clone(), &config, slow.clone()).unwrap();
    let b = MailWorker::new(second.clone(), &config, slow).unwrap();
    let run = |w: MailWorker, s: Store| async move {
        let mut sent = 0;
        let deadline = Instant::now() + Duration::from_secs(30);
        while s.outbox_counts().await.unwrap().pending > 0 {
            assert!(Instant::now() < deadline, "the outbox did not drain");
            sent += w.drain_once().await.unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        sent
    };
    let (by_a, by_b) = tokio::join!(run(a, store.clone()), run(b, second.clone()));
    let received = sink.received();
    let ids: BTreeSet<String> = received.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), 40, "every email arrived");
    assert_eq!(
        received.len(),
        40,
        "none twice (sent by A {by_a}, by B {by_b})"
    );
    assert!(by_a > 0 && by_b > 0, "both took part: {by_a} / {by_b}");
    // The leases did run out under the first batch: the second worker took rows from it.
    let attempts: i64 = store
        .outbox_in_state(app::model::OutboxState::Sent, 100)
        .await
        .unwrap()
        .iter()
        .map(|r| r.attempts)
        .sum();
    assert!(
        attempts > 40,
        "some rows were claimed twice ({attempts} claims)"
    );
}

#[tokio::test]
async fn a_stopped_worker_records_the_emails_in_flight_and_starts_no_more() {
    // 400 ms a message at the SMTP server, four at a time: stopped while the first four
    // are there, it waits for their answers and records them; the rest stay pending (their
    // leases run out for the next instance). A server stopped by SIGTERM does this.
    let sink = SmtpSink::start_slow(&[], 400).await;
    let (store, _, config) = queued_emails(&sink, 12).await;
    let queued = store.outbox_counts().await.unwrap().pending;
    let task = MailWorker::new(store.clone(), &config, fast())
        .unwrap()
        .spawn();
    // Claimed and on their way (the SMTP server answers none for 400 ms yet).
    let deadline = Instant::now() + Duration::from_secs(10);
    while sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE attempts > 0")
        .fetch_one(store.pool())
        .await
        .unwrap()
        == 0
    {
        assert!(Instant::now() < deadline, "the worker claimed nothing");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(task.stop(Duration::from_secs(10)).await, "stopped in time");

    let received: BTreeSet<String> = sink.received().into_iter().map(|m| m.message_id).collect();
    let sent: BTreeSet<String> = store
        .outbox_in_state(app::model::OutboxState::Sent, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.message_id)
        .collect();
    assert!(!received.is_empty(), "stopped while emails were in flight");
    assert_eq!(
        received, sent,
        "every email the SMTP server took is marked sent"
    );
    let pending = store.outbox_counts().await.unwrap().pending;
    assert!(
        pending > 0 && pending + sent.len() as i64 == queued,
        "no new email started after the stop: {pending} pending, {} sent of {queued}",
        sent.len()
    );
    // Nothing more goes out afterwards.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(sink.received().len(), received.len());
}

#[tokio::test]
async fn an_email_failing_past_its_maximum_age_is_marked_failed_with_its_last_error() {
    let mut w = World::new(&[]).await;
    w.sink.stop();
    w.refer(w.food, true, ContactPreference::Phone).await;
    let worker = MailWorker::new(
        w.state.store.clone(),
        &w.state.config,
        MailSettings {
            max_age: Duration::from_secs(2),
            ..fast()
        },
    )
    .unwrap();
    worker.drain_once().await.unwrap();
    let waiting = w
        .state
        .store
        .outbox_in_state(app::model::OutboxState::Pending, 10)
        .await
        .unwrap();
    assert_eq!(waiting.len(), 1, "young enough: retried later");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    worker.drain_once().await.unwrap();
    let failed = w
        .state
        .store
        .outbox_in_state(app::model::OutboxState::Failed, 10)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1, "given up");
    let reason = failed[0].last_error.clone().unwrap();
    let given_up = "gave up after 2 attempts over 2 seconds: ";
    assert!(reason.starts_with(given_up), "{reason}");
    assert!(
        reason.len() > given_up.len(),
        "the last error follows: {reason}"
    );
    assert_eq!(w.state.store.outbox_counts().await.unwrap().pending, 0);
}

// --- The status link ------------------------------------------------------------------

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

#[tokio::test]
async fn the_status_link_works_without_a_session_and_records_who_changed_it() {
    let mut w = World::new(&[]).await;
    let id = w.refer(w.food, true, ContactPreference::Email).await;
    w.delivered().await;
    let to_rosa = w
        .sink
        .received()
        .into_iter()
        .find(|m| m.to() == "rosa@example.org")
        .unwrap();
    let token = to_rosa.status_token().unwrap();
    let app = app::server::http::router(w.state.clone());

    // Opening the page shows the status and changes nothing.
    let page = crate::http::get_page(&app, &format!("/r/{token}")).await;
    assert!(page.contains("Referral to Food"), "{page}");
    assert!(page.contains("Not updated"));
    assert_eq!(w.state.store.history(id).await.unwrap().len(), 1);

    let version = w.state.store.referral(id).await.unwrap().unwrap().version;
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/update_status_by_link",
        &form(&[
            ("token", &token),
            ("version", &version.to_string()),
            ("status", "got_help"),
            ("comment", "Picked up groceries"),
        ]),
    )
    .await;
    assert_eq!(err, None);
    let history = w.state.store.history(id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (
            last.actor_role.map(Role::as_str).unwrap_or_default(),
            last.actor_label.as_str(),
            last.to_status.map(Status::as_str)
        ),
        ("seeker", "Rosa D.", Some("got_help"))
    );
    // A seeker's change tells the helper, as the SPEC says.
    assert_eq!(
        w.delivered().await,
        pairs(&[("ana@example.org", "Food: Got help")])
    );
    // The link stays usable until it expires; a stale version is refused, not lost.
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/update_status_by_link",
        &form(&[
            ("token", &token),
            ("version", &version.to_string()),
            ("status", "pending"),
            ("comment", ""),
        ]),
    )
    .await;
    assert!(
        matches!(err, Some(app::error::AppError::Conflict(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn tampered_expired_and_other_referral_links_are_refused_with_a_clear_page() {
    let w = World::new(&[]).await;
    let id = w.refer(w.food, true, ContactPreference::Email).await;
    let other = w.refer(w.food, true, ContactPreference::Email).await;
    let key = TEST_SECRET.as_bytes();
    let now = app::server::clock::now_ms();
    let good = StatusLink {
        referral: id,
        holder: LinkHolder::Staff(w.carla),
        expires_at: now + 60_000,
    }
    .sign(key);
    let expired = StatusLink {
        referral: id,
        holder: LinkHolder::Staff(w.carla),
        expires_at: now - 1,
    }
    .sign(key);
    let moved = good.replacen(&format!("{id}."), &format!("{other}."), 1);
    let mut tampered = good.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'a' { 'b' } else { 'a' });
    let app = app::server::http::router(w.state.clone());

    for (token, says) in [
        (&tampered, "not valid"),
        (&moved, "not valid"),
        (&expired, "expired"),
    ] {
        let (_, err) = call_server_fn(
            &app,
            None,
            "/api/update_status_by_link",
            &form(&[
                ("token", token),
                ("version", "1"),
                ("status", "got_help"),
                ("comment", ""),
            ]),
        )
        .await;
        match err {
            Some(app::error::AppError::Refused(m)) => assert!(m.to_string().contains(says), "{m}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        let page = crate::http::get_page(&app, &format!("/r/{token}")).await;
        assert!(
            page.contains("This link can&#x27;t be used")
                || page.contains("This link can't be used"),
            "{page}"
        );
        assert!(page.contains(says));
    }
    // Nothing changed on either referral.
    for r in [id, other] {
        assert_eq!(w.state.store.history(r).await.unwrap().len(), 1);
    }

    // The staff link works, and shows the program the seeker's contact details.
    let (body, err) =
        call_server_fn(&app, None, "/api/status_link", &form(&[("token", &good)])).await;
    assert_eq!(err, None);
    assert!(body.contains("rosa@example.org"), "{body}");
    // A staff member who leaves the program loses the link's power with it.
    w.state
        .store
        .remove_program_staff(w.food, w.carla)
        .await
        .unwrap();
    let (_, err) = call_server_fn(&app, None, "/api/status_link", &form(&[("token", &good)])).await;
    assert!(
        matches!(err, Some(app::error::AppError::Refused(_))),
        "{err:?}"
    );
}

/// Rosa signs up through the real server function, with the email on her referrals.
async fn sign_up_rosa(w: &World, app: &axum::Router) -> app::server::store::UserRow {
    let (_, err) = call_server_fn(
        app,
        None,
        "/api/sign_up",
        &form(&[
            ("name", "Rosa Diaz"),
            ("email", "rosa@example.org"),
            ("password", "a long enough password"),
        ]),
    )
    .await;
    assert_eq!(err, None);
    w.state
        .store
        .user_by_email(&crate::store::email("rosa@example.org"))
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn signing_up_mails_a_verification_link_that_links_the_seekers_referrals() {
    let mut w = World::new(&[]).await;
    w.refer(w.food, true, ContactPreference::Email).await;
    let app = app::server::http::router(w.state.clone());
    // Rosa also asked for help herself, before she had an account.
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/send_referral",
        &form(&[
            ("program", &w.food.to_string()),
            ("for_whom", "me"),
            ("first_name", "Rosa"),
            ("last_name", "Diaz"),
            ("email", "rosa@example.org"),
            ("phone", ""),
            ("best_way", "email"),
            ("language", "en"),
            ("comments", ""),
            ("consent", "on"),
        ]),
    )
    .await;
    assert_eq!(err, None);
    let store = w.state.store.clone();
    let unlinked = move || {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM persons WHERE email = 'rosa@example.org' AND user_id IS NULL",
            )
            .fetch_one(store.pool())
            .await
            .unwrap()
        }
    };
    assert_eq!(unlinked().await, 2);
    w.delivered().await;
    let account = sign_up_rosa(&w, &app).await;
    assert_eq!(account.email_verified, 0);
    // Not linked before the email is proven.
    assert_eq!(
        w.state.store.person(w.rosa).await.unwrap().unwrap().user_id,
        None
    );

    let mails = w.delivered().await;
    assert_eq!(
        mails,
        pairs(&[("rosa@example.org", "Confirm your email for Handoff")])
    );
    let mail = w.sink.received().pop().unwrap();
    let link = mail
        .text
        .split_whitespace()
        .find(|word| word.contains("/verify/"))
        .unwrap()
        .to_string();
    let token = link.rsplit('/').next().unwrap();
    // Holding the link is not enough: it takes the account's password (or its session).
    let (_, err) =
        call_server_fn(&app, None, "/api/verify_email", &form(&[("token", token)])).await;
    assert!(
        matches!(&err, Some(e) if e.message_for("password").is_some()),
        "{err:?}"
    );
    assert_eq!(unlinked().await, 2);
    let (head, _, err) = crate::support::call_server_fn_with_head(
        &app,
        None,
        "/api/verify_email",
        &form(&[("token", token), ("password", "a long enough password")]),
    )
    .await;
    assert_eq!(err, None);
    // Confirming with the password signs her in.
    assert!(
        crate::support::session_cookie_set(&head).is_some(),
        "{head:?}"
    );
    assert_eq!(
        w.state.store.person(w.rosa).await.unwrap().unwrap().user_id,
        Some(account.id)
    );
    // Her own earlier request is hers too.
    assert_eq!(unlinked().await, 0);
    // A link works once.
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/verify_email",
        &form(&[("token", token), ("password", "a long enough password")]),
    )
    .await;
    assert!(
        matches!(err, Some(app::error::AppError::Conflict(_))),
        "{err:?}"
    );
}

/// Takeover path 1 (issue 12): Mallory signs up with Rosa's address. Rosa gets the link and
/// opens it; it names Mallory's account, cannot confirm it without Mallory's password or
/// session, and lets Rosa remove it. Nothing of Rosa's is ever linked to Mallory.
#[tokio::test]
async fn an_account_made_with_someone_elses_address_never_gets_their_referrals() {
    let mut w = World::new(&[]).await;
    w.refer(w.food, true, ContactPreference::Email).await;
    let app = app::server::http::router(w.state.clone());
    w.delivered().await;
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/sign_up",
        &form(&[
            ("name", "Mallory Stranger"),
            ("email", "rosa@example.org"),
            ("password", "mallory's own password"),
        ]),
    )
    .await;
    assert_eq!(err, None);
    let mallory = w
        .state
        .store
        .user_by_email(&crate::store::email("rosa@example.org"))
        .await
        .unwrap()
        .unwrap();
    w.delivered().await;
    let mail = w.sink.received().pop().unwrap();
    assert!(mail.text.contains("Mallory S."), "{}", mail.text);
    assert!(mail.text.contains("This wasn't me"), "{}", mail.text);
    let link = mail
        .text
        .split_whitespace()
        .find(|word| word.contains("/verify/"))
        .unwrap()
        .to_string();
    let token = link.rsplit('/').next().unwrap();

    // Mallory is signed in (she knows her password); Rosa is not.
    let mallory_session = app::server::auth::start_session(&w.state.store, mallory.id)
        .await
        .unwrap();
    let mallory_cookie = format!("handoff_session={mallory_session}");
    // Rosa opens the link: it names the account, and is not for her session-less browser.
    let (body, err) = call_server_fn(
        &app,
        None,
        "/api/verification_details",
        &form(&[("token", token)]),
    )
    .await;
    assert_eq!(err, None);
    let details: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(details["account_name"], "Mallory Stranger");
    assert_eq!(details["is_this_account"], false);
    // Rosa's guess at a password fails, and links nothing.
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/verify_email",
        &form(&[("token", token), ("password", "rosa's password")]),
    )
    .await;
    assert_eq!(err, Some(app::error::AppError::InvalidCredentials));
    // Another signed-in account cannot use it either.
    let other = crate::store::user(&w.state.store, "Otto Other", "otto@example.org").await;
    let otto = app::server::auth::start_session(&w.state.store, other)
        .await
        .unwrap();
    let (_, err) = call_server_fn(
        &app,
        Some(&format!("handoff_session={otto}")),
        "/api/verify_email",
        &form(&[("token", token)]),
    )
    .await;
    assert!(
        matches!(err, Some(app::error::AppError::Conflict(_))),
        "{err:?}"
    );
    assert_eq!(
        w.state.store.person(w.rosa).await.unwrap().unwrap().user_id,
        None
    );
    // Mallory's Referrals For Me is empty: nothing is linked while the address is unconfirmed.
    let (body, err) = call_server_fn(&app, Some(&mallory_cookie), "/api/my_referrals", "").await;
    assert_eq!(err, None);
    assert_eq!(body, "[]", "Mallory sees nothing of Rosa's");

    // "This wasn't me": the account is gone, its session with it; the address is free.
    let (_, err) =
        call_server_fn(&app, None, "/api/report_signup", &form(&[("token", token)])).await;
    assert_eq!(err, None);
    assert_eq!(w.state.store.user(mallory.id).await.unwrap(), None);
    let (body, err) = call_server_fn(&app, Some(&mallory_cookie), "/api/current_user", "").await;
    assert_eq!((body.as_str(), err), ("null", None));
    assert_eq!(
        w.state.store.person(w.rosa).await.unwrap().unwrap().user_id,
        None
    );
    let account = sign_up_rosa(&w, &app).await;
    assert_eq!(account.name, "Rosa Diaz");
}

/// Signing up with an address that has an account answers exactly as for a new one, signs
/// nobody in, and tells the owner (with a way to set a new password).
#[tokio::test]
async fn sign_up_does_not_reveal_whether_an_address_has_an_account() {
    let mut w = World::new(&[]).await;
    let app = app::server::http::router(w.state.clone());
    crate::store::user(&w.state.store, "Otto Owner", "otto@example.org").await;
    let sign_up = |email: &'static str| {
        let app = app.clone();
        async move {
            let (head, body, err) = crate::support::call_server_fn_with_head(
                &app,
                None,
                "/api/sign_up",
                &form(&[
                    ("name", "Some Body"),
                    ("email", email),
                    ("password", "a long enough password"),
                ]),
            )
            .await;
            assert_eq!(err, None);
            assert_eq!(crate::support::session_cookie_set(&head), None);
            (head.status, head.headers.get("location").cloned(), body)
        }
    };
    let taken = sign_up("otto@example.org").await;
    let new = sign_up("fresh@example.org").await;
    assert_eq!(taken, new);
    assert_eq!(
        w.delivered().await,
        pairs(&[
            (
                "otto@example.org",
                "Someone tried to sign up with your email"
            ),
            ("fresh@example.org", "Confirm your email for Handoff"),
        ])
    );
    // The owner's account is untouched, and only the one account has that address.
    let otto = w
        .state
        .store
        .user_by_email(&crate::store::email("otto@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(otto.name, "Otto Owner");
    // The owner's email carries a password-reset link that works.
    let mail = w
        .sink
        .received()
        .into_iter()
        .find(|m| m.text.contains("Someone tried"))
        .unwrap();
    let link = mail
        .text
        .split_whitespace()
        .find(|word| word.contains("/reset/"))
        .unwrap()
        .to_string();
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/reset_password",
        &form(&[
            ("token", link.rsplit('/').next().unwrap()),
            ("password", "otto's brand new password"),
        ]),
    )
    .await;
    assert_eq!(err, None);
}

#[tokio::test]
async fn without_smtp_url_emails_become_eml_files_a_new_user_can_open() {
    let state = crate::support::fresh_state().await;
    let mut config = (*state.config).clone();
    let dir = std::env::temp_dir()
        .join("handoff-tests")
        .join(format!("eml-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    config.data_dir = dir.clone();
    assert_eq!(config.smtp_url, None);
    let store = &state.store;
    let ana = user(store, "Ana Navarro", "ana@example.org").await;
    let rent = program(store, "Rent", "rent@listed.org").await;
    let rosa = person(store, "rosa@example.org", Some(ana)).await;
    store
        .create_referral(
            &new_referral(rosa, rent, Some((ana, None)), ContactPreference::Email),
            &actor(ana, Role::Helper),
        )
        .await
        .unwrap();
    let worker = worker_for(store, &config);
    drain_all(&worker, store).await;
    let mut files: Vec<_> = std::fs::read_dir(dir.join("mail"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    let inbound = std::fs::read_to_string(&files[1]).unwrap();
    assert!(
        files[1]
            .to_string_lossy()
            .ends_with("-new_inbound_referral.eml")
    );
    assert!(inbound.contains("To: rent@listed.org"));
    assert!(inbound.contains("Subject: New referral for Rent: Rosa D."));
    assert!(inbound.contains("Content-Type: multipart/alternative"));
    assert!(inbound.contains("Content-Type: text/html"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_lost_confirmation_link_can_be_sent_again() {
    let mut w = World::new(&[]).await;
    let app = app::server::http::router(w.state.clone());
    let account = sign_up_rosa(&w, &app).await;
    let (_, err) = call_server_fn(&app, None, "/api/resend_verification", "").await;
    assert_eq!(err, Some(app::error::AppError::Unauthorized));
    let token = app::server::auth::start_session(&w.state.store, account.id)
        .await
        .unwrap();
    let cookie = format!("handoff_session={token}");
    let (_, err) = call_server_fn(&app, Some(&cookie), "/api/resend_verification", "").await;
    assert_eq!(err, None);
    let confirm = ("rosa@example.org", "Confirm your email for Handoff");
    assert_eq!(w.delivered().await, pairs(&[confirm, confirm]));
    let second = w.sink.received().pop().unwrap();
    let link = second
        .text
        .split_whitespace()
        .find(|word| word.contains("/verify/"))
        .unwrap()
        .to_string();
    let (_, err) = call_server_fn(
        &app,
        Some(&cookie),
        "/api/verify_email",
        &form(&[("token", link.rsplit('/').next().unwrap())]),
    )
    .await;
    assert_eq!(err, None);
    let (_, err) = call_server_fn(&app, Some(&cookie), "/api/resend_verification", "").await;
    assert!(
        matches!(err, Some(app::error::AppError::Conflict(_))),
        "{err:?}"
    );
}

// --- Account recovery and control (issue 12) ------------------------------------------

/// The token in the newest email's link that starts with `prefix` (e.g. "/reset/").
fn token_in(mail: &Received, prefix: &str) -> String {
    let link = mail
        .text
        .split_whitespace()
        .find(|word| word.contains(prefix))
        .unwrap_or_else(|| panic!("no {prefix} link in {}", mail.text));
    link.rsplit('/').next().unwrap().to_string()
}

fn session_cookie_of(token: &str) -> String {
    format!("handoff_session={token}")
}

#[tokio::test]
async fn a_password_reset_link_works_once_for_an_hour_and_ends_every_session() {
    let mut w = World::new(&[]).await;
    let app = app::server::http::router(w.state.clone());
    let rosa = sign_up_rosa(&w, &app).await;
    w.delivered().await;
    let elsewhere = session_cookie_of(
        &app::server::auth::start_session(&w.state.store, rosa.id)
            .await
            .unwrap(),
    );
    let ana_hash = w.state.store.password_hash(w.ana).await.unwrap();

    // The same answer whether or not the address has an account; mail only to a real one.
    for email in ["rosa@example.org", "nobody@example.org"] {
        let (_, err) = call_server_fn(
            &app,
            None,
            "/api/request_password_reset",
            &form(&[("email", email)]),
        )
        .await;
        assert_eq!(err, None, "{email}");
    }
    assert_eq!(
        w.delivered().await,
        pairs(&[("rosa@example.org", "Set a new Handoff password")])
    );
    let mail = w.sink.received().pop().unwrap();
    let token = token_in(&mail, "/reset/");
    // The outbox keeps no readable token.
    let payloads: Vec<String> = w
        .state
        .store
        .outbox()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.payload)
        .collect();
    assert!(payloads.iter().all(|p| !p.contains(&token)), "{payloads:?}");

    let reset = |token: String, password: &'static str| {
        let app = app.clone();
        async move {
            crate::support::call_server_fn_with_head(
                &app,
                None,
                "/api/reset_password",
                &form(&[("token", &token), ("password", password)]),
            )
            .await
        }
    };
    // A bad new password is a field error and uses nothing up.
    let (_, _, err) = reset(token.clone(), "short").await;
    assert!(
        matches!(&err, Some(e) if e.message_for("password").is_some()),
        "{err:?}"
    );
    let (head, _, err) = reset(token.clone(), "rosa's new password").await;
    assert_eq!(err, None);
    assert!(
        crate::support::session_cookie_set(&head).is_some(),
        "signed in afresh"
    );
    // Every other session ended; the new password works; the old one does not.
    let (body, _) = call_server_fn(&app, Some(&elsewhere), "/api/current_user", "").await;
    assert_eq!(body, "null");
    let email = crate::store::email("rosa@example.org");
    assert_eq!(
        app::server::auth::check_login(&w.state.store, &email, "rosa's new password".into(), "t")
            .await
            .unwrap(),
        rosa.id
    );
    // Used twice: refused.
    let (_, _, err) = reset(token, "yet another password").await;
    assert!(
        matches!(err, Some(app::error::AppError::Conflict(_))),
        "{err:?}"
    );
    // Another account's password never changed.
    assert_eq!(w.state.store.password_hash(w.ana).await.unwrap(), ana_hash);

    // Expired (an hour on): refused.
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/request_password_reset",
        &form(&[("email", "rosa@example.org")]),
    )
    .await;
    assert_eq!(err, None);
    w.delivered().await;
    let late = token_in(&w.sink.received().pop().unwrap(), "/reset/");
    // As if it had been mailed an hour and a moment ago.
    sqlx::query("UPDATE password_resets SET expires_at = 0 WHERE used_at IS NULL")
        .execute(w.state.store.pool())
        .await
        .unwrap();
    let (_, _, err) = reset(late, "a password too late").await;
    assert!(
        matches!(err, Some(app::error::AppError::Conflict(_))),
        "{err:?}"
    );

    // At most 3 links an address in 15 minutes (the answer stays the same).
    for _ in 0..3 {
        let (_, err) = call_server_fn(
            &app,
            None,
            "/api/request_password_reset",
            &form(&[("email", "rosa@example.org")]),
        )
        .await;
        assert_eq!(err, None);
    }
    assert_eq!(
        w.delivered().await.len(),
        1,
        "the third link in the window is the last"
    );
}

#[tokio::test]
async fn a_new_email_takes_effect_only_when_its_account_confirms_it_from_the_new_address() {
    let mut w = World::new(&[]).await;
    let app = app::server::http::router(w.state.clone());
    let rosa = sign_up_rosa(&w, &app).await;
    w.delivered().await;
    let cookie = session_cookie_of(
        &app::server::auth::start_session(&w.state.store, rosa.id)
            .await
            .unwrap(),
    );
    // The current password is asked for.
    let (_, err) = call_server_fn(
        &app,
        Some(&cookie),
        "/api/request_email_change",
        &form(&[("email", "rosa.new@example.org"), ("current", "a guess")]),
    )
    .await;
    assert!(
        matches!(&err, Some(e) if e.message_for("current").is_some()),
        "{err:?}"
    );
    let (_, err) = call_server_fn(
        &app,
        Some(&cookie),
        "/api/request_email_change",
        &form(&[
            ("email", "rosa.new@example.org"),
            ("current", "a long enough password"),
        ]),
    )
    .await;
    assert_eq!(err, None);
    assert_eq!(
        w.delivered().await,
        pairs(&[("rosa.new@example.org", "Confirm your new email for Handoff")])
    );
    let token = token_in(&w.sink.received().pop().unwrap(), "/email/");
    // Nothing changed yet.
    assert_eq!(
        w.state.store.user(rosa.id).await.unwrap().unwrap().email,
        "rosa@example.org"
    );
    // Another account cannot use the link, nor can nobody.
    let ana = session_cookie_of(
        &app::server::auth::start_session(&w.state.store, w.ana)
            .await
            .unwrap(),
    );
    let (_, err) = call_server_fn(
        &app,
        Some(&ana),
        "/api/confirm_email_change",
        &form(&[("token", &token)]),
    )
    .await;
    assert!(
        matches!(err, Some(app::error::AppError::Conflict(_))),
        "{err:?}"
    );
    let (_, err) = call_server_fn(
        &app,
        None,
        "/api/confirm_email_change",
        &form(&[("token", &token)]),
    )
    .await;
    assert_eq!(err, Some(app::error::AppError::Unauthorized));
    assert_eq!(
        w.state.store.user(w.ana).await.unwrap().unwrap().email,
        "ana@example.org"
    );
    // Rosa, signed in: the new address is hers, confirmed.
    let (_, err) = call_server_fn(
        &app,
        Some(&cookie),
        "/api/confirm_email_change",
        &form(&[("token", &token)]),
    )
    .await;
    assert_eq!(err, None);
    let now = w.state.store.user(rosa.id).await.unwrap().unwrap();
    assert_eq!(
        (now.email.as_str(), now.email_verified),
        ("rosa.new@example.org", 1)
    );
    // The old address is told, with a way back for an owner who did not do it.
    assert_eq!(
        w.delivered().await,
        pairs(&[("rosa@example.org", "Your Handoff account was changed")])
    );
    let notice = w.sink.received().pop().unwrap();
    assert!(
        notice.text.contains("was changed to rosa.new@example.org"),
        "{}",
        notice.text
    );
    assert!(notice.text.contains("/reset/"), "{}", notice.text);
}

#[tokio::test]
async fn changing_the_password_asks_for_the_current_one_and_ends_other_sessions() {
    let mut w = World::new(&[]).await;
    let app = app::server::http::router(w.state.clone());
    let rosa = sign_up_rosa(&w, &app).await;
    w.delivered().await;
    let start = || app::server::auth::start_session(&w.state.store, rosa.id);
    let here = session_cookie_of(&start().await.unwrap());
    let there = session_cookie_of(&start().await.unwrap());
    let (_, err) = call_server_fn(
        &app,
        Some(&here),
        "/api/change_password",
        &form(&[("current", "wrong"), ("password", "a new long password")]),
    )
    .await;
    assert!(
        matches!(&err, Some(e) if e.message_for("current").is_some()),
        "{err:?}"
    );
    let (_, err) = call_server_fn(
        &app,
        Some(&here),
        "/api/change_password",
        &form(&[
            ("current", "a long enough password"),
            ("password", "a new long password"),
        ]),
    )
    .await;
    assert_eq!(err, None);
    let (body, _) = call_server_fn(&app, Some(&here), "/api/current_user", "").await;
    assert!(body.contains("Rosa Diaz"), "this session stays: {body}");
    let (body, _) = call_server_fn(&app, Some(&there), "/api/current_user", "").await;
    assert_eq!(body, "null", "the other session ended");
    assert_eq!(
        w.delivered().await,
        pairs(&[("rosa@example.org", "Your Handoff account was changed")])
    );
    // Log out everywhere ends this one too.
    let (_, err) = call_server_fn(&app, Some(&here), "/api/log_out_everywhere", "").await;
    assert_eq!(err, None);
    let (body, _) = call_server_fn(&app, Some(&here), "/api/current_user", "").await;
    assert_eq!(body, "null");
}

#[tokio::test]
async fn referring_someone_else_needs_a_confirmed_email_and_each_inbox_is_limited() {
    let mut w = World::new(&[]).await;
    let app = app::server::http::router(w.state.clone());
    let cookie = session_cookie_of(
        &app::server::auth::start_session(&w.state.store, w.ana)
            .await
            .unwrap(),
    );
    let refer = |to: &'static str| {
        let (app, cookie, food) = (app.clone(), cookie.clone(), w.food.to_string());
        async move {
            call_server_fn(
                &app,
                Some(&cookie),
                "/api/send_referral",
                &form(&[
                    ("program", &food),
                    ("for_whom", "new"),
                    ("first_name", "Stella"),
                    ("last_name", "Stranger"),
                    ("email", to),
                    ("phone", ""),
                    ("best_way", "email"),
                    ("language", "en"),
                    ("comments", ""),
                    ("consent", "on"),
                ]),
            )
            .await
            .1
        }
    };
    sqlx::query("UPDATE users SET email_verified = 0 WHERE id = $1")
        .bind(w.ana)
        .execute(w.state.store.pool())
        .await
        .unwrap();
    let err = refer("stella@example.org").await;
    assert!(
        matches!(err, Some(app::error::AppError::Refused(_))),
        "{err:?}"
    );
    sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1")
        .bind(w.ana)
        .execute(w.state.store.pool())
        .await
        .unwrap();
    for _ in 0..10 {
        assert_eq!(refer("stella@example.org").await, None);
    }
    let err = refer("stella@example.org").await;
    assert!(
        matches!(&err, Some(e) if e.message_for("email").is_some()),
        "{err:?}"
    );
    // Another inbox is not affected.
    assert_eq!(refer("someone.else@example.org").await, None);
    let to_stella = w
        .delivered()
        .await
        .into_iter()
        .filter(|(to, _)| to == "stella@example.org")
        .count();
    assert_eq!(to_stella, 10);
}

/// A row of a kind this version cannot compose (queued by a newer one, before a rollback)
/// waits for a version that knows it: the rest of the outbox still goes out, and the row
/// is neither attempted nor failed.
#[tokio::test]
async fn an_email_of_an_unknown_kind_waits_and_holds_nothing_up() {
    let w = World::new(&[]).await;
    sqlx::query(
        "INSERT INTO outbox (kind, recipient_email, language, referral_id, payload, state, \
         next_attempt_at, message_id, created_at) \
         VALUES ('from_a_newer_version', 'x@example.org', 'en', NULL, '{}', 'pending', 0, '<n@handoff>', 0)",
    )
    .execute(w.state.store.pool())
    .await
    .unwrap();
    w.refer(w.food, true, ContactPreference::Email).await;
    assert_eq!(w.worker.drain_once().await.unwrap(), 2);
    assert_eq!(w.sink.received().len(), 2);
    let (state, attempts): (String, i64) =
        sqlx::query_as("SELECT state, attempts FROM outbox WHERE kind = 'from_a_newer_version'")
            .fetch_one(w.state.store.pool())
            .await
            .unwrap();
    assert_eq!((state.as_str(), attempts), ("pending", 0));
    // The administrator's lists still load.
    let outbox = w.state.store.outbox().await.unwrap();
    assert!(outbox.iter().all(|r| r.recipient_email != "x@example.org"));
}
