//! Characters that have no place in a text a person wrote: control characters, Unicode
//! noncharacters and bidirectional overrides. They arrive through legal TOML escapes (`\b`,
//! `\u0001`, `\uFFFE`) or a bad copy and paste, and they break what others open: XML 1.0 forbids
//! most of them (an Atom feed with one is ill-formed), a terminal obeys escape sequences, and a
//! bidi override reverses the text around it. One rule, used for every field, file and message.

use std::borrow::Cow;

/// Why a character is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwanted {
    /// C0 and C1 control characters and DEL (tab and line feed are allowed).
    Control,
    /// Code points Unicode reserves as never to be used in text (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF).
    Noncharacter,
    /// Embeddings, overrides and isolates that reorder the text around them.
    Bidi,
}

impl Unwanted {
    /// The kind of character, in Norwegian, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Unwanted::Control => "et kontrolltegn",
            Unwanted::Noncharacter => "et ugyldig Unicode-tegn",
            Unwanted::Bidi => "et tegn som snur skriveretningen",
        }
    }
}

/// The kind of `c`, if it is unwanted in text.
pub fn unwanted(c: char) -> Option<Unwanted> {
    let code = u32::from(c);
    match c {
        '\t' | '\n' => None,
        _ if c.is_control() => Some(Unwanted::Control),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some(Unwanted::Bidi),
        '\u{FDD0}'..='\u{FDEF}' => Some(Unwanted::Noncharacter),
        _ if code & 0xFFFE == 0xFFFE => Some(Unwanted::Noncharacter),
        _ => None,
    }
}

/// The first unwanted character in `text`: its byte offset, the character and its kind.
pub fn first_unwanted(text: &str) -> Option<(usize, char, Unwanted)> {
    text.char_indices()
        .find_map(|(at, c)| unwanted(c).map(|kind| (at, c, kind)))
}

/// A Norwegian description of one found character, e.g. «U+0008 (et kontrolltegn)».
pub fn describe(c: char, kind: Unwanted) -> String {
    format!("U+{:04X} ({})", u32::from(c), kind.name())
}

/// The problem with a one-line text such as a title, if any: an unwanted character, or a line
/// break of any kind (Unicode's line and paragraph separators too), as a Norwegian message.
pub fn problem_in_line(text: &str) -> Option<String> {
    if text.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return Some("inneholder et linjeskift".to_string());
    }
    first_unwanted(text).map(|(_, c, kind)| format!("inneholder {}", describe(c, kind)))
}

/// Where `c` is written in `source`, the TOML of a value: as itself, or as one of the escapes
/// TOML has for it (`\u0001`, `\U0001F600`, `\b`, `\e` …). `None` if neither is there.
pub fn find_written(source: &str, c: char) -> Option<usize> {
    let code = u32::from(c);
    let short = match c {
        '\u{8}' => Some("\\b"),
        '\u{c}' => Some("\\f"),
        '\u{1b}' => Some("\\e"),
        '\r' => Some("\\r"),
        _ => None,
    };
    let lower = source.to_ascii_lowercase();
    source
        .find(c)
        .or_else(|| lower.find(&format!("\\u{code:04x}")))
        .or_else(|| lower.find(&format!("\\u{code:08x}")))
        .or_else(|| short.and_then(|escape| source.find(escape)))
}

/// The plain quote a quote character stands for: `"` for the double ones word processors and
/// Norwegian typesetting write (“ ” „ ‟ « »), `'` for the single ones (‘ ’ ‚ ‛); the plain
/// quotes themselves included. The one table for `check`'s curly-quote advice and the issue
/// import's cleaning of values.
pub fn plain_quote(c: char) -> Option<char> {
    match c {
        '"' | '“' | '”' | '„' | '‟' | '«' | '»' => Some('"'),
        '\'' | '‘' | '’' | '‚' | '‛' => Some('\''),
        _ => None,
    }
}

/// A typographic quote, which TOML does not take as a quote.
pub fn is_typographic_quote(c: char) -> bool {
    plain_quote(c).is_some_and(|plain| plain != c)
}

/// How to fix a text with an unwanted character, in Norwegian.
pub const HELP: &str = "skriv teksten på nytt med vanlige bokstaver, uten kontrolltegn eller \
     skjulte tegn (de kommer ofte med når man limer inn fra andre programmer, eller fra TOML-koder \
     som \\b og \\u0001)";

/// Whether `text` has a letter or digit a reader can see: a title of only spaces, punctuation
/// or invisible characters looks empty in lists and in the browser's tab.
pub fn has_visible_letter(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// `text` with every control character written as a visible escape (`\u{1b}`), so a message
/// that quotes content cannot move the cursor, recolour or clear a terminal, or hide a line.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| unwanted(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match unwanted(c) {
                Some(_) => c.escape_unicode().to_string(),
                None => c.to_string(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_xml_and_terminals_cannot_take() {
        for c in [
            '\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\r', '\u{1b}', '\u{7f}', '\u{85}',
        ] {
            assert_eq!(unwanted(c), Some(Unwanted::Control), "{c:?}");
        }
        for c in [
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{FDD0}',
            '\u{1FFFE}',
            '\u{10FFFF}',
        ] {
            assert_eq!(unwanted(c), Some(Unwanted::Noncharacter), "{c:?}");
        }
        for c in ['\u{202E}', '\u{2066}', '\u{2069}'] {
            assert_eq!(unwanted(c), Some(Unwanted::Bidi), "{c:?}");
        }
    }

    #[test]
    fn keeps_what_people_write() {
        let text = "Æøå, čđŋšŧž og «sitater» – med\ttabulator\nog linjeskift 😀 \u{FFFD}";
        assert_eq!(first_unwanted(text), None);
    }

    #[test]
    fn a_title_without_letters_is_not_visible() {
        assert!(!has_visible_letter(" \u{200B}\u{2063} – … "));
        assert!(has_visible_letter("3"));
        assert!(has_visible_letter("Å"));
    }

    #[test]
    fn finds_a_character_where_it_is_written() {
        assert_eq!(find_written("\"ab\u{7}c\"", '\u{7}'), Some(3));
        assert_eq!(find_written("\"abc \\u001B[2K\"", '\u{1b}'), Some(5));
        assert_eq!(find_written("\"abc \\U0010FFFF\"", '\u{10FFFF}'), Some(5));
        assert_eq!(find_written("\"a\\bc\"", '\u{8}'), Some(2));
        assert_eq!(find_written("\"abc\"", '\u{8}'), None);
    }

    #[test]
    fn escapes_terminal_sequences() {
        assert_eq!(escape_controls("a\u{1b}[2Kb"), "a\\u{1b}[2Kb");
        assert!(matches!(escape_controls("vanlig tekst"), Cow::Borrowed(_)));
    }
}
