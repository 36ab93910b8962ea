//! Splits a content file into its TOML front matter (between `+++` lines) and its Markdown body.

use crate::diagnostics::Pos;

pub struct Split<'a> {
    pub toml: &'a str,
    /// Where the TOML starts in the file (the line after the opening `+++`).
    pub toml_origin: Pos,
    pub body: &'a str,
    pub body_origin: Pos,
    /// The line of the closing `+++`, where a missing field would be added.
    pub closing_line: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `+++`.
    NoOpening,
    /// No closing `+++` line.
    NoClosing,
}

/// `text` must already have `\r\n` normalised to `\n` and any byte-order mark removed.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    // Trailing spaces after `+++` are invisible in an editor, so they are allowed on both lines.
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    if first.trim_end() != "+++" {
        return Err(SplitError::NoOpening);
    }
    let mut offset = 0;
    for (line, chunk) in (2..).zip(rest.split_inclusive('\n')) {
        if chunk.trim_end() == "+++" {
            let body_start = offset + chunk.len();
            return Ok(Split {
                toml: &rest[..offset],
                toml_origin: Pos::new(2, 1),
                body: &rest[body_start..],
                body_origin: Pos::new(line + 1, 1),
                closing_line: line,
            });
        }
        offset += chunk.len();
    }
    Err(SplitError::NoClosing)
}

/// Normalises line endings and strips a byte-order mark, so files saved by any editor parse alike.
pub fn normalise(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_positions() {
        let split = split("+++\ntitle = \"x\"\n+++\n\nTekst\n").unwrap();
        assert_eq!(split.toml, "title = \"x\"\n");
        assert_eq!(split.body, "\nTekst\n");
        assert_eq!(split.body_origin, Pos::new(4, 1));
        assert_eq!(split.closing_line, 3);
    }

    #[test]
    fn spaces_after_a_delimiter_are_ignored() {
        let split = split("+++ \ntitle = \"x\"\n+++\t\nTekst\n").unwrap();
        assert_eq!(split.toml, "title = \"x\"\n");
        assert_eq!(split.body, "Tekst\n");
        assert_eq!(split.body_origin, Pos::new(4, 1));
    }

    #[test]
    fn reports_missing_delimiters() {
        assert_eq!(split("title = 1\n").err(), Some(SplitError::NoOpening));
        assert_eq!(split("+++\ntitle = 1\n").err(), Some(SplitError::NoClosing));
        assert_eq!(split("").err(), Some(SplitError::NoOpening));
        assert_eq!(split("+++").err(), Some(SplitError::NoClosing));
        assert_eq!(split("+++\n").err(), Some(SplitError::NoClosing));
        assert_eq!(split("\n+++\n+++\n").err(), Some(SplitError::NoOpening));
    }

    #[test]
    fn normalises_crlf_and_bom() {
        assert_eq!(normalise("\u{feff}+++\r\na\r\n+++\r\n"), "+++\na\n+++\n");
    }
}
