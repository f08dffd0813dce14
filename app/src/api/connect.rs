//! The Connect form: refer yourself, or (as a helper) someone else, to a program.

// `send_referral` takes one argument per form field (that is how plain HTML forms post to
// server functions), and the client-side stub the macro generates cannot carry an allow.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{GroupId, PersonId, ProgramId, ReferralId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Who the signed-in user can refer: themselves, a new person, or one of their people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectOptions {
    pub signed_in: bool,
    pub is_helper: bool,
    /// (person id, name) of people this helper has created.
    pub people: Vec<(PersonId, String)>,
    /// (group id, name) of the helper's groups; with more than one, the form asks which.
    pub groups: Vec<(GroupId, String)>,
    /// Prefill for "myself".
    pub my_name: Option<String>,
    pub my_email: Option<String>,
}

#[server(endpoint = "connect_choices")]
pub async fn connect_choices() -> Result<ConnectOptions, AppError> {
    use super::request::{signed_in_user, state};
    let state = state()?;
    let Some(user) = signed_in_user(&state).await? else {
        return Ok(ConnectOptions {
            signed_in: false,
            is_helper: false,
            people: vec![],
            groups: vec![],
            my_name: None,
            my_email: None,
        });
    };
    let viewer = super::request::viewer_of(&state.store, user.id).await?;
    let people = if viewer.groups.is_empty() {
        vec![]
    } else {
        state
            .store
            .persons_created_by(user.id)
            .await?
            .into_iter()
            .map(|p| (p.id, format!("{} {}", p.first_name, p.last_name)))
            .collect()
    };
    let groups = state
        .store
        .memberships(user.id)
        .await?
        .into_iter()
        .map(|(g, _)| (g.id, g.name))
        .collect();
    Ok(ConnectOptions {
        signed_in: true,
        groups,
        is_helper: !viewer.groups.is_empty(),
        people,
        my_name: Some(user.name),
        my_email: Some(user.email),
    })
}

/// Sends a referral. `for_whom` is `me`, `new` (a new person, helpers only) or the id of
/// one of the helper's people. Every field problem is reported at once; nothing is written
/// unless all of them are fine.
#[server(endpoint = "send_referral")]
pub async fn send_referral(
    program: ProgramId,
    for_whom: String,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    best_way: String,
    language: String,
    comments: String,
    #[server(default)] consent: Option<String>,
    #[server(default)] group: Option<String>,
    #[server(default)] waitlist_ok: Option<String>,
) -> Result<ReferralId, AppError> {
    use super::request::{signed_in_user, state};
    use crate::error::FormCheck;
    use crate::model::{
        ContactPreference, EmailAddress, Language, NoteText, PersonName, PhoneNumber,
    };
    use crate::server::auth::{throttle_per_address, within_limit};
    use crate::server::store::{Actor, NewPerson, NewReferral, PersonChoice};

    let state = state()?;
    let store = &state.store;
    let user = signed_in_user(&state).await?;
    if user.is_none() {
        // The public form sends email: keep one address from flooding inboxes.
        throttle_per_address(store, "connect", &super::request::client_address(), 20).await?;
    }
    let program_row = store.program(program).await?.ok_or(AppError::NotFound)?;
    if !program_row.takes_referrals() {
        return Err(AppError::Refused(
            crate::i18n::Key::err_program_not_taking.into(),
        ));
    }
    // A waitlist is the sender's choice (a box to tick); not accepting is not.
    let capacity = program_row.capacity.admits(waitlist_ok.is_some());
    if let Err(key @ crate::i18n::Key::err_not_accepting) = capacity {
        return Err(AppError::Refused(key.into()));
    }

    let mut form = FormCheck::new();
    let first = form.field("first_name", PersonName::parse(&first_name));
    let last = form.field("last_name", PersonName::parse(&last_name));
    let pref = form.field(
        "best_way",
        best_way
            .parse::<ContactPreference>()
            .map_err(|_| crate::i18n::Key::err_best_way.into()),
    );
    let email = if email.trim().is_empty() {
        if pref == Some(ContactPreference::Email) {
            form.fail("email", crate::i18n::Key::err_email_for_way);
        }
        None
    } else {
        form.field("email", EmailAddress::parse(&email))
    };
    let phone = if phone.trim().is_empty() {
        if matches!(
            pref,
            Some(ContactPreference::Text | ContactPreference::Phone)
        ) {
            form.fail("phone", crate::i18n::Key::err_phone_for_way);
        }
        None
    } else {
        form.field("phone", PhoneNumber::parse(&phone))
    };
    let language = if language.trim().is_empty() {
        Some(Language::english())
    } else {
        form.field("language", Language::parse(&language))
    };
    if !comments.trim().is_empty() {
        form.field("comments", NoteText::parse(&comments));
    }
    if consent.as_deref() != Some("on") && consent.as_deref() != Some("true") {
        form.fail("consent", crate::i18n::Key::err_consent);
    }
    if let Err(key) = capacity {
        form.fail("waitlist_ok", key);
    }
    // Who the referral is for, and who makes it.
    let viewer = match &user {
        Some(u) => Some(super::request::viewer_of(store, u.id).await?),
        None => None,
    };
    let is_helper = viewer.as_ref().is_some_and(|v| !v.groups.is_empty());
    let existing_person = match for_whom.as_str() {
        "me" | "" => None,
        "new" if is_helper => None,
        "new" => {
            form.fail("for_whom", crate::i18n::Key::err_only_helpers_refer_others);
            None
        }
        id => {
            let person = match (id.parse::<PersonId>(), &user) {
                (Ok(id), Some(u)) => store
                    .person(id)
                    .await?
                    .filter(|p| p.created_by == Some(u.id)),
                _ => None,
            };
            if person.is_none() {
                form.fail("for_whom", crate::i18n::Key::err_choose_person);
            }
            person
        }
    };
    let for_self = matches!(for_whom.as_str(), "me" | "");
    if let (Some(u), false) = (&user, for_self) {
        // Referring someone else emails them and the program: a confirmed account only.
        if !u.email_verified() {
            return Err(AppError::Refused(
                crate::i18n::Key::err_confirm_first.into(),
            ));
        }
    }
    // The helper's group decides who on their team may follow the referral: never guess.
    let group = match (&viewer, for_self) {
        (Some(v), false) if v.groups.len() == 1 => Some(v.groups[0]),
        (Some(v), false) if !v.groups.is_empty() => {
            let chosen = group
                .as_deref()
                .and_then(|g| g.parse::<GroupId>().ok())
                .filter(|g| v.groups.contains(g));
            if chosen.is_none() {
                form.fail("group", crate::i18n::Key::err_choose_group);
            }
            chosen
        }
        _ => None,
    };
    form.finish()?;
    let (Some(first), Some(last), Some(pref), Some(language)) = (first, last, pref, language)
    else {
        return Err(AppError::internal("FormCheck passed with a missing field"));
    };
    // Counted only once the form is good, so nobody uses up another's limits with bad posts.
    if let Some(u) = &user {
        // Every referral emails the program: at most 60 an account in 15 minutes.
        throttle_per_address(store, "refer", &u.id.to_string(), 60).await?;
    }
    // Nobody's inbox gets more than 10 referral emails in 15 minutes, whoever sends them.
    if let Some(e) = &email
        && !within_limit(store, &format!("refer_to:{e}"), 10).await?
    {
        return Err(AppError::field(
            "email",
            crate::i18n::Key::err_too_many_to_recipient,
        ));
    }

    let person = match existing_person {
        Some(p) => PersonChoice::Existing(p.id),
        None => {
            // A seeker's own profile is theirs at once; a helper's new person is linked to
            // the verified account with that email, if there is one.
            let linked = match (&user, for_self, &email) {
                (Some(u), true, _) => Some(u.id),
                (Some(_), false, Some(e)) => store.verified_user_with_email(e).await?,
                _ => None,
            };
            PersonChoice::New(NewPerson {
                first_name: first.clone(),
                last_name: last.clone(),
                email: email.clone(),
                phone: phone.clone(),
                language: language.clone(),
                user: linked,
                created_by: user.as_ref().map(|u| u.id),
            })
        }
    };
    let (referrer, role, label) = match (&user, for_self) {
        (Some(u), false) => {
            let group_name = match group {
                Some(g) => store.group(g).await?.map(|g| g.name),
                None => None,
            };
            let label = crate::model::change::actor_label(
                &u.name,
                crate::model::Role::Helper,
                group_name.as_deref(),
                &program_row.organization,
            );
            (Some((u.id, group)), crate::model::Role::Helper, label)
        }
        _ => (
            None,
            crate::model::Role::Seeker,
            crate::model::change::short_name(&format!("{} {}", first.as_str(), last.as_str())),
        ),
    };
    let id = store
        .create_referral(
            &NewReferral {
                person,
                program: program_row.id,
                referrer,
                contact_preference: pref,
                contact_email: email,
                contact_phone: phone,
                language,
                comments: comments.trim().to_string(),
            },
            &Actor {
                user: user.as_ref().map(|u| u.id),
                role,
                label,
            },
        )
        .await?;
    let person = store
        .referral(id)
        .await?
        .map(|r| r.person_id)
        .unwrap_or_default();
    let next = match (&user, for_self) {
        (Some(_), false) => format!("/people/{person}"),
        (Some(_), true) => "/referrals".to_string(),
        (None, _) => format!("/programs/{}/sent", program_row.id),
    };
    leptos_axum::redirect(&next);
    // Anonymous senders learn nothing from the id (ids are sequential).
    Ok(if user.is_some() {
        id
    } else {
        ReferralId::default()
    })
}
