use super::*;

fn listing() -> Listing {
    Listing {
        hsds_id: "s1".into(),
        name: "Food Pantry".into(),
        description: "Groceries weekly.".into(),
        email: Some("pantry@example.org".into()),
        phone: Some("555-123-4567".into()),
        hours: "Mon 09:00-17:00".into(),
        languages: vec!["en".into(), "es".into()],
        categories: vec!["food".into()],
        ..Listing::default()
    }
}

fn post(pairs: &[(ListingField, &str)]) -> Vec<(ListingField, String)> {
    pairs.iter().map(|(f, v)| (*f, v.to_string())).collect()
}

#[test]
fn every_field_has_a_distinct_form_name_that_parses_back() {
    let mut seen = std::collections::HashSet::new();
    for f in ListingField::ALL {
        assert!(seen.insert(f.as_str()));
        assert_eq!(f.as_str().parse::<ListingField>(), Ok(f));
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(serde_json::from_str::<ListingField>(&json).unwrap(), f);
    }
}

#[test]
fn staff_change_only_how_to_get_help_and_admins_and_suggesters_everything() {
    for f in ListingField::ALL {
        assert!(Editor::SiteAdmin.may_change(f));
        assert!(Editor::Suggester.may_change(f));
        assert_eq!(
            Editor::ProgramStaff.may_change(f),
            STAFF_FIELDS.contains(&f)
        );
    }
    for f in [
        ListingField::Name,
        ListingField::Status,
        ListingField::Address,
    ] {
        assert!(!Editor::ProgramStaff.may_change(f), "{f}");
    }
    assert_eq!(Editor::ProgramStaff.fields().len(), STAFF_FIELDS.len());
    assert_eq!(Editor::SiteAdmin.fields(), ListingField::ALL.to_vec());
}

#[test]
fn a_staff_form_that_posts_a_field_they_may_not_change_is_refused_whole() {
    let refused = apply_form(
        &listing(),
        Editor::ProgramStaff,
        &post(&[
            (ListingField::Description, "New"),
            (ListingField::Name, "Renamed"),
        ]),
    );
    assert_eq!(refused, Err(FormRefusal::NotAllowed(ListingField::Name)));
}

#[test]
fn a_form_changes_the_fields_posted_and_keeps_the_rest() {
    let next = apply_form(
        &listing(),
        Editor::ProgramStaff,
        &post(&[
            (ListingField::Description, "  Hot meals too.\r\nEvery day. "),
            (ListingField::Phone, ""),
            (ListingField::Categories, "Food\nmeals\n\nfood"),
            (ListingField::Languages, "es\nen\nfr"),
        ]),
    )
    .unwrap();
    assert_eq!(next.description, "Hot meals too.\nEvery day.");
    assert_eq!(next.phone, None, "an empty phone removes it");
    assert_eq!(
        next.categories,
        vec!["food", "meals"],
        "lower-cased, sorted, once"
    );
    assert_eq!(next.languages, vec!["en", "es", "fr"]);
    assert_eq!(next.name, "Food Pantry");
    assert_eq!(next.email, listing().email);
    assert_eq!(
        changed_fields(&listing(), &next),
        vec![
            ListingField::Description,
            ListingField::Phone,
            ListingField::Languages,
            ListingField::Categories
        ]
    );
}

#[test]
fn every_bad_value_is_reported_by_its_field() {
    let long = "x".repeat(TEXT_MAX + 1);
    let refused = apply_form(
        &listing(),
        Editor::SiteAdmin,
        &post(&[
            (ListingField::Name, "  "),
            (ListingField::Email, "not an email"),
            (ListingField::Phone, "12"),
            (ListingField::Url, "javascript:alert(1)"),
            (ListingField::Status, "open"),
            (ListingField::Description, &long),
            (ListingField::City, "Spring\nfield"),
            (ListingField::Hours, "9\u{7}5"),
        ]),
    );
    let Err(FormRefusal::Invalid(problems)) = refused else {
        panic!("expected problems, got {refused:?}");
    };
    let fields: Vec<ListingField> = problems.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        vec![
            ListingField::Name,
            ListingField::Email,
            ListingField::Phone,
            ListingField::Url,
            ListingField::Status,
            ListingField::Description,
            ListingField::City,
            ListingField::Hours,
        ]
    );
    let key = |f: ListingField| problems.iter().find(|(g, _)| *g == f).unwrap().1.key;
    assert_eq!(key(ListingField::Name), Key::err_name_missing);
    assert_eq!(key(ListingField::Url), Key::err_url);
    assert_eq!(key(ListingField::Status), Key::err_service_status);
    assert_eq!(key(ListingField::Description), Key::err_too_long);
    assert_eq!(key(ListingField::City), Key::err_text_control);
    assert_eq!(key(ListingField::Hours), Key::err_text_control);
}

#[test]
fn lists_are_capped_in_length_and_in_items() {
    let many: Vec<String> = (0..=LIST_MAX).map(|i| format!("c{i}")).collect();
    let mut l = listing();
    assert_eq!(
        ListingField::Categories
            .set(&many.join("\n"), &mut l)
            .unwrap_err()
            .key,
        Key::err_list_long
    );
    assert_eq!(
        ListingField::Languages
            .set(&"x".repeat(ITEM_MAX + 1), &mut l)
            .unwrap_err()
            .key,
        Key::err_too_long
    );
    assert!(
        ListingField::Categories
            .set(&many[..LIST_MAX].join("\n"), &mut l)
            .is_ok()
    );
}

#[test]
fn statuses_and_addresses_are_set_by_an_admin() {
    let next = apply_form(
        &listing(),
        Editor::SiteAdmin,
        &post(&[
            (ListingField::Status, "temporarily closed"),
            (ListingField::Url, "https://pantry.example.org"),
            (ListingField::Zip, " 97477 "),
        ]),
    )
    .unwrap();
    assert_eq!(next.status, ServiceStatus::TemporarilyClosed);
    assert_eq!(next.url, "https://pantry.example.org");
    assert_eq!(next.zip, "97477");
}

#[test]
fn a_form_value_reads_back_as_the_same_value() {
    let l = listing();
    for f in ListingField::ALL {
        let mut copy = Listing::default();
        f.set(&f.form_value(&l), &mut copy)
            .unwrap_or_else(|e| panic!("{f}: {e:?}"));
        assert!(f.same(&l, &copy), "{f} changed on the way through a form");
    }
}

#[test]
fn changes_name_the_fields_with_their_before_and_after() {
    let mut after = listing();
    after.hours = "Tue 10:00-12:00".into();
    after.languages = vec!["en".into()];
    assert_eq!(
        changes(&listing(), &after),
        vec![
            FieldChange {
                field: "hours".into(),
                before: "Mon 09:00-17:00".into(),
                after: "Tue 10:00-12:00".into(),
            },
            FieldChange {
                field: "languages".into(),
                before: "en, es".into(),
                after: "en".into(),
            },
        ]
    );
    assert!(changes(&listing(), &listing()).is_empty());
}

#[test]
fn an_accepted_suggestion_takes_only_its_fields() {
    let mut proposal = listing();
    proposal.phone = Some("555-999-0000".into());
    proposal.description = "Also diapers.".into();
    let mut current = listing();
    current.description = "Edited by staff since.".into();
    let next = take_fields(&current, &proposal, &[ListingField::Phone]);
    assert_eq!(next.phone.as_deref(), Some("555-999-0000"));
    assert_eq!(next.description, "Edited by staff since.");
}

#[test]
fn a_feed_change_wins_and_an_app_edit_survives_what_the_feed_left_alone() {
    let last_feed = listing();
    let mut current = listing();
    current.description = "Edited in the app.".into();
    current.phone = Some("555-000-1111".into());
    let mut feed = listing();
    feed.phone = Some("555-222-3333".into());
    feed.hours = "Fri 09:00-12:00".into();
    feed.organization.name = "Renamed Org".into();
    let merged = merge_feed(&current, &last_feed, &feed);
    assert_eq!(
        merged.description, "Edited in the app.",
        "the feed left it alone"
    );
    assert_eq!(
        merged.phone.as_deref(),
        Some("555-222-3333"),
        "the feed changed it"
    );
    assert_eq!(merged.hours, "Fri 09:00-12:00");
    assert_eq!(merged.organization.name, "Renamed Org");
}

#[test]
fn the_same_feed_again_keeps_every_app_edit() {
    let last_feed = listing();
    let mut current = listing();
    current.categories = vec!["food".into(), "meals".into()];
    assert_eq!(merge_feed(&current, &last_feed, &last_feed), current);
}

#[test]
fn without_app_edits_the_merge_is_the_feed() {
    let mut feed = listing();
    feed.name = "New name".into();
    feed.status = ServiceStatus::Inactive;
    assert_eq!(merge_feed(&listing(), &listing(), &feed), feed);
}

#[test]
fn comments_are_optional_multi_line_and_capped() {
    assert_eq!(
        comment(" The phone is wrong.\r\nCall 555. "),
        Ok("The phone is wrong.\nCall 555.".into())
    );
    assert_eq!(comment(""), Ok(String::new()));
    assert_eq!(
        comment(&"x".repeat(COMMENT_MAX + 1)).unwrap_err().key,
        Key::err_too_long
    );
}
