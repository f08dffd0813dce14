//! Issue 18, item 8: fuzzing the parsers that take what anyone can send (proptest). Not part
//! of the normal run (`#[ignore]`): `./scripts/fuzz [seconds each]` runs each target for a
//! stated time and prints how many inputs it tried; a panic anywhere fails it. Each target
//! also checks a property, so it tests more than "does not crash".

use app::model::text::{Shape, check};
use app::model::{EmailAddress, NoteText, PersonName, PhoneNumber};
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// Runs `body` on generated inputs until `FUZZ_SECONDS` (default 10) pass; answers how many.
fn for_a_while<S: Strategy>(strategy: S, body: impl Fn(S::Value)) -> u64
where
    S::Value: std::fmt::Debug,
{
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut runner = TestRunner::default();
    let mut tried = 0;
    while Instant::now() < until {
        let value = strategy.new_tree(&mut runner).unwrap().current();
        body(value);
        tried += 1;
    }
    tried
}

/// Any text, weighted towards the characters parsers trip on.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{200b}-\\u{200f}\\u{feff}a-z@._%+\\- ]{0,300}",
        "[a-z0-9._%+-]{0,70}@[a-z0-9.-]{0,70}",
    ]
}

fn report(name: &str, tried: u64) {
    println!("fuzz: {name}: {tried} inputs, 0 panics");
}

#[test]
#[ignore]
fn fuzz_text_fields() {
    let tried = for_a_while(nasty_text(), |s| {
        for shape in [Shape::Name, Shape::Line, Shape::Lines] {
            if let Ok(kept) = check(&s, shape, 200) {
                // What is kept passes again unchanged, and holds nothing refused.
                assert_eq!(check(&kept, shape, 200), Ok(kept.clone()));
                assert!(kept.chars().count() <= 200);
            }
        }
        let _ = PersonName::parse(&s);
        let _ = NoteText::parse(&s);
        let _ = PhoneNumber::parse(&s);
    });
    report("text fields (names, notes, phones)", tried);
}

#[test]
#[ignore]
fn fuzz_email_addresses() {
    let tried = for_a_while(nasty_text(), |s| {
        if let Ok(address) = EmailAddress::parse(&s) {
            assert!(
                address.as_str().parse::<lettre::Address>().is_ok(),
                "{s:?} accepted but lettre cannot send to it"
            );
        }
    });
    report("email addresses (against lettre)", tried);
}

#[test]
#[ignore]
fn fuzz_status_link_tokens() {
    let key = b"fuzz-key-fuzz-key-fuzz-key-fuzz!";
    let good = app::server::mail::StatusLink {
        referral: app::model::ReferralId(7),
        holder: app::server::mail::LinkHolder::Seeker,
        expires_at: i64::MAX / 2,
    }
    .sign(key);
    let strategy = prop_oneof![
        nasty_text(),
        (0..good.len(), any::<char>()).prop_map(move |(i, c)| {
            let mut t: Vec<char> = good.chars().collect();
            t[i] = c;
            t.into_iter().collect()
        }),
    ];
    let original = app::server::mail::StatusLink {
        referral: app::model::ReferralId(7),
        holder: app::server::mail::LinkHolder::Seeker,
        expires_at: i64::MAX / 2,
    }
    .sign(key);
    let tried = for_a_while(strategy, |token| {
        // Only the token signed with the key verifies.
        if app::server::mail::StatusLink::verify(&token, key, 0).is_ok() {
            assert_eq!(token, original, "a changed token verified");
        }
    });
    report("status link tokens", tried);
}

#[test]
#[ignore]
fn fuzz_accept_language_and_codes() {
    let tried = for_a_while(nasty_text(), |s| {
        let _ = app::i18n::Lang::negotiate(&s);
        let _ = app::model::report::ReportScope::parse(&s);
        let _ = app::model::calendar::parse_day(&s);
        let _ = app::model::time::parse_date(&s);
        let _ = app::model::audit::parse_query(&s, &s, &s, &s, &s);
    });
    report(
        "Accept-Language, report scopes, dates, audit searches",
        tried,
    );
}

#[test]
#[ignore]
fn fuzz_hsds_feeds() {
    let json = prop_oneof![
        any::<Vec<u8>>(),
        nasty_text()
            .prop_map(
                |s| format!("{{\"services\": [{{\"name\": {s:?}, \"id\": \"x\"}}]}}").into_bytes()
            ),
        nasty_text().prop_map(|s| s.into_bytes()),
    ];
    let tried = for_a_while(json, |bytes| {
        let _ = app::server::hsds::read_bytes("feed.json", bytes.clone());
        let _ = app::server::hsds::read_bytes("feed.zip", bytes);
    });
    report("HSDS feeds (JSON and .zip)", tried);
}
