//! How a directory search reads what people type in its place box.

/// A place to search in: typed with a digit in it, it is a postal code ("97477",
/// "ABC 1234"); otherwise a city. Either is compared lower-cased. Telling them apart lets
/// the search walk one index that is in name order for that place (migration 0012),
/// instead of matching either column and sorting what it found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlaceQuery {
    PostalCode(String),
    City(String),
}

impl PlaceQuery {
    /// `None` for an empty box.
    pub fn parse(typed: &str) -> Option<PlaceQuery> {
        let place = typed.split_whitespace().collect::<Vec<_>>().join(" ");
        if place.is_empty() {
            return None;
        }
        let place = place.to_lowercase();
        Some(if place.chars().any(|c| c.is_ascii_digit()) {
            PlaceQuery::PostalCode(place)
        } else {
            PlaceQuery::City(place)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::PlaceQuery::{self, City, PostalCode};

    #[test]
    fn a_place_with_a_digit_is_a_postal_code_and_any_other_a_city() {
        assert_eq!(
            PlaceQuery::parse(" 97477 "),
            Some(PostalCode("97477".into()))
        );
        assert_eq!(
            PlaceQuery::parse("ABC  1234"),
            Some(PostalCode("abc 1234".into()))
        );
        assert_eq!(
            PlaceQuery::parse("SW1A 1AA"),
            Some(PostalCode("sw1a 1aa".into()))
        );
        assert_eq!(
            PlaceQuery::parse("Springfield"),
            Some(City("springfield".into()))
        );
        assert_eq!(
            PlaceQuery::parse("  San   José "),
            Some(City("san josé".into()))
        );
        assert_eq!(PlaceQuery::parse("   "), None);
    }
}
