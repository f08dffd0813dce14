//! Email delivery throughput and the outbox's cost to a status change.
//!
//! 1. Drain: N emails (default 5,000; new-referral emails to an unclaimed program's listed
//!    address) queued, then drained by the real mail worker (8 pooled SMTP connections) to
//!    a real SMTP server on loopback (scripts/smtp_sink.py --light: aiosmtpd logging each
//!    message's recipients and Message-ID; parsing every message in Python capped the rate
//!    at ~150/s). Emails per second, wall clock, until the last is marked sent.
//! 2. Outbox cost: 2,000 status changes through the store, one at a time, each one
//!    transaction; first helper changes (the SPEC sends no email: no outbox row), then
//!    program changes to Needs client action on email-preference referrals (two outbox
//!    rows each: seeker and helper). Changes per second for each.
//!
//! Run: `cargo bench -p app --features ssr --bench outbox -- 5000`
//! Backend: HANDOFF_BENCH_DATABASE=sqlite (default) or postgres.

use app::model::{
    ContactPreference, EmailAddress, Language, PersonName, ProgramId, ReferralId, Role, Status,
};
use app::server::Store;
use app::server::mail::{MailSettings, MailWorker};
use app::server::store::{
    Actor, NewPerson, NewProgram, NewReferral, NewUser, PersonChoice, StatusChange,
};
use std::time::{Duration, Instant};

mod common;

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(5_000);
    let backend = common::backend();
    let url = common::database_url(&backend, "outbox.db").await;
    let store = Store::open(&url).await.unwrap();

    let (port, mut sink, sink_dir) = common::start_sink(&["--light"]).await;
    let mut config = common::config();
    config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));

    let helper = store
        .create_user(&NewUser {
            name: PersonName::parse("Ana Navarro").unwrap(),
            email: EmailAddress::parse("ana@example.org").unwrap(),
            language: Language::english(),
            password_hash: "x".into(),
            email_verified: true,
            is_site_admin: false,
        })
        .await
        .unwrap();
    let unclaimed = program(&store, "Rent", "rent@listed.org").await;
    let person = store
        .create_person(&NewPerson {
            first_name: PersonName::parse("Rosa").unwrap(),
            last_name: PersonName::parse("Diaz").unwrap(),
            email: Some(EmailAddress::parse("rosa@example.org").unwrap()),
            phone: None,
            language: Language::english(),
            user: None,
            created_by: Some(helper),
        })
        .await
        .unwrap();
    let as_helper = Actor {
        user: Some(helper),
        role: Role::Helper,
        label: "Ana N.".into(),
    };
    let referral = |pref| NewReferral {
        person: PersonChoice::Existing(person),
        program: unclaimed,
        referrer: Some((helper, None)),
        contact_preference: pref,
        contact_email: Some(EmailAddress::parse("rosa@example.org").unwrap()),
        contact_phone: None,
        language: Language::english(),
        comments: "Needs help with rent this month".into(),
    };

    // 1. Drain, with the default 8 connections and with 48. lettre writes a message's
    // final "." in its own small packet, so on each connection Nagle's algorithm meets the
    // server's delayed ACK: about 40 ms per email per connection. More connections is the
    // lever lettre leaves us (it has no TCP_NODELAY switch).
    let mut sent_so_far = 0;
    for concurrency in [8usize, 48] {
        for _ in 0..n {
            store
                .create_referral(&referral(ContactPreference::Phone), &as_helper)
                .await
                .unwrap();
        }
        let settings = MailSettings {
            concurrency,
            ..MailSettings::default()
        };
        let worker = MailWorker::new(store.clone(), &config, settings).unwrap();
        let started = Instant::now();
        while store.outbox_counts().await.unwrap().pending > 0 {
            worker.drain_once().await.unwrap();
        }
        let drain = started.elapsed();
        sent_so_far += n;
        let counts = store.outbox_counts().await.unwrap();
        assert_eq!(counts.sent as usize, sent_so_far, "every email sent");
        let rate = n as f64 / drain.as_secs_f64();
        println!(
            "outbox drain on {backend}, {concurrency} SMTP connections: {n} emails to a loopback SMTP server in {:.2} s = {rate:.0} emails/s",
            drain.as_secs_f64(),
        );
        // The machine's limit for the same SMTP server: a bare client, same connections,
        // each message written whole, with TCP_NODELAY.
        let floor = raw_smtp_rate(port, concurrency, n).await;
        println!(
            "row: | outbox drain, {backend}, {concurrency} SMTP connections, {n} emails | {rate:.0} emails/s | bare SMTP client to the same server {floor:.0} emails/s | {:.2} |",
            rate / floor
        );
    }

    // 2. The outbox's cost to a status change.
    const CHANGES: usize = 2_000;
    let ids_silent = create_many(
        &store,
        &referral(ContactPreference::Email),
        &as_helper,
        CHANGES,
    )
    .await;
    let ids_mailed = create_many(
        &store,
        &referral(ContactPreference::Email),
        &as_helper,
        CHANGES,
    )
    .await;
    let as_program = Actor {
        user: None,
        role: Role::Program,
        label: "Rent Org (by email link)".into(),
    };
    let before = store.outbox_counts().await.unwrap().pending;
    let silent = time_changes(&store, &ids_silent, &as_helper).await;
    let after_silent = store.outbox_counts().await.unwrap().pending;
    let mailed = time_changes(&store, &ids_mailed, &as_program).await;
    let after_mailed = store.outbox_counts().await.unwrap().pending;
    assert_eq!(after_silent, before, "helper changes queue no email");
    assert_eq!(
        after_mailed - after_silent,
        2 * CHANGES as i64,
        "two emails per change"
    );
    println!(
        "status changes on {backend}: without outbox rows {:.0}/s, with two outbox rows each {:.0}/s (ratio {:.2})",
        CHANGES as f64 / silent.as_secs_f64(),
        CHANGES as f64 / mailed.as_secs_f64(),
        silent.as_secs_f64() / mailed.as_secs_f64()
    );

    let _ = sink.kill();
    let _ = sink.wait();
    let _ = std::fs::remove_dir_all(sink_dir);
}

/// Emails per second a minimal SMTP client gets from the same server: `connections`
/// connections, one small message at a time each, the same round trips as lettre (MAIL,
/// RCPT, DATA, the message), every write flushed at once.
async fn raw_smtp_rate(port: u16, connections: usize, n: usize) -> f64 {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    async fn reply(reader: &mut BufReader<tokio::net::TcpStream>) {
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).await.unwrap();
            assert!(line.len() >= 4, "SMTP server closed: {line:?}");
            if line.as_bytes()[3] == b' ' {
                assert!(matches!(line.as_bytes()[0], b'2' | b'3'), "{line}");
                return;
            }
        }
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let count = n / connections + usize::from(c < n % connections);
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let mut conn = BufReader::new(stream);
            reply(&mut conn).await;
            conn.get_mut().write_all(b"EHLO bench\r\n").await.unwrap();
            reply(&mut conn).await;
            for i in 0..count {
                for command in [
                    "MAIL FROM:<handoff@bench.test>\r\n".to_string(),
                    "RCPT TO:<listed@rent.org>\r\n".to_string(),
                    "DATA\r\n".to_string(),
                    format!(
                        "From: handoff@bench.test\r\nTo: listed@rent.org\r\nSubject: bench {c}.{i}\r\n\
                         Message-ID: <{c}.{i}@bench.test>\r\n\r\nA small message.\r\n.\r\n"
                    ),
                ] {
                    conn.get_mut().write_all(command.as_bytes()).await.unwrap();
                    reply(&mut conn).await;
                }
            }
            conn.get_mut().write_all(b"QUIT\r\n").await.unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    n as f64 / started.elapsed().as_secs_f64()
}

async fn create_many(store: &Store, new: &NewReferral, actor: &Actor, n: usize) -> Vec<ReferralId> {
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
        ids.push(store.create_referral(new, actor).await.unwrap());
    }
    ids
}

async fn time_changes(store: &Store, ids: &[ReferralId], actor: &Actor) -> Duration {
    let started = Instant::now();
    for id in ids {
        store
            .change_status(
                &StatusChange {
                    referral: *id,
                    expected_version: 1,
                    to: Status::NeedsClientAction,
                    note: None,
                },
                actor,
            )
            .await
            .unwrap();
    }
    started.elapsed()
}

async fn program(store: &Store, name: &str, listed: &str) -> ProgramId {
    store
        .create_program(&NewProgram {
            name: name.into(),
            organization: format!("{name} Org"),
            categories: vec!["housing".into()],
            languages: vec!["en".into()],
            contact_email: Some(listed.into()),
            ..Default::default()
        })
        .await
        .unwrap()
}
