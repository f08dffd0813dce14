//! How a directory search reads what people type: its words and its place.
//!
//! Words match the *start* of a listing's words: "pant" finds "pantry", and "rent" finds
//! "rent assistance" but not "parenting" or "current" (a substring search did, and its
//! trigram index could not answer common words fast enough at 20,000 programs). Both
//! backends index the same words, made here, so they find the same programs.

/// At most this many typed words are looked up (the rest are ignored).
pub const MOST_TYPED_WORDS: usize = 8;

/// The words of a text as search compares them: lower-cased runs of letters and digits.
/// Everything else (spaces, punctuation, `%`, `_`, symbols) separates words.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// What a listing is found by: the words of its name, organisation and description, one
/// space between each (stored in `programs.search_words`, indexed by each database's
/// full-text index).
pub fn listing_words(name: &str, organization: &str, description: &str) -> String {
    [name, organization, description]
        .iter()
        .flat_map(|text| words(text))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words someone typed, each once, in order, at most `MOST_TYPED_WORDS`. Empty when
/// nothing typed is a word (then the search is not narrowed by words).
pub fn typed_words(typed: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in words(typed) {
        if found.len() == MOST_TYPED_WORDS {
            break;
        }
        if !found.contains(&word) {
            found.push(word);
        }
    }
    found
}

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
    use super::{MOST_TYPED_WORDS, listing_words, typed_words};

    #[test]
    fn a_listing_is_found_by_the_lower_cased_words_of_its_name_organisation_and_description() {
        assert_eq!(
            listing_words(
                "St. Mary's Food-Bank",
                "Caridad José, Inc.",
                "Meals 5 days/week; call 555-0100 or info@pantry.example!"
            ),
            "st mary s food bank caridad josé inc meals 5 days week call 555 0100 or info pantry example"
        );
        assert_eq!(listing_words("", "", ""), "");
        assert_eq!(
            listing_words("ÉCOLE", "Ünïcode", "ΑΘΗΝΑ 東京"),
            "école ünïcode αθηνα 東京"
        );
    }

    #[test]
    fn typed_words_are_the_same_words_each_once_and_at_most_eight() {
        assert_eq!(typed_words("  Legal   AID legal "), vec!["legal", "aid"]);
        assert_eq!(typed_words("child-care"), vec!["child", "care"]);
        // Wildcards and quotes are separators: they can never reach a query as syntax.
        assert_eq!(
            typed_words("50% off_site \"x\" 'y' a:* & b | !c"),
            vec!["50", "off", "site", "x", "y", "a", "b", "c"]
        );
        assert_eq!(typed_words("%_ -- ''"), Vec::<String>::new());
        let many = "a b c d e f g h i j";
        assert_eq!(typed_words(many).len(), MOST_TYPED_WORDS);
        assert_eq!(typed_words(many).last().map(String::as_str), Some("h"));
    }

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
