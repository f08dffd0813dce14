//! Demo data: the world `./scripts/run` shows (seeded once, into an empty database only),
//! and tagged copies of it that browser tests seed for themselves (`handoff demo-world`),
//! so that no test depends on what another test, or a person trying the demo, changed.
//!
//! Every demo account's password is `DEMO_PASSWORD`; the README lists the logins.

use super::Store;
use super::auth::hash_password;
use crate::error::AppError;
use crate::model::{
    ContactPreference, EmailAddress, GroupId, Language, NoteText, Password, PersonId, PersonName,
    PhoneNumber, ProgramId, ReferralId, Role, Status, UserId,
};
use crate::server::store::{
    Actor, GroupRole, NewPerson, NewProgram, NewReferral, NewUser, PersonChoice, StatusChange,
};
use serde::Serialize;

pub const DEMO_PASSWORD: &str = "handoff-demo-2026";

struct DemoUser {
    name: &'static str,
    /// `local@domain`; a tagged world's is `local.TAG@domain`.
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
        ..NewProgram::default()
    }
}

fn name(s: &str) -> PersonName {
    PersonName::parse(s).expect("demo names are valid")
}

fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("demo emails are valid")
}

/// What a seeded world holds, for the tests that seeded it (printed as JSON).
#[derive(Clone, Debug, Serialize)]
pub struct World {
    pub password: &'static str,
    pub users: WorldUsers,
    pub group: GroupId,
    pub programs: WorldPrograms,
    pub persons: WorldPersons,
    pub referrals: WorldReferrals,
}

/// Each demo account's email address.
#[derive(Clone, Debug, Serialize)]
pub struct WorldUsers {
    pub admin: String,
    pub ana: String,
    pub ben: String,
    pub carla: String,
    pub dana: String,
    pub omar: String,
}

/// Claimed: groceries (Carla), clinic (Omar). The others are unclaimed.
#[derive(Clone, Debug, Serialize)]
pub struct WorldPrograms {
    pub groceries: ProgramId,
    pub rental: ProgramId,
    pub clinic: ProgramId,
    pub jobs: ProgramId,
    pub utilities: ProgramId,
    /// The listed email of each unclaimed program that claims are verified through.
    pub rental_email: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct WorldPersons {
    pub dana: PersonId,
    pub eli: PersonId,
}

/// Dana's groceries referral (Pending, with a note), Eli's (don't reach out, Not updated),
/// Dana's rental one (Needs client action, by Ben) and her own job-course one (Got help).
#[derive(Clone, Debug, Serialize)]
pub struct WorldReferrals {
    pub dana_groceries: ReferralId,
    pub eli_groceries: ReferralId,
    pub dana_rental: ReferralId,
    pub dana_course: ReferralId,
}

/// A tag keeps a world's addresses apart from every other's: letters and digits only.
pub fn valid_tag(tag: &str) -> bool {
    !tag.is_empty() && tag.len() <= 24 && tag.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `ana@navigators.test` in the demo; `ana.TAG@navigators.test` in a tagged world.
fn tagged(address: &str, tag: Option<&str>) -> String {
    match (tag, address.split_once('@')) {
        (Some(tag), Some((local, domain))) => format!("{local}.{tag}@{domain}"),
        _ => address.to_string(),
    }
}

/// Seeds the demo unless the database already has users. Returns whether it seeded.
pub async fn seed_once(store: &Store) -> Result<bool, AppError> {
    if store.count_users().await? > 0 {
        return Ok(false);
    }
    seed_world(store, None).await?;
    Ok(true)
}

/// Seeds one more copy of the demo world beside whatever the database holds: the same
/// people, programs and referrals, with every email address tagged (`valid_tag`).
pub async fn seed_tagged_world(store: &Store, tag: &str) -> Result<World, String> {
    if !valid_tag(tag) {
        return Err(format!(
            "a world's tag is 1 to 24 letters and digits, not {tag:?}"
        ));
    }
    seed_world(store, Some(tag))
        .await
        .map_err(|e| format!("seeding the world failed: {e:?}"))
}

async fn seed_world(store: &Store, tag: Option<&str>) -> Result<World, AppError> {
    let at = |address: &str| tagged(address, tag);
    let hash =
        hash_password(&Password::parse(DEMO_PASSWORD).expect("demo password is valid")).await?;
    let mut ids = Vec::new();
    for u in &USERS {
        ids.push(
            store
                .create_user(&NewUser {
                    name: name(u.name),
                    email: email(&at(u.email)),
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
            &at("intake@foodbank.test"),
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
            &at("help@housingrights.test"),
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
            &at("frontdesk@clinic.test"),
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
            &at("courses@workforce.test"),
            "Eight-week course: computer basics, CV writing, interview practice.",
        ))
        .await?;
    let utilities = store
        .create_program(&program(
            "Utility Bill Assistance",
            "Springfield Energy Fund",
            &["utilities", "money"],
            "Springfield",
            "62701",
            &at("apply@energyfund.test"),
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
            email: Some(email(&at("dana@example.test"))),
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
            email: Some(email(&at("eli.moreno@example.test"))),
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

    let referral = |person, program, referrer: Option<UserId>, pref, comments: &str| NewReferral {
        person: PersonChoice::Existing(person),
        program,
        referrer: referrer.map(|r| (r, Some(navigators))),
        contact_preference: pref,
        contact_email: Some(email(&at(if person == dana_person {
            "dana@example.test"
        } else {
            "eli.moreno@example.test"
        }))),
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

    let eli_groceries = store
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

    // Nobody at the food bank has answered Eli for five days: overdue on Carla's dashboard.
    store.backdate_referral(eli_groceries, 5).await?;
    // Dana's groceries referral has been open for two weeks: her check-in is due.
    store.backdate_referral(groceries, 15).await?;

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
    Ok(World {
        password: DEMO_PASSWORD,
        users: WorldUsers {
            admin: at(USERS[0].email),
            ana: at(USERS[1].email),
            ben: at(USERS[2].email),
            carla: at(USERS[3].email),
            dana: at(USERS[4].email),
            omar: at(USERS[5].email),
        },
        group: navigators,
        programs: WorldPrograms {
            groceries: food,
            rental: housing,
            clinic,
            jobs,
            utilities,
            rental_email: at("help@housingrights.test"),
        },
        persons: WorldPersons {
            dana: dana_person,
            eli: eli_person,
        },
        referrals: WorldReferrals {
            dana_groceries: groceries,
            eli_groceries,
            dana_rental: rent,
            dana_course: course,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_letters_and_digits() {
        assert!(valid_tag("e2e42"));
        for bad in ["", "a.b", "a@b", "a b", "ä", &"x".repeat(25)] {
            assert!(!valid_tag(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_tagged_world_has_its_own_addresses() {
        assert_eq!(tagged("ana@navigators.test", None), "ana@navigators.test");
        assert_eq!(
            tagged("ana@navigators.test", Some("t1")),
            "ana.t1@navigators.test"
        );
    }
}
