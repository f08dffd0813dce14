//! The one rule for text people type or feeds send (issue 18, item 4): trimmed, capped in
//! characters, no control characters (a multi-line field keeps line breaks and tabs), and
//! none of the invisible characters that make text read other than it is stored: the
//! bidirectional overrides and isolates anywhere ("Trojan Source"), and in a name also the
//! zero-width and other invisible format characters that make two names look alike.
//! Every field's own parser (`fields`, `directory::edit`, `directory::check`) calls this.

/// What a field may hold besides ordinary text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A person's, program's, group's or organisation's name: one line, nothing invisible.
    Name,
    /// One line of text (a city, a short answer).
    Line,
    /// Several lines (a note, a description): line breaks and tabs kept, CR LF made LF.
    Lines,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// Longer than this many characters.
    TooLong(usize),
    /// A control character (a line break in a one-line field, a NUL, an escape).
    Control,
    /// A character that changes how the text reads without being seen.
    Invisible,
}

/// Reorder the text shown after them: refused in every field.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible format characters refused in names (Unicode's zero-width and invisible
/// operators, the byte-order mark, the soft hyphen, interlinear annotation marks).
fn is_invisible_in_a_name(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// The text as it is kept, or what is wrong with it. Empty text is not a problem here:
/// whether a field is required is its own parser's rule.
pub fn check(raw: &str, shape: Shape, max: usize) -> Result<String, TextProblem> {
    let joined;
    let raw = if shape == Shape::Lines {
        joined = raw.replace("\r\n", "\n");
        joined.as_str()
    } else {
        raw
    };
    let v = raw.trim();
    if v.chars().count() > max {
        return Err(TextProblem::TooLong(max));
    }
    let control_allowed = |c: char| shape == Shape::Lines && (c == '\n' || c == '\t');
    if v.chars().any(|c| c.is_control() && !control_allowed(c)) {
        return Err(TextProblem::Control);
    }
    if v.chars()
        .any(|c| is_bidi_control(c) || (shape == Shape::Name && is_invisible_in_a_name(c)))
    {
        return Err(TextProblem::Invisible);
    }
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_in_any_script_is_kept_trimmed() {
        for s in [
            "Rosa Díaz",
            "Nguyễn Thị Minh",
            "محمد",
            "José-María O'Neil",
            "李小龍",
        ] {
            assert_eq!(
                check(&format!("  {s} "), Shape::Name, 100),
                Ok(s.to_string())
            );
        }
        assert_eq!(check("", Shape::Name, 100), Ok(String::new()));
        assert_eq!(
            check("first line\r\n\tsecond\r\n", Shape::Lines, 100),
            Ok("first line\n\tsecond".into())
        );
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        assert_eq!(check(&"é".repeat(10), Shape::Line, 10), Ok("é".repeat(10)));
        assert_eq!(
            check(&"é".repeat(11), Shape::Line, 10),
            Err(TextProblem::TooLong(10))
        );
    }

    #[test]
    fn control_characters_are_refused_but_a_multi_line_fields_breaks() {
        for shape in [Shape::Name, Shape::Line] {
            for bad in [
                "a\nb",
                "a\tb",
                "a\u{0}b",
                "a\u{1b}[31mb",
                "a\rb",
                "a\u{85}b",
            ] {
                assert_eq!(check(bad, shape, 100), Err(TextProblem::Control), "{bad:?}");
            }
        }
        assert!(check("a\nb\tc", Shape::Lines, 100).is_ok());
        assert_eq!(
            check("a\u{0}b", Shape::Lines, 100),
            Err(TextProblem::Control)
        );
        assert_eq!(
            check("a\rb", Shape::Lines, 100),
            Err(TextProblem::Control),
            "a lone CR"
        );
    }

    #[test]
    fn text_that_reads_other_than_it_is_refused() {
        // A right-to-left override anywhere; an isolate too.
        for shape in [Shape::Name, Shape::Line, Shape::Lines] {
            for bad in ["abc\u{202E}fdp.exe", "x\u{2067}y", "\u{202A}left"] {
                assert_eq!(
                    check(bad, shape, 100),
                    Err(TextProblem::Invisible),
                    "{bad:?}"
                );
            }
        }
        // Zero-width and other invisible characters: refused in names, kept in text (an
        // emoji sequence needs its joiner).
        for bad in [
            "Ro\u{200B}sa",
            "Rosa\u{FEFF}",
            "Ro\u{00AD}sa",
            "Ro\u{2060}sa",
            "R\u{200D}osa",
        ] {
            assert_eq!(
                check(bad, Shape::Name, 100),
                Err(TextProblem::Invisible),
                "{bad:?}"
            );
        }
        assert!(check("family \u{1F468}\u{200D}\u{1F469}", Shape::Lines, 100).is_ok());
    }
}
