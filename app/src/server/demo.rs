//! Demo data for `./scripts/run`: seeded once, into an empty database only.
//!
//! Every demo account's password is `DEMO_PASSWORD`; the README lists the logins.

use super::Store;
use super::auth::hash_password;
use crate::error::AppError;
use crate::model::{
    ContactPreference, EmailAddress, Language, NoteText, Password, PersonName, PhoneNumber, Role,
    Status,
};
use crate::server::store::{
    Actor, GroupRole, NewPerson, NewProgram, NewReferral, NewUser, PersonChoice, StatusChange,
};

pub const DEMO_PASSWORD: &str = "handoff-demo-2026";

struct DemoUser {
    name: &'static str,
    email: &'static str,
    admin: bool,
}

const USERS: [DemoUser; 6] = [
    DemoUser {
        name: "Sam Admin",
        email: "admin@handoff.test",
        admin: true,
    },
    DemoUser {
        name: "Ana Pérez",
        email: "ana@navigators.test",
        admin: false,
    },
    DemoUser {
        name: "Ben Okafor",
        email: "ben@navigators.test",
        admin: false,
    },
    DemoUser {
        name: "Carla Díaz",
        email: "carla@foodbank.test",
        admin: false,
    },
    DemoUser {
        name: "Dana Lee",
        email: "dana@example.test",
        admin: false,
    },
    DemoUser {
        name: "Omar Haddad",
        email: "omar@clinic.test",
        admin: false,
    },
];

fn program(
    name: &str,
    org: &str,
    categories: &[&str],
    city: &str,
    zip: &str,
    email: &str,
    description: &str,
) -> NewProgram {
    NewProgram {
        name: name.into(),
        organization: org.into(),
        description: description.into(),
        address: "100 Main St".into(),
        city: city.into(),
        zip: zip.into(),
        service_area: format!("{city} and nearby"),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        languages: vec!["en".into(), "es".into()],
        contact_email: Some(email.into()),
        contact_phone: Some("555-010-2000".into()),
        hours: "Mon–Fri 9:00–17:00".into(),
    }
}

fn name(s: &str) -> PersonName {
    PersonName::parse(s).expect("demo names are valid")
}

fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("demo emails are valid")
}

/// Seeds the demo unless the database already has users. Returns whether it seeded.
pub async fn seed_once(store: &Store) -> Result<bool, AppError> {
    if store.count_users().await? > 0 {
        return Ok(false);
    }
    let hash =
        hash_password(&Password::parse(DEMO_PASSWORD).expect("demo password is valid")).await?;
    let mut ids = Vec::new();
    for u in &USERS {
        ids.push(
            store
                .create_user(&NewUser {
                    name: name(u.name),
                    email: email(u.email),
                    language: Language::english(),
                    password_hash: hash.clone(),
                    email_verified: true,
                    is_site_admin: u.admin,
                })
                .await?,
        );
    }
    let [_admin, ana, ben, carla, dana, omar] = ids[..] else {
        unreachable!("six demo users")
    };

    let navigators = store
        .create_group("Eastside Community Navigators", true, ana)
        .await?;
    store.put_member(navigators, ben, GroupRole::Member).await?;

    let food = store
        .create_program(&program(
            "Weekly Groceries",
            "Eastside Food Bank",
            &["food"],
            "Springfield",
            "62701",
            "intake@foodbank.test",
            "Free groceries once a week for any household in the county. Bring a bag.",
        ))
        .await?;
    let housing = store
        .create_program(&program(
            "Rental Help Clinic",
            "Springfield Housing Rights",
            &["housing", "legal"],
            "Springfield",
            "62702",
            "help@housingrights.test",
            "Help with back rent, eviction notices and landlord disputes.",
        ))
        .await?;
    let clinic = store
        .create_program(&program(
            "Walk-in Health Clinic",
            "Northside Community Health",
            &["health"],
            "Shelbyville",
            "62565",
            "frontdesk@clinic.test",
            "Primary care on a sliding scale. No insurance needed.",
        ))
        .await?;
    let jobs = store
        .create_program(&program(
            "Job Skills Course",
            "County Workforce Center",
            &["work", "education"],
            "Springfield",
            "62703",
            "courses@workforce.test",
            "Eight-week course: computer basics, CV writing, interview practice.",
        ))
        .await?;
    store
        .create_program(&program(
            "Utility Bill Assistance",
            "Springfield Energy Fund",
            &["utilities", "money"],
            "Springfield",
            "62701",
            "apply@energyfund.test",
            "One-time help with gas, electric or water bills for households behind on payment.",
        ))
        .await?;
    store.add_program_staff(food, carla).await?;
    store.add_program_staff(clinic, omar).await?;

    // Dana has an account; Eli is someone Ana helps who has none.
    let dana_person = store
        .create_person(&NewPerson {
            first_name: name("Dana"),
            last_name: name("Lee"),
            email: Some(email("dana@example.test")),
            phone: Some(PhoneNumber::parse("555-201-3344").expect("valid")),
            language: Language::english(),
            user: Some(dana),
            created_by: Some(ana),
        })
        .await?;
    let eli_person = store
        .create_person(&NewPerson {
            first_name: name("Eli"),
            last_name: name("Moreno"),
            email: Some(email("eli.moreno@example.test")),
            phone: Some(PhoneNumber::parse("555-787-1200").expect("valid")),
            language: Language::parse("es").expect("valid"),
            user: None,
            created_by: Some(ana),
        })
        .await?;

    let ana_actor = Actor {
        user: Some(ana),
        role: Role::Helper,
        label: "Ana P., Eastside Community Navigators".into(),
    };
    let ben_actor = Actor {
        user: Some(ben),
        role: Role::Helper,
        label: "Ben O., Eastside Community Navigators".into(),
    };
    let carla_actor = Actor {
        user: Some(carla),
        role: Role::Program,
        label: "Carla D., Eastside Food Bank".into(),
    };
    let dana_actor = Actor {
        user: Some(dana),
        role: Role::Seeker,
        label: "Dana L.".into(),
    };

    let referral = |person, program, referrer: Option<i64>, pref, comments: &str| NewReferral {
        person: PersonChoice::Existing(person),
        program,
        referrer: referrer.map(|r| (r, Some(navigators))),
        contact_preference: pref,
        contact_email: Some(email(if person == dana_person {
            "dana@example.test"
        } else {
            "eli.moreno@example.test"
        })),
        contact_phone: PhoneNumber::parse("555-201-3344").ok(),
        language: Language::english(),
        comments: comments.into(),
    };

    let groceries = store
        .create_referral(
            &referral(
                dana_person,
                food,
                Some(ana),
                ContactPreference::Email,
                "Family of four; Dana works days, evenings are best.",
            ),
            &ana_actor,
        )
        .await?;
    store
        .change_status(
            &StatusChange {
                referral: groceries,
                expected_version: 1,
                to: Status::Pending,
                note: None,
            },
            &carla_actor,
        )
        .await?;
    store
        .add_note(
            groceries,
            &NoteText::parse("Called Dana, pickup slot Thursday 6pm.").expect("valid"),
            &carla_actor,
        )
        .await?;

    store
        .create_referral(
            &referral(
                eli_person,
                food,
                Some(ana),
                ContactPreference::DontReachOut,
                "Eli will come in person; please don't call.",
            ),
            &ana_actor,
        )
        .await?;

    let rent = store
        .create_referral(
            &referral(
                dana_person,
                housing,
                Some(ben),
                ContactPreference::Phone,
                "Eviction notice received last week.",
            ),
            &ben_actor,
        )
        .await?;
    store
        .change_status(
            &StatusChange {
                referral: rent,
                expected_version: 1,
                to: Status::NeedsClientAction,
                note: Some(
                    NoteText::parse("Dana needs to bring the notice and last 3 rent receipts.")
                        .expect("valid"),
                ),
            },
            &ben_actor,
        )
        .await?;

    let course = store
        .create_referral(
            &referral(
                dana_person,
                jobs,
                None,
                ContactPreference::Email,
                "I can do mornings.",
            ),
            &dana_actor,
        )
        .await?;
    store
        .change_status(
            &StatusChange {
                referral: course,
                expected_version: 1,
                to: Status::GotHelp,
                note: None,
            },
            &dana_actor,
        )
        .await?;
    Ok(true)
}
