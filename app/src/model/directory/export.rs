//! Listings written as HSDS 3.0 API objects (`service_full`, `organization`, taxonomy terms,
//! the page object). What the importer maps comes back out where the importer reads it, so
//! importing an export gives the same listings (tested below, and end to end).

use super::{Listing, Organization};
use serde_json::{Value, json};

/// The HSDS version this API speaks.
pub const HSDS_VERSION: &str = "3.0.0";
/// The one taxonomy: the directory's categories, made from the feeds' taxonomy terms.
pub const TAXONOMY_ID: &str = "handoff-categories";

/// An id in HSDS's UUID shape for a record made in Handoff rather than read from a feed
/// (`kind` keeps programs and organisations apart).
pub fn local_id(kind: LocalKind, n: i64) -> String {
    let group = match kind {
        LocalKind::Service => 8,
        LocalKind::Organization => 9,
    };
    format!("00000000-0000-4000-{group}000-{:012x}", n.max(0))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalKind {
    Service,
    Organization,
}

/// The row number behind a [`local_id`], if `id` is one of that kind.
pub fn parse_local_id(kind: LocalKind, id: &str) -> Option<i64> {
    let n = i64::from_str_radix(id.strip_prefix(&local_id(kind, 0)[..24])?, 16).ok()?;
    (local_id(kind, n) == id).then_some(n)
}

/// A category's taxonomy term id: the category itself (ids are opaque strings in HSDS).
pub fn term_id(category: &str) -> String {
    category.to_string()
}

/// Languages are kept as codes where the feed gave one ("es"), else as names ("Tagalog").
fn is_code(language: &str) -> bool {
    (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_lowercase())
}

fn or_null(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::String(s.to_string())
    }
}

pub fn organization(org: &Organization) -> Value {
    json!({
        "id": org.hsds_id,
        "name": org.name,
        "description": org.description,
        "email": or_null(&org.email),
        "website": or_null(&org.url),
    })
}

pub fn taxonomy_term(category: &str) -> Value {
    json!({
        "id": term_id(category),
        "code": null,
        "name": category,
        "description": category,
        "taxonomy": TAXONOMY_ID,
        "taxonomy_id": TAXONOMY_ID,
        "language": null,
        "parent_id": null,
        "term_uri": null,
    })
}

pub fn taxonomy() -> Value {
    json!({
        "id": TAXONOMY_ID,
        "name": "Handoff categories",
        "description": "The directory's categories, made from the taxonomy terms of the feeds it loads.",
        "uri": null,
        "version": null,
    })
}

/// A `service_full` object. `last_modified` is RFC 3339.
pub fn service_full(l: &Listing, last_modified: &str) -> Value {
    let id = &l.hsds_id;
    let phones: Vec<Value> = l
        .phone
        .iter()
        .map(|number| json!({"id": format!("{id}/phone"), "number": number}))
        .collect();
    let schedules: Vec<Value> = [&l.hours]
        .into_iter()
        .filter(|h| !h.is_empty())
        .map(|h| json!({"id": format!("{id}/schedule"), "description": h}))
        .collect();
    let areas: Vec<Value> = [&l.service_area]
        .into_iter()
        .filter(|a| !a.is_empty())
        .map(|a| json!({"id": format!("{id}/service_area"), "name": a}))
        .collect();
    let languages: Vec<Value> = l
        .languages
        .iter()
        .enumerate()
        .map(|(i, lang)| {
            let mut language = serde_json::Map::new();
            language.insert("id".into(), json!(format!("{id}/language/{i}")));
            let key = if is_code(lang) { "code" } else { "name" };
            language.insert(key.into(), json!(lang));
            Value::Object(language)
        })
        .collect();
    let attributes: Vec<Value> = l
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "id": format!("{id}/attribute/{i}"),
                "link_id": id,
                "link_entity": "service",
                "link_type": "service_category",
                "taxonomy_term": taxonomy_term(c),
            })
        })
        .collect();
    let has_address = [&l.address, &l.city, &l.state_province, &l.zip]
        .iter()
        .any(|s| !s.is_empty());
    let locations: Vec<Value> = has_address
        .then(|| {
            json!({
                "id": format!("{id}/service_at_location"),
                "location": {
                    "id": format!("{id}/location"),
                    "location_type": "physical",
                    "name": l.name,
                    "addresses": [{
                        "id": format!("{id}/address"),
                        "address_1": l.address,
                        "city": l.city,
                        "state_province": l.state_province,
                        "postal_code": l.zip,
                        "address_type": "physical",
                    }],
                },
            })
        })
        .into_iter()
        .collect();
    json!({
        "id": id,
        "name": l.name,
        "description": l.description,
        "url": or_null(&l.url),
        "email": l.email,
        "status": l.status.as_str(),
        "eligibility_description": or_null(&l.eligibility),
        "last_modified": last_modified,
        "organization": organization(&l.organization),
        "phones": phones,
        "schedules": schedules,
        "service_areas": areas,
        "languages": languages,
        "attributes": attributes,
        "service_at_locations": locations,
    })
}

/// HSDS's page object around one page of results (`page` counts from 1).
pub fn page(contents: Vec<Value>, total_items: u64, page: u64, per_page: u64) -> Value {
    let total_pages = total_items.div_ceil(per_page.max(1));
    json!({
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page,
        "size": contents.len(),
        "first_page": page <= 1,
        "last_page": page >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::directory::{ServiceStatus, json as hsds_json};

    fn full_listing() -> Listing {
        Listing {
            hsds_id: "s1".into(),
            name: "Food Pantry".into(),
            description: "Groceries.\nEvery week.".into(),
            status: ServiceStatus::TemporarilyClosed,
            organization: Organization {
                hsds_id: "o1".into(),
                name: "Eastside Aid".into(),
                description: "Helps.".into(),
                email: "office@eastside.example".into(),
                url: "https://eastside.example".into(),
            },
            url: "https://eastside.example/pantry".into(),
            email: Some("pantry@eastside.example".into()),
            phone: Some("+1 541-555-0101".into()),
            address: "12 Main St, Suite 2".into(),
            city: "Springfield".into(),
            state_province: "OR".into(),
            zip: "97477".into(),
            hours: "Mon, Wed 09:00–17:00; Saturdays by appointment".into(),
            languages: vec!["Tagalog".into(), "en".into(), "es".into()],
            service_area: "Lane County; Linn County".into(),
            eligibility: "Residents; adults".into(),
            categories: vec!["emergency food".into(), "food".into()],
        }
    }

    #[test]
    fn an_exported_service_imports_as_the_same_listing() {
        let sparse = Listing {
            hsds_id: "s2".into(),
            name: "Rent Help".into(),
            organization: Organization {
                hsds_id: "o1".into(),
                name: "Eastside Aid".into(),
                ..Organization::default()
            },
            ..Listing::default()
        };
        for listing in [full_listing(), sparse] {
            let exported = service_full(&listing, "2026-12-02T10:00:00Z");
            let text = serde_json::to_string(&exported).unwrap();
            let reading = hsds_json::read("export.json", &text);
            assert_eq!(reading.problems, vec![], "{text}");
            assert_eq!(reading.listings, vec![listing]);
        }
    }

    #[test]
    fn local_ids_have_the_uuid_shape_and_never_collide_across_kinds() {
        assert_eq!(
            local_id(LocalKind::Service, 255),
            "00000000-0000-4000-8000-0000000000ff"
        );
        assert_ne!(
            local_id(LocalKind::Service, 7),
            local_id(LocalKind::Organization, 7)
        );
        let id = local_id(LocalKind::Organization, 4242);
        assert_eq!(parse_local_id(LocalKind::Organization, &id), Some(4242));
        assert_eq!(parse_local_id(LocalKind::Service, &id), None);
        assert_eq!(
            parse_local_id(LocalKind::Service, "ac148810-d857-441c-9679-408f346de14b"),
            None
        );
        assert_eq!(
            parse_local_id(LocalKind::Service, "00000000-0000-4000-8000-00000000000G"),
            None
        );
    }

    #[test]
    fn the_page_object_counts_pages() {
        let p = page(vec![json!(1), json!(2)], 5, 3, 2);
        assert_eq!(p["total_pages"], 3);
        assert_eq!(p["last_page"], true);
        assert_eq!(p["first_page"], false);
        assert_eq!(p["size"], 2);
        let empty = page(vec![], 0, 1, 50);
        assert_eq!(
            (empty["empty"].clone(), empty["total_pages"].clone()),
            (json!(true), json!(0))
        );
    }
}
